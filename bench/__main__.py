"""``python -m bench intake|programme [--rows N] [--months M] [--db URL]``: run a benchmark."""

from __future__ import annotations

import argparse

from bench import intake, programme

BENCHES = {"intake": intake.main, "programme": programme.main}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("name", choices=sorted(BENCHES))
    parser.add_argument("--rows", type=int, default=None)
    parser.add_argument("--months", type=int, default=36, help="programme: months serviced")
    parser.add_argument("--counties", type=int, default=865, help="programme: counties")
    parser.add_argument("--db", default=None, help="SQLAlchemy URL (default: a temp SQLite)")
    args = parser.parse_args()
    if args.name == "programme":
        programme.main(
            rows=args.rows or 100_000, url=args.db, months=args.months, counties_n=args.counties
        )
    else:
        BENCHES[args.name](rows=args.rows or 10_000, url=args.db)


if __name__ == "__main__":
    main()
