"""A role's pipeline from the command line: the board, closing reasons, ending a role and
silver medalists, in process through the installed entry function, with fixed dates."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.helpers import run


def test_pipeline_closing_reasons_ending_a_role_and_silver_medalists(
    tmp_path: Path, db_location: str
) -> None:
    home = tmp_path / "home"
    db = ["--db", db_location]

    def cli(*args: str, ok: bool = True) -> str:
        result = run(*db, *args, home=home, check_ok=ok)
        return result.stdout if ok else result.stderr

    for first, email in (("Ana", "ana@x.example"), ("Ben", ""), ("Cy", ""), ("Di", "")):
        cli("add-person", "--first", first, *(["--email", email] if email else []))
    cli("add-opportunity", "Senior Glassblower", "--company", "Acme", "--work-mode", "remote")
    cli("add-opportunity", "Glassblower", "--company", "Acme", "--work-mode", "remote")
    cli("stage", "1", "1", "offer", "--at", "2026-10-01")
    out = cli("stage", "1", "1", "not_selected", "--at", "2026-10-05", "--reason", "timing")
    assert "You owe them a closing message." in out
    assert 'compose "Not selected, door open" --to 1 --opportunity 1 --print' in out
    cli("stage", "2", "2", "contacted", "--at", "2026-11-16")  # a Monday
    cli("stage", "3", "2", "interviewing", "--at", "2026-11-20")
    cli("stage", "4", "2", "sourced", "--at", "2026-11-20")

    board = json.loads(cli("opportunity", "2", "--as-of", "2026-11-25", "--json"))
    assert board["opportunity"]["title"] == "Glassblower"
    assert list(board["stages"]) == [
        "sourced",
        "contacted",
        "interested",
        "submitted",
        "interviewing",
        "shortlisted",
        "offer",
        "hired",
        "not_selected",
        "withdrew",
    ]
    (ben,) = board["stages"]["contacted"]
    assert (ben["full_name"], ben["days_in_stage"], ben["level"], ben["owed"]) == (
        "Ben",
        7,
        "red",
        "update",
    )
    assert board["stages"]["interviewing"][0]["days_in_stage"] == 3
    assert board["stages"]["interviewing"][0]["level"] == "amber"
    text = cli("opportunity", "2", "--as-of", "2026-11-25")
    assert "Contacted (1):" in text and "7 !!" in text and "3 !" in text

    medalists = json.loads(cli("silver-medalists", "2", "--as-of", "2026-11-25", "--json"))
    assert [(m["person"]["full_name"], m["reached"], m["close_reason"]) for m in medalists] == [
        ("Ana", "offer", "timing")
    ]
    assert medalists[0]["opportunity"]["title"] == "Senior Glassblower"
    assert "our choice: timing" in cli("silver-medalists", "2", "--as-of", "2026-11-25")
    assert "our choice: timing" in cli("person", "1", "--as-of", "2026-11-25")

    ended = json.loads(
        cli("close-opportunity", "2", "--status", "filled", "--at", "2026-11-25", "--json")
    )
    assert ended["status"] == "filled"
    assert [(o["full_name"], o["previous_stage"]) for o in ended["owed_closing"]] == [
        ("Ben", "contacted"),
        ("Cy", "interviewing"),
    ]
    owed = json.loads(cli("owed", "--as-of", "2026-11-25", "--json"))
    assert {(o["full_name"], o["reason"]) for o in owed} >= {("Ben", "closing"), ("Cy", "closing")}
    after = json.loads(cli("opportunity", "2", "--as-of", "2026-11-25", "--json"))
    assert [c["full_name"] for c in after["stages"]["sourced"]] == ["Di"]
    assert after["stages"]["not_selected"][0]["close_reason"] == "role_closed"

    assert "A reason is only recorded when closing" in cli(
        "stage", "4", "2", "contacted", "--reason", "timing", ok=False
    )
    assert "invalid choice" in cli("close-opportunity", "2", "--status", "open", ok=False)
