"""Searching 5,000 vCards: ``recruiter-desk people --search Q --json`` against khard (issue 15:
at least 10 times faster, whole process against whole process).

    python benchmarks/bench_khard.py [--khard PATH] [--runs N]

khard is not a dependency of this project: install it apart, e.g.

    python3 -m venv /tmp/khard-venv && /tmp/khard-venv/bin/pip install khard
    python benchmarks/bench_khard.py --khard /tmp/khard-venv/bin/khard

Without it (``--khard``, ``$KHARD`` or ``khard`` on the PATH) the script says so and stops.

The same 5,000 generated cards (``bench_vcards.vcard_file``, ``plain``: khard's parser fails
on the Android cards' quoted-printable soft breaks and leaves out cards without a UID, so
those are written as vCard 3.0 with a UID) go to khard as an address book of one file per
card, as vdirsyncer keeps one, with a khard config in a temporary folder, and into an empty
Recruiter Desk database through ``recruiter-desk import``. Each query is then timed as a
fresh process of each (``khard list Q`` and ``people --search Q --json``, output piped),
median of N runs (5); beside it the number of lines each printed, so that both are seen to
find the same people.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_vcards import CARDS, vcard_file
from common import report

SCRIPT = Path(sys.executable).with_name("recruiter-desk")
QUERIES = ("maria", "smith", "saffron", "person123", "example.com")


def _khard(path: str | None) -> str | None:
    found = path or os.environ.get("KHARD") or shutil.which("khard")
    return found if found and Path(found).exists() else None


def address_book(folder: Path) -> tuple[Path, Path]:
    """The cards in one file (for the import) and as a khard address book with its config."""
    contacts = folder / "contacts.vcf"
    vcard_file(contacts, plain=True)
    cards = folder / "cards"
    cards.mkdir()
    text = contacts.read_text(encoding="utf-8").replace("\n", "\r\n")
    for index, card in enumerate(text.split("BEGIN:VCARD\r\n")[1:]):
        (cards / f"{index:05d}.vcf").write_text(f"BEGIN:VCARD\r\n{card}", encoding="utf-8")
    config = folder / "khard.conf"
    config.write_text(
        f"[addressbooks]\n[[bench]]\npath = {cards}\n\n"
        "[general]\ndebug = no\ndefault_action = list\neditor = vi\nmerge_editor = vimdiff\n",
        encoding="utf-8",
    )
    return contacts, config


def timed(command: list[str], environment: dict[str, str], runs: int) -> tuple[float, int]:
    """Median wall milliseconds of ``command`` as a fresh process, and the lines it printed."""
    samples, lines = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(command, env=environment, capture_output=True, text=True)
        samples.append((time.perf_counter() - started) * 1000)
        lines = len(done.stdout.splitlines())
    return statistics.median(samples), lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--khard", help="the khard command (default: $KHARD, else the PATH)")
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    khard = _khard(options.khard)
    if khard is None:
        print(
            "khard is not installed, so there is nothing to compare with; install it apart "
            "(python3 -m venv /tmp/khard-venv && /tmp/khard-venv/bin/pip install khard) and "
            "run again with --khard /tmp/khard-venv/bin/khard."
        )
        return
    with tempfile.TemporaryDirectory(prefix="bench-khard-") as name:
        folder = Path(name)
        contacts, config = address_book(folder)
        environment = {**os.environ, "RECRUITER_DESK_HOME": str(folder / "home")}
        db = ["--db", str(folder / "desk.sqlite3")]
        started = time.perf_counter()
        subprocess.run(
            [str(SCRIPT), *db, "import", str(contacts)],
            env=environment,
            stdout=subprocess.DEVNULL,
            check=True,
        )
        imported = time.perf_counter() - started
        # The first command of the day takes the daily backup: not in the timed runs.
        subprocess.run([str(SCRIPT), *db, "backups"], env=environment, capture_output=True)
        print(f"{CARDS:,} vCards; `recruiter-desk import` of them, whole process: {imported:.2f} s")
        print(f"khard: {khard} (median of {options.runs} runs per figure, output piped)")
        rows = []
        for query in QUERIES:
            theirs, their_lines = timed(
                [khard, "-c", str(config), "list", "--parsable", query], environment, options.runs
            )
            ours, our_lines = timed(
                [str(SCRIPT), *db, "people", "--search", query, "--json"],
                environment,
                options.runs,
            )
            rows.append(
                (
                    f"{query!r}: khard {theirs:,.0f} ms ({their_lines} found), "
                    f"recruiter-desk {ours:,.0f} ms ({max(our_lines - 2, 0)} found)",
                    f"{theirs / ours:.1f} ×",
                    "≥ 10 ×",
                )
            )
        report(rows)


if __name__ == "__main__":
    main()
