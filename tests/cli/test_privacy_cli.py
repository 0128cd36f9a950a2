"""Privacy rights through the command line: erasure leaves no trace, restore keeps it erased."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

from recruiter_desk.core.vocabulary import ACTIVE_STAGES
from tests.cli.helpers import run

AS_OF = "2026-11-25"
# Words no generated demo person has, so finding any of them in a file means a trace.
WORDS = ("Zbigniewa", "Quillfeather", "xylophonista", "Vantablackcorp", "Archimandrite", "plumbago")


def _add_victim(db: Path, home: Path) -> int:
    out = run(
        "--db",
        str(db),
        "add-person",
        "--first",
        "Zbigniewa",
        "--last",
        "Quillfeather",
        "--email",
        "xylophonista@example.org",
        "--company",
        "Vantablackcorp",
        "--title",
        "Archimandrite",
        "--linkedin",
        "https://www.linkedin.com/in/quillfeather-z",
        "--notes",
        "likes plumbago gardens",
        home=home,
    ).stdout
    return int(re.search(r"\d+", out).group())  # type: ignore[union-attr]


def _traces(path: Path) -> list[str]:
    found = []
    for file in (path, path.with_name(path.name + "-wal")):
        if file.exists():
            data = file.read_bytes().lower()
            found += [f"{w} in {file.name}" for w in WORDS if w.lower().encode() in data]
    return found


def _organizations(db: Path, name: str) -> int:
    connection = sqlite3.connect(db)
    try:
        query = "SELECT count(*) FROM organizations WHERE name = ?"
        return int(connection.execute(query, (name,)).fetchone()[0])
    finally:
        connection.close()


def test_forget_leaves_no_byte_of_the_person_in_the_live_file(tmp_path: Path) -> None:
    home, db = tmp_path / "home", tmp_path / "desk.sqlite3"
    run("--db", str(db), "demo", "--people", "15", "--as-of", AS_OF, home=home)
    victim = _add_victim(db, home)
    run("--db", str(db), "log", str(victim), "--kind", "email", "--body", "plumbago", home=home)
    assert _traces(db)  # the scan can see the words while the person exists
    assert _organizations(db, "Vantablackcorp") == 1
    run("--db", str(db), "forget", str(victim), home=home)
    assert _traces(db) == []
    assert _organizations(db, "Vantablackcorp") == 0  # their organisation went with them
    people = json.loads(
        run("--db", str(db), "people", "--json", "--as-of", AS_OF, home=home).stdout
    )
    assert len(people) == 15  # nobody else was touched


def test_restore_reapplies_forget_and_forget_names_the_backups_that_hold_them(
    tmp_path: Path,
) -> None:
    home, db = tmp_path / "home", tmp_path / "desk.sqlite3"
    run("--db", str(db), "demo", "--people", "10", "--as-of", AS_OF, home=home)
    victim = _add_victim(db, home)
    run("--db", str(db), "backup", home=home)
    run("--db", str(db), "backup", home=home)
    folder = tmp_path / "recruiter-desk-backups"
    old = sorted(folder.glob("*-manual*.sqlite3"))[0]
    out = run("--db", str(db), "forget", str(victim), home=home).stdout
    assert "2 backups still hold them" in out
    assert str(old) in out  # each backup is named
    restored = run("--db", str(db), "restore", str(old), home=home).stdout
    assert "1 people forgotten since that backup was taken were erased again" in restored
    people = json.loads(
        run("--db", str(db), "people", "--json", "--as-of", AS_OF, home=home).stdout
    )
    assert len(people) == 10
    assert _traces(db) == []
    connection = sqlite3.connect(db)
    kept = connection.execute("SELECT count(*) FROM forgotten_identities").fetchone()[0]
    connection.close()
    assert kept == 2  # email and LinkedIn: later imports still skip them


def test_scrubbing_backups_leaves_no_byte_of_the_person_in_any(tmp_path: Path) -> None:
    home, db = tmp_path / "home", tmp_path / "desk.sqlite3"
    run("--db", str(db), "demo", "--people", "10", "--as-of", AS_OF, home=home)
    victim = _add_victim(db, home)
    run("--db", str(db), "backup", home=home)
    run("--db", str(db), "backup", home=home)
    folder = tmp_path / "recruiter-desk-backups"
    backups = sorted(folder.glob("*-manual*.sqlite3"))
    assert len(backups) == 2 and all(_traces(b) for b in backups)
    out = run("--db", str(db), "forget", str(victim), "--scrub-backups", home=home).stdout
    assert "Removed them from 2 backups." in out
    assert "No backup in the backup folder holds them." in out
    assert [t for b in sorted(folder.iterdir()) for t in _traces(b)] == []
    for file in backups:  # each scrubbed backup is still a whole database of the others
        connection = sqlite3.connect(file)
        assert connection.execute("SELECT count(*) FROM people").fetchone()[0] == 10
        connection.close()
    assert "No backup holds" in run("--db", str(db), "scrub-backups", home=home).stdout


def test_export_person_holds_every_row_about_them_and_nobody_elses(tmp_path: Path) -> None:
    home, db = tmp_path / "home", tmp_path / "desk.sqlite3"
    run("--db", str(db), "demo", "--people", "25", "--as-of", AS_OF, home=home)
    connection = sqlite3.connect(db)
    # The demo person with the most kinds of records: a real test of completeness.
    person = connection.execute(
        "SELECT p.id FROM people p ORDER BY (SELECT count(*) FROM candidacies c "
        "WHERE c.person_id = p.id) + (SELECT count(*) FROM interactions i "
        "WHERE i.person_id = p.id) DESC LIMIT 1"
    ).fetchone()[0]
    tables = [
        name
        for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if "person_id" in {c[1] for c in connection.execute(f'PRAGMA table_info("{name}")')}
    ]
    expected = {
        name: connection.execute(
            f'SELECT count(*) FROM "{name}" WHERE person_id = ?', (person,)
        ).fetchone()[0]
        for name in tables
    }
    expected["people"] = 1
    expected["stage_changes"] = connection.execute(
        "SELECT count(*) FROM stage_changes WHERE candidacy_id IN "
        "(SELECT id FROM candidacies WHERE person_id = ?)",
        (person,),
    ).fetchone()[0]
    connection.close()
    assert expected["candidacies"] and expected["interactions"] and expected["stage_changes"]
    out = run(
        "--db", str(db), "export-person", str(person), "-o", str(tmp_path / "sar.json"), home=home
    ).stdout
    assert "sar.html" in out
    document = json.loads((tmp_path / "sar.json").read_text())
    got = {name: len(rows) for name, rows in document["tables"].items()}
    assert {name: got.get(name) for name in expected} == expected
    assert all(
        row.get("person_id", person) == person
        for rows in document["tables"].values()
        for row in rows
    )
    assert document["tables"]["people"][0]["id"] == person
    page = (tmp_path / "sar.html").read_text()
    assert document["name"] in page and "Interactions" in page
    assert (tmp_path / "sar.json").stat().st_mode & 0o077 == 0


def test_retention_lists_people_untouched_for_years_and_in_no_process(tmp_path: Path) -> None:
    home, db = tmp_path / "home", tmp_path / "desk.sqlite3"
    run("--db", str(db), "demo", "--people", "25", "--as-of", AS_OF, home=home)
    connection = sqlite3.connect(db)
    marks = ",".join("?" * len(ACTIVE_STAGES))
    in_process = {
        pid
        for (pid,) in connection.execute(
            f"SELECT person_id FROM candidacies WHERE stage IN ({marks})", ACTIVE_STAGES
        )
    }
    connection.close()
    assert in_process
    later = json.loads(
        run("--db", str(db), "retention", "--as-of", "2031-01-01", "--json", home=home).stdout
    )
    listed = {item["id"] for item in later["untouched"]}
    assert later["years"] == 3 and listed and not listed & in_process
    assert len(listed) == 25 - len(in_process)
    now = json.loads(
        run(
            "--db", str(db), "retention", "--as-of", AS_OF, "--years", "3", "--json", home=home
        ).stdout
    )
    assert now["untouched"] == []
    text = run("--db", str(db), "retention", "--as-of", "2031-01-01", home=home).stdout
    assert "in no open process" in text


def test_lawful_basis_is_set_shown_and_consents_ending_are_reviewed(tmp_path: Path) -> None:
    home, db = tmp_path / "home", tmp_path / "desk.sqlite3"
    run("--db", str(db), "demo", "--people", "5", "--as-of", AS_OF, home=home)
    assert "no lawful basis recorded" in run("--db", str(db), "lawful-basis", "1", home=home).stdout
    out = run(
        "--db",
        str(db),
        "lawful-basis",
        "1",
        "--basis",
        "consent",
        "--since",
        "2026-01-10",
        "--consent-expires",
        "2026-12-10",
        home=home,
    ).stdout
    assert out == "Person 1: consent since 2026-01-10, consent ends on 2026-12-10.\n"
    run(
        "--db",
        str(db),
        "lawful-basis",
        "2",
        "--basis",
        "legitimate_interest",
        "--since",
        "2026-02-01",
        home=home,
    )
    shown = json.loads(run("--db", str(db), "lawful-basis", "2", "--json", home=home).stdout)
    assert shown == {
        "id": 2,
        "basis": "legitimate_interest",
        "since": "2026-02-01",
        "consent_expires": None,
    }
    wrong = run(
        "--db",
        str(db),
        "lawful-basis",
        "2",
        "--basis",
        "contract",
        "--consent-expires",
        "2027-01-01",
        home=home,
        check_ok=False,
    )
    assert wrong.returncode == 1 and "Only a consent has an expiry date" in wrong.stderr
    review = json.loads(
        run("--db", str(db), "retention", "--as-of", AS_OF, "--json", home=home).stdout
    )
    assert [(c["id"], c["reason"]) for c in review["consents_expiring"]] == [
        (1, "consent ends on 2026-12-10")
    ]
    later = json.loads(
        run("--db", str(db), "retention", "--as-of", "2026-10-01", "--json", home=home).stdout
    )
    assert later["consents_expiring"] == []  # more than 30 days ahead
    export = tmp_path / "one.json"
    run("--db", str(db), "export-person", "1", "-o", str(export), home=home)
    assert json.loads(export.read_text())["tables"]["people"][0]["lawful_basis"] == "consent"


def test_retention_erase_forgets_everyone_listed_at_once(tmp_path: Path) -> None:
    home, db = tmp_path / "home", tmp_path / "desk.sqlite3"
    run("--db", str(db), "demo", "--people", "25", "--as-of", AS_OF, home=home)
    victim = _add_victim(db, home)
    # The victim was added today: make them as old as everyone else, never touched since.
    connection = sqlite3.connect(db)
    connection.execute(
        "UPDATE people SET created_at = '2020-01-01 00:00:00' WHERE id = ?", (victim,)
    )
    connection.commit()
    connection.close()
    later = ("--as-of", "2031-01-01")
    listed = json.loads(run("--db", str(db), "retention", *later, "--json", home=home).stdout)
    ids = {item["id"] for item in listed["untouched"]}
    assert victim in ids and len(ids) > 5

    unconfirmed = run("--db", str(db), "retention", *later, "--erase", home=home, check_ok=False)
    assert unconfirmed.returncode == 2 and "add --yes" in unconfirmed.stderr
    assert unconfirmed.stdout == ""

    out = run("--db", str(db), "retention", *later, "--erase", "--yes", home=home).stdout
    assert f"Erased {len(ids)} people untouched for 3 years" in out
    # The backup taken before erasing (a bulk delete) holds them, and is named.
    assert "still hold them" in out and "before-erase" in out
    connection = sqlite3.connect(db)
    left = {pid for (pid,) in connection.execute("SELECT id FROM people")}
    hashes = connection.execute("SELECT count(*) FROM forgotten_identities").fetchone()[0]
    emails = 25 + 1 - len(left)  # every demo person and the victim have one email here
    connection.close()
    assert not left & ids and len(left) == 26 - len(ids)
    assert hashes >= emails  # each erasure recorded like forget: its keyed hashes kept
    data = b"".join(p.read_bytes() for p in tmp_path.glob("desk.sqlite3*"))
    assert not [w for w in WORDS if w.encode() in data]
    again = json.loads(run("--db", str(db), "retention", *later, "--json", home=home).stdout)
    assert again["untouched"] == []
    # A re-import of the victim is skipped, as after 'forget'.
    card = tmp_path / "victim.vcf"
    card.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nFN:Zbigniewa Quillfeather\n"
        "EMAIL:xylophonista@example.org\nEND:VCARD\n"
    )
    imported = json.loads(run("--db", str(db), "import", str(card), "--json", home=home).stdout)
    assert imported["added"] == 0
