"""Naming a person on the command line by id, email address or name (never only by id)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.helpers import Result, run


@pytest.fixture
def desk(tmp_path: Path, db_location: str) -> list[str]:
    db = ["--db", db_location]
    for first, last, email in (
        ("Liam", "Smith", "liam@helix.example"),
        ("Liam", "Smithers", "smithers@orbit.example"),
        ("Ana", "Núñez", "ana@x.example"),
        ("Ana", "Costa", "ana.costa@one.example"),
        ("Ana", "Costa", "acosta@two.example"),
    ):
        run(*db, "add-person", "--first", first, "--last", last, "--email", email)
    run(*db, "add-person", "--email", "solo@example.com")
    run(*db, "add-opportunity", "Data Engineer")
    return db


def _named(desk: list[str], who: str) -> str:
    """The first line of ``person WHO``: the name and id of the one person picked."""
    return run(*desk, "person", who, "--as-of", "2026-11-25").stdout.splitlines()[0]


def test_a_person_is_named_by_id_email_or_name(desk: list[str]) -> None:
    assert _named(desk, "1") == "Liam Smith (#1)"
    assert _named(desk, "#3") == "Ana Núñez (#3)"
    assert _named(desk, "LIAM@Helix.example") == "Liam Smith (#1)"
    assert _named(desk, "solo@example.com") == "solo@example.com (#6)"
    # The whole name wins over a longer one that starts the same way.
    assert _named(desk, "Liam Smith") == "Liam Smith (#1)"
    assert _named(desk, "liam smithe") == "Liam Smithers (#2)"
    assert _named(desk, "ana nunez") == "Ana Núñez (#3)"
    assert _named(desk, "Núñez") == "Ana Núñez (#3)"


def test_every_command_that_takes_a_person_takes_a_name(desk: list[str]) -> None:
    logged = json.loads(
        run(*desk, "log", "Ana Núñez", "--kind", "call", "--at", "2026-11-20", "--json").stdout
    )
    assert logged["person_id"] == 3
    moved = json.loads(run(*desk, "stage", "liam smith", "1", "interviewing", "--json").stdout)
    assert moved["person_id"] == 1
    assert "for person 2 due 2026-12-01" in run(*desk, "followup", "Smithers", "2026-12-01").stdout
    assert run(*desk, "snooze", "ana@x.example", "10").stdout.startswith("Person 3 will not")
    timeline = json.loads(run(*desk, "timeline", "--person", "ana nunez", "--json").stdout)
    assert [entry["id"] for entry in timeline] == [logged["id"]]
    drafts = json.loads(
        run(
            *desk, "compose", "1", "--to", "Liam Smith", "ana@x.example", "--print", "--json"
        ).stdout
    )
    assert [draft["to"] for draft in drafts] == ["liam@helix.example", "ana@x.example"]
    assert "Erased person 6" in run(*desk, "forget", "solo@example.com").stdout


def test_rejected_is_taken_for_not_selected(desk: list[str]) -> None:
    moved = json.loads(run(*desk, "stage", "1", "1", "rejected", "--json").stdout)
    assert moved["stage"] == "not_selected"
    bad = run(*desk, "stage", "1", "1", "ghosted", check_ok=False)
    assert bad.returncode == 2 and "'ghosted' is not a stage" in bad.stderr


def _failure(result: Result) -> list[str]:
    assert result.returncode == 1 and result.stdout == ""
    return result.stderr.splitlines()


def test_a_name_that_fits_several_people_lists_them_and_changes_nothing(desk: list[str]) -> None:
    lines = _failure(run(*desk, "log", "ana costa", "--kind", "call", check_ok=False))
    assert lines == [
        "recruiter-desk: 2 people match 'ana costa'; name one by id or email address:",
        "  #4 Ana Costa <ana.costa@one.example>",
        "  #5 Ana Costa <acosta@two.example>",
    ]
    assert (
        json.loads(run(*desk, "export", "--format", "json", "-o", "-").stdout)["interactions"] == []
    )
    assert _failure(run(*desk, "person", "Ana", check_ok=False))[0] == (
        "recruiter-desk: 3 people match 'Ana'; name one by id or email address:"
    )


def test_no_match_is_one_sentence(desk: list[str]) -> None:
    assert _failure(run(*desk, "person", "Zed Quinn", check_ok=False)) == [
        "recruiter-desk: No one in the database is called 'Zed Quinn'."
    ]
    assert _failure(run(*desk, "share", "1", "nobody@x.example", check_ok=False)) == [
        "recruiter-desk: No one in the database has the email address 'nobody@x.example'."
    ]
    assert _failure(run(*desk, "person", "99", check_ok=False)) == [
        "recruiter-desk: There is no person with id 99."
    ]


def test_help_says_what_opens_the_window_and_how_to_name_people() -> None:
    help_text = " ".join(run("--help").stdout.split())
    assert help_text.startswith("usage: recruiter-desk [-h] [--version] [--db PATH|URL] [COMMAND")
    assert "With no COMMAND, recruiter-desk opens the desktop window" in help_text
    assert "never opens it" in help_text
    log_help = run("log", "--help").stdout
    assert log_help.startswith("usage: recruiter-desk log [-h]")
    assert "an id, an email address or a name" in " ".join(log_help.split())
