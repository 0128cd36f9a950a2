"""CSV layouts: LinkedIn connections, Google Contacts (both layouts), Outlook (both
layouts), this app's own export, and any other CSV through a column mapping."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from datetime import date, datetime

from recruiter_desk.core.exports.csv_file import FORMULA_TRIGGERS
from recruiter_desk.core.imports.model import BadImportFile, IncomingPerson, Problem
from recruiter_desk.core.imports.reading import Source, csv_rows, header_index
from recruiter_desk.core.normalize import clean
from recruiter_desk.core.vocabulary import OPENNESS, WORK_MODE_BITS
from recruiter_desk.errors import UsageError

Row = dict[str, str]

# Fields a generic CSV column can fill, with the header names that mean them.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "first_name": (
        "first name",
        "firstname",
        "first",
        "given name",
        "forename",
        "vorname",
        "prénom",
        "prenom",
    ),
    "last_name": ("last name", "lastname", "last", "surname", "family name", "nachname", "nom"),
    "full_name": ("name", "full name", "fullname", "display name", "contact name", "contact"),
    "emails": (
        "email",
        "e-mail",
        "email address",
        "e-mail address",
        "mail",
        "emails",
        "work email",
        "personal email",
        "email 1",
        "primary email",
    ),
    "phones": (
        "phone",
        "phones",
        "mobile",
        "telephone",
        "tel",
        "phone number",
        "mobile phone",
        "cell",
        "cell phone",
        "work phone",
    ),
    "company": (
        "company",
        "organization",
        "organisation",
        "employer",
        "company name",
        "account",
        "account name",
        "firma",
    ),
    "title": ("title", "position", "job title", "role", "job", "headline"),
    "location": ("location", "city", "town", "based in"),
    "linkedin_url": (
        "linkedin",
        "linkedin url",
        "linkedin profile",
        "profile url",
        "url",
        "linkedin link",
    ),
    "tags": ("tags", "labels", "categories", "groups", "tag"),
    "interests": ("interests", "topics", "skills"),
    "notes": ("notes", "note", "comments", "comment"),
    "connected_on": ("connected on", "connected", "date added", "added on"),
    "work_modes": ("work modes", "work mode", "work preference"),
    "openness": ("openness",),
    "do_not_contact": ("do not contact", "do-not-contact", "dnc"),
    "is_applicant": ("applicant", "is applicant"),
    "cadence_days": ("cadence days", "cadence"),
    "source": ("source",),
}
MAPPABLE = tuple(FIELD_ALIASES)
OWN_EXPORT_COLUMNS = {"first name", "last name", "emails", "work modes", "do not contact"}

# Month names from a fixed table, never from strptime's %b: QApplication sets the locale
# from the desktop, and under a German one "24 Oct 2023" would stop parsing in the window.
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})\s+([a-z]+)\.?,?\s+(\d{4})")  # 24 Jul 2023
_MONTH_DAY_YEAR = re.compile(r"([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})")  # Jul 24, 2023
_NUMERIC_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%d.%m.%Y")  # digits only: locale-free
_SPLIT_LIST = re.compile(r"\s*[;,]\s*")
_SPLIT_EMAILS = re.compile(r"[\s;,]+")


def parse_date(value: str) -> date | None:
    """LinkedIn's ``24 Jul 2023`` and the other common spellings; None when blank.

    The same in every locale: English month names come from a fixed table.
    """
    text = clean(value)
    if not text or text in ("0/0/00", "0/0/0000"):
        return None
    lowered = text.lower()
    for pattern, order in ((_DAY_MONTH_YEAR, (1, 2, 3)), (_MONTH_DAY_YEAR, (2, 1, 3))):
        match = pattern.fullmatch(lowered)
        if match:
            day, month, year = (match.group(i) for i in order)
            if month in _MONTHS:
                try:
                    return date(int(year), _MONTHS[month], int(day))
                except ValueError:
                    break
    else:
        for numeric in _NUMERIC_FORMATS:
            try:
                return datetime.strptime(text, numeric).date()
            except ValueError:
                continue
    raise ValueError(
        f"the date {text!r} is not one this app reads (like 24 Jul 2023 or 2023-07-24)"
    )


def split_name(full: str) -> tuple[str, str]:
    parts = clean(full).rsplit(" ", 1)
    return (parts[0], parts[1]) if len(parts) == 2 else (parts[0], "")


def looks_like_email(value: str) -> bool:
    return bool(re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value))


def is_linkedin(url: str) -> bool:
    return "linkedin.com/" in url.lower()


def _table(source: Source) -> tuple[list[str], Iterator[tuple[int, Row]]]:
    rows = csv_rows(source)
    first = list(itertools.islice(rows, 40))
    start = header_index(first)
    if not first[start:]:
        raise BadImportFile(source.name, "it has no header row.")
    _, header = first[start]
    names = [h.strip().lstrip("\ufeff") for h in header]

    def records() -> Iterator[tuple[int, Row]]:
        for line, cells in itertools.chain(first[start + 1 :], rows):
            if not any(c.strip() for c in cells):
                continue  # rows made only of commas
            yield line, {names[i]: cells[i].strip() for i in range(min(len(names), len(cells)))}

    return names, records()


class _Collector:
    """Gathers per-row problems while parsers fill in people."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems

    def date(self, line: int, value: str, what: str) -> date | None:
        try:
            return parse_date(value)
        except ValueError as error:
            self.problems.append(Problem(line, f"{what}: {error}; left empty."))
            return None

    def emails(self, line: int, values: list[str]) -> list[str]:
        kept = []
        for value in values:
            value = value.strip().strip("<>").removeprefix("mailto:")
            if not value:
                continue
            if looks_like_email(value):
                kept.append(value)
            else:
                self.problems.append(Problem(line, f"{value!r} is not an email address; left out."))
        return kept


