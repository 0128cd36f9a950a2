"""iCalendar of open follow-ups: one all-day event per follow-up, with a stable UID."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import TextIO

from sqlalchemy import Connection, select

from recruiter_desk import __version__
from recruiter_desk.core.exports.people import ExportPerson
from recruiter_desk.core.exports.text import one_kind_of_line_break
from recruiter_desk.db.models import FollowUp


def write_ics(
    connection: Connection,
    pages: Iterator[list[ExportPerson]],
    out: TextIO,
    now: datetime,
    tick: Callable[[int], None],
) -> int:
    import icalendar

    names: dict[int, ExportPerson] = {}
    for page in pages:
        names.update({p.id: p for p in page})
        tick(len(names))
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//Recruiter Desk//{__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Recruiter Desk follow-ups")
    count = 0
    for r in connection.execute(
        select(FollowUp.id, FollowUp.person_id, FollowUp.due_on, FollowUp.reason)
        .where(FollowUp.done_at.is_(None))
        .order_by(FollowUp.due_on)
    ):
        person = names.get(r.person_id)
        if person is None:
            continue
        event = icalendar.Event()
        event.add("uid", f"follow-up-{r.id}@recruiter-desk")
        event.add("dtstamp", now)
        event.add("dtstart", r.due_on)
        summary = f"Follow up: {person.full_name}" + (f" — {r.reason}" if r.reason else "")
        event.add("summary", one_kind_of_line_break(summary))
        role = " at ".join(part for part in (person.title, person.company) if part)
        details = [role, *person.emails, *person.phones]
        event.add("description", one_kind_of_line_break("\n".join(d for d in details if d)))
        calendar.add_component(event)
        count += 1
    out.write(calendar.to_ical().decode("utf-8"))
    return count
