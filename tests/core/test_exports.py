"""Exports other tools read, and round trips that lose nothing."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import icalendar
import pytest
import vobject
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recruiter_desk.core.clock import AsOf
from recruiter_desk.core.exports import export
from recruiter_desk.core.exports.csv_file import CSV_COLUMNS, FORMULA_TRIGGERS, csv_row, neutralise
from recruiter_desk.core.exports.people import ExportPerson
from recruiter_desk.core.exports.vcard import vcard_for
from recruiter_desk.core.followups import add_follow_up
from recruiter_desk.core.imports.csv_formats import parse_generic
from recruiter_desk.core.imports.model import IncomingPerson, Problem
from recruiter_desk.core.imports.reading import Source, SourceText
from recruiter_desk.core.imports.service import import_files
from recruiter_desk.core.imports.vcards import parse_vcards
from recruiter_desk.core.interchange.read import read_interchange
from recruiter_desk.core.interchange.write import write_json
from recruiter_desk.core.opportunities import add_opportunity
from recruiter_desk.core.people import PeopleQuery
from recruiter_desk.core.pipeline import move_stage
from recruiter_desk.core.records import log_interaction
from recruiter_desk.core.warmth import WarmthPolicy
from recruiter_desk.db.open import open_database
from recruiter_desk.db.session import Database
from tests.conftest import add_person

NOW = datetime(2026, 11, 25, 12, 0)


def _read(
    parse: Callable[[Source, list[Problem]], Iterator[IncomingPerson]], source: Source
) -> tuple[list[IncomingPerson], list[Problem]]:
    problems: list[Problem] = []
    return list(parse(source, problems)), problems


def write(database: Database, fmt: str, path: Path, as_of: AsOf, **options: Any) -> int:
    query = options.pop("query", PeopleQuery())
    return export(
        database, fmt, path, query=query, as_of=as_of, policy=WarmthPolicy(), now=NOW, **options
    ).written


@pytest.fixture
def network(database: Database) -> Database:
    ana = add_person(
        database,
        first_name="Ana",
        last_name="Silva",
        company="Arbor Health",
        emails=["ana@arbor.example", "ana@home.example"],
        phones=["+351 91 000"],
        tags=["referrer", "alumni"],
        interests=["rust"],
        work_modes=["remote"],
        linkedin_url="https://www.linkedin.com/in/ana-silva",
        notes="Line one\nLine two; with, punctuation",
        cadence_days=30,
        connected_on=date(2024, 3, 1),
        now=datetime(2024, 3, 1, 9),
    )
    add_person(
        database,
        first_name='=HYPERLINK("http://evil")',
        last_name="@SUM(A1)",
        company="-2+3",
        title="+cmd",
        emails=["evil@example.com"],
        now=datetime(2024, 3, 1, 9),
    )
    ben = add_person(
        database,
        first_name="Ben",
        last_name="Okafor",
        do_not_contact=True,
        now=datetime(2024, 3, 1, 9),
    )
    with database.session() as session:
        log_interaction(
            session,
            ana,
            kind="email",
            direction="inbound",
            occurred_at=datetime(2026, 11, 20, 9),
            subject="Hello",
            body="Hi!",
        )
        role = add_opportunity(
            session,
            title="Data Engineer",
            company="Helix",
            now=NOW,
            work_mode="remote",
            skills=["rust"],
        ).id
        move_stage(
            session,
            ana,
            role,
            "interviewing",
            datetime(2026, 11, 21, 9),
            AsOf(date(2026, 11, 25), __import__("datetime").UTC).zone,
            WarmthPolicy(),
        )
        add_follow_up(session, ana, date(2026, 12, 1), "Check in after onsite", NOW)
        add_follow_up(session, ben, date(2026, 12, 2), "Never shown: do-not-contact", NOW)
    return database


def test_csv_opens_in_spreadsheets_and_is_safe(
    network: Database, tmp_path: Path, utc_as_of: AsOf
) -> None:
    target = tmp_path / "people.csv"
    assert write(network, "csv", target, utc_as_of) == 3
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    by_name = {r[2]: dict(zip(CSV_COLUMNS, r, strict=True)) for r in rows[1:]}
    ana = by_name["Silva"]
    assert ana["Emails"] == "ana@arbor.example; ana@home.example"
    assert ana["Tags"] == "alumni; referrer"
    assert ana["Notes"] == "Line one\nLine two; with, punctuation"
    evil = by_name["'@SUM(A1)"]
    assert evil["First Name"] == '\'=HYPERLINK("http://evil")'
    assert (evil["Company"], evil["Title"]) == ("'-2+3", "'+cmd")
    # Phone numbers cannot spell a formula: they stay as written, so they re-import anywhere.
    assert ana["Phones"] == "+351 91 000"
    assert all(
        not cell.startswith(FORMULA_TRIGGERS) or cell == ana["Phones"]
        for row in rows
        for cell in row
    )


def test_plain_numbers_are_not_mangled() -> None:
    assert neutralise("-42") == "-42" and neutralise("+3.5") == "+3.5"
    assert neutralise("-") == "'-" and neutralise("\tx") == "'\tx"


def test_csv_export_reimports_into_an_empty_database(
    network: Database, tmp_path: Path, utc_as_of: AsOf
) -> None:
    target = tmp_path / "people.csv"
    write(network, "csv", target, utc_as_of)
    fresh = open_database(str(tmp_path / "fresh.sqlite3"), daily_backup=False)
    report = import_files(fresh, [target], now=NOW)
    assert report.files[0].added == 3
    again = tmp_path / "again.csv"
    write(fresh, "csv", again, utc_as_of)
    columns = [
        "First Name",
        "Last Name",
        "Emails",
        "Phones",
        "Company",
        "Tags",
        "Interests",
        "Work Modes",
        "LinkedIn URL",
        "Do Not Contact",
        "Cadence Days",
        "Notes",
    ]

    def picked(path: Path) -> list[list[str]]:
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
        return sorted([row[c] for c in columns] for row in rows)

    assert picked(target) == picked(again)
    fresh.close()


@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_vcards_reimport_with_nothing_lost(
    network: Database, tmp_path: Path, utc_as_of: AsOf, version: str
) -> None:
    target = tmp_path / "people.vcf"
    write(network, "vcard", target, utc_as_of, vcard_version=version)
    text = target.read_bytes().decode("utf-8")
    cards = list(vobject.readComponents(text))
    # Okafor is do-not-contact: left out of address books unless asked for.
    assert len(cards) == 2 and {c.version.value for c in cards} == {version}
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    people, problems = _read(parse_vcards, SourceText("x.vcf", text.replace("\r\n", "\n")))
    assert problems == []
    ana = next(p for p in people if p.last_name == "Silva")
    assert (ana.first_name, ana.emails, ana.phones, ana.company) == (
        "Ana",
        ["ana@arbor.example", "ana@home.example"],
        ["+351 91 000"],
        "Arbor Health",
    )
    assert (ana.linkedin_url, ana.tags) == (
        "https://www.linkedin.com/in/ana-silva",
        ["alumni", "referrer"],
    )
    assert ana.notes == "Line one\nLine two; with, punctuation"


def _canonical(document: dict[str, Any]) -> dict[str, Any]:
    """The same data with ids renumbered by position, so two databases compare."""
    document = json.loads(json.dumps(document))
    document.pop("exported_at")
    renames: dict[str, str] = {}
    for collection in (
        "people",
        "organizations",
        "opportunities",
        "candidacies",
        "interactions",
        "follow_ups",
        "articles",
        "templates",
    ):
        for index, record in enumerate(document[collection]):
            renames[record["id"]] = f"{collection}:{index}"

    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            return {
                k: (renames.get(v, v) if k.endswith("id") and isinstance(v, str) else walk(v))
                for k, v in value.items()
            }
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value

    return walk(document)


def test_json_round_trips_through_an_empty_database(
    network: Database, tmp_path: Path, utc_as_of: AsOf
) -> None:
    first = tmp_path / "first.json"
    write(network, "json", first, utc_as_of)
    document = json.loads(first.read_text(encoding="utf-8"))
    assert (document["format"], document["version"]) == ("recruiter-desk", 1)
    assert [len(document[k]) for k in ("people", "candidacies", "interactions", "follow_ups")] == [
        3,
        1,
        1,
        2,
    ]
    fresh = open_database(str(tmp_path / "fresh.sqlite3"), daily_backup=False)
    import_files(fresh, [first], now=NOW)
    second = tmp_path / "second.json"
    write(fresh, "json", second, utc_as_of)
    assert _canonical(json.loads(second.read_text(encoding="utf-8"))) == _canonical(document)
    again = import_files(fresh, [first], now=NOW)
    assert again.total("added") == 0
    third = tmp_path / "third.json"
    write(fresh, "json", third, utc_as_of)
    assert _canonical(json.loads(third.read_text(encoding="utf-8"))) == _canonical(document)
    fresh.close()


def test_icalendar_of_follow_ups(network: Database, tmp_path: Path, utc_as_of: AsOf) -> None:
    target = tmp_path / "followups.ics"
    assert write(network, "ics", target, utc_as_of) == 1  # Okafor's is do-not-contact
    calendar = icalendar.Calendar.from_ical(target.read_bytes())
    events = sorted((str(e["summary"]), e.decoded("dtstart")) for e in calendar.walk("VEVENT"))
    assert events[0] == ("Follow up: Ana Silva — Check in after onsite", date(2026, 12, 1))


def test_filters_export_exactly_the_filtered_list(
    network: Database, tmp_path: Path, utc_as_of: AsOf
) -> None:
    target = tmp_path / "filtered.json"
    write(network, "json", target, utc_as_of, query=PeopleQuery(tag="referrer"))
    assert [p["last_name"] for p in json.loads(target.read_text())["people"]] == ["Silva"]
    write(network, "json", target, utc_as_of, query=PeopleQuery(status="do_not_contact"))
    document = json.loads(target.read_text())
    assert [p["last_name"] for p in document["people"]] == ["Okafor"]
    assert [f["reason"] for f in document["follow_ups"]] == ["Never shown: do-not-contact"]
    write(network, "csv", tmp_path / "s.csv", utc_as_of, query=PeopleQuery(search="arbor"))
    rows = list(csv.reader(io.StringIO((tmp_path / "s.csv").read_text(encoding="utf-8-sig"))))
    assert [r[2] for r in rows] == ["Last Name", "Silva"]


def test_export_to_a_missing_folder_is_a_plain_error(
    network: Database, tmp_path: Path, utc_as_of: AsOf
) -> None:
    from recruiter_desk.errors import KnownError

    with pytest.raises(KnownError, match="does not exist"):
        write(network, "csv", tmp_path / "nope" / "x.csv", utc_as_of)


# -- properties --------------------------------------------------------------------------

names = (
    st.text(
        st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\x85"),
        min_size=1,
        max_size=30,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(bool)
)


def _person(first: str, last: str, company: str) -> ExportPerson:
    return ExportPerson(
        id=1,
        first_name=first,
        last_name=last,
        company=company,
        title="",
        location="",
        linkedin_url=None,
        links=[],
        work_modes=[],
        openness="open",
        do_not_contact=False,
        is_applicant=False,
        cadence_days=None,
        source="",
        connected_on=None,
        snoozed_until=None,
        created_at=NOW,
        notes="",
        status="warm",
        last_touch=None,
        warmth=0.0,
        emails=["someone@example.com"],
        phones=[],
        tags=[],
        interests=[],
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=names, last=names, company=names)
def test_csv_round_trip_and_no_formula_cells(first: str, last: str, company: str) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    row = csv_row(_person(first, last, company))
    # Plain numbers (-42, +3.5) are data, not formulas; every other trigger is guarded.
    assert not any(
        cell.startswith(FORMULA_TRIGGERS) and not re.fullmatch(r"[+-]?\d+(\.\d+)?", cell)
        for cell in row
    )
    writer.writerow(row)
    people, problems = _read(
        parse_generic, SourceText("x.csv", buffer.getvalue().replace("\r\n", "\n"))
    )
    assert problems == []
    assert (people[0].first_name, people[0].last_name, people[0].company) == (first, last, company)


@settings(max_examples=150, deadline=None)
@given(first=names, last=names, company=names)
def test_vcard_round_trip(first: str, last: str, company: str) -> None:
    text = vcard_for(_person(first, last, company), "4.0")
    people, problems = _read(parse_vcards, SourceText("x.vcf", text.replace("\r\n", "\n")))
    assert problems == []
    assert (people[0].first_name, people[0].last_name, people[0].company) == (first, last, company)


@pytest.fixture(scope="module")
def empty_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    opened = open_database(str(tmp_path_factory.mktemp("json") / "x.sqlite3"), daily_backup=False)
    yield opened
    opened.close()


@settings(max_examples=150, deadline=None)
@given(first=names, last=names, company=names)
def test_json_person_round_trip(
    empty_database: Database, first: str, last: str, company: str
) -> None:
    out = io.StringIO()
    with empty_database.connect() as connection:
        # As the exporter reads a person from the database: times as SQLite stores them.
        person = _person(first, last, company)._replace(created_at="2026-11-25 12:00:00.000000")
        write_json(connection, iter([[person]]), out, NOW, lambda _n: None)
    parts = dict(read_interchange(SourceText("x.json", out.getvalue())))
    person = parts["people"][0]
    assert (person.first_name, person.last_name, person.company) == (first, last, company)
