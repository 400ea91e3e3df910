"""Restricted money by purpose, under any sequence of gifts and outflows: no purpose's
restricted net assets ever go negative, releases never exceed what was spent on a
purpose, and equal it, less whatever no restricted money (the purpose's, then the
programme's) was there to cover when it was spent."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from fundcore.domain import chart, purposes
from fundcore.domain.errors import RuleBroken
from fundcore.domain.ledger import EntryDraft, check_entry, credit, debit
from fundcore.domain.purposes import PurposeBook

ON = date(2020, 1, 1)
CODES = [p.code for p in purposes.SPECIFIC]
#: (kind, debit account, credit account, purpose, is an expense)
OUTFLOWS = [
    ("loan", chart.LOANS_RECEIVABLE, chart.BANK, "loan", False),
    ("deposit", chart.GUARANTEE_DEPOSITS, chart.BANK, "guarantee", False),
    ("grant", chart.PROGRAMME_GRANTS, chart.BANK, "grant", True),
    ("working_funds", chart.PROGRAMME_WORKING_FUNDS, chart.BANK, "working_funds", True),
    ("provision", chart.PROVISION_EXPENSE, chart.GUARANTEE_LOSS_PROVISION, "guarantee", True),
    ("repay", chart.BANK, chart.LOANS_RECEIVABLE, "loan", False),
    ("write_off", chart.WRITE_OFF_LOSSES, chart.LOANS_RECEIVABLE, "loan", True),
]
gift = st.tuples(
    st.just("gift"), st.sampled_from([*CODES, "programme", None]), st.integers(1, 10**6)
)
outflow = st.tuples(st.sampled_from(OUTFLOWS), st.integers(1, 10**6))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(gift, outflow), max_size=40))
def test_restricted_never_negative_and_releases_follow_spending(steps: list) -> None:  # noqa: C901
    b = PurposeBook({})
    given_to = dict.fromkeys([*CODES, "programme"], 0)
    spent = dict.fromkeys(CODES, 0)
    released = dict.fromkeys([*CODES, "programme"], 0)
    loans = 0
    expected = dict.fromkeys([*CODES, "programme"], 0)
    unfunded = dict.fromkeys(CODES, 0)
    for step in steps:
        if step[0] == "gift":
            _, code, amount = step
            account = purposes.income_account(purposes.BY_CODE[code] if code else None)
            b.charge(
                EntryDraft(
                    ON, "donation", "x", (debit(chart.BANK, amount), credit(account, amount))
                )
            )
            if code:
                given_to[code] += amount
            continue
        (kind, dr, cr, code, expense), amount = step
        if cr == chart.LOANS_RECEIVABLE:
            amount = min(amount, loans)
            if not amount:
                continue
        draft = EntryDraft(ON, kind, "x", (debit(dr, amount), credit(cr, amount)))
        try:
            charged = b.charge(draft)
        except RuleBroken as e:
            assert e.code == "purpose.short" and e.params["need"] > e.params["available"]
            continue
        check_entry(charged)
        loans += (
            amount
            if dr == chart.LOANS_RECEIVABLE
            else -amount
            if cr == chart.LOANS_RECEIVABLE
            else 0
        )
        if expense:  # the auditor's own model: the purpose's money first, then the programme's
            spent[code] += amount
            own = min(amount, given_to[code] - released[code])
            wide = min(amount - own, given_to["programme"] - released["programme"])
            unfunded[code] += amount - own - wide
            expected[code] += own
            expected["programme"] += wide
        for ln in charged.lines[1 + 1 :]:
            if ln.account in purposes.RESTRICTED_NET_ASSETS:
                owner = next(p.code for p in purposes.PURPOSES if p.net_assets == ln.account)
                released[owner] += ln.amount_fen
        for p in purposes.PURPOSES:
            assert b.restricted(p) >= 0, p.code
        assert b.bal[chart.BANK] >= 0
    for code in CODES:
        assert released[code] <= spent[code]
        assert b.restricted(purposes.BY_CODE[code]) == given_to[code] - released[code]
    # releases equal what was spent on purposes, less what no restricted money covered
    assert released == expected
    assert sum(released.values()) == sum(spent.values()) - sum(unfunded.values())
    assert (
        b.restricted(purposes.BY_CODE["programme"]) == given_to["programme"] - released["programme"]
    )
