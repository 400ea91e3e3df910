"""``python -m bench startup``: what a command costs before it does anything (issue 17).

Each measure is the median wall time of ``--runs`` fresh processes, taken in the same
run as two references, so a loaded machine shows in them too: ``python -c pass`` (the
interpreter alone) and ``python -c 'import sqlalchemy'`` (the one library every command
that reads the database needs). Read the ratios, not the seconds. ``capacity`` runs on
a fresh SQLite fund made by ``fund init`` in a temporary folder.

``python -X importtime -c "from cli.main import main; main()" --help`` shows what is
still imported; the modules that cost most before issue 17 (Alembic, cn2an, the
statements, the demo) are now imported only by the commands that use them. What is left
is SQLAlchemy, the ORM models and the services every command module imports at its top.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _time(argv: list[str], env: dict[str, str], cwd: Path, runs: int) -> float:
    """Median seconds of ``runs`` runs of ``argv`` (each must succeed)."""
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, env=env, cwd=cwd, check=True, capture_output=True)
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds)


def measure(runs: int = 5) -> dict[str, float]:
    """Seconds of each measure, references first."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    py = sys.executable
    fund = [py, "-c", "from cli.main import main; main()"]
    with tempfile.TemporaryDirectory() as tmp:
        here = Path(tmp)
        subprocess.run([*fund, "init", "--admin", "root"], env=env, cwd=here, check=True,
                       capture_output=True)  # fmt: skip
        cases = {
            "python -c pass": [py, "-c", "pass"],
            "import sqlalchemy": [py, "-c", "import sqlalchemy"],
            "fund --help": [*fund, "--help"],
            "fund applications --help": [*fund, "applications", "--help"],
            "fund statement fund --help": [*fund, "statement", "fund", "--help"],
            "fund capacity": [*fund, "capacity", "--date", "2019-06-01"],
        }
        return {name: _time(argv, env, here, runs) for name, argv in cases.items()}


def main(runs: int = 5) -> None:
    figures = measure(runs)
    bare, sqla = figures["python -c pass"], figures["import sqlalchemy"]
    print(f"{'measure':28} {'seconds':>8} {'× pass':>8} {'× sqlalchemy':>13}")
    for name, seconds in figures.items():
        print(f"{name:28} {seconds:8.3f} {seconds / bare:8.1f} {seconds / sqla:13.2f}")


if __name__ == "__main__":
    main()
