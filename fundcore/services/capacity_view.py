"""What the fund can still commit on a date, as ``fund capacity`` shows it.

The figures of ``capacity.capacity`` under the policy in force on the date, and the
guarantee exposure cap they imply (net assets times the leverage multiple).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection

from fundcore.services.capacity import Capacity, capacity
from fundcore.services.policy import in_force


@dataclass(frozen=True, slots=True)
class CapacityOn:
    """The fund's capacity under the policy in force on ``business_date``."""

    business_date: date
    capacity: Capacity

    @property
    def exposure_cap_fen(self) -> int:
        """The most guarantee exposure the fund may carry: net assets × leverage cap."""
        return self.capacity.net_assets_fen * self.capacity.leverage_cap_x


def capacity_on(conn: Connection, business_date: date) -> CapacityOn:
    """Capacity under the policy in force on the date. Open to every reader."""
    policy = in_force(conn, business_date).policy
    return CapacityOn(business_date, capacity(conn, policy))