def _numbered(row: Row, pattern: str) -> list[str]:
    """Values of numbered columns (``E-mail 1 - Value``, ``E-mail 2 - Value`` …), in order,
    with Google's ``a ::: b`` cells split."""
    found: list[tuple[int, str]] = []
    for key, value in row.items():
        match = re.fullmatch(pattern, key, flags=re.I)
        if match and value:
            found.extend((int(match.group(1)), v.strip()) for v in value.split(":::"))
    return [v for _n, v in sorted(found, key=lambda item: item[0]) if v]


def _split_links(urls: list[str], person: IncomingPerson) -> None:
    for url in urls:
        if is_linkedin(url) and not person.linkedin_url:
            person.linkedin_url = url
        elif url not in person.links:
            person.links.append(url)


def parse_linkedin(source: Source, problems: list[Problem]) -> Iterator[IncomingPerson]:
    names, records = _table(source)
    lowered = {n.lower() for n in names}
    if not {"first name", "last name"} <= lowered:
        raise BadImportFile(
            source.name,
            "this is not a LinkedIn connections file (no First Name and Last Name columns).",
        )
    collector = _Collector(problems)
    for line, row in records:
        get = {k.lower(): v for k, v in row.items()}.get
        person = IncomingPerson(
            line=line,
            first_name=get("first name", ""),
            last_name=get("last name", ""),
            emails=collector.emails(line, [get("email address", "")]),
            company=get("company", ""),
            title=get("position", ""),
            linkedin_url=get("url") or None,
            connected_on=collector.date(line, get("connected on", ""), "Connected On"),
            source="linkedin",
        )
        yield person


def parse_google(source: Source, problems: list[Problem]) -> Iterator[IncomingPerson]:
    _names, records = _table(source)
    collector = _Collector(problems)
    for line, row in records:
        get = row.get
        first = get("First Name") or get("Given Name") or ""
        last = get("Last Name") or get("Family Name") or ""
        if not first and not last and get("Name"):
            first, last = split_name(get("Name", ""))
        labels = get("Labels") or get("Group Membership") or ""
        person = IncomingPerson(
            line=line,
            first_name=first,
            last_name=last,
            emails=collector.emails(line, _numbered(row, r"E-mail (\d+) - Value")),
            phones=_numbered(row, r"Phone (\d+) - Value"),
            company=get("Organization Name") or get("Organization 1 - Name") or "",
            title=get("Organization Title") or get("Organization 1 - Title") or "",
            location=get("Address 1 - City") or "",
            # "* myContacts" and "* starred" are Google's own groups, not the user's tags.
            tags=[
                t.strip()
                for t in labels.split(":::")
                if t.strip() and not t.strip().startswith("*")
            ],
            notes=get("Notes") or "",
            source="google",
        )
        _split_links(_numbered(row, r"Website (\d+) - Value"), person)
        yield person


