"""vCard 3.0 (4.0 on request) for address books: escaped, folded, one card per person.

3.0 is the default because iOS/macOS Contacts and stock Android reject or mangle 4.0.
A do-not-contact person (only exported when asked for) carries a category and a note
saying so, which every address book shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TextIO

from recruiter_desk.core.exports.contacts_csv import DO_NOT_CONTACT_LABEL, DO_NOT_CONTACT_NOTE
from recruiter_desk.core.exports.people import ExportPerson
from recruiter_desk.core.exports.text import one_kind_of_line_break


def _escape(value: str) -> str:
    return (
        one_kind_of_line_break(value)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 6350 3.2),
    never splitting a UTF-8 character."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line + "\r\n"
    parts = []
    current = ""
    size = 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, 74
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts) + "\r\n"


def vcard_for(person: ExportPerson, version: str) -> str:
    lines = ["BEGIN:VCARD", f"VERSION:{version}"]
    if version == "4.0":
        lines.append(f"UID:urn:recruiter-desk:person:{person.id}")
    lines.append(f"FN:{_escape(person.full_name)}")
    lines.append(f"N:{_escape(person.last_name)};{_escape(person.first_name)};;;")
    for index, address in enumerate(person.emails):
        preference = ("PREF=1" if version == "4.0" else "TYPE=pref") if index == 0 else ""
        kind = "TYPE=INTERNET" if version == "3.0" else ""
        params = ";".join(p for p in (kind, preference) if p)
        lines.append(f"EMAIL{';' + params if params else ''}:{_escape(address)}")
    lines.extend(f"TEL:{_escape(number)}" for number in person.phones)
    if person.company:
        lines.append(f"ORG:{_escape(person.company)}")
    if person.title:
        lines.append(f"TITLE:{_escape(person.title)}")
    if person.location:
        lines.append(f"ADR:;;;{_escape(person.location)};;;")
    if person.linkedin_url:
        lines.append(f"URL:{_escape(person.linkedin_url)}")
        lines.append(f"X-SOCIALPROFILE;TYPE=linkedin:{_escape(person.linkedin_url)}")
    lines.extend(f"URL:{_escape(link)}" for link in person.links)
    categories = [*person.tags, *([DO_NOT_CONTACT_LABEL] if person.do_not_contact else [])]
    if categories:
        lines.append("CATEGORIES:" + ",".join(_escape(t) for t in categories))
    note = "\n".join(
        part
        for part in (DO_NOT_CONTACT_NOTE if person.do_not_contact else "", person.notes)
        if part
    )
    if note:
        lines.append(f"NOTE:{_escape(note)}")
    lines.append("END:VCARD")
    return "".join(_fold(line) for line in lines)


def write_vcards(
    pages: Iterator[list[ExportPerson]], out: TextIO, version: str, tick: Callable[[int], None]
) -> int:
    count = 0
    for page in pages:
        out.write("".join(vcard_for(p, version) for p in page))
        count += len(page)
        tick(count)
    return count
