"""Team mode through the command line: two recruiters (RECRUITER_DESK_RECRUITER) on one
database file, as two people at two terminals would be."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.helpers import Result, run


def as_(who: str, db: Path, *args: str, check_ok: bool = True) -> Result:
    return run("--db", str(db), *args, env={"RECRUITER_DESK_RECRUITER": who}, check_ok=check_ok)


def test_who_did_what_and_the_teammate_warning(tmp_path: Path) -> None:
    db = tmp_path / "team.sqlite3"
    as_("ana", db, "add-person", "--first", "Lea", "--last", "Roy", "--email", "lea@x.org")
    as_("bob", db, "log", "Lea Roy", "--kind", "call", "--at", "2026-11-23T10:00")

    logged = as_("ana", db, "log", "Lea Roy", "--kind", "email", "--at", "2026-11-25T09:00")
    assert logged.stderr == (
        "recruiter-desk: Your teammate bob called Lea Roy on Monday 23 November 2026 "
        "(2 days ago); check with them before you write.\n"
    )
    assert logged.stdout.startswith("Logged outbound email")  # a warning, not a refusal

    timeline = as_("ana", db, "timeline", "--person", "Lea Roy", "--json")
    assert [(e["kind"], e["recruiter"]) for e in json.loads(timeline.stdout)] == [
        ("email", "ana"),
        ("call", "bob"),
    ]
    table = as_("ana", db, "timeline", "--person", "Lea Roy").stdout
    assert table.splitlines()[0].split() == ["WHEN", "KIND", "WHO", "BY", "WHAT"]
    assert table.splitlines()[2].endswith("Lea Roy  bob")

    as_("carl", db, "add-article", "https://example.org/a", "--title", "A")
    shared = as_("carl", db, "share", "1", "Lea Roy", "--at", "2026-11-25T10:00")
    assert "Your teammate ana emailed Lea Roy on Wednesday 25 November 2026" in shared.stderr

    person = as_("carl", db, "person", "Lea Roy", "--as-of", "2026-11-25").stdout
    assert "! Your teammate ana emailed Lea Roy on Wednesday 25 November 2026 (today)" in person

    # compose looks back from now: a touch logged now is today's.
    as_("bob", db, "log", "Lea Roy", "--kind", "message")
    composed = as_("carl", db, "compose", "1", "--to", "Lea Roy", "--queue", check_ok=False)
    first = composed.stderr.splitlines()[0]
    assert first.startswith("recruiter-desk: Your teammate bob messaged Lea Roy on ")
    assert first.endswith(" (today); check with them before you write.")


def test_edit_refuses_to_save_over_a_teammates_newer_version(tmp_path: Path) -> None:
    db = tmp_path / "team.sqlite3"
    as_("ana", db, "add-person", "--first", "Ada", "--last", "Byron", "--title", "Engineer")
    assert (
        "Saved person 1 as version 2."
        in as_("bob", db, "edit", "Ada Byron", "--set", "title=CTO", "--if-version", "1").stdout
    )

    refused = as_("ana", db, "edit", "1", "--set", "title=VP", "--if-version", "1", check_ok=False)
    assert refused.returncode == 1
    assert refused.stderr == (
        "recruiter-desk: bob saved Ada Byron as version 2 while you were editing version 1: "
        "title is 'CTO' in theirs and 'VP' in yours; nothing of yours was saved.\n"
    )
    shown = as_("ana", db, "person", "1", "--as-of", "2026-11-25").stdout
    assert "CTO" in shown and "Version 2, last edited by bob." in shown
