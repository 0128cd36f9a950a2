"""Importing every format a recruiter has: fields arrive intact, nothing doubles."""

from __future__ import annotations

import shutil
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from recruiter_desk.core.clock import AsOf
from recruiter_desk.core.imports.model import BadImportFile, ImportCancelled
from recruiter_desk.core.imports.service import import_files, list_batches, undo_batch
from recruiter_desk.core.maintenance import forget_person
from recruiter_desk.core.people import PeopleQuery, PersonRow, list_people
from recruiter_desk.core.records import log_interaction
from recruiter_desk.core.warmth import WarmthPolicy
from recruiter_desk.db.models import ImportBatch, Interaction, Person
from recruiter_desk.db.session import Database
from recruiter_desk.errors import UsageError
from tests.conftest import add_person, table_rows

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"
NOW = datetime(2026, 11, 25, 9, 0)
LATER = datetime(2026, 11, 26, 9, 0)


def load(database: Database, *names: str, **options: object):
    return import_files(database, [FIXTURES / n for n in names], now=NOW, **options)  # type: ignore[arg-type]


def everyone(database: Database, as_of: AsOf) -> dict[str, PersonRow]:
    with database.connect() as connection:
        rows = list_people(connection, PeopleQuery(), as_of, WarmthPolicy())
    return {r.full_name: r for r in rows}


def table_counts(database: Database) -> dict[str, int]:
    return {table: len(rows) for table, rows in table_rows(database).items()}


# -- formats -----------------------------------------------------------------------------


def test_linkedin_connections(database: Database, utc_as_of: AsOf) -> None:
    report = load(database, "linkedin_connections.csv")
    file = report.files[0]
    assert file.format == "linkedin"
    assert (file.added, file.skipped) == (5, 1)
    assert [(p.line, p.message.split(";")[0]) for p in file.problems] == [
        (10, "no name or email"),
        (
            11,
            "Connected On: the date 'not a date' is not one this app reads (like 24 Jul 2023 "
            "or 2023-07-24)",
        ),
    ]
    people = everyone(database, utc_as_of)
    jose = people["José Núñez"]
    assert (jose.company, jose.title, jose.emails) == (
        "Helix Labs",
        "Staff Engineer",
        ["jose.nunez@helix.example"],
    )
    assert jose.linkedin_url == "https://www.linkedin.com/in/jose-nunez-1a2b3c"
    assert jose.last_touch == date(2023, 7, 24)  # connected_on, no interactions yet
    assert people["Siobhán O'Brien"].company == "Beacon Systems, Inc."
    assert people["李明 Li"].title == "ML Engineer"
    assert people["Ana Silva"].last_touch == NOW.date()  # unreadable date: left empty


def test_older_linkedin_export_without_url_column(database: Database, utc_as_of: AsOf) -> None:
    assert load(database, "linkedin_old.csv").files[0].added == 2
    chinedu = everyone(database, utc_as_of)["Chinedu Okafor"]
    assert (chinedu.emails, chinedu.linkedin_url) == (["chinedu@example.ng"], None)
    assert chinedu.last_touch == date(2019, 9, 5)


def test_linkedin_data_export_zip(database: Database, tmp_path: Path) -> None:
    archive = tmp_path / "Basic_LinkedInDataExport_11-25-2026.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("Profile.csv", "First Name,Last Name\nMe,Myself\n")
        bundle.write(FIXTURES / "linkedin_connections.csv", "Connections.csv")
    report = import_files(database, [archive], now=NOW)
    assert (report.files[0].format, report.files[0].added) == ("linkedin", 5)


