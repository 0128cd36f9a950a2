"""vCard 2.1, 3.0 and 4.0 through vobject, with the repairs real exports need.

Android's 2.1 exports break quoted-printable values over lines with a trailing ``=``
(a "soft line break" that is not vCard folding); those lines are joined before vobject
reads the card. Each card is read on its own, so one bad card names its line and the rest
still import.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import vobject

from recruiter_desk.core.imports.csv_formats import is_linkedin, looks_like_email
from recruiter_desk.core.imports.model import BadImportFile, IncomingPerson, Problem
from recruiter_desk.core.imports.reading import SourceText
from recruiter_desk.core.normalize import clean

# vobject prints each line it skips, contact data included, on the terminal through a
# handler of its own; the app reports unreadable cards itself, by line, without their text.
_VOBJECT_LOG = logging.getLogger("vobject.base")
for _handler in list(_VOBJECT_LOG.handlers):
    _VOBJECT_LOG.removeHandler(_handler)
_VOBJECT_LOG.addHandler(logging.NullHandler())  # else logging's last resort prints it
_VOBJECT_LOG.propagate = False

_QP = re.compile(r"ENCODING=QUOTED-PRINTABLE|;QUOTED-PRINTABLE[;:]", re.I)
# Binary properties the app does not keep; their (often damaged) data is dropped unread.
_BINARY = re.compile(r"^(?:[\w-]+\.)?(?:PHOTO|LOGO|SOUND|KEY)[;:]", re.I)
_PROPERTY = re.compile(r"^(?:[\w-]+\.)?[A-Za-z][\w-]*[;:]")


def _cards(source: SourceText) -> list[tuple[int, str]]:
    """Each card's text with the line it starts on; a card without END is an error."""
    cards: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    pending_qp = False
    skipping_binary = False
    for number, line in enumerate(source.text.split("\n"), start=1):
        if skipping_binary:
            # Folded or 2.1-style continuation lines, and the blank line that ends them.
            if not line.strip() or line[:1] in (" ", "\t") or not _PROPERTY.match(line):
                continue
            skipping_binary = False
        if pending_qp and current:
            current[-1] = current[-1][:-1] + line
            pending_qp = current[-1].endswith("=")
            continue
        stripped = line.strip()
        upper = stripped.upper()
        if upper == "BEGIN:VCARD":
            if current:
                raise BadImportFile(source.name, "a vCard ends without END:VCARD.", start)
            current, start = [stripped], number
        elif upper == "END:VCARD":
            if not current:
                raise BadImportFile(source.name, "END:VCARD without a BEGIN:VCARD.", number)
            current.append(stripped)
            cards.append((start, "\r\n".join(current) + "\r\n"))
            current = []
        elif current and _BINARY.match(stripped):
            skipping_binary = True
        elif current:
            current.append(line.rstrip("\r"))
            pending_qp = bool(_QP.search(line.split(":", 1)[0] + ":")) and line.endswith("=")
        elif stripped:
            raise BadImportFile(source.name, "text outside a vCard.", number)
    if current:
        raise BadImportFile(
            source.name, "the file ends inside a vCard (it looks truncated).", start
        )
    if not cards:
        raise BadImportFile(source.name, "it holds no vCard.")
    return cards


def _values(card: Any, name: str) -> list[Any]:
    return [c.value for c in card.getChildren() if c.name == name]


def _text(value: Any) -> str:
    if isinstance(value, list):
        return clean(" ".join(str(v) for v in value if v))
    return clean(str(value)) if value is not None else ""


def parse_vcards(source: SourceText) -> tuple[list[IncomingPerson], list[Problem]]:
    people: list[IncomingPerson] = []
    problems: list[Problem] = []
    for line, text in _cards(source):
        try:
            card = vobject.readOne(text, ignoreUnreadable=True)
        except Exception as error:  # vobject raises many kinds on bad input
            problems.append(Problem(line, f"this vCard could not be read ({error}); skipped."))
            continue
        person = IncomingPerson(line=line, source="vcard")
        names = _values(card, "N")
        if names and not isinstance(names[0], str):
            person.first_name = clean(
                " ".join(p for p in (_text(names[0].given), _text(names[0].additional)) if p)
            )
            person.last_name = _text(names[0].family)
        if not person.first_name and not person.last_name:
            full = next((_text(v) for v in _values(card, "FN") if _text(v)), "")
            if full and not looks_like_email(full):
                first, _, last = full.rpartition(" ")
                person.first_name, person.last_name = (first, last) if first else (last, "")
        for value in _values(card, "EMAIL"):
            address = _text(value).removeprefix("mailto:")
            if looks_like_email(address):
                person.emails.append(address)
            elif address:
                problems.append(Problem(line, f"{address!r} is not an email address; left out."))
        person.phones = [_text(v).removeprefix("tel:") for v in _values(card, "TEL") if _text(v)]
        organizations = _values(card, "ORG")
        if organizations:
            org = organizations[0]
            person.company = _text(org[0] if isinstance(org, list) and org else org)
        person.title = next((_text(v) for v in _values(card, "TITLE") if _text(v)), "")
        for address in _values(card, "ADR"):
            city = _text(getattr(address, "city", "")) or _text(getattr(address, "region", ""))
            if city:
                person.location = city
                break
        urls = [_text(v) for v in _values(card, "URL") + _values(card, "X-SOCIALPROFILE")]
        for url in urls:
            if is_linkedin(url) and not person.linkedin_url:
                person.linkedin_url = url
            elif url and not is_linkedin(url) and url not in person.links:
                person.links.append(url)
        for categories in _values(card, "CATEGORIES"):
            items = categories if isinstance(categories, list) else str(categories).split(",")
            person.tags.extend(clean(t) for t in items if clean(t))
        person.notes = "\n".join(str(v).strip() for v in _values(card, "NOTE") if str(v).strip())
        people.append(person)
    return people, problems
