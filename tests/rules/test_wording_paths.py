"""Counts, articles, relative days and the owed wording read the same in both fronts."""

from __future__ import annotations

from pathlib import Path

import pytest

from recruiter_desk.app import main

AS_OF = "2026-11-25"


def cli(db: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    status = main(["--db", str(db), *args])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    return captured.out


def test_owed_reads_as_what_you_owe_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "desk.sqlite3"
    cli(db, capsys, "add-person", "--first", "Ana", "--last", "Lima")
    cli(db, capsys, "log", "1", "--kind", "email", "--direction", "inbound", "--at", "2026-11-21")
    card = cli(db, capsys, "person", "1", "--as-of", AS_OF)
    assert "You owe Ana Lima a reply (waiting for 4 days)" in card
    assert "owes" not in card

    cli(db, capsys, "add-opportunity", "Data Lead")
    staged = cli(db, capsys, "stage", "1", "1", "interviewing")
    assert "You owe them an update." in staged
    assert "a update" not in staged


def test_counts_read_in_the_singular_for_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "desk.sqlite3"
    cli(db, capsys, "add-person", "--first", "Ana")
    out = tmp_path / "one.csv"
    assert f"Exported 1 person to {out}." in cli(
        db, capsys, "export", "--format", "csv", "-o", str(out)
    )
    assert cli(db, capsys, "people").rstrip().endswith("\n1 person")
