"""Command-line start-up, as the user feels it: a fresh ``recruiter-desk`` process each time.

    python benchmarks/bench_cli.py [--runs N]

- ``--version`` and ``--help``: nothing but the parser (no database code is imported);
- ``person EMAIL`` and ``people --limit 20`` on a small demo database: a command that opens
  the database, finds one person by address, or lists the first page;
- ``people --search Q --json`` on the 100k network (``BENCH_DB``, generated once): a name,
  a surname, a company word, and "ana", which 12k people match (issue 15: ≤ 400 ms). These
  go through the plain-sqlite3 quick read path (core/quick_read.py).

Each figure is the median of N runs (20) of the installed console script, output piped.
    python benchmarks/bench_cli.py [--runs N] [--skip-100k]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import AS_OF, DEFAULT_DB, ensure_database, report

SCRIPT = Path(sys.executable).with_name("recruiter-desk")


def median_ms(command: list[str], environment: dict[str, str], runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, env=environment, stdout=subprocess.DEVNULL, check=True)
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--skip-100k", action="store_true")
    options = parser.parse_args()
    runs = options.runs
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as folder:
        environment = {**os.environ, "RECRUITER_DESK_HOME": folder}
        db = ["--db", str(Path(folder) / "desk.sqlite3")]
        subprocess.run(
            [str(SCRIPT), *db, "demo", "--people", "500", "--as-of", AS_OF.isoformat()],
            env=environment,
            stdout=subprocess.DEVNULL,
            check=True,
        )
        email = (
            subprocess.run(
                [str(SCRIPT), *db, "export", "--format", "csv", "-o", "-"],
                env=environment,
                capture_output=True,
                text=True,
                check=True,
            )
            .stdout.splitlines()[1]
            .split(",")[3]
            .split(";")[0]
        )
        cases = [
            ("--version", [str(SCRIPT), "--version"], "-"),
            ("--help", [str(SCRIPT), "--help"], "-"),
            ("person EMAIL (500 people)", [str(SCRIPT), *db, "person", email], "-"),
            ("people --limit 20 (500 people)", [str(SCRIPT), *db, "people", "--limit", "20"], "-"),
        ]
        if not options.skip_100k:
            ensure_database(DEFAULT_DB)
            big = ["--db", str(DEFAULT_DB)]
            for search in ("maria garcia", "garcia", "juniper", "ana"):
                cases.append(
                    (
                        f"people --search {search!r} --json (100k people)",
                        [str(SCRIPT), *big, "people", "--search", search, "--json"],
                        "≤ 400 ms",
                    )
                )
        report(
            [
                (what, f"{median_ms(command, environment, runs):.0f} ms", target)
                for what, command, target in cases
            ]
        )


if __name__ == "__main__":
    main()
