"""``import-calendar``: .ics meetings become touchpoints, as a user runs it.

The calendars are written by the tests: a weekly series in Lisbon time with an EXDATE, a
moved and a cancelled occurrence; a meeting Ana organised in New York time; an all-day
event; a cancelled event; a METHOD:CANCEL notice; a future meeting; a room, a declined
attendee and a stranger.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.helpers import run

ME = "rita@recruit.example"
AS_OF = "2026-11-25"

LISBON = """BEGIN:VTIMEZONE
TZID:Europe/Lisbon
BEGIN:STANDARD
DTSTART:19701025T020000
TZOFFSETFROM:+0100
TZOFFSETTO:+0000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:19700329T010000
TZOFFSETFROM:+0000
TZOFFSETTO:+0100
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
END:VTIMEZONE"""


def calendar(*events: str, method: str = "") -> str:
    head = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Tests//EN"]
    if method:
        head.append(f"METHOD:{method}")
    return "\n".join([*head, LISBON, *events, "END:VCALENDAR", ""]).replace("\n", "\r\n")


# Weekly with Ana from 28 Oct (Lisbon, summer time until 25 Oct: so 10:00 is 10:00 UTC),
# 4 Nov taken out, 11 Nov moved to 15:00 (attendees not repeated), 18 Nov cancelled,
# 25 Nov held, 2 Dec still to come: 3 meetings held by 25 Nov.
WEEKLY = """BEGIN:VEVENT
UID:weekly-ana@recruit.example
DTSTART;TZID=Europe/Lisbon:20261028T100000
DTEND;TZID=Europe/Lisbon:20261028T103000
RRULE:FREQ=WEEKLY;COUNT=6
EXDATE;TZID=Europe/Lisbon:20261104T100000
SUMMARY:Weekly check-in
DESCRIPTION:Agenda:\\n- the Lisbon role\\n- references\\n\\n\\n\\n\\n\\nJoin: https://meet.example/abc
ORGANIZER;CN=Rita:mailto:rita@recruit.example
ATTENDEE;CN=Ana Lima;PARTSTAT=ACCEPTED:mailto:Ana@Example.org
ATTENDEE;CUTYPE=ROOM;CN=Room 4:mailto:room4@recruit.example
END:VEVENT
BEGIN:VEVENT
UID:weekly-ana@recruit.example
RECURRENCE-ID;TZID=Europe/Lisbon:20261111T100000
DTSTART;TZID=Europe/Lisbon:20261111T150000
DTEND;TZID=Europe/Lisbon:20261111T153000
SUMMARY:Weekly check-in (moved)
END:VEVENT
BEGIN:VEVENT
UID:weekly-ana@recruit.example
RECURRENCE-ID;TZID=Europe/Lisbon:20261118T100000
DTSTART;TZID=Europe/Lisbon:20261118T100000
SUMMARY:Weekly check-in
STATUS:CANCELLED
END:VEVENT"""

# Bruno organised this one, in New York time (09:30 EST is 14:30 UTC); Ana declined.
FROM_BRUNO = """BEGIN:VEVENT
UID:bruno-coffee@example.com
DTSTART;TZID=America/New_York:20261117T093000
DTEND;TZID=America/New_York:20261117T100000
SUMMARY:Coffee with Bruno
ORGANIZER;CN=Bruno Sá:mailto:bruno@example.com
ATTENDEE;PARTSTAT=ACCEPTED:mailto:rita@recruit.example
ATTENDEE;PARTSTAT=DECLINED:mailto:ana@example.org
ATTENDEE;CN="Moreau, Carla";PARTSTAT=ACCEPTED:mailto:carla@studio.example
END:VEVENT"""

ALL_DAY = """BEGIN:VEVENT
UID:offsite@recruit.example
DTSTART;VALUE=DATE:20261120
DTEND;VALUE=DATE:20261121
SUMMARY:Hiring offsite
ATTENDEE:mailto:bruno@example.com
END:VEVENT"""

CANCELLED = """BEGIN:VEVENT
UID:cancelled@recruit.example
DTSTART:20261119T120000Z
SUMMARY:Lunch (cancelled)
STATUS:CANCELLED
ATTENDEE:mailto:ana@example.org
END:VEVENT"""

FUTURE = """BEGIN:VEVENT
UID:future@recruit.example
DTSTART:20261210T120000Z
SUMMARY:Next month
ATTENDEE:mailto:ana@example.org
END:VEVENT"""

NOBODY = """BEGIN:VEVENT
UID:dentist@recruit.example
DTSTART:20261116T080000Z
SUMMARY:Dentist
END:VEVENT"""

CANCEL_NOTICE = """BEGIN:VEVENT
UID:drinks@recruit.example
DTSTART:20261113T180000Z
SUMMARY:Drinks
ATTENDEE:mailto:ana@example.org
END:VEVENT"""


@pytest.fixture
def network(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    run("add-person", "--first", "Ana", "--last", "Lima", "--email", "ana@example.org", home=home)
    run("add-person", "--first", "Bruno", "--last", "Sá", "--email", "bruno@example.com", home=home)
    return home


@pytest.fixture
def calendars(tmp_path: Path) -> Path:
    folder = tmp_path / "calendars"
    folder.mkdir()
    (folder / "work.ics").write_text(
        calendar(WEEKLY, FROM_BRUNO, ALL_DAY, CANCELLED, FUTURE, NOBODY), encoding="utf-8"
    )
    (folder / "cancel.ics").write_text(calendar(CANCEL_NOTICE, method="CANCEL"), encoding="utf-8")
    (folder / "notes.txt").write_text("not a calendar", encoding="utf-8")
    return folder


def import_calendar(home: Path, *args: str) -> dict:
    out = run("import-calendar", *args, "--me", ME, "--as-of", AS_OF, "--json", home=home).stdout
    return json.loads(out)


def timeline(home: Path, person: str) -> list[dict]:
    return json.loads(run("timeline", "--person", person, "--json", home=home).stdout)


def test_meetings_held_become_interactions_once_per_occurrence(
    network: Path, calendars: Path
) -> None:
    report = import_calendar(network, str(calendars))

    ana = timeline(network, "ana@example.org")
    assert [(e["at"], e["subject"], e["direction"], e["kind"]) for e in ana] == [
        ("2026-11-25T10:00:00", "Weekly check-in", "outbound", "meeting"),
        ("2026-11-11T15:00:00", "Weekly check-in (moved)", "outbound", "meeting"),
        ("2026-10-28T10:00:00", "Weekly check-in", "outbound", "meeting"),
    ]
    assert ana[2]["snippet"] == "Agenda:"
    bruno = timeline(network, "bruno@example.com")
    assert [(e["at"], e["subject"], e["direction"]) for e in bruno] == [
        ("2026-11-20T12:00:00", "Hiring offsite", "outbound"),  # all day: noon, your time
        ("2026-11-17T14:30:00", "Coffee with Bruno", "inbound"),  # he organised it
    ]
    assert report["occurrences"] == 6  # 3 weekly, coffee, offsite, the dentist
    assert report["cancelled"] == 3  # the 18 Nov occurrence, the lunch, the notice
    assert report["upcoming"] == 1 and report["without_people"] == 1
    assert report["unknown"] == [
        {"address": "carla@studio.example", "name": "Moreau, Carla", "meetings": 1}
    ]
    assert len(report["added"]) == 5 and report["batch_id"] is not None
    # The full description is not kept: only its first lines.
    full = run("timeline", "--search", "meet.example", "--json", home=network).stdout
    assert json.loads(full) == []
    found = run("timeline", "--search", "lisbon references", "--json", home=network).stdout
    assert len(json.loads(found)) == 3
    # A meeting is a touch: Ana, met today, is warm.
    person = run("person", "ana@example.org", "--as-of", AS_OF, home=network).stdout
    assert "today" in person.lower()


def test_reimport_adds_nothing_and_undo_import_removes_the_batch(
    network: Path, calendars: Path
) -> None:
    first = import_calendar(network, str(calendars), "--add-unknown")
    assert first["people_added"] == ["Carla Moreau"]
    assert len(first["added"]) == 6

    again = import_calendar(network, str(calendars), "--add-unknown")
    assert again["added"] == [] and again["duplicates"] == 6 and again["batch_id"] is None

    # A week later the series has one more meeting, and only that one is added.
    later = json.loads(
        run(
            "import-calendar",
            str(calendars),
            "--me",
            ME,
            "--as-of",
            "2026-12-02",
            "--json",
            home=network,
        ).stdout
    )
    assert [(a["name"], a["occurred_at"]) for a in later["added"]] == [
        ("Ana Lima", "2026-12-02T10:00:00")
    ]
    imports = run("imports", home=network).stdout
    assert "Calendar (meetings)" in imports

    undone = run("undo-import", str(first["batch_id"]), home=network).stdout
    assert "Removed 1 person added by import batch" in undone
    assert "Removed 6 meeting interactions it imported from calendar files." in undone
    assert [e["at"] for e in timeline(network, "ana@example.org")] == ["2026-12-02T10:00:00"]


def test_text_report_dry_run_and_bad_files(network: Path, calendars: Path, tmp_path: Path) -> None:
    shown = run(
        "import-calendar",
        str(calendars / "work.ics"),
        "--me",
        ME,
        "--as-of",
        AS_OF,
        "--dry-run",
        home=network,
    ).stdout
    assert "work.ics: 6 events, 6 meetings held, 5 added, 2 cancelled, 1 still to come" in shown
    assert "Would add 5 meeting interactions." in shown
    assert "Import again with --add-unknown to add it:" in shown
    assert "carla@studio.example" in shown and "1 meeting" in shown
    assert shown.rstrip().endswith("Dry run: nothing was written.")
    assert timeline(network, "ana@example.org") == []

    broken = tmp_path / "broken.ics"
    broken.write_text(calendar(WEEKLY)[:300], encoding="utf-8")  # cut short
    failed = run("import-calendar", str(broken), "--as-of", AS_OF, home=network, check_ok=False)
    assert (failed.returncode, failed.stderr) == (
        1,
        f"recruiter-desk: Cannot import {broken}: the calendar is cut short (no END:VCALENDAR).\n",
    )
    text = tmp_path / "notes.ics"
    text.write_text("hello", encoding="utf-8")
    failed = run("import-calendar", str(text), home=network, check_ok=False)
    assert failed.stderr == (
        f"recruiter-desk: Cannot import {text}: it is not an iCalendar (.ics) file.\n"
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    failed = run("import-calendar", str(empty), home=network, check_ok=False)
    assert failed.stderr == f"recruiter-desk: No calendar found in {empty}: expected .ics files.\n"
