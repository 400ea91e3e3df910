"""Finance's decisions as rules: maker-checker, how many approvals, what an approval opens.

Pure: the service loads an application's decision history and the policy in force,
and these say who has approved it since it was last (re)submitted, whether that is
enough (two approvals above the policy's threshold, else one), and the 1:1 matching a
county pledges for the facility opened (of the basis the policy names).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from fundcore.domain.errors import InputError, RuleBroken
from fundcore.domain.local_support import matching_required_fen
from fundcore.domain.policy import Policy
from fundcore.domain.policy_keys import BANK_GRACE_MAX_MONTHS
from fundcore.domain.terms import Instrument


class Action(StrEnum):
    """What a decision record says finance (or, for the last two, the county) did
    (``decisions.action``)."""

    APPROVE = "approve"
    REJECT = "reject"
    RETURN = "return"
    CANCEL = "cancel"
    #: a returned application, amended by its county, submitted again for review
    RESUBMIT = "resubmit"
    #: the county withdrew the application; its applicant may apply again
    WITHDRAW = "withdraw"


#: decisions after which an application's approvals start again from none
RESETS: tuple[Action, ...] = (
    Action.RETURN,
    Action.REJECT,
    Action.CANCEL,
    Action.RESUBMIT,
    Action.WITHDRAW,
)


class OutcomeStatus(StrEnum):
    """Where a decision leaves the application: the application's (or facility's) new
    status, or still waiting for the second approval it needs."""

    APPROVED = "approved"
    AWAITING_SECOND_APPROVAL = "awaiting_second_approval"
    REJECTED = "rejected"
    RETURNED = "returned"
    CANCELLED = "cancelled"


def approvers_since_submission(history: Iterable[tuple[str, str]]) -> list[str]:
    """The operators who approved since the last return, rejection or cancellation,
    from the application's decisions (action, operator) in the order they were made."""
    names: list[str] = []
    for action, operator in history:
        if action in RESETS:
            names = []
        if action == Action.APPROVE:
            names.append(operator)
    return names


def approvals_needed(amount_fen: int, p: Policy) -> int:
    """Two approvals (maker-checker by two) above the policy's threshold, else one."""
    return 2 if amount_fen > p.two_approvals_above_fen else 1


def matching_pledged_fen(
    instrument: Instrument | str,
    local_support: str | None,
    amount_fen: int,
    deposit_fen: int,
    p: Policy,
) -> int:
    """The county's 1:1 matching pledged for a loan or guarantee backed by matching: the
    policy's ratio of what it matches (``local_support.matching_basis``)."""
    return matching_required_fen(instrument, local_support, amount_fen, deposit_fen, p)


def grace_months(
    app_id: int, instrument: str, term_months: int | None, p: Policy, override: int | None
) -> int:
    """The interest-only months fixed on the facility an approval opens.

    A guarantee's bank loan takes the policy's ``bank_grace_months``, or the approval's
    ``override``: 0 to ``BANK_GRACE_MAX_MONTHS``, shorter than the term. Loans and grants
    get 0 (an override for them is refused).
    """
    if instrument != Instrument.GUARANTEE:
        if override is not None:
            raise InputError("decision.grace_guarantee_only", id=app_id, instrument=instrument)
        return 0
    months = p.bank_grace_months if override is None else override
    term = term_months or 0
    if not 0 <= months <= BANK_GRACE_MAX_MONTHS or months >= term:
        raise RuleBroken(
            "decision.grace_too_long", months=months, most=BANK_GRACE_MAX_MONTHS, term=term
        )
    return months
