"""What encryption at rest costs: opening, search and warmth, encrypted vs plain.

    python benchmarks/bench_encryption.py [--people N] [--runs N]

Generates a demo network of N people (100,000) into /tmp/trust-bench-plain-N.sqlite3,
copies it and encrypts the copy with ``encrypt``'s routine (a raw 256-bit key from an
in-memory keyring, as with a real keyring). Then, medians of N runs (10) each:

- open: ``open_database`` plus the first query, with no key known yet in the process
  (the keyring is asked and the key checked, as at start-up; SQLCipher already imported);
- search: the people list's ids for a name search (``Services.people_ids``);
- warmth: the header's counts (warm / cooling / cold over everyone, and who is owed);
- Today: the day's list (``Services.today``), as the window computes it.

The same three run a third time on the plain file through SQLCipher's own SQLite with no key
(``--cipher-plain``, on by default): what the library costs apart from encrypting. SQLCipher
bundles its own SQLite build, whose date functions (which warmth calls per person) run
about twice as slow as the system's; that, not the encryption, is most of the difference.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

import keyring
import keyring.backend

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import AS_OF, ensure_database, median_ms, report


class _MemoryKeyring(keyring.backend.KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.values.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.values[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.values.pop((service, username), None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument(
        "--no-cipher-plain", dest="cipher_plain", action="store_false", help="skip the third run"
    )
    options = parser.parse_args()
    os.environ.setdefault("RECRUITER_DESK_HOME", "/tmp/trust-bench-home")
    keyring.set_keyring(_MemoryKeyring())

    from recruiter_desk.core.people import PeopleQuery
    from recruiter_desk.core.services import Services
    from recruiter_desk.db import encryption
    from recruiter_desk.db.open import open_database
    from recruiter_desk.paths import app_paths
    from recruiter_desk.settings import Settings

    plain = Path(f"/tmp/trust-bench-plain-{options.people}.sqlite3")
    encrypted = plain.with_name(f"trust-bench-encrypted-{options.people}.sqlite3")
    ensure_database(plain, people=options.people)
    if encrypted.exists():
        encrypted.unlink()
    shutil.copyfile(plain, encrypted)
    encryption.convert(encrypted, encrypt=True)

    def opened(path: Path) -> float:
        def once() -> None:
            encryption._KEYS.clear()
            database = open_database(str(path), daily_backup=False)
            with database.connect() as connection:
                connection.exec_driver_sql("SELECT count(*) FROM people").scalar()
            database.close()

        return median_ms(once, runs=options.runs, warmup=1)

    def timed(path: Path, through_sqlcipher: bool = False) -> tuple[float, float, float]:
        database = open_database(str(path), daily_backup=False)
        if through_sqlcipher:
            from sqlalchemy import create_engine, event

            from recruiter_desk.db.engine import _set_sqlite_pragmas
            from recruiter_desk.db.session import Database

            database.close()
            engine = create_engine(f"sqlite+pysqlite:///{path}", module=encryption.dbapi())
            event.listen(engine, "connect", _set_sqlite_pragmas)
            database = Database(engine, str(path))
        services = Services(database, Settings(), app_paths())
        search = median_ms(
            lambda: services.people_ids(PeopleQuery(search="ana")), runs=options.runs
        )
        warmth = median_ms(services.counts, runs=options.runs)
        today = median_ms(lambda: services.today(AS_OF), runs=options.runs)
        database.close()
        return search, warmth, today

    open_plain, open_encrypted = opened(plain), opened(encrypted)
    search_plain, warmth_plain, today_plain = timed(plain)
    search_encrypted, warmth_encrypted, today_encrypted = timed(encrypted)
    library = timed(plain, through_sqlcipher=True) if options.cipher_plain else None
    rows = [
        (
            "Today, plain",
            f"{today_plain:.0f} ms",
            "-",
        ),
        (
            "Today, encrypted",
            f"{today_encrypted:.0f} ms",
            f"({today_encrypted / today_plain - 1:+.0%})",
        ),
    ]
    if library is not None:
        rows += [
            (
                "plain file through SQLCipher's SQLite: search / warmth / Today",
                f"{library[0]:.0f} / {library[1]:.0f} / {library[2]:.0f} ms",
                f"({library[0] / search_plain - 1:+.0%} / {library[1] / warmth_plain - 1:+.0%}"
                f" / {library[2] / today_plain - 1:+.0%} vs plain)",
            )
        ]
    report(
        [
            (f"open, plain ({options.people:,})", f"{open_plain:.0f} ms", "-"),
            (
                "open, encrypted",
                f"{open_encrypted:.0f} ms",
                f"<= plain + 200 ms ({open_encrypted - open_plain:+.0f} ms)",
            ),
            ("search 'ana', plain", f"{search_plain:.0f} ms", "-"),
            (
                "search 'ana', encrypted",
                f"{search_encrypted:.0f} ms",
                f"within 20 % ({search_encrypted / search_plain - 1:+.0%})",
            ),
            ("warmth counts, plain", f"{warmth_plain:.0f} ms", "-"),
            (
                "warmth counts, encrypted",
                f"{warmth_encrypted:.0f} ms",
                f"within 20 % ({warmth_encrypted / warmth_plain - 1:+.0%})",
            ),
            *rows,
        ]
    )


if __name__ == "__main__":
    main()
