"""vCard and iCalendar exports never let a control character start a property of its own."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path

import icalendar
import pytest
import vobject

from recruiter_desk.app import main
from recruiter_desk.core.followups import add_follow_up
from recruiter_desk.db.open import open_database
from tests.conftest import add_person

NOW = datetime(2026, 11, 25, 12, 0)
BREAKS = ["\r", "\n", "\r\n", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u2029"]
NOTE = "".join(f"line {i}{b}EMAIL:attacker{i}@evil.example" for i, b in enumerate(BREAKS))
CONTROLS = "bell\x07null\x00escape\x1bdelete\x7fc1\x9b"
# Every character some parser treats as the end of a line.
ANY_LINE_BREAK = re.compile(r"\r\n|[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _network(db: Path) -> None:
    database = open_database(str(db), daily_backup=False)
    ana = add_person(
        database,
        first_name="Ana\rTEL:+1 555 0100",
        last_name="Silva",
        emails=["ana@arbor.example"],
        company=f"Arbor {CONTROLS}",
        notes=NOTE,
    )
    with database.session() as session:
        add_follow_up(session, ana, date(2026, 12, 1), "Call\rATTENDEE:mailto:x@evil.example", NOW)
    database.close()


def _export(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> str:
    assert main(["--db", str(db), "export", *args, "-o", "-"]) == 0
    return capsys.readouterr().out


def _injected(text: str) -> list[str]:
    lines = ANY_LINE_BREAK.split(text)
    return [line for line in lines if re.match(r"(EMAIL|TEL|ATTENDEE)[:;].*evil|TEL:\+1 555", line)]


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_vcards_escape_every_line_break_and_drop_other_controls(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], version: str
) -> None:
    db = tmp_path / "desk.sqlite3"
    _network(db)
    text = _export(capsys, db, "--format", "vcard", "--vcard-version", version)
    assert _injected(text) == []
    assert re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", text.replace("\r\n", "")) is None
    card = vobject.readOne(text)
    assert [e.value for e in card.contents["email"]] == ["ana@arbor.example"]
    assert "tel" not in card.contents
    assert card.contents["note"][0].value == ANY_LINE_BREAK.sub("\n", NOTE)
    assert card.contents["org"][0].value == ["Arbor bellnullescapedeletec1"]

    # And the app reads its own file back with nothing added and the note's lines kept.
    file = tmp_path / "cards.vcf"
    file.write_text(text, encoding="utf-8")
    other = tmp_path / "other.sqlite3"
    assert main(["--db", str(other), "import", str(file), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["added"] == 1
    assert main(["--db", str(other), "export", "--format", "json", "-o", "-"]) == 0
    (person,) = json.loads(capsys.readouterr().out)["people"]
    assert person["emails"] == ["ana@arbor.example"] and person["phones"] == []
    assert person["notes"] == ANY_LINE_BREAK.sub("\n", NOTE)


def test_calendar_escapes_every_line_break(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "desk.sqlite3"
    _network(db)
    text = _export(capsys, db, "--format", "ics")
    assert _injected(text) == []
    assert re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", text.replace("\r\n", "")) is None
    (event,) = icalendar.Calendar.from_ical(text).walk("VEVENT")
    assert "attendee" not in event
    assert str(event["summary"]).endswith("Call\nATTENDEE:mailto:x@evil.example")
