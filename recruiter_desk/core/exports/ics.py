"""iCalendar of open follow-ups, each with a stable UID so importing the file again updates
instead of duplicating.

By default one all-day VEVENT per follow-up with a reminder (VALARM) at 9:00 that day:
Google Calendar and Outlook ignore VTODO. ``todo`` writes VTODOs for task apps instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
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
    *,
    todo: bool = False,
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
        event: icalendar.Component = icalendar.Todo() if todo else icalendar.Event()
        event.add("uid", f"follow-up-{r.id}@recruiter-desk")
        event.add("dtstamp", now)
        if todo:
            event.add("due", r.due_on)
            event.add("status", "NEEDS-ACTION")
        else:
            event.add("dtstart", r.due_on)
            event.add("dtend", r.due_on + timedelta(days=1))
            event.add("transp", "TRANSPARENT")  # a reminder, not a busy day
        summary = f"Follow up: {person.full_name}" + (f" — {r.reason}" if r.reason else "")
        event.add("summary", one_kind_of_line_break(summary))
        role = " at ".join(part for part in (person.title, person.company) if part)
        details = [role, *person.emails, *person.phones]
        event.add("description", one_kind_of_line_break("\n".join(d for d in details if d)))
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", one_kind_of_line_break(summary))
        # Relative to the start of the day (a task's due day): 9:00 local time.
        alarm.add("trigger", timedelta(hours=9), parameters={"RELATED": "END" if todo else "START"})
        event.add_component(alarm)
        calendar.add_component(event)
        count += 1
    out.write(calendar.to_ical().decode("utf-8"))
    return count
