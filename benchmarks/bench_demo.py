"""``demo --people 100000`` as the user runs it: the whole process, median of 3 (issue 15).

    python benchmarks/bench_demo.py [--people N] [--runs R]

Each run writes a fresh file under /tmp and deletes it afterwards. The CPU time (user +
system) is printed beside the wall time: on a shared machine the wall time also counts the
time spent waiting for a core.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import report


def one_run(people: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory(prefix="bench-demo-") as folder:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "recruiter_desk",
                "--db",
                str(Path(folder) / "demo.sqlite3"),
                "demo",
                "--people",
                str(people),
                "--as-of",
                "2026-11-25",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            env={**os.environ, "RECRUITER_DESK_HOME": folder},
        )
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    runs = [one_run(args.people) for _ in range(args.runs)]
    walls = sorted(r[0] for r in runs)
    cpus = sorted(r[1] for r in runs)
    report(
        [
            (
                f"demo --people {args.people}, whole process (median of {args.runs})",
                f"{statistics.median(walls):.1f} s",
                "≤ 30 s",
            ),
            ("  its CPU time (user + system)", f"{statistics.median(cpus):.1f} s", "—"),
            ("  every run (wall)", ", ".join(f"{w:.1f}" for w in walls), "—"),
        ]
    )


if __name__ == "__main__":
    main()