def test_android_vcard_21_quoted_printable(database: Database, utc_as_of: AsOf) -> None:
    report = load(database, "android_v21.vcf")
    assert (report.files[0].added, report.files[0].problems) == (2, [])
    with database.connect() as connection:
        notes = connection.execute(
            select(Person.notes).where(Person.last_name == "Müller")
        ).scalar_one()
    assert notes == "Met at PyCon DE. Wants hybrid roles in Berlin; prefers über-email contact."
    renee = everyone(database, utc_as_of)["Renée Müller"]
    assert renee.company == "Müller & Söhne"
    assert renee.emails == ["renee@example.de", "r.mueller@mueller-soehne.example"]
    assert renee.phones == ["+49 170 1234567", "+49 30 123456"]


def test_apple_vcard_30_groups_and_social_profiles(database: Database, utc_as_of: AsOf) -> None:
    assert load(database, "apple_v30.vcf").files[0].added == 2
    people = everyone(database, utc_as_of)
    jose = people["José Núñez"]
    assert jose.emails == ["jose.nunez@helix.example", "jose@personal.example"]
    assert jose.linkedin_url == "https://linkedin.com/in/jose-nunez-1a2b3c/"
    assert (jose.tags, jose.location, jose.title) == (
        ["conference", "referrer"],
        "Madrid",
        "Staff Engineer",
    )
    assert people["Aoi Tanaka"].linkedin_url == "https://www.linkedin.com/in/aoi-tanaka"


def test_vcard_40(database: Database, utc_as_of: AsOf) -> None:
    load(database, "contacts_v40.vcf")
    ana = everyone(database, utc_as_of)["Ana Silva"]
    assert (ana.emails, ana.phones, ana.tags) == (
        ["ana.silva@arbor.example"],
        ["+351-91-000-0000"],
        ["silver-medalist"],
    )


def test_google_contacts_current_and_old_layouts(database: Database, utc_as_of: AsOf) -> None:
    report = load(database, "google_contacts.csv", "google_old.csv")
    assert [f.format for f in report.files] == ["google", "google"]
    people = everyone(database, utc_as_of)
    priya = people["Priya Sharma"]
    assert priya.emails == [
        "priya.sharma@cobalt.example",
        "priya@personal.example",
        "priya.s@gmail.example",
    ]
    assert priya.tags == ["data people"]  # "* myContacts" and "* starred" are Google's own
    assert (priya.linkedin_url, priya.location) == (
        "https://www.linkedin.com/in/priya-sharma",
        "Bengaluru",
    )
    lars = people["Lars Nilsson"]
    assert (lars.company, lars.title, lars.tags) == ("Fathom Logistics", "CTO", ["nordic"])


def test_outlook_layouts_and_windows_encoding(database: Database, utc_as_of: AsOf) -> None:
    report = load(database, "outlook_com.csv", "outlook_desktop_cp1252.csv")
    assert [f.format for f in report.files] == ["outlook", "outlook"]
    people = everyone(database, utc_as_of)
    emma = people["Emma Johnson"]
    assert emma.emails == ["emma.johnson@example.com", "emma@work.example"]
    assert emma.linkedin_url == "https://www.linkedin.com/in/emma-johnson"
    jurgen = people["Jürgen Groß"]
    assert (jurgen.company, jurgen.location, jurgen.tags) == (
        "Müller & Söhne",
        "München",
        ["kunden", "vip"],
    )
    assert "Zoë Dubois" in people


def test_generic_csv_with_semicolons_and_utf16(database: Database, utc_as_of: AsOf) -> None:
    load(database, "generic_semicolon.csv", "utf16_contacts.csv")
    people = everyone(database, utc_as_of)
    kavya = people["Kavya Iyer"]
    assert (kavya.company, kavya.title, kavya.tags) == (
        "Brightline Health",
        "QA Lead",
        ["meetup", "referrer"],
    )
    assert kavya.linkedin_url == "linkedin.com/in/kavya-iyer"
    assert people["Mateo Ruiz"].emails == ["mateo@example.es", "mateo.ruiz@work.example"]
    assert people["Ørjan Ødegård"].emails == ["orjan@example.no"]


