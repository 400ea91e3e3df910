"""The demo's intake: county sheets, corrections, reviews, local support, pay-outs.

Each county league imports a sheet in every intake wave (quarterly from April 2019),
through the same reading, parsing and screening as ``fund applications import``. About
one row in forty is typed wrong; each bad row is reported by line, column and reason,
and a week later the league imports the corrected sheet (the rows already taken stay
unchanged; a row that no retyping can save is left out). Finance then reviews the
queue: a few are refused with a reason, the rest approved (a second approver above
50,000 yuan; a county league, the submitter, can never approve). Counties bring their
matching money (sometimes in two parts, now and then never: the approval is then
cancelled) or a counter-guarantee, and the money goes out.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from fundcore.demo import people, servicing
from fundcore.domain.decisions import OutcomeStatus
from fundcore.intake.sheet import read_sheet
from fundcore.messages import render
from fundcore.services import applications, decisions, disbursement, local_support
from fundcore.store.models import Application, County, Facility

if TYPE_CHECKING:
    from fundcore.demo.run import Run

STREAMS = ("sheets", "reviews", "support")
MISTAKE_RATE = 0.025
REFUSAL_RATE = 0.05
REFUSALS = (
    "项目可行性不足，市场分析不充分",
    "经营场地尚未落实",
    "自筹资金不足，项目资金缺口较大",
    "申请人征信记录有未结清逾期",
    "项目与当地产业扶贫方向不符",
)
CANCEL_REASON = "县级配套资金逾期未到位，取消批准"
RATES_BP = (435, 475, 490)
_apps = Application.__table__
_fac = Facility.__table__


def league(code: str) -> str:
    return f"league-{code}"


def waves(months: int) -> list[int]:
    """Months (from January 2019) of the intake waves: quarterly from April 2019."""
    return [3 + 3 * i for i in range(max(1, min(6, (months - 9) // 3)))]


def schedule(demo: Run, start: date) -> None:
    """Share the youth among counties (unevenly, as in life) and the intake waves."""
    rng = demo.streams["sheets"]
    weights = [rng.uniform(0.4, 1.6) for _ in demo.register]
    months = waves(demo.config.months)
    share: dict[tuple[int, str], int] = {}
    for i, county in enumerate(rng.choices(demo.register, weights, k=demo.config.youth)):
        key = (months[i % len(months)], county.code)
        share[key] = share.get(key, 0) + 1
    for (month, code), n in sorted(share.items()):
        demo.timeline.at(start + relativedelta(months=month, day=5), "import", (code, n))
    for month in months:
        demo.timeline.at(start + relativedelta(months=month, day=15), "review")


def handlers(demo: Run) -> dict[str, Any]:
    return {
        "import": lambda day, batch: _import(demo, day, batch),
        "reimport": lambda day, batch: [_import_sheet(demo, p, c, day) for c, p in batch],
        "review": lambda day, _batch: _review(demo, day),
        "second_review": lambda day, batch: _approve(demo, day, batch, 1),
        "support": lambda day, batch: _support(demo, day, batch),
        "cancel": lambda day, batch: _cancel(demo, day, batch),
        "disburse": lambda day, batch: _disburse(demo, day, batch),
    }


def _import(demo: Run, day: date, batch: list[tuple[str, int]]) -> None:
    rng = demo.streams["sheets"]
    folder = demo.config.out / "sheets"
    folder.mkdir(exist_ok=True)
    for i, (code, n) in enumerate(batch):
        rows, corrected = [], {}
        for k in range(1, n + 1):
            row = people.realistic_row(rng, demo.ids, f"{code}-{day:%Y%m}-{k:03d}", code, day)
            # about one row in forty has a mistake, and the wave's first sheet always has one
            if rng.random() < MISTAKE_RATE or (i == 0 and k == n):
                mistake, fixable = rng.choice(people.MISTAKES)
                rows.append(people.with_mistake(rng, row, mistake))
                corrected[row["ref"]] = row if fixable else None
            else:
                rows.append(row)
        path = people.write_sheet(folder / f"{code}-{day:%Y%m%d}.csv", rows)
        if _import_sheet(demo, path, code, day) and any(corrected.values()):
            again = [corrected.get(r["ref"], r) for r in rows]
            fixed = folder / f"{code}-{day:%Y%m%d}-更正.csv"
            people.write_sheet(fixed, [r for r in again if r is not None])
            demo.timeline.at(day + timedelta(days=7), "reimport", (code, fixed))


def _import_sheet(demo: Run, path: Path, code: str, day: date) -> int:
    """Import one sheet as the county league does; the number of bad rows."""
    sheet = read_sheet(path)
    parsed, problems = applications.parse_sheet(sheet)
    with demo.uow() as uow:
        report = applications.submit(
            uow.conn, league(code), parsed, day, source=path.name, sha256=sheet.source_sha256
        )
        uow.commit()
    problems = sorted(problems + report.problems, key=lambda p: p.line or 0)
    lang = demo.config.lang
    for p in problems:
        column = sheet.headers.get(p.column or "", p.column or "")
        where = (
            f"{path.name} 第 {p.line} 行 [{column}]："
            if lang == "zh"
            else f"{path.name} line {p.line} [{column}]: "
        )
        demo.result.import_problems.append(where + render(p.code, p.params, lang))
    bad = len({p.line for p in problems})
    demo.counts.update(
        sheets=1, applications=len(report.taken), rows_unchanged=len(report.unchanged), rows_bad=bad
    )
    return bad


def _review(demo: Run, day: date) -> None:
    """Finance works through the queue: refuse a few with a reason, approve the rest."""
    rng = demo.streams["reviews"]
    with demo.uow() as uow:
        queue = uow.conn.execute(
            select(_apps.c.id)
            .where(_apps.c.status == "submitted")
            .order_by(_apps.c.registered_poor.desc(), _apps.c.submitted_on, _apps.c.id)
        ).scalars()
        approve = []
        for app_id in list(queue):
            if rng.random() < REFUSAL_RATE:
                reason = rng.choice(REFUSALS)
                decisions.reject(uow.conn, demo.reviewers[0], app_id, day, reason)
                demo.counts["refused"] += 1
            else:
                approve.append(app_id)
        uow.commit()
    _approve(demo, day, approve, 0)


def _approve(demo: Run, day: date, ids: list[int], reviewer: int) -> None:
    with demo.uow() as uow:
        report = decisions.approve_many(uow.conn, demo.reviewers[reviewer], ids, day)
        uow.commit()
        facts = _facilities(
            uow.conn, [o.application_id for o in report.outcomes if o.status == "approved"]
        )
    for app_id, err in report.problems:
        demo.counts[f"not_approved:{err.code}"] += 1
        if not err.code.startswith("capacity."):
            demo.result.surprises.append(f"approve #{app_id}: {err}")
    waiting = [
        o.application_id
        for o in report.outcomes
        if o.status == OutcomeStatus.AWAITING_SECOND_APPROVAL
    ]
    for app_id in waiting:
        demo.timeline.at(day + timedelta(days=1), "second_review", app_id)
    demo.counts["approved"] += len(facts)
    for fac in facts:
        _plan_support(demo, day, fac)


def _facilities(conn: Any, ids: list[int]) -> list[dict]:
    out: list[dict] = []
    for i in range(0, len(ids), 500):
        stmt = (
            select(_fac, County.name.label("county_name"))
            .join(County, County.code == _fac.c.county_code)
            .where(_fac.c.id.in_(ids[i : i + 500]))
            .order_by(_fac.c.id)
        )
        out += [dict(r) for r in conn.execute(stmt).mappings()]
    return out


def _plan_support(demo: Run, day: date, fac: dict) -> None:
    """When the county's support arrives (if ever), and the pay-out after it."""
    rng = demo.streams["support"]
    fid, pay_day = fac["id"], day + timedelta(days=rng.randint(5, 12))
    if fac["instrument"] == "grant":
        demo.timeline.at(pay_run(day + timedelta(days=3)), "disburse", fid)
        return
    if fac["local_support_kind"] == "counter-guarantee":
        share = rng.choice((5_000, 8_000, 10_000))
        amount = fac["principal_fen"] * share // 10_000
        guarantor = f"{fac['county_name']}人民政府"
        item = local_support.SupportIn(
            fid, "counter-guarantee", amount, pay_day, f"CG-{fid}", guarantor
        )
        demo.timeline.at(pay_day, "support", item)
    else:
        need, draw = fac["matching_required_fen"], rng.random()
        if draw < 0.03:
            demo.timeline.at(day + timedelta(days=75), "cancel", fid)
            return
        parts = [need] if draw > 0.25 else [need // 2, need - need // 2]
        for n, part in enumerate(parts):
            when = pay_day + timedelta(days=30 * n)
            ref, payer = f"MT-{fid}-{n + 1}", f"{fac['county_name']}财政局"
            item = local_support.SupportIn(fid, "matching", part, when, ref, paid_by=payer)
            demo.timeline.at(when, "support", item)
        pay_day += timedelta(days=30 * (len(parts) - 1))
    demo.timeline.at(pay_run(pay_day + timedelta(days=1)), "disburse", fid)


def pay_run(day: date) -> date:
    """Finance pays out on Thursdays: the first Thursday on or after ``day``."""
    return day + timedelta(days=(3 - day.weekday()) % 7)


def _support(demo: Run, day: date, batch: list[local_support.SupportIn]) -> None:
    with demo.uow() as uow:
        report = local_support.record_many(uow.conn, demo.cashier, batch)
        uow.commit()
    demo.counts["support_records"] += len(report.recorded)
    demo.result.surprises += [f"support #{s.facility_id}: {e}" for s, e in report.problems]


def _cancel(demo: Run, day: date, batch: list[int]) -> None:
    with demo.uow() as uow:
        for fid in batch:
            decisions.cancel(uow.conn, demo.reviewers[0], fid, day, CANCEL_REASON)
            demo.counts["cancelled"] += 1
        uow.commit()


def _disburse(demo: Run, day: date, batch: list[int]) -> None:
    rng = demo.streams["support"]
    with demo.uow() as uow:
        facs = {f["id"]: f for f in _facilities(uow.conn, sorted(batch))}
        items = [
            disbursement.DisburseIn(fid)
            if facs[fid]["instrument"] != "guarantee"
            else disbursement.DisburseIn(fid, facs[fid]["bank"], rng.choice(RATES_BP))
            for fid in batch
        ]
        report = disbursement.disburse_many(uow.conn, demo.cashier, items, day)
        uow.commit()
        plans = servicing.schedules(uow.conn, [o.facility_id for o in report.paid])
    for item, err in report.problems:
        demo.counts[f"not_paid:{err.code}"] += 1
        demo.result.surprises.append(f"disburse #{item.facility_id}: {err}")
    for out in report.paid:
        demo.counts[f"paid:{out.instrument}"] += 1
        demo.counts[f"paid_fen:{out.instrument}"] += facs[out.facility_id]["principal_fen"]
        if out.instrument != "grant":
            servicing.plan_payments(demo, facs[out.facility_id], plans[out.facility_id])
