"""What every command handler receives: its arguments, the settings, and the database."""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TextIO

from recruiter_desk.core.clock import AsOf, as_of, local_zone, parse_moment, utc_now
from recruiter_desk.errors import DiskFull, KnownError
from recruiter_desk.paths import app_paths, database_location
from recruiter_desk.settings import Settings

if TYPE_CHECKING:
    from recruiter_desk.core.services import Services
    from recruiter_desk.core.warmth import WarmthPolicy
    from recruiter_desk.db.session import Database


@dataclass
class Context:
    """The parsed arguments, settings and output; the database is opened on first use."""

    args: argparse.Namespace
    settings: Settings
    out: TextIO
    _database: Database | None = None

    @property
    def location(self) -> str:
        return database_location(self.args.db)

    @property
    def shown_location(self) -> str:
        from recruiter_desk.db.engine import display_location

        return display_location(self.location)

    @property
    def database(self) -> Database:
        if self._database is None:
            from recruiter_desk.core.warmth_store import attach, settler
            from recruiter_desk.db.backup import Retention
            from recruiter_desk.db.open import open_database
            from recruiter_desk.errors import ServerUnreachable
            from recruiter_desk.settings import recruiter_name

            try:
                self._database = open_database(
                    self.location,
                    retention=Retention.from_settings(self.settings),
                    recruiter=recruiter_name(self.settings),
                    settlers=[settler(lambda: self.policy)],
                )
            except ServerUnreachable as error:
                self._database = _local_copy(self.location, error)
            except DiskFull as error:
                self._database = _read_only_on_full_disk(self.location, error)
            attach(self._database, lambda: self.policy)
        return self._database

    @property
    def as_of(self) -> AsOf:
        day = getattr(self.args, "as_of", None)
        return as_of(day, local_zone(self.settings.timezone))

    @property
    def policy(self) -> WarmthPolicy:
        from recruiter_desk.core.warmth import WarmthPolicy

        return WarmthPolicy.from_settings(self.settings)

    @property
    def services(self) -> Services:
        """The same Qt-free API the window calls, on this command's database (without the
        window's notes for its Today splice)."""
        from recruiter_desk.core.services import Services

        return Services(self.database, self.settings, app_paths(), note_changes=False)

    def person_id(self, named: str) -> int:
        """The person a command was given: an id, an email address or a name."""
        from recruiter_desk.core.person_lookup import resolve_person

        with self.database.connect() as connection:
            return resolve_person(connection, named)

    def as_of_moment(self, moment: datetime) -> AsOf:
        """The local day of a stored (naive UTC) moment, as an ``AsOf``."""
        zone = self.as_of.zone
        return AsOf(moment.replace(tzinfo=UTC).astimezone(zone).date(), zone)

    def moment(self, value: str | None) -> datetime:
        """``--at``: now when absent, else an ISO date or time in the user's zone (UTC out)."""
        if not value:
            return utc_now()
        return parse_moment(value, self.as_of.zone)

    def close(self) -> None:
        if self._database is not None:
            self._database.close()

    @property
    def on_terminal(self) -> bool:
        return _is_terminal(self.out)

    def emit_json(self, value: Any) -> None:
        """Indented on a terminal; piped, a list has one item per line. (Indenting runs
        json's pure-Python encoder: 1.5 s for 12k people, where one line each takes 0.1 s.)"""
        if isinstance(value, list) and value and not self.on_terminal:
            self.emit_json_lines([json.dumps(item, ensure_ascii=False) for item in value])
            return
        json.dump(value, self.out, ensure_ascii=False, indent=2)
        self.out.write("\n")

    def emit_json_lines(self, items: list[str]) -> None:
        """A list piped, already encoded one item a line, as ``emit_json`` writes it."""
        if not items:
            self.out.write("[]\n")
            return
        self.out.write("[\n" + ",\n".join(items) + "\n]\n")


def warn_about_teammates(ctx: Context, person_ids: list[int], day: AsOf) -> None:
    """Team mode: before writing to people, one sentence on stderr for each a teammate was
    in touch with lately (core/team.py); the write goes ahead."""
    import sys

    from recruiter_desk.core.team import teammate_contacts

    with ctx.database.connect() as connection:
        found = teammate_contacts(connection, person_ids, day, ctx.settings.teammate_window_days)
    for person_id in person_ids:
        if person_id in found:
            print(f"recruiter-desk: {found[person_id].sentence}", file=sys.stderr)


def _local_copy(location: str, error: KnownError) -> Database:
    """The server cannot be reached: its last local copy, read-only, said in one sentence
    on stderr (docs/team.md, "Offline"); writing commands are then refused by the copy."""
    import sys

    from recruiter_desk.core.team import last_local_copy, when_taken

    copy, unreachable = last_local_copy(app_paths().data_dir, location, error)
    print(
        f"recruiter-desk: {unreachable}; showing your local copy of {when_taken(copy.taken)}, "
        "read-only.",
        file=sys.stderr,
    )
    return copy


def _read_only_on_full_disk(location: str, error: DiskFull) -> Database:
    """No room beside the database even to read it the usual way: reading commands go on
    with the file opened read-only in place, said on stderr; writing ones are refused by it
    before anything is written."""
    import sys

    from recruiter_desk.db.offline import open_on_full_disk

    database = open_on_full_disk(location, error)
    if database is None:
        raise error
    print(
        f"recruiter-desk: {database.reason}; nothing can be saved until space is freed.",
        file=sys.stderr,
    )
    return database


def _is_terminal(out: TextIO) -> bool:
    isatty = getattr(out, "isatty", None)
    return bool(isatty and isatty())
