"""What a defaulted guarantee posts: the claim (代偿), recoveries (追偿) and the write-off.

A claim is paid to the bank from the guarantee deposit first, then from the bank
account; the whole claim becomes a receivable from the borrower, of which the county
government's counter-guarantee share is moved to a receivable from the county. Where the
claim also pays the bank the borrower's overdue interest, that part is a receivable too,
on the same account (1212 应收代偿款): the fund steps into the bank's rights for all it
paid (民法典 Art. 700), so it is neither the fund's interest income nor its expense, and
recoveries and the write-off take it as they take the principal. The entry's memo states
the interest part. Any
deposit the claim did not use comes back. A recovery brings cash against one of the two
receivables. A write-off takes what the borrower still owes against the guarantee loss
provision, as far as the provision holds, and the rest to losses; a defaulted
interest-free loan is written off against the loan-loss allowance (坏账准备), the rest
to 管理费用—坏账损失. The county's counter-guarantee share is never written off with the
borrower: it is the county government's debt, called on a defaulted loan
(``loan_county_share``) as on a claim, and written off only on its own, with its own
reason (``county_write_off``). Undoing a write-off is the reversal of its entry
(``ledger.reversal_of``), posted by the journal, which allows one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fundcore.domain import chart
from fundcore.domain.ledger import EntryDraft, Line, credit, debit
from fundcore.domain.money import share_fen
from fundcore.domain.postings.repayment import FACILITY, DepositReleased, deposit_release
from fundcore.domain.terms import EntryKind, RecoverySource

CLAIM_MEMO = "代偿 paid to the bank"


@dataclass(frozen=True, slots=True)
class ClaimSplit:
    """Where a claim's money comes from, and what of it the county owes back."""

    amount_fen: int
    from_deposit_fen: int
    from_cash_fen: int
    county_share_fen: int
    #: the part of the deposit the claim did not use, released back to the bank account
    deposit_left_fen: int


def split_claim(amount_fen: int, deposit_fen: int, county_share_bp: int) -> ClaimSplit:
    """Deposit first, then cash; the county's share is its bp of the whole claim."""
    from_deposit = min(deposit_fen, amount_fen)
    return ClaimSplit(
        amount_fen=amount_fen,
        from_deposit_fen=from_deposit,
        from_cash_fen=amount_fen - from_deposit,
        county_share_fen=share_fen(amount_fen, county_share_bp),
        deposit_left_fen=deposit_fen - from_deposit,
    )


@dataclass(frozen=True, slots=True)
class ClaimPaid:
    """A claim of ``amount_fen`` paid on a guarantee holding ``deposit_fen``, with a
    county counter-guarantee of ``county_share_bp`` (0 if none)."""

    facility_id: int
    business_date: date
    operator: str
    amount_fen: int
    deposit_fen: int
    county_share_bp: int
    #: of ``amount_fen``, the borrower's overdue interest paid to the bank
    interest_fen: int = 0

    @property
    def principal_fen(self) -> int:
        return self.amount_fen - self.interest_fen

    @property
    def memo(self) -> str:
        """The claim entry's memo: with interest, what of it was principal and interest."""
        if not self.interest_fen:
            return CLAIM_MEMO
        return f"{CLAIM_MEMO}: principal {self.principal_fen} fen, interest {self.interest_fen} fen"

    @property
    def split(self) -> ClaimSplit:
        return split_claim(self.amount_fen, self.deposit_fen, self.county_share_bp)


def claim(fact: ClaimPaid) -> list[EntryDraft]:
    """The claim entry; then the county's share, if any; then the unused deposit back."""
    split = fact.split
    lines: list[Line] = [debit(chart.CLAIMS_RECEIVABLE, split.amount_fen)]
    if split.from_deposit_fen:
        lines.append(credit(chart.GUARANTEE_DEPOSITS, split.from_deposit_fen))
    if split.from_cash_fen:
        lines.append(credit(chart.BANK, split.from_cash_fen))
    drafts = [_facility_entry(fact, EntryKind.CLAIM, tuple(lines), fact.memo)]
    if split.county_share_fen:
        county = (
            debit(chart.COUNTER_GUARANTEE_RECEIVABLE, split.county_share_fen),
            credit(chart.CLAIMS_RECEIVABLE, split.county_share_fen),
        )
        memo = f"counter-guarantee share {fact.county_share_bp} bp"
        drafts.append(_facility_entry(fact, EntryKind.CLAIM_COUNTY_SHARE, county, memo))
    if split.deposit_left_fen:
        left = DepositReleased(
            fact.facility_id, fact.business_date, fact.operator, split.deposit_left_fen
        )
        drafts.append(deposit_release(left))
    return drafts


#: the receivable a recovery from each source reduces
RECOVERY_ACCOUNT: dict[RecoverySource, str] = {
    RecoverySource.BORROWER: chart.CLAIMS_RECEIVABLE,
    RecoverySource.COUNTY: chart.COUNTER_GUARANTEE_RECEIVABLE,
}


@dataclass(frozen=True, slots=True)
class Recovered:
    """Money recovered from the borrower or the county under ``ref``."""

    facility_id: int
    business_date: date
    operator: str
    source: RecoverySource
    amount_fen: int
    ref: str


def recovery(fact: Recovered) -> EntryDraft:
    """Bank against the receivable from the source."""
    lines = (
        debit(chart.BANK, fact.amount_fen),
        credit(RECOVERY_ACCOUNT[fact.source], fact.amount_fen),
    )
    return _facility_entry(fact, EntryKind.recovery(fact.source), lines, fact.ref)


