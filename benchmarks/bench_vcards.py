"""vCard import figures (issue 15).

    python benchmarks/bench_vcards.py [--profile] [--runs N]

Writes 5,000 generated cards in the three layouts real exports use (Android 2.1 with
quoted-printable soft breaks and a photo, Apple 3.0 with item groups and folded notes,
vCard 4.0), then imports them into an empty database. Each figure is the median of 5 runs
(a fresh database each time), wall and CPU time, in process (``import_files``) and as the
user runs it (``recruiter-desk --db EMPTY import contacts.vcf``, a fresh process, start-up and all,
into a database created beforehand). ``--profile`` prints the top of a cProfile of one import
instead.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import quopri
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import report

from recruiter_desk.core import demo_data as words
from recruiter_desk.core.imports.service import import_files
from recruiter_desk.db.open import open_database

CARDS = 5_000
NOW = datetime(2026, 11, 25, 12)


def _qp(text: str) -> str:
    return quopri.encodestring(text.encode("utf-8")).decode("ascii").replace("=\n", "=\r\n")


def _fold(line: str, width: int = 75) -> str:
    parts = [line[:width]]
    rest = line[width:]
    while rest:
        parts.append(" " + rest[: width - 1])
        rest = rest[width - 1 :]
    return "\r\n".join(parts)


def vcard_file(path: Path, cards: int = CARDS, seed: int = 7, *, plain: bool = False) -> None:
    """``cards`` vCards in one file, a third in each layout. ``plain`` writes the Android
    third as vCard 3.0 without quoted-printable (khard's parser fails on its soft breaks)
    and gives every card a UID (khard leaves cards without one out)."""
    rng = random.Random(seed)
    out: list[str] = []
    for index in range(cards):
        first_names, last_names, cities = rng.choice(words.CULTURES)
        first, last = rng.choice(first_names), rng.choice(last_names)
        company = f"{rng.choice(words.COMPANY_STEMS)} {rng.choice(words.COMPANY_SUFFIXES)}"
        title = rng.choice(words.SENIORITY) + rng.choice(words.ROLES)
        city = rng.choice(cities)
        email = f"person{index}@example.com"
        note = f"Met {first} at a meetup in {city}; follow up about {title} roles. " * 2
        layout = index % 3
        uid = [f"UID:bench-{index:05d}"] if plain else []
        if layout == 0 and plain:  # the same person, as an Apple-like 3.0 card
            out += [
                "BEGIN:VCARD",
                "VERSION:3.0",
                *uid,
                f"N:{last};{first};;;",
                f"FN:{first} {last}",
                f"TEL;TYPE=CELL:+49 170 {index:07d}",
                f"EMAIL;TYPE=HOME:{email}",
                f"ORG:{company}",
                _fold(f"NOTE:{note}"),
                "END:VCARD",
            ]
        elif layout == 0:  # Android 2.1
            out += [
                "BEGIN:VCARD",
                "VERSION:2.1",
                f"N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{_qp(last)};{_qp(first)};;;",
                f"FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{_qp(first + ' ' + last)}",
                f"TEL;CELL:+49 170 {index:07d}",
                f"EMAIL;HOME:{email}",
                f"ORG;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{_qp(company)}",
                f"NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{_qp(note)}",
                "PHOTO;ENCODING=BASE64;JPEG:/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP////////////",
                " ////////////////////////////////////////////////8AAEQgAAQABAwEiAAIRAQMRAf",
                "",
                "END:VCARD",
            ]
        elif layout == 1:  # Apple 3.0
            out += [
                "BEGIN:VCARD",
                "VERSION:3.0",
                *uid,
                "PRODID:-//Apple Inc.//macOS 14.0//EN",
                f"N:{last};{first};;;",
                f"FN:{first} {last}",
                f"ORG:{company};",
                f"TITLE:{title}",
                f"item1.EMAIL;type=INTERNET;type=pref:{email}",
                f"TEL;type=CELL;type=VOICE;type=pref:+34 600 {index:06d}",
                f"item2.ADR;type=HOME:;;Calle Mayor {index};{city};;28013;Spain",
                f"X-SOCIALPROFILE;type=linkedin:https://linkedin.com/in/member-{index:06d}/",
                "CATEGORIES:referrer,conference",
                _fold(f"NOTE:{note}"),
                "END:VCARD",
            ]
        else:  # 4.0
            out += [
                "BEGIN:VCARD",
                "VERSION:4.0",
                *uid,
                f"FN:{first} {last}",
                f"N:{last};{first};;;",
                f"EMAIL;TYPE=work;PREF=1:{email}",
                f"TEL;VALUE=uri;TYPE=cell:tel:+351-91-{index:07d}",
                f"ORG:{company}",
                f"TITLE:{title}",
                "CATEGORIES:silver-medalist",
                "END:VCARD",
            ]
    path.write_text("\r\n".join(out) + "\r\n", encoding="utf-8")


def import_once(folder: Path, source: Path, run: int) -> tuple[float, float]:
    database = open_database(str(folder / f"import-{run}.sqlite3"), daily_backup=False)
    cpu, wall = time.process_time(), time.perf_counter()
    result = import_files(database, [source], now=NOW)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert result.total("added") > 4_000, result.to_json()
    database.close()
    return wall, cpu


def import_process(folder: Path, source: Path, run: int) -> tuple[float, float]:
    """``recruiter-desk import`` as a fresh process into an empty database (created and
    migrated beforehand, untimed, as a recruiter's database already is): wall and CPU."""
    command = [str(Path(sys.executable).with_name("recruiter-desk"))]
    command += ["--db", str(folder / f"process-{run}.sqlite3")]
    environment = {**os.environ, "RECRUITER_DESK_HOME": str(folder / "home")}
    subprocess.run([*command, "people"], env=environment, stdout=subprocess.DEVNULL, check=True)
    command += ["import", str(source)]
    started = time.perf_counter()
    process = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"{' '.join(command)} failed")
    return wall, usage.ru_utime + usage.ru_stime


def main() -> None:
    runs_wanted = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 5
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        source = folder / "contacts.vcf"
        vcard_file(source)
        if "--profile" in sys.argv:
            profile = cProfile.Profile()
            profile.enable()
            import_once(folder, source, 0)
            profile.disable()
            pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
            pstats.Stats(profile).sort_stats("tottime").print_stats(15)
            return
        runs = [import_once(folder, source, run) for run in range(runs_wanted)]
        processes = [import_process(folder, source, run) for run in range(runs_wanted)]
    wall = statistics.median(r[0] for r in runs)
    cpu = statistics.median(r[1] for r in runs)
    process_wall = statistics.median(r[0] for r in processes)
    process_cpu = statistics.median(r[1] for r in processes)
    report(
        [
            (
                f"import {CARDS:,} vCards (empty database), in process; CPU {cpu:.2f} s",
                f"{wall:.2f} s",
                "≤ 2 s",
            ),
            (
                f"`recruiter-desk import` of the {CARDS:,}, whole process; CPU {process_cpu:.2f} s",
                f"{process_wall:.2f} s",
                "≤ 2 s",
            ),
        ]
    )


if __name__ == "__main__":
    main()
