"""The relationship engine through the command line, as a recruiter uses it."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.helpers import run


def test_a_week_of_recruiting_from_the_command_line(tmp_path: Path, db_location: str) -> None:
    home = tmp_path / "home"
    db = ["--db", db_location]

    def cli(*args: str) -> str:
        return run(*db, *args, home=home).stdout

    assert (
        cli(
            "add-person",
            "--first",
            "Ana",
            "--last",
            "Núñez",
            "--email",
            "ana@x.example",
            "--title",
            "Data Engineer",
            "--work-mode",
            "remote",
            "--openness",
            "active",
            "--interest",
            "rust",
        )
        == "Added person 1.\n"
    )
    cli("add-person", "--first", "Ben", "--title", "Data Engineer", "--work-mode", "onsite")
    cli("add-person", "--first", "Cy", "--title", "Data Engineer", "--do-not-contact")
    assert (
        cli(
            "add-opportunity",
            "Senior Data Engineer",
            "--company",
            "Helix",
            "--work-mode",
            "remote",
            "--skill",
            "rust",
        )
        == "Added opportunity 1.\n"
    )

    moved = json.loads(cli("stage", "1", "1", "interviewing", "--at", "2026-11-20T09:00", "--json"))
    assert (moved["previous_stage"], moved["stage"]) == (None, "interviewing")
    cli("log", "2", "--kind", "message", "--direction", "inbound", "--at", "2026-11-21T10:00")
    owed = json.loads(cli("owed", "--as-of", "2026-11-25", "--json"))
    assert owed == [
        {
            "person_id": 1,
            "full_name": "Ana Núñez",
            "reason": "update",
            "since": "2026-11-20",
            "opportunity": "Senior Data Engineer",
        },
        {
            "person_id": 2,
            "full_name": "Ben",
            "reason": "reply",
            "since": "2026-11-21",
            "opportunity": None,
        },
    ]
    cli("log", "1", "--kind", "call", "--at", "2026-11-24T15:00", "--opportunity", "1")
    cli("log", "2", "--kind", "email", "--at", "2026-11-24T16:00")
    assert json.loads(cli("owed", "--as-of", "2026-11-25", "--json")) == []
    assert "No one is waiting on you." in cli("owed", "--as-of", "2026-11-25")

    matches = json.loads(cli("matches", "1", "--as-of", "2026-11-25", "--json"))
    assert matches["opportunity"]["title"] == "Senior Data Engineer"
    assert [p["id"] for p in matches["fits"]] == [1]
    assert sorted((e["person"]["id"], e["reason"]) for e in matches["excluded"]) == [
        (2, "work_mode"),
        (3, "do_not_contact"),
    ]
    table = cli("matches", "1", "--as-of", "2026-11-25")
    assert "wants onsite" in table and "do-not-contact" in table

    closed = cli("stage", "1", "1", "not_selected", "--at", "2026-11-25T09:00")
    assert "Stay-in-touch follow-up #1 scheduled for 2027-02-23" in closed
    owed = json.loads(cli("owed", "--as-of", "2026-11-25", "--json"))
    assert [(o["person_id"], o["reason"]) for o in owed] == [(1, "closing")]

    followups = json.loads(cli("followups", "--json", "--as-of", "2026-11-25"))
    assert [(f["person_id"], f["due_on"]) for f in followups] == [(1, "2027-02-23")]
    assert json.loads(cli("followups", "--due", "--json", "--as-of", "2026-11-25")) == []
    cli("followup", "2", "2026-11-20", "--reason", "Ask about relocation")
    due = json.loads(cli("followups", "--due", "--json", "--as-of", "2026-11-25"))
    assert [(f["reason"], f["overdue"]) for f in due] == [("Ask about relocation", True)]
    assert cli("done", str(due[0]["id"])) == f"Follow-up #{due[0]['id']} done.\n"

    people = json.loads(cli("people", "--status", "cold", "--as-of", "2027-06-01", "--json"))
    assert [p["id"] for p in people] == [2, 1]  # Ben, then Núñez
    cli("snooze", "2", "30", "--as-of", "2027-06-01")
    people = json.loads(cli("people", "--status", "cold", "--as-of", "2027-06-01", "--json"))
    assert [p["id"] for p in people] == [1]

    card = cli("person", "1", "--as-of", "2026-11-25")
    assert "You owe Ana Núñez a closing message about Senior Data Engineer" in card
    assert "Last in touch 1 day ago" not in card and "Last in touch" in card


def test_engine_errors_are_plain(tmp_path: Path, db_location: str) -> None:
    home = tmp_path / "home"
    db = ["--db", db_location]
    missing = run(*db, "matches", "99", home=home, check_ok=False)
    assert missing.returncode == 1
    assert missing.stderr == "recruiter-desk: There is no opportunity with id 99.\n"
    bad_stage = run(*db, "stage", "1", "1", "ghosted", home=home, check_ok=False)
    assert bad_stage.returncode == 2
    bad_time = run(*db, "add-person", "--first", "A", home=home)
    assert bad_time.returncode == 0
    wrong_when = run(
        *db, "log", "1", "--kind", "call", "--at", "tuesday", home=home, check_ok=False
    )
    assert wrong_when.returncode == 2 and "not like 2026-11-25" in wrong_when.stderr
