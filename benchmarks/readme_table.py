"""Write the figures the benchmarks recorded into the README's "Measured by the scripts".

    BENCH_RECORD=1 python benchmarks/bench_gui.py      # each script keeps its last run
    python benchmarks/readme_table.py                  # rewrite the README's tables
    python benchmarks/readme_table.py --check          # exit 1 if the README is behind

A script run with ``BENCH_RECORD=1`` keeps what it printed in ``benchmarks/results/`` (its
command, the time, the machine and its load). This script turns each kept run into a table
between the README's two ``benchmark-results`` markers, so the figures there are the ones
the scripts printed, never typed by hand.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import RESULTS, verdict

README = Path(__file__).resolve().parent.parent / "README.md"
START = "<!-- benchmark-results:start (benchmarks/readme_table.py writes this part) -->"
END = "<!-- benchmark-results:end -->"

# Issue 15's scripts first (what the user feels), then the rest by name.
FIRST = (
    "bench_gui",
    "bench_gui_million",
    "bench_window_actions",
    "bench_million",
    "bench_cli",
    "bench_khard",
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").strip()


def render(results: Path = RESULTS) -> str:
    """The README's part between the markers, from every kept run."""
    runs = {
        path.stem: json.loads(path.read_text(encoding="utf-8")) for path in results.glob("*.json")
    }
    order = [name for name in FIRST if name in runs] + sorted(set(runs) - set(FIRST))
    parts: list[str] = []
    for name in order:
        run = runs[name]
        load = ", ".join(f"{n:.1f}" for n in run["load"])
        parts.append(
            f"`{run['command']}` — {run['measured_at']}, load average {load}; {run['machine']}\n\n"
            "| what | median | target | |\n|---|---|---|---|\n"
            + "".join(
                f"| {_cell(row['what'])} | {_cell(row['figure'])} | {_cell(row['target'])} "
                f"| {verdict(row['figure'], row['target'])} |\n"
                for row in run["rows"]
            )
        )
    return "\n".join(parts)


def rewritten(readme: str, body: str) -> str:
    try:
        head, rest = readme.split(START, 1)
        _, tail = rest.split(END, 1)
    except ValueError:
        raise SystemExit(f"{README.name} has no {START!r} … {END!r} markers.") from None
    return f"{head}{START}\n{body}{END}{tail}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the README is behind")
    options = parser.parse_args()
    current = README.read_text(encoding="utf-8")
    wanted = rewritten(current, render())
    if options.check:
        if wanted != current:
            raise SystemExit(
                "README.md is behind benchmarks/results/: run benchmarks/readme_table.py"
            )
        return
    README.write_text(wanted, encoding="utf-8")


if __name__ == "__main__":
    main()
