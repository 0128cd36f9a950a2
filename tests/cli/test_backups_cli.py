"""``backups`` lists the rotating backups; ``restore NAME`` picks one; imports back up first."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.helpers import run


def _backups(db: Path) -> list[dict[str, object]]:
    listed: list[dict[str, object]] = json.loads(run("--db", str(db), "backups", "--json").stdout)
    return listed


def test_backups_list_and_restore_by_name(tmp_path: Path) -> None:
    db = tmp_path / "desk.sqlite3"
    run("--db", str(db), "add-person", "--first", "Ana", "--last", "Lopez")
    assert run("--db", str(db), "backups").stdout.startswith("There are no automatic backups")
    run("--db", str(db), "backup")
    listed = _backups(db)
    # Opening made the first periodic backup; the command made the manual one.
    assert sorted(b["kind"] for b in listed) == ["manual", "periodic"]
    entry = next(b for b in listed if b["kind"] == "manual")
    assert entry["kind"] == "manual" and isinstance(entry["size"], int) and entry["size"] > 0
    assert str(entry["name"]).startswith("desk-") and "T" in str(entry["time"])
    assert entry["name"] in run("--db", str(db), "backups").stdout

    run("--db", str(db), "add-person", "--first", "Bea", "--last", "Adams")
    restored = run("--db", str(db), "restore", str(entry["name"]))
    assert "Restored" in restored.stdout
    names = [p["full_name"] for p in json.loads(run("--db", str(db), "people", "--json").stdout)]
    assert names == ["Ana Lopez"]
    kinds = [b["kind"] for b in _backups(db)]
    assert "before-restore" in kinds


def test_an_import_is_backed_up_first_and_the_copy_is_checked(tmp_path: Path) -> None:
    db = tmp_path / "desk.sqlite3"
    run("--db", str(db), "add-person", "--first", "Ana", "--last", "Lopez")
    people = tmp_path / "people.csv"
    people.write_text("First Name,Last Name,Email\nBea,Adams,bea@x.example\n", encoding="utf-8")
    run("--db", str(db), "import", str(people), "--dry-run")
    assert "before-import" not in [b["kind"] for b in _backups(db)]
    run("--db", str(db), "import", str(people))
    before = [b for b in _backups(db) if b["kind"] == "before-import"]
    assert len(before) == 1
    # The backup holds the database as it was before the import, and passes its check.
    backup_file = db.parent / "recruiter-desk-backups" / str(before[0]["name"])
    import sqlite3

    connection = sqlite3.connect(backup_file)
    try:
        assert connection.execute("PRAGMA quick_check").fetchone() == ("ok",)
        assert connection.execute("SELECT count(*) FROM people").fetchone() == (1,)
    finally:
        connection.close()
