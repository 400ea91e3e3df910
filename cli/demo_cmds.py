"""``fund demo``: a realistic programme end to end in a fresh database, then its statements."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from cli import context
from cli.context import common_options, emit, t
from fundcore.demo.run import DemoConfig, DemoResult
from fundcore.domain.money import format_fen
from fundcore.store import paths

_LABELS = {"programme": ("运行项目", "programme"), "statements": ("生成报表", "statements")}


@click.command("demo")
@click.option("--counties", default=24, show_default=True, help="Counties taking part (1-865).")
@click.option("--youth", default=2_000, show_default=True, help="Applications in all.")
@click.option("--months", default=36, show_default=True, help="Months from January 2019.")
@click.option("--seed", default=2019, show_default=True, help="The same seed, the same run.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("fund-demo"),
    show_default=True,
    help="Folder for the database (fund.db), the sheets and the statements.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace the database of an earlier demo in --out (never a folder the demo did not make).",
)
@common_options
def demo_cmd(counties: int, youth: int, months: int, seed: int, out: Path, force: bool) -> None:
    """Run a realistic programme end to end (SQLite in --out), then write its statements."""
    lang = context.lang()
    from fundcore.demo import folder  # the whole programme: imported only to run it
    from fundcore.demo.programme import run

    config = DemoConfig(out, counties, youth, months, seed, lang)
    folder.prepare(config, force)
    started = time.perf_counter()
    result = run(config, _progress)
    from reports import render_county_statement, render_facility_statement, render_fund_statement

    renderers: dict[str, Callable[[Any, Path, str], None]] = {
        "fund": render_fund_statement,
        "county": render_county_statement,
        "facility": render_facility_statement,
    }
    for s in result.statements:
        with paths.written(s.path, result.database, force=True) as staged:
            renderers[s.kind](s.model, staged, lang)
    _report(result, time.perf_counter() - started)
    if result.surprises or not result.ledger_ok:
        sys.exit(1)


@contextmanager
def _progress(label: str, total: int) -> Iterator:
    if not sys.stderr.isatty() or context.want_json():
        yield lambda _n: None
        return
    text = t(*_LABELS.get(label, (label, label)))
    with click.progressbar(length=total, label=text, file=sys.stderr) as bar:
        yield bar.update


def _report(result: DemoResult, seconds: float) -> None:
    c, lang = result.counts, context.lang()
    for line in result.import_problems[:5]:
        click.echo(line, err=True)
    if len(result.import_problems) > 5:
        more = len(result.import_problems) - 5
        click.echo(t(f"……另有 {more} 条错误行", f"... and {more} more bad rows"), err=True)
    for line in result.surprises[:20]:
        click.echo(line, err=True)
    problems = result.database.parent / "import-problems.txt"
    problems.write_text("".join(p + "\n" for p in result.import_problems), encoding="utf-8")
    paid = sum(c[f"paid:{k}"] for k in ("guarantee", "loan", "grant"))
    doc = {
        "ok": result.ledger_ok and not result.surprises,
        "database": str(result.database),
        "period": [result.first_day.isoformat(), result.last_day.isoformat()],
        "counts": dict(sorted(c.items())),
        "bad_rows": len(result.import_problems),
        "import_problems": str(problems),
        "surprises": result.surprises,
        "ledger_ok": result.ledger_ok,
        "ledger_entries": result.ledger_entries,
        "head_hash": result.head_hash,
        "statements": [str(s.path) for s in result.statements],
        "seconds": round(seconds, 1),
    }
    human = "\n".join(
        [
            t(
                f"演示完成（{seconds:.0f} 秒）：{result.first_day} 至 {result.last_day}",
                f"demo done ({seconds:.0f} s): {result.first_day} to {result.last_day}",
            ),
            t(
                f"  捐赠 {format_fen(c['donated_fen'], lang)}；申请表 {c['sheets']} 份，"
                f"接收申请 {c['applications']}，错误行 {c['rows_bad']}（见 {problems}）",
                f"  donations {format_fen(c['donated_fen'], lang)}; {c['sheets']} sheets, "
                f"{c['applications']} applications taken, {c['rows_bad']} bad rows "
                f"(see {problems})",
            ),
            t(
                f"  批准 {c['approved']}，不予支持 {c['refused']}，取消 {c['cancelled']}；"
                f"发放 {paid}（担保 {c['paid:guarantee']}，借款 {c['paid:loan']}，"
                f"资助 {c['paid:grant']}）",
                f"  approved {c['approved']}, refused {c['refused']}, cancelled "
                f"{c['cancelled']}; paid out {paid} ({c['paid:guarantee']} guarantees, "
                f"{c['paid:loan']} loans, {c['paid:grant']} grants)",
            ),
            t(
                f"  还款 {c['repayments']} 笔；代偿 {c['claims']}，追偿 "
                f"{c['recoveries:county'] + c['recoveries:borrower']}，核销 {c['write_offs']}；"
                f"月末结账 {c['day_closes']} 次",
                f"  {c['repayments']} repayments; {c['claims']} claims, "
                f"{c['recoveries:county'] + c['recoveries:borrower']} recoveries, "
                f"{c['write_offs']} write-offs; {c['day_closes']} day closes",
            ),
            t(
                f"  账本校验{'通过' if result.ledger_ok else '失败'}："
                f"{result.ledger_entries} 笔分录，链头 {result.head_hash[:16]}",
                f"  ledger {'verified' if result.ledger_ok else 'BROKEN'}: "
                f"{result.ledger_entries} entries, head {result.head_hash[:16]}",
            ),
            *(f"  {s.path}" for s in result.statements),
        ]
    )
    emit(doc, human)


def register(group: click.Group) -> None:
    group.add_command(demo_cmd)
