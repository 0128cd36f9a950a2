"""Which person the user means: an id (``12`` or ``#12``), an email address, or a name.

A name matches by its words, accents and case ignored: the whole name exactly first
("Liam Smith" is not "Liam Smithers"), else every word as the start of a word of the name
(``liam smi``), through the same search index as the lists. The command line names people
this way; a name that fits several people lists them, so the user can pick one by id.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from recruiter_desk.core.identity import display_name, email_key, first_email, sort_key
from recruiter_desk.core.normalize import clean
from recruiter_desk.db import search_index
from recruiter_desk.db.models import Person, PersonEmail
from recruiter_desk.errors import KnownError, NotFoundError

# Enough to recognise the one meant; more means the name needs more words.
MAX_CHOICES = 10


@dataclass(frozen=True)
class PersonChoice:
    """One person a name could mean, with what tells namesakes apart."""

    id: int
    name: str
    email: str
    title: str
    company: str

    def describe(self) -> str:
        """``#12 Liam Smith <liam@helix.example>, Data Engineer at Helix``."""
        text = f"#{self.id} {self.name}"
        if self.email and self.email != self.name:
            text += f" <{self.email}>"
        job = " at ".join(part for part in (self.title, self.company) if part)
        return f"{text}, {job}" if job else text


class AmbiguousPersonError(KnownError):
    """A name that fits several people: one sentence, then one line per person."""

    def __init__(self, named: str, choices: list[PersonChoice]) -> None:
        shown = choices[:MAX_CHOICES]
        many = f"More than {MAX_CHOICES}" if len(choices) > MAX_CHOICES else str(len(choices))
        lines = [f"{many} people match {named!r}; name one by id or email address:"]
        lines += [f"  {choice.describe()}" for choice in shown]
        super().__init__("\n".join(lines))
        self.choices = shown


def _as_id(named: str) -> int | None:
    value = named.strip().removeprefix("#")
    return int(value) if value.isdigit() else None


def resolve_person(connection: Connection, named: str) -> int:
    """The id of the one person ``named`` means.

    An id is returned as it is (the command that uses it says when no one has it); a name or
    address that fits no one raises NotFoundError, one that fits several AmbiguousPersonError.
    """
    person_id = _as_id(named)
    if person_id is not None:
        return person_id
    found = find_people(connection, named)
    if len(found) == 1:
        return found[0].id
    if found:
        raise AmbiguousPersonError(clean(named), found)
    if "@" in named:
        raise NotFoundError(f"No one in the database has the email address {clean(named)!r}.")
    raise NotFoundError(f"No one in the database is called {clean(named)!r}.")


def find_people(connection: Connection, named: str) -> list[PersonChoice]:
    """Everyone ``named`` could mean (up to one more than MAX_CHOICES), in name order."""
    wanted = clean(named)
    person_id = _as_id(wanted)
    if person_id is not None:
        return _choices(connection, [person_id])
    if not wanted:
        return []
    if "@" in wanted:
        ids = connection.scalars(
            select(PersonEmail.person_id)
            .where(PersonEmail.address_key == email_key(wanted))
            .distinct()
        ).all()
        return _choices(connection, list(ids))
    exact = connection.scalars(
        select(Person.id).where(Person.sort_key.in_(_whole_name_keys(wanted)))
    ).all()
    if exact:
        return _choices(connection, list(exact))
    return _choices(connection, _name_prefix_matches(connection, wanted))


def _whole_name_keys(name: str) -> set[str]:
    """The sort keys of every way to split ``name`` into first and last names."""
    words = name.split(" ")
    keys = {sort_key(name, ""), sort_key("", name)}
    for cut in range(1, len(words)):
        keys.add(sort_key(" ".join(words[:cut]), " ".join(words[cut:])))
    return keys


def _name_prefix_matches(connection: Connection, name: str) -> list[int]:
    if not search_index.is_supported(connection):
        return []
    named = search_index.matching_ids(connection, name, field="name")
    if named is None:
        return []
    return [row[0] for row in connection.execute(named.limit(1000))]


def _choices(connection: Connection, ids: list[int]) -> list[PersonChoice]:
    if not ids:
        return []
    rows = connection.execute(
        select(
            Person.id,
            Person.first_name,
            Person.last_name,
            first_email(Person.id),
            Person.title,
            Person.company,
        )
        .where(Person.id.in_(ids))
        .order_by(Person.sort_key, Person.id)
        .limit(MAX_CHOICES + 1)
    )
    return [
        PersonChoice(
            id=row[0],
            name=display_name(row[1], row[2], [row[3]] if row[3] else [], row[0]),
            email=row[3] or "",
            title=row[4],
            company=row[5],
        )
        for row in rows
    ]
