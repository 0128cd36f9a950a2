"""vCard 2.1, 3.0 and 4.0, with the repairs real exports need.

Android's 2.1 exports break quoted-printable values over lines with a trailing ``=``
(a "soft line break" that is not vCard folding); those lines are joined before a card is
read. Each card is read on its own, so one bad card names its line and the rest still import.

The properties the app keeps are read directly (unfolding, item groups, quoted-printable in
any charset, backslash escapes): vobject builds an object per line and cost about 1.5 ms a
card. A card with anything that direct reading does not handle (a quoted or base64 parameter
on a kept property, a value that does not decode) is handed to vobject whole, as before.
"""

from __future__ import annotations

import logging
import quopri
import re
from collections.abc import Iterator
from typing import Any, NamedTuple

from recruiter_desk.core.imports.csv_formats import is_linkedin, looks_like_email
from recruiter_desk.core.imports.model import BadImportFile, IncomingPerson, Problem
from recruiter_desk.core.imports.reading import Source
from recruiter_desk.core.normalize import clean

_QP = re.compile(r"ENCODING=QUOTED-PRINTABLE|;QUOTED-PRINTABLE[;:]", re.I)
# Binary properties the app does not keep; their (often damaged) data is dropped unread.
_BINARY = re.compile(r"^(?:[\w-]+\.)?(?:PHOTO|LOGO|SOUND|KEY)[;:]", re.I)
_PROPERTY = re.compile(r"^(?:[\w-]+\.)?[A-Za-z][\w-]*[;:]")
_CONTENT_LINE = re.compile(r"^(?:[\w-]+\.)?([A-Za-z][\w-]*)((?:;[^:]*)?):(.*)$", re.S)

_KEPT = frozenset(
    {"N", "FN", "EMAIL", "TEL", "ORG", "TITLE", "ADR", "URL", "X-SOCIALPROFILE", "CATEGORIES"}
    | {"NOTE"}
)
_NAME_ORDER = ("family", "given", "additional", "prefix", "suffix")
_ADDRESS_ORDER = ("box", "extended", "street", "city", "region", "code", "country")


class _Name(NamedTuple):
    family: Any = ""
    given: Any = ""
    additional: Any = ""
    prefix: Any = ""
    suffix: Any = ""


class _Address(NamedTuple):
    box: Any = ""
    extended: Any = ""
    street: Any = ""
    city: Any = ""
    region: Any = ""
    code: Any = ""
    country: Any = ""


class _NeedsVobject(Exception):
    """This card holds something direct reading leaves to vobject."""


def _cards(source: Source) -> Iterator[tuple[int, list[str]]]:
    """Each card's lines with the line it starts on, as the file is read; a card without END
    is an error."""
    found = False
    current: list[str] = []
    start = 0
    pending_qp = False
    skipping_binary = False
    for number, ending in enumerate(source.lines(), start=1):
        line = ending.removesuffix("\n")
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
            yield start, current
            found = True
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
    if not found:
        raise BadImportFile(source.name, "it holds no vCard.")


def _vobject_values(text: str) -> dict[str, list[Any]]:
    import vobject  # only for the rare card direct reading leaves; costly to import

    # vobject prints each line it skips, contact data included, on the terminal through a
    # handler of its own; the app reports unreadable cards itself, by line, without text.
    log = logging.getLogger("vobject.base")
    for handler in list(log.handlers):
        log.removeHandler(handler)
    if not log.handlers:
        log.addHandler(logging.NullHandler())  # else logging's last resort prints it
    log.propagate = False
    card = vobject.readOne(text, ignoreUnreadable=True)
    values: dict[str, list[Any]] = {}
    for child in card.getChildren():
        values.setdefault(child.name, []).append(child.value)
    return values


def _split(text: str, separator: str) -> list[str]:
    """Unescaped pieces of a list value, as vobject splits them (a last empty one dropped)."""
    if "\\" not in text:
        pieces = text.split(separator)
        if len(pieces) > 1 and pieces[-1] == "":
            pieces.pop()
        return pieces
    pieces, current, escaped = [], [], False
    escapable = ";" if separator == ";" else '\\;,Nn"'
    for char in text:
        if escaped:
            escaped = False
            if char in escapable:
                current.append("\n" if char in "nN" else char)
            else:
                current.append("\\" + char)
        elif char == "\\":
            escaped = True
        elif char == separator:
            pieces.append("".join(current))
            current = []
        else:
            current.append(char)
    if current or not pieces:
        pieces.append("".join(current))
    return pieces


def _unescape(text: str) -> str:
    """A single text value: commas are part of it, backslash escapes are undone."""
    if "\\" not in text:
        return text
    return ",".join(_split(text, ","))


