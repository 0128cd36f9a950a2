"""Identity rules as a recruiter meets them: names, folding, the same-person test.

Every test goes through the entry function the installed command calls (``app.main``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from recruiter_desk.app import main

AS_OF = "2026-11-25"


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    db = ["--db", str(tmp_path / "desk.sqlite3")]

    def run(*args: str) -> str:
        capsys.readouterr()
        status = main([*db, *args])
        captured = capsys.readouterr()
        assert status == 0, captured.err
        return captured.out

    return run


def test_an_email_only_person_is_their_address_everywhere(cli) -> None:  # type: ignore[no-untyped-def]
    cli("add-person", "--email", "solo@example.com")
    cli("log", "1", "--kind", "email", "--direction", "inbound", "--at", "2026-11-20")
    cli("followup", "1", "2026-11-24", "--reason", "call back")

    owed = cli("owed", "--as-of", AS_OF)
    assert "solo@example.com" in owed and "#1" not in owed
    assert json.loads(cli("owed", "--as-of", AS_OF, "--json"))[0]["full_name"] == (
        "solo@example.com"
    )
    followups = cli("followups", "--as-of", AS_OF)
    assert "solo@example.com" in followups
    card = cli("person", "1", "--as-of", AS_OF)
    heading, *lines = card.splitlines()
    assert heading.startswith("solo@example.com")
    owed_line = next(line for line in lines if line.strip().startswith("!"))
    assert "solo@example.com" in owed_line and "#1" not in owed_line


def test_soren_and_søren_are_one_person_to_search_merge_and_sort(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("add-person", "--first", "Søren", "--last", "Østergaard", "--company", "Nordlys")
    for first, last in (("Zed", "Zimmer"), ("Ola", "Olsen"), ("Ana", "Pérez"), ("Łucja", "Łapa")):
        cli("add-person", "--first", first, "--last", last)
    contacts = tmp_path / "contacts.csv"
    contacts.write_text(
        "First Name,Last Name,E-mail 1 - Value,Organization 1 - Name\n"
        "Soren,Ostergaard,soren@nordlys.example,Nordlys\n",
        encoding="utf-8",
    )
    report = json.loads(cli("import", str(contacts), "--json"))
    assert (report["added"], report["updated"]) == (0, 1)

    people = json.loads(cli("people", "--as-of", AS_OF, "--json"))
    assert [p["last_name"] for p in people] == ["Łapa", "Olsen", "Østergaard", "Pérez", "Zimmer"]
    found = json.loads(cli("people", "--search", "soren ostergaard", "--json"))
    assert [p["emails"] for p in found] == [["soren@nordlys.example"]]


def test_a_database_from_before_the_one_fold_sorts_and_merges_by_it(  # type: ignore[no-untyped-def]
    cli, tmp_path: Path
) -> None:
    import sqlite3

    cli("add-person", "--first", "Ola", "--last", "Østby", "--company", "Fjord")
    cli("add-person", "--first", "Zed", "--last", "Zimmer")
    with sqlite3.connect(tmp_path / "desk.sqlite3") as connection:
        # What 0002's fold stored: Ø left as it is, so it sorted after Z.
        connection.execute(
            "UPDATE people SET sort_key = 'østby\x1fola', name_key = 'ola østby|fjord' WHERE id = 1"
        )
        connection.execute("UPDATE alembic_version SET version_num = '0003_close_reasons'")
        connection.execute("DROP TABLE messages")  # added after 0003 (0005_messages)
        connection.execute("DROP TABLE mail_interactions")  # 0007_mail_interactions
        for column in ("lawful_basis", "lawful_basis_on", "consent_expires_on"):  # 0008
            connection.execute(f"ALTER TABLE people DROP COLUMN {column}")
        connection.execute("DROP TABLE mail_folders")  # 0009_mail_folders
        for table, column in (  # 0010_team
            ("interactions", "recruiter"),
            ("stage_changes", "recruiter"),
            ("people", "version"),
            ("people", "updated_by"),
            ("opportunities", "version"),
            ("opportunities", "updated_by"),
        ):
            connection.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    people = json.loads(cli("people", "--json"))
    assert [p["last_name"] for p in people] == ["Østby", "Zimmer"]
    contacts = tmp_path / "c.csv"
    contacts.write_text(
        "First Name,Last Name,E-mail 1 - Value,Organization 1 - Name\nOla,Ostby,,Fjord\n"
    )
    assert json.loads(cli("import", str(contacts), "--json"))["added"] == 0


def test_lists_sorted_in_python_file_ø_with_the_o_s(cli) -> None:  # type: ignore[no-untyped-def]
    for first in ("Zed", "Øyvind", "Pia"):
        cli("add-person", "--first", first)
    for person in ("1", "2", "3"):
        cli("log", person, "--kind", "email", "--direction", "inbound", "--at", "2026-11-20")
    owed = json.loads(cli("owed", "--as-of", AS_OF, "--json"))
    assert [o["full_name"] for o in owed] == ["Øyvind", "Pia", "Zed"]
