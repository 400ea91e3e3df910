"""What the fund could still commit on a date D, as ``fund capacity --date D`` shows it.

Every figure is as of D, from dated facts, whatever happened after D:
- bank and net assets from the journal's balances as of D (entries dated ≤ D);
- undisbursed commitments: facilities approved on or before D, not cancelled on or
  before D (the cancel decision's date) and not paid out on or before D, each with the
  cash its approval reserved (a guarantee its deposit, a loan or grant its principal);
- guarantee exposure (``store.as_of.guarantee_exposure``, the statements' figure): the
  guarantees issued by D on what their bank loans owed on D, and the coverage reserved
  by guarantees approved by D and not yet issued (nor cancelled) on D;
- reserve floor and leverage cap under the policy in force on D;
- matching money received through the fund by D and not passed on by D (held);
- the guarantee room: min(leverage cap × net assets − exposure, what the available
  cash can pay deposits for), naming the limit that binds (``domain.capacity``).

Set-based: one query over the journal's daily balances, one over the facilities, one
for the exposure. The approvals themselves read today's figures under the
fund lock (``services.capacity``); this read-only view never takes that lock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Connection, case, exists, func, select

from fundcore.domain import chart
from fundcore.domain.capacity import GuaranteeRoom, guarantee_room
from fundcore.domain.decisions import Action
from fundcore.domain.money import BP
from fundcore.domain.policy import Policy
from fundcore.domain.terms import Instrument
from fundcore.services.capacity import Capacity, matching_held
from fundcore.services.policy import in_force
from fundcore.store import as_of, journal
from fundcore.store.models import Decision, Facility
from fundcore.store.tables import table_of

_fac = table_of(Facility)
_dec = table_of(Decision)


@dataclass(frozen=True, slots=True)
class CapacityOn:
    """The fund's capacity as of ``business_date``, under the policy in force then."""

    business_date: date
    capacity: Capacity

    @property
    def exposure_cap_fen(self) -> int:
        """The most guarantee exposure the fund may carry: net assets × leverage cap."""
        return self.capacity.net_assets_fen * self.capacity.leverage_cap_x

    @property
    def room(self) -> GuaranteeRoom:
        """New guarantee liability still possible: min(multiple room, cash room)."""
        return guarantee_room(self.capacity)


def capacity_on(conn: Connection, business_date: date) -> CapacityOn:
    """Capacity as of the date, under the policy in force on it. Open to every reader."""
    policy = in_force(conn, business_date).policy
    return CapacityOn(business_date, capacity_as_of(conn, business_date, policy))


def capacity_as_of(conn: Connection, day: date, policy: Policy) -> Capacity:
    """``services.capacity.capacity`` as it stood at the end of ``day``."""
    bank = assets = liabilities = 0
    for row in journal.balances(conn, day):
        net = row.debit_fen - row.credit_fen
        if row.code == chart.BANK:
            bank = net
        if row.type == "asset":
            assets += net
        elif row.type == "liability":
            liabilities -= net
    committed = undisbursed_on(conn, day)
    return Capacity(
        bank_fen=bank,
        commitments_fen=committed,
        reserve_fen=policy.reserve_floor_fen,
        net_assets_fen=assets - liabilities,
        exposure_fen=as_of.guarantee_exposure(conn, day),
        leverage_cap_x=policy.leverage_cap_x,
        deposit_bp=policy.guarantee_deposit_bp,
        coverage_bp=policy.guarantee_coverage_bp,
        held_fen=matching_held(conn, day),
    )


def _half_up(amount: ColumnElement[int], bp: ColumnElement[int]) -> ColumnElement[int]:
    """``domain.money.share_fen`` in SQL: ``bp`` of ``amount``, half up to the fen."""
    return (amount * bp + BP // 2) // BP


def undisbursed_on(conn: Connection, day: date) -> int:
    """The cash reserved on ``day`` by the facilities approved by then and neither paid
    out nor cancelled by then, as their approvals reserved it
    (``domain.capacity.commitment``: a guarantee its deposit, a loan or a grant its
    principal)."""
    cancelled = exists().where(
        _dec.c.application_id == _fac.c.id,
        _dec.c.action == Action.CANCEL,
        _dec.c.business_date <= day,
    )
    guarantee = _fac.c.instrument == Instrument.GUARANTEE
    cash = case(
        (guarantee, _half_up(_fac.c.principal_fen, _fac.c.deposit_bp)), else_=_fac.c.principal_fen
    )
    committed = conn.scalar(
        select(func.coalesce(func.sum(cash), 0)).where(
            _fac.c.approved_on <= day,
            ~as_of.paid_out_by(day, _fac.c.id, _fac.c.disbursed_on),
            ~cancelled,
        )
    )
    return int(committed or 0)