def parse_outlook(source: Source, problems: list[Problem]) -> Iterator[IncomingPerson]:
    names, records = _table(source)
    phone_columns = [n for n in names if "phone" in n.lower() and "fax" not in n.lower()]
    collector = _Collector(problems)
    for line, row in records:
        get = row.get
        emails = [get("E-mail Address", "")] + [get(f"E-mail {n} Address", "") for n in (2, 3)]
        categories = get("Categories", "")
        person = IncomingPerson(
            line=line,
            first_name=" ".join(p for p in (get("First Name", ""), get("Middle Name", "")) if p),
            last_name=get("Last Name", ""),
            emails=collector.emails(line, [e for e in emails if e]),
            phones=[row[c] for c in phone_columns if row.get(c)],
            company=get("Company", ""),
            title=get("Job Title", ""),
            location=get("Business City") or get("Home City") or get("Other City") or "",
            tags=[t for t in _SPLIT_LIST.split(categories) if t],
            notes=get("Notes", ""),
            source="outlook",
        )
        _split_links([u for u in (get("Web Page", ""), get("Personal Web Page", "")) if u], person)
        yield person


# Fields several columns may fill at once (a work and a personal email); every other
# field comes from one column, or which column wins would be a silent guess.
MULTI_COLUMN_FIELDS = frozenset({"emails", "phones", "tags", "interests"})
# The field of a column the user chose to leave out.
NOT_IMPORTED = ""


def check_mapping(mapping: dict[str, str]) -> None:
    """Refuse a mapping that sends several columns to a one-column field."""
    columns_of: dict[str, list[str]] = {}
    for column, target in mapping.items():
        if target == NOT_IMPORTED:
            continue
        columns_of.setdefault(target, []).append(column)
    for target, columns in columns_of.items():
        if len(columns) > 1 and target not in MULTI_COLUMN_FIELDS:
            shown = ", ".join(repr(c) for c in columns)
            raise UsageError(
                f"{len(columns)} columns ({shown}) are mapped to {target.replace('_', ' ')!r}; "
                "choose one column for it."
            )


def parse_mapping(pairs: list[str]) -> dict[str, str]:
    """``["Work Mail=emails"]`` → ``{"work mail": "emails"}``, refusing unknown fields."""
    mapping = {}
    for pair in pairs:
        header, sep, target = pair.partition("=")
        if not sep or not header.strip() or not target.strip():
            raise UsageError(f'--map {pair!r} must look like "Column header=field".')
        if target.strip() not in MAPPABLE:
            raise UsageError(
                f"--map {pair!r}: unknown field {target.strip()!r}; use one of "
                f"{', '.join(MAPPABLE)}."
            )
        mapping[header.strip().lower()] = target.strip()
    check_mapping(mapping)
    return mapping


def column_fields(names: list[str], mapping: dict[str, str]) -> dict[str, str]:
    """Column header → field, from the user's mapping first, then common header names."""
    alias_of = {alias: target for target, aliases in FIELD_ALIASES.items() for alias in aliases}
    fields: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        key = name.strip().lower()
        # A column mapped to NOT_IMPORTED stays out even when its header is a known one.
        target = (mapping[key] or None) if key in mapping else alias_of.get(key)
        if target and (target not in taken or target in MULTI_COLUMN_FIELDS):
            fields[name] = target
            taken.add(target)
    return fields


def _unescape(value: str) -> str:
    """Undo this app's spreadsheet-formula guard (a ``'`` before a trigger character)."""
    if value.startswith("'") and value[1:2] in FORMULA_TRIGGERS:
        return value[1:]
    return value


