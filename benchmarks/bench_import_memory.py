"""Import time and peak memory as the user runs them: the whole command, in a child process.

    python benchmarks/bench_import_memory.py [--runs 1] [--skip-csv] [--skip-mail]
        [--json-people 10000 [60000 ...]]

- a 200 MB CSV (100,000 people, each with a long note) imported into an empty database;
- the app's own JSON export of a demo network of N people (10k: 32 MB with 104k
  interactions; 60k is about the largest under the 200 MB limit) imported into an empty
  database;
- the 20,000-message mbox of bench_mail.py imported with ``import-mail`` into a
  2,000-person database, then imported again (everything already there).

Each figure is the child's own wall time and peak resident memory (``os.wait4``), so it
includes starting Python, opening the database and the automatic backup before an import.
Targets: memory <= 300 MB whatever the file's size (issue 9); the mbox <= 10 s, again <= 3 s
(issue 13).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_mail import MBOX, ME, MESSAGES, TEMPLATE_DB, make_mbox, make_people
from common import report

CSV = Path("/tmp/import-memory-bench-200mb.csv")
CSV_BYTES = 200 * 1024 * 1024 - 1024
NOTE = (
    "Met at the platform meetup; strong on distributed systems, prefers hybrid, notice period "
    "two months. Follow up after the reorg settles. "
)


def make_csv(path: Path, seed: int = 7) -> int:
    """A CSV just under 200 MB: about 100k people with notes of 1-3 KB."""
    rng = random.Random(seed)
    rows = 0
    with path.open("w", encoding="utf-8") as out:
        size = out.write("First Name,Last Name,Email,Company,Title,Location,Tags,Notes\n")
        while True:
            note = NOTE * rng.randint(8, 24)
            line = (
                f"Given{rows},Family{rows % 9973},person{rows}@example{rows % 211}.com,"
                f"Company {rows % 4000},Engineer {rows % 60},City {rows % 300},"
                f'"tag{rows % 40}; tag{rows % 7}","{note}"\n'
            )
            if size + len(line) > CSV_BYTES:
                return rows
            size += out.write(line)
            rows += 1


def command(home: Path, *args: str) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds, peak MB and standard output of ``recruiter-desk ARGS``."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "recruiter_desk", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=home,
        env={**os.environ, "RECRUITER_DESK_HOME": str(home)},
    )
    with process.stdout as out, process.stderr as err:  # type: ignore[union-attr]
        stdout, stderr = out.read(), err.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    took = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"recruiter-desk {' '.join(args)} failed: {stderr}")
    return took, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, stdout


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--skip-csv", action="store_true")
    parser.add_argument("--skip-mail", action="store_true")
    parser.add_argument("--json-people", type=int, nargs="*", default=[10_000])
    args = parser.parse_args()
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="import-memory-bench-") as folder:
        home = Path(folder)
        if not args.skip_csv:
            people = make_csv(CSV) if not CSV.exists() else None
            times, cpus, peaks = [], [], []
            for run in range(args.runs):
                db = home / f"csv-{run}.sqlite3"
                took, cpu, peak, out = command(home, "--db", str(db), "import", str(CSV))
                times.append(took)
                cpus.append(cpu)
                peaks.append(peak)
            added = out.split(": ", 1)[1].split(" added", 1)[0]
            rows.append(
                (
                    f"import a {CSV.stat().st_size / 1e6:.0f} MB CSV ({added} people"
                    + (f", {people:,} rows" if people else "")
                    + ")",
                    f"{statistics.median(times):.1f} s wall, {statistics.median(cpus):.1f} s CPU, "
                    f"peak {max(peaks):.0f} MB RSS",
                    "memory <= 300 MB",
                )
            )
        for people in args.json_people:
            export = Path(f"/tmp/import-memory-bench-{people}.json")
            if not export.exists():
                demo = home / f"demo-{people}.sqlite3"
                command(home, "--db", str(demo), "demo", "--people", str(people), "--seed", "1")
                command(home, "--db", str(demo), "export", "--format", "json", "-o", str(export))
            times, cpus, peaks = [], [], []
            for run in range(args.runs):
                db = home / f"json-{people}-{run}.sqlite3"
                took, cpu, peak, out = command(home, "--db", str(db), "import", str(export))
                times.append(took)
                cpus.append(cpu)
                peaks.append(peak)
            rows.append(
                (
                    f"import a {export.stat().st_size / 1e6:.0f} MB JSON export of "
                    f"{people:,} people",
                    f"{statistics.median(times):.1f} s wall, {statistics.median(cpus):.1f} s CPU, "
                    f"peak {max(peaks):.0f} MB RSS",
                    "memory <= 300 MB",
                )
            )
        if not args.skip_mail:
            if not MBOX.exists():
                make_mbox(MBOX)
            if not TEMPLATE_DB.exists():
                make_people(TEMPLATE_DB)
            firsts, agains, peaks, first_cpu, again_cpu = [], [], [], [], []
            for run in range(args.runs):
                db = home / f"mail-{run}.sqlite3"
                shutil.copy(TEMPLATE_DB, db)
                took, cpu, peak, _ = command(
                    home, "--db", str(db), "import-mail", str(MBOX), "--me", ME
                )
                firsts.append(took)
                first_cpu.append(cpu)
                peaks.append(peak)
                took, cpu, peak, _ = command(
                    home, "--db", str(db), "import-mail", str(MBOX), "--me", ME
                )
                agains.append(took)
                again_cpu.append(cpu)
                peaks.append(peak)
            rows.append(
                (
                    f"import-mail a {MESSAGES:,}-message mbox ({MBOX.stat().st_size / 1e6:.0f} MB)",
                    f"{statistics.median(firsts):.1f} s wall, "
                    f"{statistics.median(first_cpu):.1f} s CPU",
                    "<= 10 s",
                )
            )
            rows.append(
                ("import-mail it again", f"{statistics.median(agains):.1f} s wall", "<= 3 s")
            )
            rows.append(("peak memory of either", f"{max(peaks):.0f} MB RSS", "<= 300 MB"))
    report(rows)
    print(f"load average: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