@dataclass(frozen=True, slots=True)
class GuaranteeWrittenOff:
    """A claimed guarantee's receivables written off, with the provision as it stands."""

    facility_id: int
    business_date: date
    operator: str
    reason: str
    borrower_fen: int
    county_fen: int
    provision_held_fen: int

    @property
    def amount_fen(self) -> int:
        return self.borrower_fen + self.county_fen

    @property
    def from_provision_fen(self) -> int:
        """As much as the provision holds (nothing if it is overdrawn), at most the amount."""
        return min(max(self.provision_held_fen, 0), self.amount_fen)


def guarantee_write_off(fact: GuaranteeWrittenOff) -> EntryDraft:
    """Provision, then losses, against the claims and county receivables left."""
    from_provision = fact.from_provision_fen
    lines: list[Line] = []
    if from_provision:
        lines.append(debit(chart.GUARANTEE_LOSS_PROVISION, from_provision))
    if fact.amount_fen > from_provision:
        lines.append(debit(chart.WRITE_OFF_LOSSES, fact.amount_fen - from_provision))
    if fact.borrower_fen:
        lines.append(credit(chart.CLAIMS_RECEIVABLE, fact.borrower_fen))
    if fact.county_fen:
        lines.append(credit(chart.COUNTER_GUARANTEE_RECEIVABLE, fact.county_fen))
    return _facility_entry(fact, EntryKind.WRITE_OFF, tuple(lines), fact.reason)


@dataclass(frozen=True, slots=True)
class LoanWrittenOff:
    """A defaulted interest-free loan's outstanding principal (the borrower's part)
    written off, with the loan-loss allowance as it stands."""

    facility_id: int
    business_date: date
    operator: str
    reason: str
    outstanding_fen: int
    allowance_held_fen: int = 0

    @property
    def amount_fen(self) -> int:
        return self.outstanding_fen

    @property
    def from_allowance_fen(self) -> int:
        """As much as the allowance holds (nothing if it is overdrawn), at most the amount."""
        return min(max(self.allowance_held_fen, 0), self.amount_fen)


def loan_write_off(fact: LoanWrittenOff) -> EntryDraft:
    """The allowance, then bad debts (管理费用), against loans receivable."""
    lines: list[Line] = []
    if fact.from_allowance_fen:
        lines.append(debit(chart.LOAN_LOSS_ALLOWANCE, fact.from_allowance_fen))
    if fact.amount_fen > fact.from_allowance_fen:
        lines.append(debit(chart.BAD_DEBTS, fact.amount_fen - fact.from_allowance_fen))
    lines.append(credit(chart.LOANS_RECEIVABLE, fact.outstanding_fen))
    return _facility_entry(fact, EntryKind.WRITE_OFF, tuple(lines), fact.reason)


@dataclass(frozen=True, slots=True)
class LoanCountyShare:
    """A defaulted interest-free loan's county counter-guarantee share called: its
    ``share_bp`` of the principal outstanding becomes the county's debt."""

    facility_id: int
    business_date: date
    operator: str
    outstanding_fen: int
    share_bp: int

    @property
    def amount_fen(self) -> int:
        return min(share_fen(self.outstanding_fen, self.share_bp), self.outstanding_fen)


def loan_county_share(fact: LoanCountyShare) -> EntryDraft:
    """Counter-guarantee receivable against loans receivable, for the county's share."""
    lines = (
        debit(chart.COUNTER_GUARANTEE_RECEIVABLE, fact.amount_fen),
        credit(chart.LOANS_RECEIVABLE, fact.amount_fen),
    )
    memo = f"counter-guarantee share {fact.share_bp} bp"
    return _facility_entry(fact, EntryKind.LOAN_COUNTY_SHARE, lines, memo)


@dataclass(frozen=True, slots=True)
class CountyWrittenOff:
    """What the county still owes on a facility, written off on its own. A guarantee's
    share draws on the guarantee loss provision first (it is a loss of the guarantee
    business); a loan's is a bad debt (管理费用)."""

    facility_id: int
    business_date: date
    operator: str
    reason: str
    county_fen: int
    guarantee: bool
    provision_held_fen: int = 0

    @property
    def amount_fen(self) -> int:
        return self.county_fen

    @property
    def from_provision_fen(self) -> int:
        if not self.guarantee:
            return 0
        return min(max(self.provision_held_fen, 0), self.county_fen)


def county_write_off(fact: CountyWrittenOff) -> EntryDraft:
    """Provision (guarantees) or nothing, then losses, against the county receivable."""
    lines: list[Line] = []
    if fact.from_provision_fen:
        lines.append(debit(chart.GUARANTEE_LOSS_PROVISION, fact.from_provision_fen))
    rest = fact.county_fen - fact.from_provision_fen
    if rest:
        lines.append(debit(chart.WRITE_OFF_LOSSES if fact.guarantee else chart.BAD_DEBTS, rest))
    lines.append(credit(chart.COUNTER_GUARANTEE_RECEIVABLE, fact.county_fen))
    return _facility_entry(fact, EntryKind.WRITE_OFF_COUNTY, tuple(lines), fact.reason)


def _facility_entry(
    fact: ClaimPaid
    | Recovered
    | GuaranteeWrittenOff
    | LoanWrittenOff
    | LoanCountyShare
    | CountyWrittenOff,
    kind: EntryKind,
    lines: tuple[Line, ...],
    memo: str,
) -> EntryDraft:
    return EntryDraft(
        fact.business_date,
        kind,
        fact.operator,
        lines,
        object_type=FACILITY,
        object_id=str(fact.facility_id),
        memo=memo,
    )