def _fields(text: str) -> list[Any]:
    """A structured value (N, ADR, ORG): each field a string, or a list if it holds commas."""
    fields: list[Any] = []
    for field in _split(text, ";"):
        items = _split(field, ",")
        fields.append(items[0] if len(items) == 1 else items)
    return fields


def _direct_values(lines: list[str]) -> dict[str, list[Any]]:
    """The kept properties of one card, by name; raises _NeedsVobject when unsure."""
    logical: list[str] = []
    for line in lines[1:-1]:
        if line[:1] in (" ", "\t") and logical:
            logical[-1] += line[1:]
        elif line.strip():
            logical.append(line)
    values: dict[str, list[Any]] = {}
    for line in logical:
        match = _CONTENT_LINE.match(line)
        if match is None:
            continue  # vobject skips unreadable lines too; the card still imports
        name = match.group(1).upper()
        if name not in _KEPT:
            continue
        params, value = match.group(2), match.group(3)
        if params:
            if '"' in params:
                raise _NeedsVobject
            upper = params.upper()
            if "QUOTED-PRINTABLE" in upper:
                charset = "utf-8"
                for param in upper.split(";"):
                    key, _, setting = param.partition("=")
                    if key == "CHARSET" and setting:
                        charset = setting.split(",")[0]
                    elif key == "ENCODING" and setting != "QUOTED-PRINTABLE":
                        raise _NeedsVobject
                try:
                    value = quopri.decodestring(value.encode("utf-8")).decode(charset)
                except (LookupError, ValueError) as error:
                    raise _NeedsVobject from error
            elif "ENCODING=" in upper or "BASE64" in upper:
                raise _NeedsVobject
        if name == "N":
            parsed: Any = _Name(*_fields(value)[:5])
        elif name == "ADR":
            parsed = _Address(*_fields(value)[:7])
        elif name == "ORG":
            parsed = _fields(value)
        elif name == "CATEGORIES":
            parsed = _split(value, ",")
        else:
            parsed = _unescape(value)
        values.setdefault(name, []).append(parsed)
    return values


def _text(value: Any) -> str:
    if isinstance(value, list):
        return clean(" ".join(str(v) for v in value if v))
    return clean(str(value)) if value is not None else ""


def parse_vcards(source: Source, problems: list[Problem]) -> Iterator[IncomingPerson]:
    for line, lines in _cards(source):
        try:
            values = _direct_values(lines)
        except _NeedsVobject:
            try:
                values = _vobject_values("\r\n".join(lines) + "\r\n")
            except Exception as error:  # vobject raises many kinds on bad input
                problems.append(Problem(line, f"this vCard could not be read ({error}); skipped."))
                continue
        person = IncomingPerson(line=line, source="vcard")
        names = values.get("N", [])
        if names and not isinstance(names[0], str):
            person.first_name = clean(
                " ".join(p for p in (_text(names[0].given), _text(names[0].additional)) if p)
            )
            person.last_name = _text(names[0].family)
        if not person.first_name and not person.last_name:
            full = next((_text(v) for v in values.get("FN", []) if _text(v)), "")
            if full and not looks_like_email(full):
                first, _, last = full.rpartition(" ")
                person.first_name, person.last_name = (first, last) if first else (last, "")
        for value in values.get("EMAIL", []):
            address = _text(value).removeprefix("mailto:")
            if looks_like_email(address):
                person.emails.append(address)
            elif address:
                problems.append(Problem(line, f"{address!r} is not an email address; left out."))
        person.phones = [_text(v).removeprefix("tel:") for v in values.get("TEL", []) if _text(v)]
        organizations = values.get("ORG", [])
        if organizations:
            org = organizations[0]
            person.company = _text(org[0] if isinstance(org, list) and org else org)
        person.title = next((_text(v) for v in values.get("TITLE", []) if _text(v)), "")
        for address in values.get("ADR", []):
            city = _text(getattr(address, "city", "")) or _text(getattr(address, "region", ""))
            if city:
                person.location = city
                break
        urls = [_text(v) for v in values.get("URL", []) + values.get("X-SOCIALPROFILE", [])]
        for url in urls:
            if is_linkedin(url) and not person.linkedin_url:
                person.linkedin_url = url
            elif url and not is_linkedin(url) and url not in person.links:
                person.links.append(url)
        for categories in values.get("CATEGORIES", []):
            items = categories if isinstance(categories, list) else str(categories).split(",")
            person.tags.extend(clean(t) for t in items if clean(t))
        person.notes = "\n".join(str(v).strip() for v in values.get("NOTE", []) if str(v).strip())
        yield person
