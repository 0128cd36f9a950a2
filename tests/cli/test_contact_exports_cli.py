"""Lists other tools read, exported through the command line as a recruiter runs it and
read back by this app's own importer (docs/interchange.md)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import icalendar
import pytest
import vobject

from recruiter_desk.core.exports.contacts_csv import OUTLOOK_COLUMNS
from tests.cli.helpers import run

PHONE = "+44 20 7946 0958"


@pytest.fixture
def desk(tmp_path: Path, db_location: str) -> list[str]:
    db = ["--db", db_location]
    home = tmp_path / "home"

    def add(*args: str) -> None:
        run(*db, "add-person", *args, home=home)

    add(
        "--first", "Ana", "--last", "Silva", "--email", "ana@arbor.example",
        "--email", "ana@home.example", "--phone", PHONE, "--phone", "+351 91 000",
        "--company", "Arbor Health", "--title", "Data Lead", "--location", "Lisbon",
        "--linkedin", "https://www.linkedin.com/in/ana-silva", "--tag", "referrer",
        "--notes", "Met at PyData",
    )  # fmt: skip
    add(
        "--first", '=HYPERLINK("http://evil")', "--last", "@SUM(A1)",
        "--email", "evil@example.com", "--company", "+cmd|' /C calc'!A0",
        "--title", "\tTabbed", "--notes", "\rCarriage",
    )  # fmt: skip
    add("--first", "Ben", "--last", "Okafor", "--email", "ben@okafor.example", "--do-not-contact")
    run(*db, "followup", "ana@arbor.example", "2026-12-01", "--reason", "After onsite", home=home)
    run(*db, "followup", "ben@okafor.example", "2026-12-02", "--reason", "Never", home=home)
    return [*db]


def _export(desk: list[str], tmp_path: Path, *args: str) -> str:
    return run(*desk, "export", *args, "-o", "-", home=tmp_path / "home").stdout


def _reimport(tmp_path: Path, name: str, text: str) -> list[dict[str, object]]:
    """The file imported into a fresh database by this app's importer, as people JSON."""
    file = tmp_path / name
    file.write_text(text, encoding="utf-8")
    fresh = ["--db", str(tmp_path / f"{name}.sqlite3")]
    report = json.loads(run(*fresh, "import", str(file), "--json", home=tmp_path / "h2").stdout)
    assert report["problems"] == []
    people = json.loads(run(*fresh, "people", "--json", home=tmp_path / "h2").stdout)
    return sorted(people, key=lambda p: str(p["full_name"]))


@pytest.mark.parametrize("fmt", ["google", "outlook"])
def test_contact_csv_reimports_and_keeps_phone_numbers(
    desk: list[str], tmp_path: Path, fmt: str
) -> None:
    text = _export(desk, tmp_path, "--format", fmt).lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 2  # Okafor is do-not-contact
    if fmt == "google":
        assert list(rows[0])[:3] == ["First Name", "Middle Name", "Last Name"]
        assert {"E-mail 1 - Value", "Phone 2 - Value", "Labels", "Website 1 - Value"} <= set(
            rows[0]
        )
    else:
        assert tuple(rows[0]) == OUTLOOK_COLUMNS
    ana = next(r for r in rows if r["Last Name"] == "Silva")
    assert PHONE in ana.values()  # no apostrophe: the number re-imports anywhere
    evil = next(r for r in rows if r["Last Name"] != "Silva")
    cells = [c for c in evil.values() if c]
    assert '\'=HYPERLINK("http://evil")' in cells and "'@SUM(A1)" in cells
    assert "'+cmd|' /C calc'!A0" in cells
    assert all(c[0] not in "=+-@\t\r" for c in cells)

    people = _reimport(tmp_path, f"{fmt}.csv", text)
    assert len(people) == 2
    document = json.loads(
        run(
            "--db", str(tmp_path / f"{fmt}.csv.sqlite3"), "export", "--format", "json", "-o", "-",
            home=tmp_path / "h2",
        ).stdout
    )  # fmt: skip
    detail = next(p for p in document["people"] if p["last_name"] == "Silva")
    assert detail["emails"] == ["ana@arbor.example", "ana@home.example"]
    assert detail["phones"] == [PHONE, "+351 91 000"]
    assert (detail["company"], detail["title"], detail["location"]) == (
        "Arbor Health",
        "Data Lead",
        "Lisbon",
    )
    assert detail["linkedin_url"] == "https://www.linkedin.com/in/ana-silva"
    assert detail["tags"] == ["referrer"] and detail["notes"] == "Met at PyData"


def test_do_not_contact_people_are_marked_when_asked_for(desk: list[str], tmp_path: Path) -> None:
    cards = _export(desk, tmp_path, "--format", "vcard")
    assert "VERSION:3.0" in cards and "Okafor" not in cards
    assert "VERSION:4.0" in _export(desk, tmp_path, "--format", "vcard", "--vcard-version", "4.0")
    marked = _export(desk, tmp_path, "--format", "vcard", "--include-do-not-contact")
    ben = next(c for c in vobject.readComponents(marked) if c.n.value.family == "Okafor")
    assert ben.categories.value == ["Do not contact"]
    assert ben.note.value == "Do not contact (marked in Recruiter Desk)."
    google = _export(desk, tmp_path, "--format", "google", "--include-do-not-contact")
    row = next(r for r in csv.DictReader(io.StringIO(google)) if r["Last Name"] == "Okafor")
    assert row["Labels"] == "* myContacts ::: Do not contact"
    assert row["Notes"].startswith("Do not contact")
    outlook = _export(desk, tmp_path, "--format", "outlook", "--include-do-not-contact")
    row = next(
        r
        for r in csv.DictReader(io.StringIO(outlook.lstrip("\ufeff")))
        if r["Last Name"] == "Okafor"
    )
    assert row["Categories"] == "Do not contact"
    # The spreadsheet CSV is the whole list, as before.
    assert "Okafor" in _export(desk, tmp_path, "--format", "csv")


def test_follow_ups_are_all_day_events_with_a_reminder_or_tasks(
    desk: list[str], tmp_path: Path
) -> None:
    calendar = icalendar.Calendar.from_ical(_export(desk, tmp_path, "--format", "ics"))
    (event,) = calendar.walk("VEVENT")  # Okafor's is do-not-contact
    assert not calendar.walk("VTODO")
    assert str(event["summary"]) == "Follow up: Ana Silva — After onsite"
    assert event.decoded("dtstart").isoformat() == "2026-12-01"
    assert event.decoded("dtend").isoformat() == "2026-12-02"
    (alarm,) = event.walk("VALARM")
    assert (
        str(alarm["action"]) == "DISPLAY" and alarm.decoded("trigger").total_seconds() == 9 * 3600
    )
    again = icalendar.Calendar.from_ical(_export(desk, tmp_path, "--format", "ics"))
    assert [str(e["uid"]) for e in again.walk("VEVENT")] == [str(event["uid"])]

    tasks = icalendar.Calendar.from_ical(_export(desk, tmp_path, "--format", "ics", "--todo"))
    (task,) = tasks.walk("VTODO")
    assert not tasks.walk("VEVENT")
    assert str(task["uid"]) == str(event["uid"])
    assert task.decoded("due").isoformat() == "2026-12-01" and task.walk("VALARM")
    both = _export(desk, tmp_path, "--format", "ics", "--include-do-not-contact")
    assert len(icalendar.Calendar.from_ical(both).walk("VEVENT")) == 2
