"""What encryption at rest costs: opening, search and warmth, encrypted vs plain.

    python benchmarks/bench_encryption.py [--people N] [--runs N] [--prefix PATH]
                                          [--passphrase] [--cipher-plain]

Generates a demo network of N people (100,000) into PREFIX-plain-N.sqlite3 (PREFIX is
/tmp/trust-bench; a file already there is reused, upgraded to the current schema), copies it
and encrypts the copy with ``encrypt``'s routine (a raw 256-bit key from an in-memory keyring,
as with a real keyring). Then, medians of N runs (7), each run timing the plain and the
encrypted file one after the other, so that whatever else the machine is doing weighs on both
sides alike:

- open: ``open_database`` plus the first query, with no key known yet in the process (the
  keyring is asked and the key checked, as at start-up; SQLCipher already imported);
- search: the people list's ids for a name search (``Services.people_ids``);
- warmth: the header's counts (warm / cooling / cold over everyone, and who is owed);
- Today: the day's list (``Services.today``), as the window computes it;

search, warmth and Today on a database that is open and has answered before (the window's
case: its connections and their page caches stay open), and search and warmth once more as
the first queries after opening (every page they read is read, and decrypted, anew).

``--passphrase`` also opens a copy encrypted with a passphrase (no keyring): the key
derivation, deliberately slow, is in that figure. ``--cipher-plain`` also opens the plain file
through SQLCipher's own SQLite with no key: what the library costs apart from encrypting.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from statistics import median
from time import perf_counter
from typing import Any

import keyring
import keyring.backend

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import AS_OF, ensure_database, report


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


def interleaved(actions: dict[str, Callable[[], Any]], runs: int, warmup: int) -> dict[str, float]:
    """Median ms of each action, the actions taking turns within every run."""
    samples: dict[str, list[float]] = {name: [] for name in actions}
    for index in range(warmup + runs):
        for name, action in actions.items():
            started = perf_counter()
            action()
            if index >= warmup:
                samples[name].append((perf_counter() - started) * 1000)
    return {name: median(values) for name, values in samples.items()}


def within(ratio_of: float, plain: float, limit: float) -> str:
    change = ratio_of / plain - 1
    verdict = "met" if change <= limit else "NOT MET"
    return f"within {limit:.0%} ({change:+.0%}): {verdict}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--prefix", default="/tmp/trust-bench")
    parser.add_argument("--passphrase", action="store_true", help="also a passphrase's copy")
    parser.add_argument("--cipher-plain", action="store_true", help="also SQLCipher, no key")
    options = parser.parse_args()
    os.environ.setdefault("RECRUITER_DESK_HOME", f"{options.prefix}-home")
    Path(os.environ["RECRUITER_DESK_HOME"]).mkdir(exist_ok=True)
    keyring.set_keyring(_MemoryKeyring())

    import sqlcipher3
    from sqlalchemy import create_engine, event

    from recruiter_desk.core.people import PeopleQuery
    from recruiter_desk.core.services import Services
    from recruiter_desk.db import encryption
    from recruiter_desk.db.engine import _set_sqlite_pragmas
    from recruiter_desk.db.open import open_database
    from recruiter_desk.db.session import Database
    from recruiter_desk.paths import app_paths
    from recruiter_desk.settings import Settings

    plain = Path(f"{options.prefix}-plain-{options.people}.sqlite3")
    encrypted = plain.with_name(plain.name.replace("-plain-", "-encrypted-"))
    ensure_database(plain, people=options.people)
    open_database(str(plain), daily_backup=False).close()  # upgraded before it is copied

    def encrypted_copy(target: Path, passphrase: str | None = None) -> None:
        target.unlink(missing_ok=True)
        shutil.copyfile(plain, target)
        encryption.convert(target, encrypt=True, passphrase=passphrase)

    encrypted_copy(encrypted)
    keyed = plain.with_name(plain.name.replace("-plain-", "-passphrase-"))
    if options.passphrase:
        encrypted_copy(keyed, "correct horse battery staple")

    def opening(path: Path, passphrase: bool = False) -> Callable[[], None]:
        def once() -> None:
            encryption._KEYS.clear()
            encryption._DERIVED.clear()  # a new process: a passphrase is derived anew
            if passphrase:
                os.environ[encryption.PASSPHRASE_VARIABLE] = "correct horse battery staple"
                saved = keyring.get_keyring()
                keyring.set_keyring(_MemoryKeyring())  # no key stored: the passphrase is asked
            try:
                database = open_database(str(path), daily_backup=False)
                with database.connect() as connection:
                    connection.exec_driver_sql("SELECT count(*) FROM people").scalar()
                database.close()
            finally:
                if passphrase:
                    os.environ.pop(encryption.PASSPHRASE_VARIABLE)
                    keyring.set_keyring(saved)

        return once

    openings = {"plain": opening(plain), "encrypted": opening(encrypted)}
    if options.passphrase:
        openings["passphrase"] = opening(keyed, passphrase=True)
    opened = interleaved(openings, options.runs, warmup=1)

    def services(path: Path, through_sqlcipher: bool = False) -> Services:
        database = open_database(str(path), daily_backup=False)
        if through_sqlcipher:
            database.close()
            engine = create_engine(f"sqlite+pysqlite:///{path}", module=encryption.dbapi())
            event.listen(engine, "connect", _set_sqlite_pragmas)
            database = Database(engine, str(path))
        return Services(database, Settings(), app_paths())

    sides = {"plain": services(plain), "encrypted": services(encrypted)}
    if options.cipher_plain:
        sides["plain via SQLCipher"] = services(plain, through_sqlcipher=True)
    search = PeopleQuery(search="ana")
    hot: dict[str, dict[str, float]] = {}
    for what, call in (
        ("search", lambda s: s.people_ids(search)),
        ("warmth", lambda s: s.counts()),
        ("Today", lambda s: s.today(AS_OF)),
    ):
        hot[what] = interleaved(
            {side: (lambda s=s, call=call: call(s)) for side, s in sides.items()},
            options.runs,
            warmup=2,
        )
    for s in sides.values():
        s.database.close()

    def first(path: Path, call: Callable[[Services], Any]) -> Callable[[], None]:
        # Only the query is timed: opening is the figure above.
        def once() -> None:
            s = services(path)
            started = perf_counter()
            call(s)
            spent.append((perf_counter() - started) * 1000)
            s.database.close()

        spent: list[float] = []
        once.spent = spent  # type: ignore[attr-defined]
        return once

    cold: dict[str, dict[str, float]] = {}
    for what, call in (
        ("search", lambda s: s.people_ids(search)),
        ("warmth", lambda s: s.counts()),
    ):
        actions = {"plain": first(plain, call), "encrypted": first(encrypted, call)}
        interleaved(actions, options.runs, warmup=1)
        cold[what] = {
            side: median(action.spent[1:])  # type: ignore[attr-defined]
            for side, action in actions.items()
        }

    print(f"SQLCipher {sqlcipher3.sqlite_version} build of SQLite, module {sqlcipher3.__file__}")
    n = f"{options.people:,}"
    rows = [
        (f"open + first query, plain ({n})", f"{opened['plain']:.0f} ms", "-"),
        (
            "open + first query, encrypted",
            f"{opened['encrypted']:.0f} ms",
            f"<= plain + 200 ms ({opened['encrypted'] - opened['plain']:+.0f} ms): "
            + ("met" if opened["encrypted"] - opened["plain"] <= 200 else "NOT MET"),
        ),
    ]
    if options.passphrase:
        rows.append(
            (
                "open + first query, passphrase (no keyring)",
                f"{opened['passphrase']:.0f} ms",
                f"- (plain {opened['passphrase'] - opened['plain']:+.0f} ms: key derivation)",
            )
        )
    for what, label, limit in (
        ("search", "search 'ana'", 0.20),
        ("warmth", "warmth counts", 0.20),
        ("Today", "Today", None),
    ):
        figures = hot[what]
        rows.append((f"{label}, plain", f"{figures['plain']:.0f} ms", "-"))
        rows.append(
            (
                f"{label}, encrypted",
                f"{figures['encrypted']:.0f} ms",
                within(figures["encrypted"], figures["plain"], limit)
                if limit is not None
                else f"- ({figures['encrypted'] / figures['plain'] - 1:+.0%})",
            )
        )
        if "plain via SQLCipher" in figures:
            rows.append(
                (
                    f"{label}, plain file through SQLCipher, no key",
                    f"{figures['plain via SQLCipher']:.0f} ms",
                    f"- ({figures['plain via SQLCipher'] / figures['plain'] - 1:+.0%})",
                )
            )
    for what, label in (("search", "search 'ana'"), ("warmth", "warmth counts")):
        figures = cold[what]
        rows.append((f"{label}, first after opening, plain", f"{figures['plain']:.0f} ms", "-"))
        rows.append(
            (
                f"{label}, first after opening, encrypted",
                f"{figures['encrypted']:.0f} ms",
                f"- ({figures['encrypted'] / figures['plain'] - 1:+.0%})",
            )
        )
    report(rows)


if __name__ == "__main__":
    main()
