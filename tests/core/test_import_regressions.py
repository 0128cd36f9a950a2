"""Import defects found on paths no test walked, each through the command line in process."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
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


def _connections(first_names: str, count: int) -> str:
    rows = [
        f"{first_names}{n},Person{n},,{first_names.lower()}{n}@example.com,Firm {n % 7},"
        f"Engineer,24 Oct 2023"
        for n in range(count)
    ]
    return "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n" + "\n".join(
        rows
    )


def _wchan(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/wchan", encoding="ascii") as wchan:
            return wchan.read()
    except OSError:
        return ""


def _waiting_for_the_lock(pid: int) -> bool:
    """Whether the process sleeps (in SQLite's busy handler: it sleeps nowhere else)."""
    return "sleep" in _wchan(pid)


def _kernel_says_who_sleeps() -> bool:
    sleeper = subprocess.Popen(["sleep", "5"])
    try:
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline:
            if _waiting_for_the_lock(sleeper.pid):
                return True
            time.sleep(0.005)
        return False
    finally:
        sleeper.kill()
        sleeper.wait()


def test_two_processes_importing_at_once_both_succeed(tmp_path: Path) -> None:
    """Both imports wait on a write lock held by the test, then race for it: each must plan
    from what the other wrote, not from reads made before it got the lock."""
    db = tmp_path / "desk.sqlite3"
    open_database(str(db), daily_backup=False).close()
    # Opening once more takes today's automatic backup: the children go straight to importing.
    assert main(["--db", str(db), "people", "--json"]) == 0
    files = []
    for name in ("Ada", "Bo"):
        file = tmp_path / f"{name}.csv"
        file.write_text(_connections(name, 150), encoding="utf-8")
        files.append(file)
    environment = {**os.environ, "TZ": "UTC"}
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    children = [
        subprocess.Popen(
            [sys.executable, "-m", "recruiter_desk", "--db", str(db), "import", str(f), "--json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=environment,
        )
        for f in files
    ]
    try:
        # Release once both wait on the lock (or a child ends);
        # a first waiter gives up after SQLite's 5 s busy timeout, so never hold it 3 s longer.
        first_waiting: float | None = None
        # Without a kernel that says where a process sleeps, the race is left to chance.
        deadline = time.monotonic() + (20 if _kernel_says_who_sleeps() else 0)
        while time.monotonic() < deadline:
            states = [_waiting_for_the_lock(c.pid) for c in children]
            if any(c.poll() is not None for c in children):
                break
            if all(states):
                break
            if any(states) and first_waiting is None:
                first_waiting = time.monotonic()
            if first_waiting is not None and time.monotonic() - first_waiting > 3:
                break
            time.sleep(0.01)
    finally:
        holder.execute("COMMIT")
        holder.close()
    results = [(c.wait(timeout=60), *c.communicate()) for c in children]
    for code, out, err in results:
        assert code == 0, err
        assert json.loads(out)["added"] == 150
    database = open_database(str(db), daily_backup=False)
    with database.connect() as connection:
        from sqlalchemy import func, select

        from recruiter_desk.db.models import Organization, Person

        assert connection.execute(select(func.count(Person.id))).scalar_one() == 300
        assert connection.execute(select(func.count(Organization.id))).scalar_one() == 7
    database.close()


def test_a_note_over_128_kib_survives_export_and_import(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "source.sqlite3"
    database = open_database(str(source), daily_backup=False)
    note = "Long history. " * 20_000  # 280 KB, over the csv module's 128 KiB default
    add_person(database, first_name="Ana", last_name="Silva", notes=note.strip())
    database.close()
    file = tmp_path / "people.csv"
    code, _out, err = cli(capsys, "--db", str(source), "export", "--format", "csv", "-o", str(file))
    assert code == 0, err
    other = str(tmp_path / "other.sqlite3")
    code, out, err = cli(capsys, "--db", other, "import", str(file), "--json")
    assert code == 0, err
    assert json.loads(out)["added"] == 1
    code, out, err = cli(capsys, "--db", other, "export", "--format", "json", "-o", "-")
    assert json.loads(out)["people"][0]["notes"] == note.strip()


def test_an_unclosed_quote_after_a_long_field_names_its_own_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "people.csv"
    long_note = "x" * 200_000
    file.write_text(
        f'Name,Email,Notes\nAna Silva,ana@example.com,"{long_note}"\n'
        'Ben Okafor,ben@example.com,ok\nCleo Diaz,cleo@example.com,"never closed\n'
        "Dan Eze,dan@example.com,fine\n",
        encoding="utf-8",
    )
    code, _out, err = cli(capsys, "--db", str(tmp_path / "desk.sqlite3"), "import", str(file))
    assert code == 1
    assert err == f"recruiter-desk: Cannot import {file}, line 4: a quoted field is never closed.\n"


def test_add_person_reads_the_organisations_under_the_write_lock(tmp_path: Path) -> None:
    """Another writer (here the test, as an import would) creates the organisation while
    add-person waits its turn: add-person must find it then, not insert it a second time."""
    if not _kernel_says_who_sleeps():
        pytest.skip("this kernel does not say where a process sleeps")
    db = tmp_path / "desk.sqlite3"
    open_database(str(db), daily_backup=False).close()
    assert main(["--db", str(db), "people", "--json"]) == 0  # today's automatic backup
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    child = subprocess.Popen(
        [sys.executable, "-m", "recruiter_desk", "--db", str(db), "add-person", "--first",
         "Ana", "--company", "Helix"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "TZ": "UTC"},
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and child.poll() is None:
            if _waiting_for_the_lock(child.pid):
                break
            time.sleep(0.01)
        holder.execute(
            "INSERT INTO organizations (name, notes, created_at) "
            "VALUES ('Helix', '', '2026-11-25 12:00:00')"
        )
    finally:
        holder.execute("COMMIT")
        holder.close()
    out, err = child.communicate(timeout=60)
    assert child.returncode == 0, err
    assert out.startswith("Added person")
    with sqlite3.connect(db) as check:
        assert check.execute("SELECT count(*) FROM organizations").fetchone() == (1,)
