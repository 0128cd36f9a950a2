"""Import and export from the command line, as a recruiter runs them."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.helpers import run

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"


def test_import_report_dry_run_undo_and_export(tmp_path: Path, db_location: str) -> None:
    home = tmp_path / "home"
    db = ["--db", db_location]

    def cli(*args: str, ok: bool = True):
        return run(*db, *args, home=home, check_ok=ok)

    linkedin = str(FIXTURES / "linkedin_connections.csv")
    dry = json.loads(cli("import", linkedin, "--dry-run", "--json").stdout)
    assert (dry["added"], dry["skipped"], dry["dry_run"]) == (5, 1, True)
    assert dry["problems"][0] == {"line": 10, "message": "no name or email; skipped."}
    assert json.loads(cli("people", "--json").stdout) == []

    out = cli("import", linkedin, str(FIXTURES / "apple_v30.vcf")).stdout
    assert "LinkedIn connections: 5 added, 0 updated, 0 unchanged, 1 skipped" in out
    assert "vCard: 1 added, 1 updated, 0 unchanged, 0 skipped" in out
    assert "  line 10: no name or email; skipped." in out
    again = json.loads(cli("import", linkedin, "--json").stdout)
    assert (again["added"], again["updated"], again["unchanged"]) == (0, 0, 5)
    moved = json.loads(
        cli("import", str(FIXTURES / "linkedin_connections_later.csv"), "--json").stdout
    )
    assert moved["job_changes"] == 1
    changed = json.loads(cli("people", "--changed-jobs", "--json").stdout)
    assert [(p["full_name"], p["company"]) for p in changed] == [("José Núñez", "Cobalt Bank")]

    batches = json.loads(cli("imports", "--json").stdout)
    assert [b["format"] for b in batches] == ["linkedin", "linkedin", "vcard", "linkedin"]
    undo = cli("undo-import", str(batches[2]["id"])).stdout
    assert "Removed 1 person added by import batch" in undo
    assert "Updated but already here before it, so kept with the new details: 1 person." in undo

    target = tmp_path / "network.csv"
    assert (
        cli("export", "--format", "csv", "-o", str(target)).stdout
        == f"Exported 5 people to {target}.\n"
    )
    assert target.read_bytes().startswith(b"\xef\xbb\xbfID,First Name,Last Name")
    cards = cli(
        "export", "--format", "vcard", "--vcard-version", "3.0", "--search", "núñez", "-o", "-"
    ).stdout
    assert cards.count("BEGIN:VCARD") == 1 and "VERSION:3.0" in cards
    document = json.loads(cli("export", "--format", "json", "-o", "-").stdout)
    assert document["format"] == "recruiter-desk" and len(document["people"]) == 5


def test_bad_imports_exit_1_and_leave_nothing(tmp_path: Path, db_location: str) -> None:
    home = tmp_path / "home"
    db = ["--db", db_location]
    good, bad = str(FIXTURES / "google_contacts.csv"), str(FIXTURES / "truncated.vcf")
    result = run(*db, "import", good, bad, home=home, check_ok=False)
    assert result.returncode == 1
    assert result.stderr == (
        f"recruiter-desk: Cannot import {bad}, line 6: the file ends inside a vCard "
        "(it looks truncated).\n"
    )
    assert json.loads(run(*db, "people", "--json", home=home).stdout) == []
    unmapped = run(
        *db, "import", str(FIXTURES / "generic_needs_map.csv"), home=home, check_ok=False
    )
    assert unmapped.returncode == 1 and "--map" in unmapped.stderr
    mapped = run(
        *db,
        "import",
        str(FIXTURES / "generic_needs_map.csv"),
        "--map",
        "Person=full_name",
        "--map",
        "Mail address=emails",
        "--json",
        home=home,
    )
    assert json.loads(mapped.stdout)["added"] == 1
    wrong_map = run(*db, "import", good, "--map", "Name=shoe_size", home=home, check_ok=False)
    assert wrong_map.returncode == 2 and "unknown field 'shoe_size'" in wrong_map.stderr
    forced = run(*db, "import", good, "--format", "vcard", home=home, check_ok=False)
    assert forced.returncode == 1 and "text outside a vCard" in forced.stderr
