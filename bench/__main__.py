"""``python -m bench intake [--rows N]``: run a benchmark and print its table."""

from __future__ import annotations

import argparse

from bench import intake

BENCHES = {"intake": intake.main}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("name", choices=sorted(BENCHES))
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--db", default=None, help="SQLAlchemy URL (default: a temp SQLite)")
    args = parser.parse_args()
    BENCHES[args.name](rows=args.rows, url=args.db)


if __name__ == "__main__":
    main()