def test_column_mapping(database: Database, utc_as_of: AsOf) -> None:
    with pytest.raises(BadImportFile, match="no column looks like a name"):
        load(database, "generic_needs_map.csv")
    load(
        database,
        "generic_needs_map.csv",
        mapping={"person": "full_name", "mail address": "emails", "employer": "company"},
    )
    daan = everyone(database, utc_as_of)["Daan de Vries"]
    assert (daan.emails, daan.company) == (["daan@example.nl"], "Vantage")


def test_format_comes_from_the_content_not_the_name(database: Database, tmp_path: Path) -> None:
    disguised = tmp_path / "contacts.txt"
    shutil.copy(FIXTURES / "apple_v30.vcf", disguised)
    assert import_files(database, [disguised], now=NOW).files[0].format == "vcard"
    with pytest.raises(UsageError, match="Unknown format"):
        import_files(database, [disguised], now=NOW, fmt="palm-pilot")


# -- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message", "line"),
    [
        ("empty.csv", "the file is empty", None),
        ("blank_lines.csv", "the file is empty", None),
        ("binary.csv", "not a text file", 1),
        ("truncated.vcf", "looks truncated", 6),
        ("no_columns.csv", "no column looks like a name or an email", 1),
        ("broken_quote.csv", "a quoted field is never closed", 3),
        ("not_recruiter_desk.json", "not a Recruiter Desk export", None),
        ("bad_record.json", "interactions[0] (id 'i1') has no occurred_at", None),
        ("newer_version.json", "newer version of Recruiter Desk", None),
        ("does_not_exist.csv", "no such file", None),
    ],
)
def test_bad_files_fail_cleanly_and_change_nothing(
    database: Database, name: str, message: str, line: int | None
) -> None:
    load(database, "google_contacts.csv")
    before = table_counts(database)
    with pytest.raises(BadImportFile) as failure:
        load(database, "linkedin_old.csv", name)
    assert message in str(failure.value)
    assert name in str(failure.value)
    assert failure.value.line == line
    assert table_counts(database) == before


