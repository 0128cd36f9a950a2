"""Exports other tools read, one module per format: CSV for spreadsheets (csv_file),
Google Contacts and Outlook CSV (contacts_csv), vCard (vcard), iCalendar of follow-ups
(ics), and the app's own JSON (core/interchange/write.py). Each export writes exactly what
the filtered list shows, except that the lists meant for address books and calendars leave
do-not-contact people out unless asked (docs/interchange.md).

Files are written to a temporary name and renamed into place, so a crash or a full disk
never leaves half a file where the old one was.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from recruiter_desk.core.bulk import gc_paused
from recruiter_desk.core.clock import AsOf
from recruiter_desk.core.people import PeopleQuery
from recruiter_desk.core.warmth import WarmthPolicy
from recruiter_desk.db.session import Database
from recruiter_desk.errors import KnownError, UsageError

if TYPE_CHECKING:
    from recruiter_desk.core.exports.people import ExportPerson

EXPORT_FORMATS = ("csv", "google", "outlook", "vcard", "json", "ics")
# Formats other tools act on (address books, calendars): do-not-contact people stay out
# unless asked for. The spreadsheet CSV and the JSON are whole copies of the list.
CONTACT_FORMATS = frozenset({"google", "outlook", "vcard", "ics"})
VCARD_VERSIONS = ("3.0", "4.0")

Progress = Callable[[str, float], None]


class ExportCancelled(Exception):
    pass


@dataclass(frozen=True)
class ExportResult:
    format: str
    written: int
    target: str


def export(
    database: Database,
    fmt: str,
    target: Path | None,
    *,
    query: PeopleQuery,
    as_of: AsOf,
    policy: WarmthPolicy,
    now: datetime,
    vcard_version: str = "3.0",
    include_do_not_contact: bool = False,
    todo: bool = False,
    stdout: TextIO | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ExportResult:
    """Write an export to ``target`` (None: ``stdout``) and say how many records it holds.

    vCard 3.0 by default: iOS/macOS Contacts and stock Android reject or mangle 4.0.
    ``todo`` writes follow-ups as VTODO (task apps) instead of all-day VEVENTs (calendars).
    """
    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"Unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}.")
    if vcard_version not in VCARD_VERSIONS:
        raise UsageError("--vcard-version must be 3.0 or 4.0.")
    if target is not None:
        target = _checked_target(target)
    report = progress or (lambda _stage, _fraction: None)
    is_cancelled = cancelled or (lambda: False)
    buffer = io.StringIO()
    # Each format's writer is loaded when used: icalendar alone costs a noticeable import.
    from recruiter_desk.core.exports.people import people_pages

    with gc_paused(), database.connect() as connection:
        total, pages = people_pages(connection, query, as_of, policy)
        if fmt in CONTACT_FORMATS and not include_do_not_contact:
            pages = _without_do_not_contact(pages)

        def tick(done: int) -> None:
            if is_cancelled():
                raise ExportCancelled
            report("Writing", done / max(1, total))

        if fmt == "csv":
            from recruiter_desk.core.exports.csv_file import write_csv

            buffer.write("\ufeff")  # Excel needs the BOM to read UTF-8
            written = write_csv(pages, buffer, tick)
        elif fmt == "google":
            from recruiter_desk.core.exports.contacts_csv import write_google

            written = write_google(pages, buffer, tick)
        elif fmt == "outlook":
            from recruiter_desk.core.exports.contacts_csv import write_outlook

            buffer.write("\ufeff")  # Outlook reads UTF-8 only with the BOM
            written = write_outlook(pages, buffer, tick)
        elif fmt == "vcard":
            from recruiter_desk.core.exports.vcard import write_vcards

            written = write_vcards(pages, buffer, vcard_version, tick)
        elif fmt == "json":
            from recruiter_desk.core.interchange.write import write_json

            written = write_json(connection, pages, buffer, now, tick)
        else:
            from recruiter_desk.core.exports.ics import write_ics

            written = write_ics(connection, pages, buffer, now, tick, todo=todo)
    text = buffer.getvalue()
    if target is None:
        out = stdout
        assert out is not None
        try:
            out.write(text)
            out.flush()
        except BrokenPipeError:
            raise  # the reader stopped reading (``| head``): not a failure
        except OSError as error:
            raise KnownError(
                f"Cannot write the export to standard output: {error.strerror or error}."
            ) from error
        return ExportResult(fmt, written, "-")
    _write_atomically(target, text)
    report("Done", 1.0)
    return ExportResult(fmt, written, str(target))


def _without_do_not_contact(pages: Iterator[list[ExportPerson]]) -> Iterator[list[ExportPerson]]:
    for page in pages:
        yield [p for p in page if not p.do_not_contact]


def _checked_target(target: Path) -> Path:
    """Where the file will really be written, refused at once if it cannot be."""
    target = target.expanduser()
    if not target.name:
        raise KnownError("Cannot export: no file name was given (use - for standard output).")
    if target.is_symlink():
        # Write where the link points: replacing the link itself would break it.
        target = target.resolve()
    if target.is_dir():
        raise KnownError(f"Cannot write {target}: it is a folder; give a file name.")
    if target.exists() and not target.is_file():
        raise KnownError(f"Cannot write {target}: it is not a regular file (a pipe or device).")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise KnownError(f"Cannot write {target}: the folder {folder} does not exist.")
    return target


def _write_atomically(target: Path, text: str) -> None:
    folder = target.parent if str(target.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=folder)
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temporary, 0o600)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise KnownError(f"Cannot write {target}: {error.strerror or error}.") from error
