"""Shared helpers: a generated 100k database, medians, and a note of the machine."""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

AS_OF = date(2026, 11, 25)
DEFAULT_DB = Path(os.environ.get("BENCH_DB", "/tmp/recruiter-desk-bench-100k.sqlite3"))


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
        f"SQLite {sqlite3.sqlite_version}, {platform.system()}"
    )


def median_ms(action: Callable[[], Any], runs: int = 20, warmup: int = 2) -> float:
    for _ in range(warmup):
        action()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def ensure_database(path: Path, people: int = 100_000, seed: int = 1) -> float | None:
    """Generate the benchmark network if missing; the generation time, or None if reused."""
    from recruiter_desk.core.demo import generate_demo
    from recruiter_desk.db.open import open_database

    if path.exists():
        return None
    database = open_database(str(path), daily_backup=False)
    started = time.perf_counter()
    generate_demo(database, people=people, seed=seed, as_of=AS_OF)
    elapsed = time.perf_counter() - started
    database.close()
    return elapsed


def report(rows: list[tuple[str, str, str]], name: str | None = None) -> None:
    """Print each figure against its target; with ``BENCH_RECORD=1`` also keep them in
    ``benchmarks/results/`` for ``readme_table.py`` to write into the README, under
    ``name`` (the script's, when not given: a script with two modes keeps both)."""
    load = os.getloadavg()
    print(f"machine: {machine()}")
    # Seven people share these two cores: a figure means little without the load beside it.
    print("load average (1, 5, 15 min): " + ", ".join(f"{n:.1f}" for n in load))
    width = max(len(r[0]) for r in rows)
    for what, figure, target in rows:
        print(f"  {what.ljust(width)}  {figure:>12}   target {target}  {verdict(figure, target)}")
    if os.environ.get("BENCH_RECORD"):
        _record(rows, load, name)


_UNITS = {"ms": 0.001, "s": 1.0, "MB": 1.0, "MiB": 1.0, "GB": 1000.0, "x": 1.0, "×": 1.0}


def _quantity(text: str) -> tuple[float, str] | None:
    """``"154 ms"`` → (0.154, "time"); ``"3.28 GB"`` → (3280.0, "size"); else None."""
    parts = text.replace(",", "").split()[:2]  # "206 MB RSS": the number and its unit
    if len(parts) != 2 or parts[1] not in _UNITS:
        return None
    try:
        number = float(parts[0])
    except ValueError:
        return None
    kind = {"ms": "time", "s": "time", "x": "ratio", "×": "ratio"}.get(parts[1], "size")
    return number * _UNITS[parts[1]], kind


def verdict(figure: str, target: str) -> str:
    """ "met" / "NOT met" where the target is a bound ("≤ 100 ms", "≥ 10 ×") in the
    figure's kind of unit; "" where there is nothing to compare."""
    bound = target.strip()
    if not bound or bound[0] not in "≤≥":
        return ""
    limit, measured = _quantity(bound[1:].strip()), _quantity(figure)
    if limit is None or measured is None or limit[1] != measured[1]:
        return ""
    within = measured[0] <= limit[0] if bound[0] == "≤" else measured[0] >= limit[0]
    return "met" if within else "NOT met"


RESULTS = Path(__file__).resolve().parent / "results"


def _record(
    rows: list[tuple[str, str, str]], load: tuple[float, float, float], name: str | None
) -> None:
    script = Path(sys.argv[0]).name
    setting = [f"BENCH_DB={os.environ['BENCH_DB']}"] if "BENCH_DB" in os.environ else []
    command = " ".join([*setting, "python", f"benchmarks/{script}", *sys.argv[1:]])
    RESULTS.mkdir(exist_ok=True)
    record = {
        "script": script,
        "command": command,
        "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": machine(),
        "load": [round(n, 1) for n in load],
        "rows": [{"what": w, "figure": f, "target": t} for w, f, t in rows],
    }
    path = RESULTS / f"{name or Path(script).stem}.json"
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"recorded in {path.relative_to(RESULTS.parent.parent)}")


def rss_megabytes_now() -> float:
    """Resident set size of this process (Linux; NaN elsewhere)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def launch_window(db: Path, home: Path, timeout: float) -> tuple[float, float, float]:
    """Start the window as a fresh process on ``db`` (offscreen) and let it quit once its
    first rows are painted: seconds from start to those rows, seconds from then to the
    process gone, and the CPU seconds it spent until the rows (every thread)."""
    environment = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "RECRUITER_DESK_EXIT_WHEN_SHOWN": "1",
        "RECRUITER_DESK_HOME": str(home),
    }
    started = time.time()
    result = subprocess.run(
        [sys.executable, "-m", "recruiter_desk", "--db", str(db)],
        capture_output=True,
        text=True,
        env=environment,
        timeout=timeout,
        check=True,
    )
    ended = time.time()
    fields = next(line for line in result.stdout.splitlines() if line.startswith("shown ")).split()
    shown = float(fields[1])
    return shown - started, ended - shown, float(fields[2])