def parse_generic(
    source: Source, problems: list[Problem], mapping: dict[str, str] | None = None
) -> Iterator[IncomingPerson]:
    names, records = _table(source)
    check_mapping(mapping or {})
    fields = column_fields(names, mapping or {})
    targets = set(fields.values())
    if not targets & {"first_name", "last_name", "full_name", "emails"}:
        shown = ", ".join(repr(n) for n in names[:8]) or "none"
        raise BadImportFile(
            source.name,
            f"no column looks like a name or an email (columns: {shown}); say which is which "
            'with --map "Column=field".',
            1,
        )
    own_export = {n.strip().lower() for n in names} >= OWN_EXPORT_COLUMNS
    collector = _Collector(problems)
    for line, row in records:
        person = IncomingPerson(line=line, source="csv")
        for column, target in fields.items():
            value = row.get(column, "")
            if own_export:
                value = _unescape(value)
            if value:
                _assign(person, target, value, line, collector)
        yield person


def _assign(
    person: IncomingPerson, target: str, value: str, line: int, collector: _Collector
) -> None:
    setters: dict[str, Callable[[], None]] = {
        "first_name": lambda: setattr(person, "first_name", value),
        "last_name": lambda: setattr(person, "last_name", value),
        "full_name": lambda: _full_name(person, value),
        "emails": lambda: person.emails.extend(collector.emails(line, _SPLIT_EMAILS.split(value))),
        "phones": lambda: person.phones.extend(p for p in re.split(r"\s*;\s*", value) if p),
        "company": lambda: setattr(person, "company", value),
        "title": lambda: setattr(person, "title", value),
        "location": lambda: setattr(person, "location", value),
        "linkedin_url": lambda: _split_links(
            [u for u in re.split(r"\s*[;\s]\s*", value) if u], person
        ),
        "tags": lambda: person.tags.extend(t for t in _SPLIT_LIST.split(value) if t),
        "interests": lambda: person.interests.extend(t for t in _SPLIT_LIST.split(value) if t),
        "notes": lambda: setattr(person, "notes", value),
        "connected_on": lambda: setattr(
            person, "connected_on", collector.date(line, value, "connected on")
        ),
        "work_modes": lambda: _work_modes(person, value, line, collector),
        "openness": lambda: _openness(person, value, line, collector),
        "do_not_contact": lambda: setattr(person, "do_not_contact", _truthy(value)),
        "is_applicant": lambda: setattr(person, "is_applicant", _truthy(value)),
        "cadence_days": lambda: _cadence(person, value, line, collector),
        "source": lambda: setattr(person, "source", value),
    }
    setters[target]()


def _full_name(person: IncomingPerson, value: str) -> None:
    if not person.first_name and not person.last_name:
        person.first_name, person.last_name = split_name(value)


def _truthy(value: str) -> bool:
    return value.strip().lower() in ("1", "yes", "y", "true", "x", "ja", "oui", "sí", "si")


def _work_modes(person: IncomingPerson, value: str, line: int, collector: _Collector) -> None:
    modes = []
    for raw in _SPLIT_LIST.split(value.lower()):
        mode = raw.replace("-", "").replace(" ", "").replace("onsite", "onsite")
        mode = {"office": "onsite", "inoffice": "onsite", "onsite": "onsite"}.get(mode, mode)
        if mode in WORK_MODE_BITS:
            modes.append(mode)
        elif mode:
            collector.problems.append(Problem(line, f"unknown work mode {raw!r}; left out."))
    person.work_modes = modes


def _openness(person: IncomingPerson, value: str, line: int, collector: _Collector) -> None:
    text = value.strip().lower().replace(" ", "_").replace("-", "_")
    if text in OPENNESS:
        person.openness = text
    else:
        collector.problems.append(Problem(line, f"unknown openness {value!r}; left empty."))


def _cadence(person: IncomingPerson, value: str, line: int, collector: _Collector) -> None:
    try:
        days = int(value)
        if days < 1:
            raise ValueError
        person.cadence_days = days
    except ValueError:
        collector.problems.append(Problem(line, f"cadence {value!r} is not a number of days."))
