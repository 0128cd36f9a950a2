"""Who a person is: what to call them, how their names fold, and when two records are one.

Every rule here is written once and imported by import, Find duplicates, the new-person
warning, the lists and the CLI alike (docs/rules.md, "Identity"):

- display name: the name, else the first email, else ``#id``;
- letter folding (``fold``): one fold for search, same-person keys and name order;
- keys: email, phone, LinkedIn profile, name + company, and the sort key;
- the same-person test (``same_person``);
- merging two people (``merge_into``): empty fields filled, emails, phones, tags,
  interests and links united, do-not-contact wins.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any
from urllib.parse import SplitResult, urlsplit

from recruiter_desk.core.normalize import clean, tag
from recruiter_desk.folding import fold

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement

# SQLAlchemy is imported inside the two SQL helpers below: the command line's quick read
# path (core/quick_read.py) names people through display_name without loading it.

__all__ = [
    "SAME_EMAIL",
    "SAME_NAME",
    "SAME_PROFILE",
    "Identity",
    "MergeOutcome",
    "PersonValues",
    "display_name",
    "email_key",
    "first_email",
    "fold",
    "linkedin_key",
    "merge_into",
    "name_key",
    "phone_key",
    "readable_url",
    "same_person",
    "sort_key",
]


# -- what to call someone ----------------------------------------------------------------


def display_name(first_name: str, last_name: str, emails: Iterable[str], person_id: int) -> str:
    """What to call someone: their name, else their first email, else their number."""
    name = f"{first_name or ''} {last_name or ''}".strip()
    if name:
        return name
    first = next((e for e in emails if e), None)
    return first or f"#{person_id}"


# What ``str.strip()`` removes (every character whose ``isspace()`` is true), for SQLite's
# trim() to name people as ``display_name`` does; a test checks it against the interpreter.
PYTHON_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def display_name_sql(person: str, whitespace: str) -> str:
    """``display_name`` as SQLite text, for the command line's quick paths that have SQLite
    write their output: ``person`` is the people table's alias, ``whitespace`` SQL for
    ``PYTHON_WHITESPACE`` (a parameter or a literal). Emails in their order, blank ones
    skipped, as ``display_name`` walks them."""
    first = (
        f"(SELECT address FROM person_emails WHERE person_id = {person}.id "
        "AND address != '' ORDER BY position, id LIMIT 1)"
    )
    name = (
        f"trim(coalesce({person}.first_name, '') || ' ' || coalesce({person}.last_name, ''), "
        f"{whitespace})"
    )
    return f"coalesce(nullif({name}, ''), {first}, '#' || {person}.id)"


def first_email(person_id: Any) -> ColumnElement[Any]:
    """SQL for a person's first email, so queries can hand ``display_name`` what it needs."""
    from sqlalchemy import select

    from recruiter_desk.db.models import PersonEmail

    return (
        select(PersonEmail.address)
        .where(PersonEmail.person_id == person_id)
        .order_by(PersonEmail.position, PersonEmail.id)
        .limit(1)
        .scalar_subquery()
    )


def email_for_display(person_id: Any, first_name: Any, last_name: Any) -> ColumnElement[Any]:
    """SQL for what ``display_name`` needs besides the name: the first email of a nameless
    person, NULL for everyone else (SQLite evaluates a CASE branch only when it is taken, so
    long lists do not pay a lookup per row)."""
    from sqlalchemy import case

    return case((first_name + last_name == "", first_email(person_id)))


# -- keys ---------------------------------------------------------------------------------


def email_key(address: str) -> str:
    return clean(address).lower()


def phone_key(number: str) -> str:
    """``+351 912-345 678`` and ``+351912345678`` are one number."""
    return "".join(c for c in number if c.isdigit() or c == "+")


def linkedin_key(url: str | None) -> str | None:
    """``https://www.linkedin.com/in/Ana/?trk=x`` and ``linkedin.com/in/ana`` are the same key.

    None when there is no URL or it cannot be taken apart (``https://[…``): such a value
    identifies no profile, and no caller has to guard against the parser's ValueError.
    """
    parts = _split_url(url)
    if parts is None:
        return None
    host = parts.netloc.lower()
    for prefix in ("www.", "m.", "mobile."):
        if host.startswith(prefix):
            host = host[len(prefix) :]
    path = parts.path.rstrip("/").lower()
    if not host:
        return None
    return f"{host}{path}"


def readable_url(url: str | None) -> bool:
    """Whether a LinkedIn URL can be taken apart at all (``https://[…`` cannot)."""
    return not clean(url) or _split_url(url) is not None


def _split_url(url: str | None) -> SplitResult | None:
    value = clean(url)
    if not value:
        return None
    if "://" not in value:
        value = "https://" + value
    try:
        return urlsplit(value)
    except ValueError:
        return None


def name_key(first_name: str, last_name: str, company: str) -> str:
    """Full name plus company, folded; empty when there is no name."""
    name = clean(f"{first_name} {last_name}")
    if not name:
        return ""
    return f"{fold(name)}|{fold(clean(company))}"


