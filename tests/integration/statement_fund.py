"""A small but complete fund for the statement tests, built through the core's own API.

Seven counties in five provinces; loans, guarantees and grants; matching funds and
counter-guarantees; monthly repayments; a loan 20 days and one 81 days overdue at the
last day close; a defaulted loan written off; a defaulted guarantee claimed, partly
recovered from the borrower and the county; a guarantee repaid in full (its deposit
released); a restricted donation and a reversed donation; working funds for 2019; one
youth (``PERSON``) with a rejected, a returned and an approved application.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from dateutil.relativedelta import relativedelta
from sqlalchemy import Engine, select

from fundcore.intake.application import parse_application
from fundcore.services import (
    applications,
    claims,
    corrections,
    dayclose,
    decisions,
    disbursement,
    donations,
    local_support,
    operators,
    repayments,
    working_funds,
)
from fundcore.store.models import Instalment
from fundcore.store.uow import UnitOfWork
from tests.factories import application_row, setup_fund, youth_id

PAID_OUT = date(2019, 6, 10)
FIRST_CLOSE = date(2019, 12, 31)
LAST_CLOSE = date(2020, 6, 30)
LATER = (
    ("loan_paying", "LP"),
    ("loan_late20", "L20"),
    ("loan_late81", "L81"),
    ("loan_cq", "CQ"),
    ("guar_ok", "GO"),
    ("loan_person", "PS"),
)
NAMES = {"loan": "免息借款", "guarantee": "担保贷款", "grant": "小额资助"}


@dataclass
class Built:
    ids: dict[str, int] = field(default_factory=dict)
    person_id_number: str = ""
    person_phone: str = ""
    phones: list[str] = field(default_factory=list)
    id_numbers: list[str] = field(default_factory=list)


def _row(n: int, county: str, kind: str, yuan: int, term: int, support: str) -> dict[str, str]:
    row = application_row(random.Random(1000 + n), n, county, date(2019, 6, 1), NAMES[kind])
    row.update(
        amount=str(yuan),
        term_months=str(term) if kind != "grant" else "",
        local_support=support if kind != "grant" else "",
    )
    return row


def _submit(conn, built: Built, row: dict[str, str], on: date) -> int:  # noqa: ANN001
    app, errors = parse_application(row)
    assert not errors, errors
    report = applications.submit(conn, "fin1", [(None, app)], on)
    assert not report.problems, report.problems
    built.id_numbers.append(row["id_number"])
    built.id_numbers += [x for x in row["employed_poor_ids"].split(";") if x]
    built.phones.append(row["phone"])
    return report.taken[0][2]


def _open(
    conn,
    built: Built,
    name: str,
    county: str,
    kind: str,
    yuan: int,
    term: int = 24,
    support: str = "1:1配资",
    row: dict[str, str] | None = None,
) -> int:  # noqa: ANN001
    row = row or _row(len(built.ids) + 1, county, kind, yuan, term, support)
    fid = _submit(conn, built, row, date(2019, 6, 1))
    decisions.approve(conn, "fin2", fid, date(2019, 6, 2))
    if kind != "grant":
        matching = support == "1:1配资"
        amount = yuan * 100 if matching else yuan * 50
        local_support.record(
            conn,
            "fin2",
            local_support.SupportIn(
                fid,
                "matching" if matching else "counter-guarantee",
                amount,
                date(2019, 6, 5),
                f"LS-{fid}",
                None if matching else "县人民政府",
            ),
        )
    bank = "农商银行" if kind == "guarantee" else None
    disbursement.disburse(conn, "fin1", fid, PAID_OUT, bank, 475 if bank else None)
    built.ids[name] = fid
    return fid


def _owed(conn, fid: int, on: date, everything: bool = False) -> int:  # noqa: ANN001
    """Principal and interest due on or before ``on`` (all principal with ``everything``)."""
    i = Instalment.__table__
    rows = conn.execute(
        select(i.c.due_date, i.c.principal_fen - i.c.paid_principal_fen,
               i.c.interest_fen - i.c.paid_interest_fen).where(i.c.facility_id == fid, i.c.active)
    ).all()  # fmt: skip
    return sum(p + (n if d <= on else 0) for d, p, n in rows if everything or d <= on)


def _pay(conn, fid: int, amount: int, on: date, ref: str) -> None:  # noqa: ANN001
    report = repayments.repay_many(conn, "fin1", [repayments.RepaymentIn(fid, amount, on, ref)])
    assert not report.problems, report.problems


def _monthly(conn, fid: int, months: range, tag: str) -> None:  # noqa: ANN001
    """Pay what is due, on the 20th of each month (due dates are the 10th, or shifted)."""
    for m in months:
        on = PAID_OUT + relativedelta(months=m, days=10)
        amount = _owed(conn, fid, on)
        if amount:
            _pay(conn, fid, amount, on, f"{tag}-{m}")


def build(engine: Engine) -> Built:
    setup_fund(engine)
    built = Built()
    with UnitOfWork(engine) as uow:
        c = uow.conn
        operators.add(c, None, "audrey", "auditor")
        operators.add(c, None, "lk", "county", "410225")
        donations.record(
            c, "fin1", donations.DonationIn(5_000_000, "某基金会", date(2019, 3, 1), "贫困青年创业")
        )
        wrong = donations.record(c, "fin1", donations.DonationIn(12_345, "误录", date(2020, 2, 3)))
        corrections.reverse_entry(c, "fin1", wrong.entry_seq, date(2020, 2, 4), "误录")
        _open(c, built, "loan_paying", "140224", "loan", 30_000)
        _open(c, built, "loan_bad", "140224", "loan", 24_000, support="反担保")
        _open(c, built, "guar_bad", "140224", "guarantee", 50_000, 36, "反担保")
        _open(c, built, "guar_repaid", "410225", "guarantee", 40_000, 36)
        _open(c, built, "grant_lk", "410225", "grant", 5_000)
        _open(c, built, "loan_late20", "520203", "loan", 24_000)
        _open(c, built, "loan_late81", "410225", "loan", 24_000, support="反担保")
        _open(c, built, "guar_ok", "530622", "guarantee", 30_000, 24, "反担保")
        _open(c, built, "grant_sc", "510524", "grant", 3_000)
        _open(c, built, "loan_cq", "500236", "loan", 20_000)
        _person(c, built)
        working_funds.pay(c, "fin1", 2019, date(2019, 7, 1))
        ids = built.ids
        for key, tag in LATER:
            _monthly(c, ids[key], range(1, 7), tag)
        repaid_on = date(2019, 9, 1)
        _pay(c, ids["guar_repaid"], _owed(c, ids["guar_repaid"], repaid_on, True), repaid_on, "GR")
        dayclose.close_through(c, "fin1", FIRST_CLOSE)
        claims.pay_claim(c, "fin1", ids["guar_bad"], 4_000_000, date(2020, 1, 5))
        claims.record_recovery(c, "fin1", ids["guar_bad"], 500_000, date(2020, 2, 1), "RC-1")
        claims.record_recovery(
            c, "fin1", ids["guar_bad"], 2_000_000, date(2020, 2, 2), "RC-2", "county"
        )
        claims.write_off(c, "fin1", ids["loan_bad"], date(2020, 1, 10), "借款人无力偿还")
        for key, tag in LATER:
            last = {"loan_late20": 12, "loan_late81": 10}.get(key, 13)
            _monthly(c, ids[key], range(7, last), tag)
        dayclose.close_through(c, "fin1", LAST_CLOSE)
        uow.commit()
    return built


def _person(conn, built: Built) -> None:  # noqa: ANN001
    """One youth: a loan application rejected, a grant returned, then a loan approved."""
    base = _row(99, "410225", "loan", 24_000, 24, "1:1配资")
    built.person_id_number, built.person_phone = base["id_number"], base["phone"]
    first = _submit(conn, built, {**base, "ref": "P-1", "amount": "24001"}, date(2019, 5, 2))
    decisions.reject(conn, "fin2", first, date(2019, 5, 6), "项目计划不完整")
    # the grant employs youth of its own: one youth counts for one open project at a time
    others = ";".join(youth_id(random.Random(2000 + i), "410225", date(2019, 6, 1)) for i in (1, 2))
    grant = {**base, "ref": "P-2", "instrument": "小额资助", "amount": "5000", "term_months": "",
             "local_support": "", "employed_poor_ids": others}  # fmt: skip
    second = _submit(conn, built, grant, date(2019, 5, 8))
    decisions.reject(conn, "fin2", second, date(2019, 5, 9), "请补充营业执照", action="return")
    built.ids["person_rejected"], built.ids["person_returned"] = first, second
    _open(conn, built, "loan_person", "410225", "loan", 24_000, row={**base, "ref": "P-3"})
