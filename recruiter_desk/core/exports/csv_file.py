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
# A sign, then digits with spaces, ( ) . / - between them: a number or a phone number like
# ``+44 20 7946 0958``. Without letters, quotes, | or a second + no function, link, DDE
# command or sum can be spelled, so the cell is left as written (an apostrophe would break
# re-importing the number anywhere else).
_HARMLESS = re.compile(r"[+-][0-9 ()./-]*[0-9][0-9 ()./-]*")


def neutralise(cell: str) -> str:
    """OWASP's CSV-injection guard: a formula trigger at the start becomes text, unless the
    cell cannot spell a formula that does harm (numbers, phone numbers)."""
    if cell.startswith(FORMULA_TRIGGERS) and not _HARMLESS.fullmatch(cell):
        return "'" + cell
    return cell


def neutralise_all(cells: list[str]) -> list[str]:
    # neutralise(), inlined: this runs for two million cells in a 100k export.
    return ["'" + c if c and c[0] in _TRIGGERS and not _HARMLESS.fullmatch(c) else c for c in cells]


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
    return neutralise_all(cells)


def write_csv(pages: Iterator[list[ExportPerson]], out: TextIO, tick: Callable[[int], None]) -> int:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for page in pages:
        writer.writerows(csv_row(p) for p in page)
        count += len(page)
        tick(count)
    return count