def sort_key(first_name: str, last_name: str) -> str:
    """How people are ordered by name: surname (or the only name) first, folded, so Álvaro
    files with the A's and Øberg with the O's."""
    surname = clean(last_name) or clean(first_name)
    return f"{fold(surname)}\x1f{fold(clean(first_name))}"


# -- the same-person test -----------------------------------------------------------------

SAME_EMAIL = "same email"
SAME_PROFILE = "same LinkedIn profile"
SAME_NAME = "same name and company"


@dataclass(frozen=True)
class Identity:
    """The keys the same-person test compares."""

    email_keys: frozenset[str]
    linkedin_key: str | None
    name_key: str

    @classmethod
    def of(
        cls,
        first_name: str,
        last_name: str,
        company: str,
        emails: Iterable[str],
        linkedin_url: str | None,
    ) -> Identity:
        return cls(
            frozenset(k for e in emails if (k := email_key(e))),
            linkedin_key(linkedin_url),
            name_key(first_name or "", last_name or "", company or ""),
        )


def same_person(a: Identity, b: Identity) -> str | None:
    """Why ``a`` and ``b`` are one person (``SAME_*``), or None when they are two.

    An address is personal, and so is a LinkedIn profile. Namesakes at one company are
    common; two LinkedIn profiles are two people.
    """
    if a.email_keys & b.email_keys:
        return SAME_EMAIL
    if a.linkedin_key and a.linkedin_key == b.linkedin_key:
        return SAME_PROFILE
    if a.name_key and a.name_key == b.name_key:
        if a.linkedin_key and b.linkedin_key:
            return None
        return SAME_NAME
    return None


# -- merging two people -------------------------------------------------------------------

# Fields that a merge fills when the kept person has nothing there.
FILLED_WHEN_EMPTY = (
    "company",
    "title",
    "location",
    "linkedin_url",
    "openness",
    "cadence_days",
    "snoozed_until",
    "source",
)


@dataclass
class PersonValues:
    """A person's own fields as a merge sees them: ``fields`` by column name, plus lists."""

    fields: dict[str, Any]
    work_modes: int = 0
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)

    @property
    def identity(self) -> Identity:
        f = self.fields
        return Identity.of(
            f.get("first_name") or "",
            f.get("last_name") or "",
            f.get("company") or "",
            self.emails,
            f.get("linkedin_url"),
        )


@dataclass
class MergeOutcome:
    """What ``merge_into`` changed: field names, and the list items it added."""

    changed: set[str] = field(default_factory=set)
    new_emails: list[str] = field(default_factory=list)
    new_phones: list[str] = field(default_factory=list)
    new_tags: list[str] = field(default_factory=list)
    new_interests: list[str] = field(default_factory=list)


def _empty(value: Any) -> bool:
    return value is None or value == ""


def _unite(
    current: list[str], incoming: Iterable[str], key: Callable[[str], str], added: list[str]
) -> None:
    seen = {key(v) for v in current}
    for value in incoming:
        marker = key(value) if value else ""
        if marker and marker not in seen:
            seen.add(marker)
            current.append(value)
            added.append(value)


def merge_into(kept: PersonValues, other: PersonValues) -> MergeOutcome:
    """Fold ``other`` into ``kept`` in place, losing nothing and overwriting nothing.

    Empty fields are filled (a name only when ``kept`` has none at all); notes are
    appended; the earlier ``connected_on`` is kept; emails, phones, tags, interests and
    links are united; do-not-contact and applicant win, because either record saying so
    is a fact about the person.
    """
    outcome = MergeOutcome()
    mine, theirs = kept.fields, other.fields

    def put(name: str, value: Any) -> None:
        if mine.get(name) != value:
            mine[name] = value
            outcome.changed.add(name)

    if _empty(mine.get("first_name")) and _empty(mine.get("last_name")):
        for name in ("first_name", "last_name"):
            if not _empty(theirs.get(name)):
                put(name, theirs[name])
    for name in FILLED_WHEN_EMPTY:
        if _empty(mine.get(name)) and not _empty(theirs.get(name)):
            put(name, theirs[name])
    notes = (theirs.get("notes") or "").strip()
    if notes and notes not in (mine.get("notes") or ""):
        put("notes", f"{mine['notes']}\n\n{notes}" if mine.get("notes") else notes)
    connected: date | None = theirs.get("connected_on")
    if connected is not None and (
        mine.get("connected_on") is None or connected < mine["connected_on"]
    ):
        put("connected_on", connected)
    for flag in ("do_not_contact", "is_applicant"):
        if theirs.get(flag) and not mine.get(flag):
            put(flag, True)
    if other.work_modes and not kept.work_modes:
        kept.work_modes = other.work_modes
        outcome.changed.add("work_modes")
    _unite(kept.emails, (e.strip() for e in other.emails), email_key, outcome.new_emails)
    _unite(kept.phones, (clean(p) for p in other.phones), phone_key, outcome.new_phones)
    _unite(kept.tags, (tag(t) for t in other.tags), str, outcome.new_tags)
    _unite(kept.interests, (tag(t) for t in other.interests), str, outcome.new_interests)
    links: list[str] = []
    _unite(kept.links, other.links, str, links)
    if links:
        outcome.changed.add("links")
    return outcome
