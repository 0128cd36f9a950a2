"""Import defects found on paths no test walked, each through the command line in process."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from recruiter_desk.app import main
from recruiter_desk.core.followups import add_follow_up
from recruiter_desk.core.opportunities import add_opportunity
from recruiter_desk.core.records import log_interaction
from recruiter_desk.db.open import open_database
from tests.conftest import add_person, table_rows
from tests.locales import german_month_names

NOW = datetime(2026, 11, 25, 12, 0)
CONNECTIONS = (
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "Lena,Vogel,https://www.linkedin.com/in/lena-vogel,,Helix,Engineer,24 Oct 2023\n"
    "Jonas,Beck,,jonas@beck.example,Helix,Designer,3 Mar 2021\n"
)


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def json_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The app's own JSON export of two people with a touch, a follow-up and a process."""
    source = open_database(str(tmp_path / "source.sqlite3"), daily_backup=False)
    ana = add_person(source, first_name="Ana", last_name="Silva", emails=["ana@arbor.example"])
    add_person(source, first_name="Ben", last_name="Okafor", company="Helix")
    with source.session() as session:
        log_interaction(
            session, ana, kind="email", direction="inbound", occurred_at=NOW, subject="Hi"
        )
        add_follow_up(session, ana, date(2026, 12, 1), "Check in", NOW)
        role = add_opportunity(session, title="Data Engineer", company="Helix", now=NOW).id
        from recruiter_desk.db.models import Candidacy

        session.add(
            Candidacy(
                person_id=ana,
                opportunity_id=role,
                stage="contacted",
                stage_changed_at=NOW,
                created_at=NOW,
            )
        )
    source.close()
    target = tmp_path / "export.json"
    code, _out, err = cli(
        capsys, "--db", str(tmp_path / "source.sqlite3"), "export", "--format", "json", "-o",
        str(target),
    )  # fmt: skip
    assert code == 0, err
    return target


def test_dry_run_of_a_json_export_into_a_database_without_those_people(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = json_export(tmp_path, capsys)
    db = tmp_path / "other.sqlite3"
    open_database(str(db), daily_backup=False).close()
    database = open_database(str(db), daily_backup=False)
    before = table_rows(database)
    database.close()

    code, out, err = cli(capsys, "--db", str(db), "import", str(export), "--dry-run", "--json")
    assert code == 0, err
    dry = json.loads(out)
    assert (dry["added"], dry["updated"], dry["dry_run"], dry["batches"]) == (2, 0, True, [])
    database = open_database(str(db), daily_backup=False)
    assert table_rows(database) == before
    database.close()

    code, out, err = cli(capsys, "--db", str(db), "import", str(export), "--json")
    assert code == 0, err
    real = json.loads(out)
    assert {k: real[k] for k in ("added", "updated", "skipped", "problems")} == {
        k: dry[k] for k in ("added", "updated", "skipped", "problems")
    }


def test_linkedin_dates_do_not_depend_on_the_locale(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "Connections.csv"
    file.write_text(CONNECTIONS, encoding="utf-8")
    db = str(tmp_path / "desk.sqlite3")
    with german_month_names():
        code, out, err = cli(capsys, "--db", db, "import", str(file), "--json")
    assert code == 0, err
    assert json.loads(out)["problems"] == []
    code, out, err = cli(capsys, "--db", db, "people", "--json")
    people = {p["full_name"]: p for p in json.loads(out)}
    database = open_database(db, daily_backup=False)
    with database.connect() as connection:
        from sqlalchemy import select

        from recruiter_desk.db.models import Person

        days = dict(connection.execute(select(Person.first_name, Person.connected_on)).all())
    database.close()
    assert set(people) == {"Lena Vogel", "Jonas Beck"}
    assert days == {"Lena": date(2023, 10, 24), "Jonas": date(2021, 3, 3)}


def test_several_columns_for_one_field_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "contacts.csv"
    file.write_text("A,B,Mail\nAna,Silva,ana@example.com\n", encoding="utf-8")
    code, _out, err = cli(
        capsys, "--db", str(tmp_path / "desk.sqlite3"), "import", str(file),
        "--map", "A=full_name", "--map", "B=full_name",
    )  # fmt: skip
    assert code == 2
    assert "2 columns ('a', 'b') are mapped to 'full name'; choose one column" in err
