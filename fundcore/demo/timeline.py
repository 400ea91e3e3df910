"""The demo's calendar: business events queued by date and run in date order.

Each event has a kind; the events of one kind on one day run together as one batch
(one bank file of repayments, one review session), kinds in a fixed order within a
day (money in before money out, the day close last). Handlers may queue later events,
so a disbursement queues the borrower's repayments and a default queues the claim.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from datetime import date
from itertools import count
from typing import Any

#: the order of kinds within one business day
KINDS = (
    "donation",
    "working_funds",
    "import",
    "reimport",
    "review",
    "second_review",
    "support",
    "cancel",
    "disburse",
    "repayment",
    "claim",
    "recovery",
    "write_off",
    "close",
)
_RANK = {k: i for i, k in enumerate(KINDS)}

Handler = Callable[[date, list[Any]], None]


class Timeline:
    def __init__(self, last_day: date) -> None:
        self.last_day = last_day
        self._heap: list[tuple[date, int, int, Any]] = []
        self._seq = count()

    def at(self, day: date, kind: str, payload: Any = None) -> None:
        """Queue an event; one after the programme's last day is dropped."""
        if day <= self.last_day:
            heapq.heappush(self._heap, (day, _RANK[kind], next(self._seq), payload))

    def run(self, handlers: dict[str, Handler]) -> None:
        """Run every event in order, each (day, kind) as one batch, until none is left."""
        while self._heap:
            day, rank, _, payload = heapq.heappop(self._heap)
            batch = [payload]
            while self._heap and self._heap[0][:2] == (day, rank):
                batch.append(heapq.heappop(self._heap)[3])
            handlers[KINDS[rank]](day, batch)
