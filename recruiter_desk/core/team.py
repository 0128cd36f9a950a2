"""Working as a team on one database (docs/team.md): who else is in touch with a person,
and edits that would overwrite a teammate's newer change.

Every interaction records the recruiter who logged or sent it (``db/team.py``). A touch is
a touch whoever made it (``db/touch.py`` does not look at the recruiter), so a teammate's
call keeps a relationship warm for everyone; but before you write to someone a teammate
was in touch with in the last days, you are told who and when, so no candidate hears from
two recruiters in one week.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select

from recruiter_desk.core.clock import AsOf
from recruiter_desk.core.identity import display_name
from recruiter_desk.core.wording import days_ago
from recruiter_desk.db.models import Interaction, Person
from recruiter_desk.db.team import recruiter_of
from recruiter_desk.db.touch import is_touch
from recruiter_desk.errors import KnownError

if TYPE_CHECKING:
    from recruiter_desk.db.copy import CopyReport
    from recruiter_desk.db.offline import ReadOnlyCopy

# How each kind of touch reads in "Bob emailed Ana Lima".
_VERBS = {
    "email": "emailed",
    "call": "called",
    "meeting": "met",
    "message": "messaged",
    "article": "shared an article with",
}


@dataclass(frozen=True)
class TeammateContact:
    """A teammate's newest touch with one person within the window."""

    person_id: int
    person_name: str
    recruiter: str
    kind: str
    direction: str
    day: date  # local calendar day of the touch
    today: date

    @property
    def sentence(self) -> str:
        from recruiter_desk.core.timeline import (
            long_day,
        )  # timeline imports records, which imports us

        when = f"on {long_day(self.day)} ({days_ago((self.today - self.day).days)})"
        if self.direction == "inbound":
            what = f"heard from {self.person_name} ({self.kind})"
        else:
            what = f"{_VERBS.get(self.kind, 'contacted')} {self.person_name}"
        return f"Your teammate {self.recruiter} {what} {when}; check with them before you write."


def teammate_contacts(
    connection: Connection, person_ids: Iterable[int], as_of: AsOf, days: int
) -> dict[int, TeammateContact]:
    """Of these people, those a recruiter other than you touched in the ``days`` before
    ``as_of`` (its day included), each with the newest such touch."""
    ids = sorted(set(person_ids))
    if not ids or days < 0:
        return {}
    me = recruiter_of(connection)
    start = AsOf(as_of.day - timedelta(days=days + 1), as_of.zone).end_utc
    found: dict[int, TeammateContact] = {}
    for first in range(0, len(ids), 500):
        rows = connection.execute(
            select(
                Interaction.person_id,
                Interaction.recruiter,
                Interaction.kind,
                Interaction.direction,
                Interaction.occurred_at,
                Person.first_name,
                Person.last_name,
            )
            .join(Person, Person.id == Interaction.person_id)
            .where(
                Interaction.person_id.in_(ids[first : first + 500]),
                Interaction.occurred_at >= start,
                Interaction.occurred_at < as_of.end_utc,
                Interaction.recruiter.not_in(("", me)),
                is_touch(Interaction.kind, Interaction.direction),
            )
            .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
        )
        for row in rows:
            if row.person_id in found:
                continue
            local = row.occurred_at.replace(tzinfo=UTC).astimezone(as_of.zone).date()
            found[row.person_id] = TeammateContact(
                person_id=row.person_id,
                person_name=display_name(row.first_name, row.last_name, [], row.person_id),
                recruiter=row.recruiter,
                kind=row.kind,
                direction=row.direction,
                day=local,
                today=as_of.day,
            )
    return found


def edited_line(connection: Connection, model: Any, record_id: int) -> str:
    """ "Version 4, last edited by Bob" for a person or a role ("" before any edit)."""
    row = connection.execute(
        select(model.version, model.updated_by).where(model.id == record_id)
    ).first()
    if row is None or (row.version <= 1 and not row.updated_by):
        return ""
    by = f", last edited by {row.updated_by}" if row.updated_by else ""
    return f"Version {row.version}{by}"


def when_taken(moment: datetime) -> str:
    """ "Thursday 26 November 2026 at 14:02" (a local time)."""
    from recruiter_desk.core.timeline import long_day

    return f"{long_day(moment.date())} at {moment:%H:%M}"


