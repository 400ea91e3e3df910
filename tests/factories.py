"""Realistic test data: valid resident IDs, phones and application rows."""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

from fundcore.identity import check_digit
from fundcore.sheet import APPLICATION_COLUMNS

SAMPLE_COUNTIES = ["140224", "141126", "141124", "410225", "520203", "530622"]


def resident_id(rng: random.Random, region: str, born: date) -> str:
    body = f"{region}{born:%Y%m%d}{rng.randrange(1000):03d}"
    return body + check_digit(body)


def youth_id(rng: random.Random, region: str, on: date, lo: int = 20, hi: int = 33) -> str:
    born = on - timedelta(days=rng.randint(lo * 366, hi * 365))
    return resident_id(rng, region, born)


def phone(rng: random.Random) -> str:
    return f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"


def application_row(
    rng: random.Random, n: int, county: str, on: date, instrument: str = "免息借款"
) -> dict[str, str]:
    """One valid row (Chinese values) keyed by column key."""
    poor = rng.random() < 0.4
    employed = "" if poor else ";".join(youth_id(rng, county, on) for _ in range(2))
    is_grant = instrument == "小额资助"
    return {
        "ref": f"{county}-{n:05d}",
        "name": rng.choice("王李张刘陈杨赵黄周吴") + rng.choice(["伟", "芳", "娜", "强", "磊"]),
        "id_number": youth_id(rng, county, on),
        "phone": phone(rng),
        "county_code": county,
        "registered_poor": "是" if poor else "否",
        "project_name": rng.choice(["香菇种植", "土鸡养殖", "电商助农", "手工刺绣"]),
        "project_type": "家庭农场",
        "industry": "规模种养业",
        "instrument": instrument,
        "amount": "5000" if is_grant else rng.choice(["30000", "5万", "100,000.00", "20000"]),
        "term_months": "" if is_grant else rng.choice(["24", "36"]),
        "bank": "农商银行" if instrument == "担保贷款" else "",
        "local_support": "" if is_grant else rng.choice(["反担保", "1:1配资"]),
        "employed_poor_ids": employed,
    }


def write_csv(
    path: Path, rows: list[dict[str, str]], encoding: str = "utf-8", lang: str = "zh"
) -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([c.zh if lang == "zh" else c.en for c in APPLICATION_COLUMNS])
        for r in rows:
            writer.writerow([r.get(c.key, "") for c in APPLICATION_COLUMNS])
    return path


def setup_fund(engine, donation_fen: int = 10_000_000_000) -> None:  # noqa: ANN001
    """Register, county league 'lq' (灵丘县), finance 'fin1'/'fin2', and a donation."""
    from fundcore import donations, operators, registry
    from fundcore.uow import UnitOfWork

    with UnitOfWork(engine) as uow:
        rows = registry.parse_register(registry.SAMPLE_REGISTER.read_bytes())
        registry.import_register(uow.conn, "root", rows, "sample")
        operators.add(uow.conn, None, "lq", "county", "140224")
        operators.add(uow.conn, None, "fin1", "finance")
        operators.add(uow.conn, None, "fin2", "finance")
        donations.record(
            uow.conn, "fin1", donations.DonationIn(donation_fen, "donor", date(2019, 1, 2))
        )
        uow.commit()


def disbursed(
    engine,
    n: int,
    kind: str = "loan",
    yuan: int = 30_000,
    term: int = 24,  # noqa: ANN001
    support: str = "1:1配资",
    on: date = date(2019, 6, 10),
    rate_bp: int = 475,
) -> int:
    """A facility submitted, approved, supported and paid out; its id."""
    from fundcore import applications, decisions, disbursement, local_support
    from fundcore.intake import parse_application
    from fundcore.uow import UnitOfWork

    names = {"loan": "免息借款", "guarantee": "担保贷款", "grant": "小额资助"}
    row = application_row(random.Random(n), n, "140224", date(2019, 6, 1), names[kind])
    row.update(
        amount=str(yuan),
        term_months=str(term) if kind != "grant" else "",
        local_support=support if kind != "grant" else "",
    )
    app, errors = parse_application(row)
    assert not errors, errors
    with UnitOfWork(engine) as uow:
        report = applications.submit(uow.conn, "lq", [(None, app)], date(2019, 6, 1))
        assert not report.problems, report.problems
        fid = report.taken[0][2]
        decisions.approve(uow.conn, "fin1", fid, date(2019, 6, 2))
        if yuan * 100 > 5_000_000:
            decisions.approve(uow.conn, "fin2", fid, date(2019, 6, 2))
        if kind != "grant":
            k = "matching" if support == "1:1配资" else "counter-guarantee"
            amount = yuan * 100 if k == "matching" else yuan * 50
            local_support.record(
                uow.conn, "fin1", local_support.SupportIn(fid, k, amount, date(2019, 6, 5))
            )
        disbursement.disburse(
            uow.conn,
            "fin2",
            fid,
            on,
            "农商银行" if kind == "guarantee" else None,
            rate_bp if kind == "guarantee" else None,
        )
        uow.commit()
    return fid
