"""``python -m bench intake|programme|as-of [--rows N] [--months M] [--db URL]``: a benchmark."""

from __future__ import annotations

import argparse
from pathlib import Path

from bench import as_of, intake, programme, startup

BENCHES = {
    "as-of": as_of.main,
    "intake": intake.main,
    "programme": programme.main,
    "startup": startup.main,
}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("name", choices=sorted(BENCHES))
    parser.add_argument("--rows", type=int, default=None)
    parser.add_argument("--facilities", type=int, default=100_000, help="as-of: facilities")
    parser.add_argument("--months", type=int, default=36, help="programme, as-of: months serviced")
    parser.add_argument("--counties", type=int, default=865, help="programme: counties")
    parser.add_argument("--runs", type=int, default=3, help="as-of: runs of each measure (median)")
    parser.add_argument("--close-runs", type=int, default=1, help="as-of: catch-up runs")
    parser.add_argument(
        "--close-limit", type=float, default=0, help="as-of: cancel a catch-up after S seconds"
    )
    parser.add_argument(
        "--keep", type=Path, default=None, help="as-of (SQLite): keep a copy of the built fund"
    )
    parser.add_argument(
        "--built", type=Path, default=None, help="as-of (SQLite): start from a kept fund"
    )
    parser.add_argument("--db", default=None, help="SQLAlchemy URL (default: a temp SQLite)")
    args = parser.parse_args()
    if args.name == "programme":
        programme.main(
            rows=args.rows or 100_000, url=args.db, months=args.months, counties_n=args.counties
        )
    elif args.name == "as-of":
        as_of.main(
            facilities=args.rows or args.facilities,
            url=args.db,
            months=args.months,
            counties_n=args.counties,
            runs=args.runs,
            close_runs=args.close_runs,
            close_limit=args.close_limit,
            keep=args.keep,
            built=args.built,
        )
    elif args.name == "startup":
        startup.main(runs=args.runs)
    else:
        BENCHES[args.name](rows=args.rows or 10_000, url=args.db)


if __name__ == "__main__":
    main()
