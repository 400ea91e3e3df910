"""What local support posts: normally nothing.

1:1 matching (配资) is the county's money put into the young person's project, not the
fund's (DOMAIN.md §4): the pledge and its receipt are kept in the local-support
register and reported as leverage (撬动), with no journal entry. A counter-guarantee
(反担保) posts nothing either: it is a promise on record, drawn on only if a guarantee
is claimed.

Only when a county really pays its matching money into the fund's bank account (the
receipt recorded "through the fund") is there money of the fund's to book: it is
government grant income (政府补助收入), restricted to that project, when received
(``grant_receipt_entry``), and an expense of the programme when the fund passes it on
to the project (``pass_on_entry``), so it never stays in net assets.

Before this rule, approval booked the pledge as restricted donation income against a
matching receivable (1214) and the receipt moved it into the bank; ``MIGRATION_MEMO``
is the note on the reversals that take those old postings out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fundcore.domain import chart
from fundcore.domain.ledger import EntryDraft, credit, debit
from fundcore.domain.terms import EntryKind

MIGRATION_MEMO = (
    "matching is the county's money, kept in the local-support register, not the fund's "
    "income (DOMAIN.md §4): old 1214 posting reversed"
)


@dataclass(frozen=True, slots=True)
class MatchingThroughFund:
    """Matching money that passes through the fund's bank account for one facility."""

    facility_id: int
    amount_fen: int
    business_date: date
    ref: str | None = None


def grant_receipt_entry(r: MatchingThroughFund, operator: str) -> EntryDraft:
    """Bank debited, restricted government grant income credited; memo: the bank's ref."""
    return EntryDraft(
        r.business_date,
        EntryKind.MATCHING_RECEIPT,
        operator,
        (debit(chart.BANK, r.amount_fen), credit(chart.GOVERNMENT_GRANTS_RESTRICTED, r.amount_fen)),
        object_type="facility",
        object_id=str(r.facility_id),
        memo=f"matching received through the fund {r.ref or ''}".rstrip(),
    )


def pass_on_entry(r: MatchingThroughFund, operator: str) -> EntryDraft:
    """Programme cost (matching passed on) debited, bank credited; and, the money being
    spent on the purpose it was restricted to, the restriction released (限定性净资产转为
    非限定性净资产: restricted net assets debited, unrestricted credited)."""
    return EntryDraft(
        r.business_date,
        EntryKind.MATCHING_PASS_ON,
        operator,
        (
            debit(chart.PROGRAMME_MATCHING_PASSED_ON, r.amount_fen),
            credit(chart.BANK, r.amount_fen),
            debit(chart.NET_ASSETS_RESTRICTED, r.amount_fen),
            credit(chart.NET_ASSETS_UNRESTRICTED, r.amount_fen),
        ),
        object_type="facility",
        object_id=str(r.facility_id),
        memo=f"matching passed on to the project {r.ref or ''}".rstrip(),
    )
