"""Command-line start-up, as the user feels it: a fresh ``recruiter-desk`` process each time.

    python benchmarks/bench_cli.py [--runs N] [--skip-100k] [--only WORD]

- ``--version`` and ``--help``: nothing but the parser (no database code is imported);
- ``person EMAIL`` and ``people --limit 20`` on a small demo database: a command that opens
  the database, finds one person by address, or lists the first page;
- ``people --search Q --json`` on the 100k network (``BENCH_DB``, generated once): a name,
  a surname, a company word, and "ana", which 12k people match (issue 15: ≤ 400 ms). These
  go through the plain-sqlite3 quick read path (core/quick_read.py);
- every other read command on the 100k network (issue 15: ≤ 600 ms): each command that
  only reads and prints, with the filters and sorts ``people`` takes. Writing commands
  (``log``, ``stage``, ``import``…) and whole-network copies (``export``, ``backup``,
  ``copy-to``) are not read commands: ``export`` of everyone is timed apart, for the record.

Each figure is the median of N runs (20) of the installed console script, output piped;
beside it the median CPU time of the process (user + system), steadier than the wall
clock on a shared machine. ``--only WORD`` keeps the cases whose label contains WORD.
The load average is printed with the figures: measure when it is low.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import AS_OF, DEFAULT_DB, ensure_database, report

SCRIPT = Path(sys.executable).with_name("recruiter-desk")


def median_ms(command: list[str], environment: dict[str, str], runs: int) -> tuple[float, float]:
    """Median wall and CPU milliseconds of ``command`` as a fresh process, output piped."""
    walls, cpus = [], []
    for _ in range(runs):
        started = time.perf_counter()
        process = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        walls.append((time.perf_counter() - started) * 1000)
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode:
            raise SystemExit(f"{' '.join(command)} failed with exit status {process.returncode}")
        cpus.append((usage.ru_utime + usage.ru_stime) * 1000)
    return statistics.median(walls), statistics.median(cpus)


def _one(db: Path, sql: str) -> str:
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return str(connection.execute(sql).fetchone()[0])
    finally:
        connection.close()


def read_commands(db: Path, output: Path) -> list[tuple[str, list[str]]]:
    """Every read command on the 100k network, with the arguments a recruiter would give."""
    email = _one(db, "SELECT address FROM person_emails ORDER BY id LIMIT 1 OFFSET 5000")
    person = _one(db, "SELECT id FROM people ORDER BY id LIMIT 1 OFFSET 50000")
    name = _one(  # a name only one person has
        db,
        "SELECT first_name || ' ' || last_name FROM people GROUP BY first_name, last_name "
        "HAVING count(*) = 1 ORDER BY min(id) LIMIT 1 OFFSET 100",
    )
    role = _one(
        db,
        "SELECT opportunity_id FROM candidacies GROUP BY opportunity_id "
        "ORDER BY count(*) DESC LIMIT 1",
    )
    article = _one(db, "SELECT min(id) FROM articles")
    as_of = ["--as-of", AS_OF.isoformat()]
    return [
        ("people --search ana (table)", ["people", "--search", "ana", *as_of]),
        ("people --limit 50", ["people", "--limit", "50", *as_of]),
        (
            "people --status cold --limit 50",
            ["people", "--status", "cold", "--limit", "50", *as_of],
        ),
        (
            "people --sort last_touch --limit 50",
            ["people", "--sort", "last_touch", "--limit", "50", *as_of],
        ),
        (
            "people --sort status --limit 50",
            ["people", "--sort", "status", "--limit", "50", *as_of],
        ),
        (
            "people --sort company --limit 50",
            ["people", "--sort", "company", "--limit", "50", *as_of],
        ),
        ("people --tag vip --limit 50", ["people", "--tag", "vip", "--limit", "50", *as_of]),
        (
            "people --search ana --status warm --json",
            ["people", "--search", "ana", "--status", "warm", "--json", *as_of],
        ),
        ("people --changed-jobs", ["people", "--changed-jobs", *as_of]),
        ("person EMAIL", ["person", email, *as_of]),
        ("person ID", ["person", person, *as_of]),
        ("person NAME", ["person", name, *as_of]),
        ("today", ["today", *as_of]),
        ("today --json", ["today", "--json", *as_of]),
        ("owed", ["owed", *as_of]),
        ("followups", ["followups", *as_of]),
        ("timeline", ["timeline"]),
        ("timeline --person EMAIL", ["timeline", "--person", email]),
        ("timeline --search offer", ["timeline", "--search", "offer"]),
        ("opportunities", ["opportunities"]),
        ("opportunity ID", ["opportunity", role, *as_of]),
        ("silver-medalists ID", ["silver-medalists", role, *as_of]),
        ("matches ID", ["matches", role, *as_of]),
        ("readers ARTICLE", ["readers", article, *as_of]),
        ("templates", ["templates"]),
        ("outbox", ["outbox"]),
        ("imports", ["imports"]),
        ("backups", ["backups"]),
        ("retention", ["retention", *as_of]),
        ("lawful-basis EMAIL (show)", ["lawful-basis", email]),
        ("export-person EMAIL", ["export-person", "-o", str(output / "person.json"), email]),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--skip-100k", action="store_true")
    parser.add_argument("--only", default="", help="only the cases whose label has this")
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
            ("--version", [str(SCRIPT), "--version"], "≤ 150 ms"),
            ("--help", [str(SCRIPT), "--help"], "≤ 150 ms"),
            ("person EMAIL (500 people)", [str(SCRIPT), *db, "person", email], "-"),
            ("people --limit 20 (500 people)", [str(SCRIPT), *db, "people", "--limit", "20"], "-"),
        ]
        if not options.skip_100k:
            ensure_database(DEFAULT_DB)
            big = [str(SCRIPT), "--db", str(DEFAULT_DB)]
            for search in ("maria garcia", "garcia", "juniper", "ana"):
                cases.append(
                    (
                        f"people --search {search!r} --json (100k people)",
                        [*big, "people", "--search", search, "--json"],
                        "≤ 400 ms",
                    )
                )
            for what, arguments in read_commands(DEFAULT_DB, Path(folder)):
                cases.append((f"{what} (100k)", [*big, *arguments], "≤ 600 ms"))
            cases.append(
                (
                    "export --format csv of everyone (100k; not a read command)",
                    [*big, "export", "--format", "csv", "-o", str(Path(folder) / "all.csv")],
                    "-",
                )
            )
            # The first command of the day copies the database (the daily backup): once
            # here, so that no timed run pays for it.
            subprocess.run(
                [*big, "backups"], env=environment, stdout=subprocess.DEVNULL, check=True
            )
        cases = [case for case in cases if options.only in case[0]]
        rows = []
        for what, command, target in cases:
            wall, cpu = median_ms(command, environment, runs)
            rows.append((f"{what}; CPU {cpu:.0f} ms", f"{wall:.0f} ms", target))
        report(rows)


if __name__ == "__main__":
    main()
