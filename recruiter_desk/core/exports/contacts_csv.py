"""Google Contacts CSV and Outlook CSV: the columns those products write when they export,
so their own importers (and ours) map every column without asking.

Both are read by spreadsheets too, so cells go through the same formula guard as the
spreadsheet CSV (which leaves numbers and phone numbers alone).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from typing import TextIO

from recruiter_desk.core.exports.csv_file import neutralise_all
from recruiter_desk.core.exports.people import ExportPerson

DO_NOT_CONTACT_LABEL = "Do not contact"
DO_NOT_CONTACT_NOTE = "Do not contact (marked in Recruiter Desk)."

# Google Contacts' export (contacts.google.com → Export → Google CSV), in its order; the
# numbered groups grow with the most emails, phones and websites anyone has.
GOOGLE_NAME_COLUMNS = (
    "First Name",
    "Middle Name",
    "Last Name",
    "Phonetic First Name",
    "Phonetic Middle Name",
    "Phonetic Last Name",
    "Name Prefix",
    "Name Suffix",
    "Nickname",
    "File As",
    "Organization Name",
    "Organization Title",
    "Organization Department",
    "Birthday",
    "Notes",
    "Photo",
    "Labels",
)
GOOGLE_ADDRESS_COLUMNS = (
    "Address 1 - Label",
    "Address 1 - Formatted",
    "Address 1 - Street",
    "Address 1 - City",
    "Address 1 - PO Box",
    "Address 1 - Region",
    "Address 1 - Postal Code",
    "Address 1 - Country",
    "Address 1 - Extended Address",
)

# Outlook for Windows' export (File → Open & Export → Export to a file → CSV), in its
# order; Outlook.com and most CRMs import this layout.
OUTLOOK_COLUMNS = (
    "Title",
    "First Name",
    "Middle Name",
    "Last Name",
    "Suffix",
    "Company",
    "Department",
    "Job Title",
    "Business Street",
    "Business Street 2",
    "Business Street 3",
    "Business City",
    "Business State",
    "Business Postal Code",
    "Business Country/Region",
    "Home Street",
    "Home Street 2",
    "Home Street 3",
    "Home City",
    "Home State",
    "Home Postal Code",
    "Home Country/Region",
    "Other Street",
    "Other Street 2",
    "Other Street 3",
    "Other City",
    "Other State",
    "Other Postal Code",
    "Other Country/Region",
    "Assistant's Phone",
    "Business Fax",
    "Business Phone",
    "Business Phone 2",
    "Callback",
    "Car Phone",
    "Company Main Phone",
    "Home Fax",
    "Home Phone",
    "Home Phone 2",
    "ISDN",
    "Mobile Phone",
    "Other Fax",
    "Other Phone",
    "Pager",
    "Primary Phone",
    "Radio Phone",
    "TTY/TDD Phone",
    "Telex",
    "Account",
    "Anniversary",
    "Assistant's Name",
    "Billing Information",
    "Birthday",
    "Business Address PO Box",
    "Categories",
    "Children",
    "Directory Server",
    "E-mail Address",
    "E-mail Type",
    "E-mail Display Name",
    "E-mail 2 Address",
    "E-mail 2 Type",
    "E-mail 2 Display Name",
    "E-mail 3 Address",
    "E-mail 3 Type",
    "E-mail 3 Display Name",
    "Gender",
    "Government ID Number",
    "Hobby",
    "Home Address PO Box",
    "Initials",
    "Internet Free Busy",
    "Keywords",
    "Language",
    "Location",
    "Manager's Name",
    "Mileage",
    "Notes",
    "Office Location",
    "Organizational ID Number",
    "Other Address PO Box",
    "Priority",
    "Private",
    "Profession",
    "Referred By",
    "Sensitivity",
    "Spouse",
    "User 1",
    "User 2",
    "User 3",
    "User 4",
    "Web Page",
)
# Outlook has three email and a few phone slots. Phones fill them in the order Outlook
# lists its columns, so the first phone stays the first when the file is read back.
_OUTLOOK_PHONES = ("Business Phone", "Home Phone", "Mobile Phone", "Other Phone")
_OUTLOOK_EMAILS = ("E-mail Address", "E-mail 2 Address", "E-mail 3 Address")


def _notes(person: ExportPerson, left_over: list[str]) -> str:
    """The person's notes, marked when they asked not to be contacted, with whatever the
    layout has no column for (so nothing is lost)."""
    parts = [DO_NOT_CONTACT_NOTE] if person.do_not_contact else []
    if person.notes:
        parts.append(person.notes)
    parts.extend(left_over)
    return "\n".join(parts)


def _labels(person: ExportPerson) -> list[str]:
    return [*person.tags, *([DO_NOT_CONTACT_LABEL] if person.do_not_contact else [])]


def _websites(person: ExportPerson) -> list[str]:
    return [*([person.linkedin_url] if person.linkedin_url else []), *person.links]


def _pairs(values: list[str], slots: int, first_label: str, label: str) -> list[str]:
    """Label and value cells for ``slots`` numbered columns, blank where nothing is."""
    cells: list[str] = []
    for index in range(slots):
        value = values[index] if index < len(values) else ""
        cells += [(first_label if index == 0 else label) if value else "", value]
    return cells


def write_google(
    pages: Iterator[list[ExportPerson]], out: TextIO, tick: Callable[[int], None]
) -> int:
    people: list[ExportPerson] = []
    for page in pages:
        people.extend(page)
        tick(len(people))
    emails = max((len(p.emails) for p in people), default=0) or 1
    phones = max((len(p.phones) for p in people), default=0) or 1
    sites = max((len(_websites(p)) for p in people), default=0) or 1

    def numbered(kind: str, n: int) -> list[str]:
        return [f"{kind} {i} - {part}" for i in range(1, n + 1) for part in ("Label", "Value")]

    header = [
        *GOOGLE_NAME_COLUMNS,
        *numbered("E-mail", emails),
        *numbered("Phone", phones),
        *GOOGLE_ADDRESS_COLUMNS,
        *numbered("Website", sites),
    ]
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for person in people:
        websites = _websites(person)
        row = [
            person.first_name,
            "",
            person.last_name,
            *[""] * 7,
            person.company,
            person.title,
            "",
            "",
            _notes(person, []),
            "",
            # Google's own group first, as its export writes it; user labels after.
            " ::: ".join(["* myContacts", *_labels(person)]),
            # "* " marks the primary value in Google's export.
            *_pairs(person.emails, emails, "* Other", "Other"),
            *_pairs(person.phones, phones, "Mobile", "Other"),
            *(["Other", person.location, "", person.location] if person.location else [""] * 4),
            *[""] * 5,
            *_pairs(websites, sites, "Profile" if person.linkedin_url else "Other", "Other"),
        ]
        writer.writerow(neutralise_all(row))
    return len(people)


def write_outlook(
    pages: Iterator[list[ExportPerson]], out: TextIO, tick: Callable[[int], None]
) -> int:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(OUTLOOK_COLUMNS)
    count = 0
    for page in pages:
        for person in page:
            cells = dict.fromkeys(OUTLOOK_COLUMNS, "")
            cells["First Name"] = person.first_name
            cells["Last Name"] = person.last_name
            cells["Company"] = person.company
            cells["Job Title"] = person.title
            cells["Business City"] = person.location
            cells.update(zip(_OUTLOOK_EMAILS, person.emails, strict=False))
            for slot, _address in zip(_OUTLOOK_EMAILS, person.emails, strict=False):
                cells[slot.replace("Address", "Type")] = "SMTP"
            cells.update(zip(_OUTLOOK_PHONES, person.phones, strict=False))
            websites = _websites(person)
            cells["Web Page"] = websites[0] if websites else ""
            left_over = [
                *(f"Email: {e}" for e in person.emails[len(_OUTLOOK_EMAILS) :]),
                *(f"Phone: {p}" for p in person.phones[len(_OUTLOOK_PHONES) :]),
                *(f"Website: {w}" for w in websites[1:]),
            ]
            cells["Notes"] = _notes(person, left_over)
            # Outlook separates categories with semicolons.
            cells["Categories"] = ";".join(_labels(person))
            writer.writerow(neutralise_all([cells[c] for c in OUTLOOK_COLUMNS]))
        count += len(page)
        tick(count)
    return count
