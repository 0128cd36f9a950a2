"""CSV for spreadsheets (Excel, LibreOffice): UTF-8, one row per person, formulas defused."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from typing import TextIO

from recruiter_desk.core.exports.people import ExportPerson

CSV_COLUMNS = (
    "ID",
    "First Name",
    "Last Name",
    "Emails",
    "Phones",
    "Company",
    "Title",
    "Location",
    "LinkedIn URL",
    "Tags",
    "Interests",
    "Work Modes",
    "Openness",
    "Do Not Contact",
    "Applicant",
    "Cadence Days",
    "Source",
    "Connected On",
    "Status",
    "Last Touch",
    "Notes",
)
LIST_SEPARATOR = "; "
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def neutralise(cell: str) -> str:
    """OWASP's CSV-injection guard: a formula trigger at the start becomes text."""
    if cell.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


_TRIGGERS = frozenset(FORMULA_TRIGGERS)


def csv_row(person: ExportPerson) -> list[str]:
    cells = [
        str(person.id),
        person.first_name,
        person.last_name,
        LIST_SEPARATOR.join(person.emails),
        LIST_SEPARATOR.join(person.phones),
        person.company,
        person.title,
        person.location,
        person.linkedin_url or "",
        LIST_SEPARATOR.join(person.tags),
        LIST_SEPARATOR.join(person.interests),
        LIST_SEPARATOR.join(person.work_modes),
        person.openness,
        "yes" if person.do_not_contact else "no",
        "yes" if person.is_applicant else "no",
        str(person.cadence_days) if person.cadence_days else "",
        person.source,
        person.connected_on or "",
        person.status,
        person.last_touch or "",
        person.notes,
    ]
    # neutralise(), inlined: this runs for two million cells in a 100k export.
    return [
        "'" + c if c and c[0] in _TRIGGERS and not _PLAIN_NUMBER.fullmatch(c) else c for c in cells
    ]


def write_csv(pages: Iterator[list[ExportPerson]], out: TextIO, tick: Callable[[int], None]) -> int:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for page in pages:
        writer.writerows(csv_row(p) for p in page)
        count += len(page)
        tick(count)
    return count