def test_a_failure_while_writing_leaves_nothing(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from recruiter_desk.core.imports import merge

    before = table_counts(database)

    def explode(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk fell off")

    monkeypatch.setattr(merge, "_children", explode)
    with pytest.raises(RuntimeError):
        load(database, "linkedin_connections.csv")
    assert table_counts(database) == before


# -- merging -----------------------------------------------------------------------------


def test_importing_twice_adds_nothing(database: Database) -> None:
    names = [
        "linkedin_connections.csv",
        "apple_v30.vcf",
        "android_v21.vcf",
        "google_contacts.csv",
        "outlook_desktop_cp1252.csv",
        "generic_semicolon.csv",
    ]
    first = load(database, *names)
    people_after_first = table_counts(database)["people"]
    second = load(database, *names)
    assert second.total("added") == 0
    assert second.total("updated") == 0
    assert table_counts(database)["people"] == people_after_first
    assert second.total("unchanged") >= first.total("added")


def test_match_by_email_linkedin_then_name_and_company(database: Database, utc_as_of: AsOf) -> None:
    by_email = add_person(
        database,
        first_name="J.",
        last_name="Nunez",
        emails=["JOSE.NUNEZ@HELIX.EXAMPLE"],
        title="Engineer (my note)",
    )
    by_url = add_person(
        database,
        first_name="Renée",
        last_name="M.",
        linkedin_url="http://linkedin.com/in/renee-mueller?trk=abc",
    )
    by_name = add_person(
        database,
        first_name="Siobhán",
        last_name="O'Brien",
        company="Beacon Systems, Inc.",
        phones=["+353 1 000"],
    )
    report = load(database, "linkedin_connections.csv")
    assert (report.files[0].added, report.files[0].updated) == (2, 3)
    people = {r.id: r for r in everyone(database, utc_as_of).values()}
    # Filled what was empty, kept what the recruiter typed.
    assert (people[by_email].first_name, people[by_email].company) == ("J.", "Helix Labs")
    assert people[by_url].company == "Müller & Söhne"
    assert people[by_name].emails == ["siobhan@example.ie"]
    assert people[by_name].phones == ["+353 1 000"]


def test_a_job_change_is_recorded_and_findable(database: Database, utc_as_of: AsOf) -> None:
    load(database, "linkedin_connections.csv")
    later = import_files(database, [FIXTURES / "linkedin_connections_later.csv"], now=LATER)
    assert (later.files[0].job_changes, later.files[0].updated) == (1, 1)
    with database.connect() as connection:
        changed = list_people(connection, PeopleQuery(changed_jobs=True), utc_as_of, WarmthPolicy())
        assert [(r.full_name, r.company, r.title) for r in changed] == [
            ("José Núñez", "Cobalt Bank", "Principal Engineer")
        ]
        note = connection.execute(
            select(Interaction.kind, Interaction.subject, Interaction.body)
        ).one()
    assert tuple(note) == (
        "note",
        "Changed jobs",
        "Staff Engineer at Helix Labs → Principal Engineer at Cobalt Bank",
    )


def test_other_formats_never_overwrite_a_job(database: Database, utc_as_of: AsOf) -> None:
    add_person(
        database,
        first_name="José",
        last_name="Núñez",
        company="Cobalt Bank",
        emails=["jose.nunez@helix.example"],
        title="Principal Engineer",
    )
    load(database, "apple_v30.vcf")
    jose = everyone(database, utc_as_of)["José Núñez"]
    assert (jose.company, jose.title) == ("Cobalt Bank", "Principal Engineer")


def test_erased_people_are_skipped_and_counted(database: Database) -> None:
    load(database, "linkedin_connections.csv")
    with database.connect() as connection:
        jose = connection.execute(select(Person.id).where(Person.first_name == "José")).scalar_one()
    forget_person(database, jose, NOW)
    report = load(database, "linkedin_connections.csv")
    assert report.files[0].added == 0
    assert report.files[0].skipped == 2
    assert any("erased with 'forget'" in p.message for p in report.files[0].problems)


def test_dry_run_writes_nothing(database: Database) -> None:
    before = table_counts(database)
    report = load(database, "linkedin_connections.csv", dry_run=True)
    assert report.files[0].added == 5 and report.to_json()["dry_run"] is True
    assert table_counts(database) == before


def test_undo_import_removes_only_untouched_people(database: Database) -> None:
    kept_before = add_person(
        database, first_name="Siobhán", last_name="O'Brien", company="Beacon Systems, Inc."
    )
    load(database, "linkedin_connections.csv")
    batch = list_batches(database)[0]
    assert (batch.added, batch.updated) == (4, 1)
    with database.connect() as connection:
        ana = connection.execute(select(Person.id).where(Person.first_name == "Ana")).scalar_one()
    with database.session() as session:
        log_interaction(session, ana, kind="call", direction="outbound", occurred_at=LATER)
    result = undo_batch(database, batch.id, LATER)
    assert (result.removed, result.kept, result.updated_kept) == (3, ["Ana Silva"], 1)
    with database.connect() as connection:
        remaining = set(connection.execute(select(Person.first_name)).scalars())
        assert remaining == {"Siobhán", "Ana"}
        assert connection.execute(select(ImportBatch.undone_at)).scalar_one() == LATER
    assert kept_before
    with pytest.raises(Exception, match="already undone"):
        undo_batch(database, batch.id, LATER)


def test_progress_and_cancel(database: Database) -> None:
    seen: list[float] = []
    load(database, "google_contacts.csv", progress=lambda _s, f: seen.append(f))
    assert seen[-1] == 1.0 and seen == sorted(seen)
    before = table_rows(database)
    # Cancelled while the second file merges: the first one is already written by then.
    stages: list[str] = []
    with pytest.raises(ImportCancelled):
        load(
            database,
            "linkedin_connections.csv",
            "apple_v30.vcf",
            progress=lambda stage, _f: stages.append(stage),
            cancelled=lambda: "Importing apple_v30.vcf" in stages,
        )
    assert "Importing linkedin_connections.csv" in stages
    assert table_rows(database) == before


def test_json_problems_name_the_record(database: Database, tmp_path: Path) -> None:
    file = tmp_path / "export.json"
    file.write_text(
        '{"format": "recruiter-desk", "version": 1, "people": ['
        '{"id": "a", "first_name": "Ana", "flavour": "unknown keys are fine"},'
        '{"id": "b", "tags": ["x"]}]}',
        encoding="utf-8",
    )
    with pytest.raises(BadImportFile, match=r"people\[1\] \(id 'b'\) has neither a name nor"):
        import_files(database, [file], now=NOW)
    with database.connect() as connection:
        assert connection.execute(select(func.count(Person.id))).scalar_one() == 0


def test_namesakes_with_different_profiles_stay_apart(
    database: Database, tmp_path: Path, utc_as_of: AsOf
) -> None:
    file = tmp_path / "Connections.csv"
    file.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Wei,Chen,https://www.linkedin.com/in/wei-chen-1,,Helix,Engineer,1 Jan 2024\n"
        "Wei,Chen,https://www.linkedin.com/in/wei-chen-2,,Helix,Designer,2 Jan 2024\n"
        "Wei,Chen,https://www.linkedin.com/in/wei-chen-1/,,Helix,Engineer,1 Jan 2024\n",
        encoding="utf-8",
    )
    report = import_files(database, [file], now=NOW)
    assert (report.files[0].added, len(report.files[0].problems)) == (2, 1)
    again = import_files(database, [file], now=NOW)
    assert (again.files[0].added, again.files[0].unchanged) == (0, 2)


# -- streaming ---------------------------------------------------------------------------


def _import_in_parts(db_path: Path, file: Path, part: int, monkeypatch: pytest.MonkeyPatch):
    from recruiter_desk.core.imports import reading
    from recruiter_desk.db.open import open_database

    monkeypatch.setattr(reading, "PART", part)
    database = open_database(str(db_path))
    try:
        add_person(database, first_name="Dan", last_name="Eze", emails=["dan@x.example"])
        report = import_files(database, [file], now=NOW, fmt="linkedin")
        return report.to_json(), report.files[0].added_names, table_rows(database)
    finally:
        database.close()


def test_a_file_merged_in_parts_imports_as_if_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parts of two rows: the same new person three parts apart is merged into the first
    row (no job change, counted once); an existing person met twice is updated once."""
    file = tmp_path / "Connections.csv"
    file.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Ana,Silva,,ana@x.example,Arbor,Lead,24 Oct 2023\n"
        "Dan,Eze,,dan@x.example,Birch,CTO,24 Oct 2023\n"
        "Ben,Okafor,,ben@x.example,Cedar,Dev,\n"
        "Cy,Young,,,Dune,,\n"
        "Eve,Stone,,eve@x.example,,,not a date\n"
        "Fay,Lowe,,fay@x.example,,,\n"
        "Ana,Silva,,ana@x.example,Elm,Head,24 Oct 2023\n"
        "Dan,Eze,,dan@x.example,Birch,CTO,24 Oct 2023\n",
        encoding="utf-8",
    )
    whole = _import_in_parts(tmp_path / "whole.sqlite3", file, 5000, monkeypatch)
    parts = _import_in_parts(tmp_path / "parts.sqlite3", file, 2, monkeypatch)
    assert parts == whole
    report = whole[0]
    assert (report["added"], report["updated"], report["job_changes"]) == (5, 1, 0)
    assert [p["line"] for p in report["problems"]] == [6, 8]
    assert "same person appears earlier" in report["problems"][1]["message"]
