"""Import and export figures (issue 3).

    python benchmarks/bench_import_export.py

Imports a generated 10k-row LinkedIn Connections.csv into an empty database and re-imports
it (every row matched), then exports the 100k-person benchmark network to CSV and vCard.
Each figure is the median of 5 runs (a fresh database for each first import).
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import AS_OF, DEFAULT_DB, ensure_database, report

from recruiter_desk.core import demo_data as words
from recruiter_desk.core.clock import AsOf, local_zone
from recruiter_desk.core.exports import export
from recruiter_desk.core.imports.service import import_files
from recruiter_desk.core.people import PeopleQuery
from recruiter_desk.core.warmth import WarmthPolicy
from recruiter_desk.db.open import open_database

PREAMBLE = (
    'Notes:\n"When exporting your connection data, you may notice that some of the email '
    'addresses are missing."\n\n'
)


def linkedin_file(path: Path, rows: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    lines = ["First Name,Last Name,URL,Email Address,Company,Position,Connected On"]
    start = date(2015, 1, 1)
    for index in range(rows):
        first_names, last_names, _cities = rng.choice(words.CULTURES)
        first, last = rng.choice(first_names), rng.choice(last_names)
        company = f"{rng.choice(words.COMPANY_STEMS)} {rng.choice(words.COMPANY_SUFFIXES)}"
        title = rng.choice(words.SENIORITY) + rng.choice(words.ROLES)
        email = f"person{index}@example.com" if rng.random() < 0.3 else ""
        day = start + timedelta(days=rng.randint(0, 3900))
        lines.append(
            f"{first},{last},https://www.linkedin.com/in/member-{index:06d},{email},"
            f'"{company}",{title},{day:%d %b %Y}'
        )
    path.write_text(PREAMBLE + "\r\n".join(lines) + "\r\n", encoding="utf-8-sig")


def main() -> None:
    ensure_database(DEFAULT_DB)
    now = datetime(2026, 11, 25, 12)
    first_runs, second_runs = [], []
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "Connections.csv"
        linkedin_file(source, 10_000)
        for run in range(5):
            database = open_database(
                str(Path(folder) / f"import-{run}.sqlite3"), daily_backup=False
            )
            started = time.perf_counter()
            first = import_files(database, [source], now=now)
            first_runs.append(time.perf_counter() - started)
            started = time.perf_counter()
            second = import_files(database, [source], now=now)
            second_runs.append(time.perf_counter() - started)
            assert first.total("added") == 10_000, first.to_json()
            assert second.total("added") == 0 and second.total("unchanged") == 10_000
            database.close()
        big = open_database(str(DEFAULT_DB), daily_backup=False)
        as_of = AsOf(AS_OF, local_zone("UTC"))
        exports = {}
        for fmt in ("csv", "vcard"):
            samples = []
            for _ in range(5):
                started = time.perf_counter()
                result = export(
                    big,
                    fmt,
                    Path(folder) / f"all.{fmt}",
                    query=PeopleQuery(),
                    as_of=as_of,
                    policy=WarmthPolicy(),
                    now=now,
                )
                samples.append(time.perf_counter() - started)
            assert result.written == 100_000
            exports[fmt] = statistics.median(samples)
        big.close()
    report(
        [
            (
                "import 10k LinkedIn rows (empty database)",
                f"{statistics.median(first_runs):.2f} s",
                "≤ 2 s",
            ),
            (
                "re-import the same 10k (all matched)",
                f"{statistics.median(second_runs):.2f} s",
                "—",
            ),
            ("export 100k people to CSV", f"{exports['csv']:.2f} s", "≤ 3 s"),
            ("export 100k people to vCard 4.0", f"{exports['vcard']:.2f} s", "—"),
        ]
    )


if __name__ == "__main__":
    main()