def last_local_copy(data_dir: Path, location: str, error: KnownError) -> tuple[ReadOnlyCopy, str]:
    """The server at ``location`` cannot be reached: its last local copy, read-only, and the
    reason without its full stop, for the window's question and the command line's notice
    (docs/team.md, "Offline"); ServerUnreachable, in one sentence, when no copy was kept."""
    from recruiter_desk.db.offline import open_local_copy
    from recruiter_desk.errors import ServerUnreachable

    unreachable = error.message.rstrip(".")
    copy = open_local_copy(data_dir, location, error.message)
    if copy is None:
        raise ServerUnreachable(
            f"{unreachable}, and there is no local copy of it yet (one is kept at each window "
            "session and copy-to)."
        ) from error
    return copy, unreachable


# -- moving to the team: copy-to ------------------------------------------------------------


def copy_summary(report: CopyReport) -> str:
    """What ``copy-to`` and File → Copy to team database… say when the copy is verified."""
    from recruiter_desk.core.wording import count

    return (
        f"Copied {count(report.rows, 'row')} in {count(len(report.tables), 'table')} "
        f"to {report.target}; every table was checked row by row (counts and checksums)."
    )


def split_password(address: str) -> tuple[str, str]:
    """A database address without its password, and the password ("" when none): the
    window keeps the password in a masked field, never in the address it shows."""
    from sqlalchemy import exc
    from sqlalchemy.engine import make_url

    from recruiter_desk.db.engine import is_url

    if not is_url(address):
        return address, ""
    try:
        url = make_url(address)
    except (exc.ArgumentError, ValueError):
        return address, ""
    if not url.password:
        return address, ""
    # URL.set(password=None) keeps the password (None means "unchanged"): replace it.
    bare = url._replace(password=None)
    return bare.render_as_string(hide_password=False), str(url.password)


def with_password(address: str, password: str) -> str:
    """The address to connect with: ``password`` put in, when there is one (else the
    keyring or ~/.pgpass supplies it, db/team.py)."""
    from sqlalchemy import exc
    from sqlalchemy.engine import make_url

    from recruiter_desk.db.engine import is_url

    if not password or not is_url(address):
        return address
    try:
        url = make_url(address)
    except (exc.ArgumentError, ValueError):
        return address  # opening it says, in one sentence, that it is not an address
    return url.set(password=password).render_as_string(hide_password=False)


def attribution(recruiter: str, me: str) -> str:
    """How an entry names who made it: nothing for your own or for what predates team
    mode, else "by Bob"."""
    return f"by {recruiter}" if recruiter and recruiter != me else ""


# -- concurrent edits ------------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    """One field that reads differently in the saved version and in yours."""

    field: str
    theirs: str
    yours: str


class EditConflict(KnownError):
    """Your save was based on an older version than the one now saved: nothing was written.

    ``theirs`` is what is saved now, to show beside yours; saving again with
    ``based_on=saved_version`` overwrites it knowingly.
    """

    def __init__(
        self,
        name: str,
        by: str,
        saved_version: int,
        your_version: int,
        differences: tuple[Difference, ...],
        theirs: object,
    ) -> None:
        who = by or "Someone else"
        shown = "; ".join(
            f"{d.field} is {_quoted(d.theirs)} in theirs and {_quoted(d.yours)} in yours"
            for d in differences[:3]
        )
        more = f" (and {len(differences) - 3} more)" if len(differences) > 3 else ""
        detail = f": {shown}{more}" if differences else ""
        super().__init__(
            f"{who} saved {name} as version {saved_version} while you were editing version "
            f"{your_version}{detail}; nothing of yours was saved."
        )
        self.name = name
        self.by = by
        self.saved_version = saved_version
        self.your_version = your_version
        self.differences = differences
        self.theirs = theirs


def _quoted(value: str) -> str:
    return f"'{value}'" if value else "empty"


def differences(theirs: object, yours: object, labels: dict[str, str]) -> tuple[Difference, ...]:
    """The fields (named by ``labels``) whose values differ, as text."""

    def text(value: object) -> str:
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        if value is None:
            return ""
        if isinstance(value, bool):
            return "yes" if value else "no"
        return str(value)

    found = []
    for attribute, label in labels.items():
        a, b = text(getattr(theirs, attribute, None)), text(getattr(yours, attribute, None))
        if a != b:
            found.append(Difference(label, a, b))
    return tuple(found)
