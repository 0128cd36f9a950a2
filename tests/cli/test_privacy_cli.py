"""Privacy rights through the command line: erasure leaves no trace, restore keeps it erased."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

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
