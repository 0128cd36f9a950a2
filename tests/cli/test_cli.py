"""The command line, in process through the entry function, as a user runs it, on SQLite and
PostgreSQL (the ``backend`` fixture; the demo network once per module and backend)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.helpers import run

AS_OF = "2026-11-25"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def demo_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("cli")
    if request.param == "sqlite":
        db = str(root / "desk.sqlite3")
    else:
        from tests import pg

        db = pg.fresh_database(pg.server_url())
    result = run(
        "--db",
        db,
        "demo",
        "--people",
        "300",
        "--seed",
        "5",
        "--as-of",
        AS_OF,
        home=root / "home",
    )
    assert "300 people" in result.stdout
    yield db, root / "home"
    if request.param == "postgresql":
        pg.drop_database(db)


PERSON_KEYS = {
    "id",
    "first_name",
    "last_name",
    "full_name",
    "emails",
    "phones",
    "company",
    "title",
    "location",
    "linkedin_url",
    "tags",
    "interests",
    "work_modes",
    "do_not_contact",
    "last_touch",
    "warmth",
    "status",
}


def test_people_json_has_the_documented_shape(demo_db: tuple[str, Path]) -> None:
    db, home = demo_db
    people = json.loads(run("--db", db, "people", "--json", "--as-of", AS_OF, home=home).stdout)
    assert len(people) == 300
    assert all(set(p) == PERSON_KEYS for p in people)
    statuses = {p["status"] for p in people}
    assert statuses == {"warm", "cooling", "cold", "do_not_contact"}
    sample = next(p for p in people if p["status"] == "cold")
    assert isinstance(sample["emails"], list) and sample["emails"]
    assert sample["warmth"] >= 1.0
    assert len(sample["last_touch"]) == 10


def test_status_and_search_filters(demo_db: tuple[str, Path]) -> None:
    db, home = demo_db
    everyone = json.loads(run("--db", db, "people", "--json", "--as-of", AS_OF, home=home).stdout)
    cold = json.loads(
        run("--db", db, "people", "--status", "cold", "--json", "--as-of", AS_OF, home=home).stdout
    )
    assert cold and all(p["status"] == "cold" for p in cold)
    assert len(cold) == sum(1 for p in everyone if p["status"] == "cold")
    target = everyone[0]
    found = json.loads(
        run(
            "--db",
            db,
            "people",
            "--search",
            f"{target['first_name']} {target['last_name']}",
            "--json",
            "--as-of",
            AS_OF,
            home=home,
        ).stdout
    )
    assert target["id"] in [p["id"] for p in found]


def test_readable_table(demo_db: tuple[str, Path]) -> None:
    db, home = demo_db
    out = run("--db", db, "people", "--limit", "5", "--as-of", AS_OF, home=home).stdout
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "NAME", "STATUS", "LAST", "TOUCH", "COMPANY", "TITLE"]
    assert lines[-1] == "5 people"


@pytest.mark.parametrize(
    "args",
    [
        ["people", "--status", "lukewarm"],
        ["people", "--as-of", "yesterday"],
        ["demo", "--people", "0"],
        ["frobnicate"],
        ["done", "abc"],
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, db_location: str, args: list[str]) -> None:
    result = run("--db", db_location, *args, home=tmp_path / "home", check_ok=False)
    assert result.returncode == 2
    assert result.stderr.strip()


@pytest.mark.sqlite_only("a missing folder and a damaged file are SQLite files' errors")
def test_environment_errors_are_one_sentence_exit_1(tmp_path: Path, backend: str) -> None:
    missing = run(
        "--db",
        str(tmp_path / "no" / "such" / "x.sqlite3"),
        "people",
        home=tmp_path / "home",
        check_ok=False,
    )
    assert missing.returncode == 1
    assert missing.stderr.startswith("recruiter-desk: Cannot open the database")
    assert len(missing.stderr.strip().splitlines()) == 1
    junk = tmp_path / "junk.sqlite3"
    junk.write_text("not a database " * 500)
    damaged = run("--db", str(junk), "people", home=tmp_path / "home", check_ok=False)
    assert damaged.returncode == 1
    assert "damaged" in damaged.stderr


def test_db_from_environment_variable(tmp_path: Path, db_location: str) -> None:
    environment = {"RECRUITER_DESK_DB": db_location}
    home = tmp_path / "home"
    run("demo", "--people", "5", "--as-of", AS_OF, home=home, env=environment)
    people = json.loads(
        run("people", "--json", "--as-of", AS_OF, home=home, env=environment).stdout
    )
    assert len(people) == 5


@pytest.mark.sqlite_only("backups and restore copy the SQLite file")
def test_backup_restore_and_forget(tmp_path: Path, backend: str) -> None:
    home = tmp_path / "home"
    db = str(tmp_path / "desk.sqlite3")
    run("--db", db, "demo", "--people", "20", "--as-of", AS_OF, home=home)
    backup = tmp_path / "before.sqlite3"
    assert "Backed up" in run("--db", db, "backup", "-o", str(backup), home=home).stdout
    people = json.loads(run("--db", db, "people", "--json", "--as-of", AS_OF, home=home).stdout)
    victim = people[0]
    out = run("--db", db, "forget", str(victim["id"]), home=home).stdout
    assert f"Erased person {victim['id']}" in out
    after = json.loads(run("--db", db, "people", "--json", "--as-of", AS_OF, home=home).stdout)
    assert len(after) == 19
    again = run("--db", db, "forget", str(victim["id"]), home=home, check_ok=False)
    assert again.returncode == 1 and "no person with id" in again.stderr
    restored = run("--db", db, "restore", str(backup), home=home).stdout
    assert "Restored" in restored and "kept at" in restored
    # The person forgotten after the backup stays forgotten (tests/cli/test_privacy_cli.py).
    assert "erased again" in restored
    back = json.loads(run("--db", db, "people", "--json", "--as-of", AS_OF, home=home).stdout)
    assert len(back) == 19
    bad = run("--db", db, "restore", str(tmp_path / "missing.sqlite3"), home=home, check_ok=False)
    assert bad.returncode == 1 and "no such file" in bad.stderr


def test_a_database_password_is_never_printed(tmp_path: Path) -> None:
    for url in ("postgresql://recruiter:s3cret-pw@127.0.0.1:1/desk", "not a url://s3cret-pw@@"):
        result = run("--db", url, "people", home=tmp_path / "home", check_ok=False)
        assert result.returncode == 1
        assert "s3cret-pw" not in result.stderr + result.stdout
        # Without a PostgreSQL driver the address cannot be used; with one (psycopg), the
        # server on port 1 cannot be reached (docs/team.md, "Offline").
        assert (
            "Cannot use the database address" in result.stderr
            or "cannot be reached (connection refused)" in result.stderr
        )
    log = tmp_path / "home" / "logs" / "recruiter-desk.log"
    assert not log.exists() or "s3cret-pw" not in log.read_text()


def test_the_file_only_commands_on_a_server_database_name_its_own_tools(tmp_path: Path) -> None:
    # Backups, restore and encryption copy or rewrite the SQLite file (README, "PostgreSQL").
    from tests import pg

    url = pg.fresh_database(pg.server_url())
    home = tmp_path / "home"
    try:
        said = {
            " ".join(args): run("--db", url, *args, home=home, check_ok=False)
            for args in (
                ["backup"],
                ["backups"],
                ["restore", str(tmp_path / "before.sqlite3")],
                ["encrypt"],
                ["decrypt"],
            )
        }
    finally:
        pg.drop_database(url)
    for command, result in said.items():
        assert result.returncode == 1, command
        assert len(result.stderr.strip().splitlines()) == 1, command
        assert "pg_dump" in result.stderr, command
    assert "back up a PostgreSQL database" in said["backup"].stderr
    assert "pg_restore" in said["restore " + str(tmp_path / "before.sqlite3")].stderr
    assert "Encryption is for a SQLite file" in said["encrypt"].stderr
    assert "Encryption is for a SQLite file" in said["decrypt"].stderr
