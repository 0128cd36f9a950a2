"""Leftovers of the hardening probe (issue 9): malformed input gets one sentence, a second
writer waits its turn, and an erased person is not added again by hand."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.helpers import run

AS_OF = "2026-11-25"


def test_an_unreadable_linkedin_url_is_one_sentence_naming_the_field(tmp_path: Path) -> None:
    db = tmp_path / "desk.sqlite3"
    result = run(
        "--db", str(db), "add-person", "--first", "Ana", "--linkedin", "https://[…",
        home=tmp_path / "home", check_ok=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert "LinkedIn URL 'https://[…' is not a web address" in result.stderr
    assert "unexpected" not in result.stderr
    people = json.loads(run("--db", str(db), "people", "--json", home=tmp_path / "home").stdout)
    assert people == []


@pytest.mark.parametrize(
    "url", ["sqlite://localhost:abc/desk", "postgresql://u:s3cret@localhost:99x/desk"]
)
def test_a_database_url_with_a_bad_port_is_one_sentence(tmp_path: Path, url: str) -> None:
    result = run("--db", url, "people", home=tmp_path / "home", check_ok=False)
    assert result.returncode == 1
    assert "is not a valid database URL" in result.stderr
    assert "unexpected" not in result.stderr and "s3cret" not in result.stderr


def test_a_forgotten_person_is_not_added_again_by_hand(tmp_path: Path) -> None:
    home, db = tmp_path / "home", tmp_path / "desk.sqlite3"
    out = run(
        "--db", str(db), "add-person", "--first", "Ana", "--email", "Ana@X.example",
        "--linkedin", "linkedin.com/in/ana", home=home,
    ).stdout  # fmt: skip
    person_id = out.split()[-1].rstrip(".")
    run("--db", str(db), "forget", person_id, home=home)
    for given in (
        ["--email", " ana@x.example "],
        ["--linkedin", "https://www.linkedin.com/in/Ana/"],
    ):
        again = run(
            "--db", str(db), "add-person", "--first", "Ana", *given, home=home, check_ok=False
        )
        assert again.returncode == 2
        assert "belongs to someone you erased with 'forget'" in again.stderr
    assert json.loads(run("--db", str(db), "people", "--json", home=home).stdout) == []
    # Someone else is still welcome.
    run("--db", str(db), "add-person", "--first", "Bea", "--email", "bea@x.example", home=home)


def _two_demos_at_once(tmp_path: Path, *extra: str) -> list[subprocess.CompletedProcess[str]]:
    db = tmp_path / "desk.sqlite3"
    env = {**os.environ, "RECRUITER_DESK_HOME": str(tmp_path / "home")}
    command = [sys.executable, "-m", "recruiter_desk", "--db", str(db), "demo"]
    command += ["--people", "60", "--as-of", AS_OF, *extra]
    runs = [
        subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    results = []
    for process in runs:
        out, err = process.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(command, process.returncode, out, err))
    people = json.loads(run("--db", str(db), "people", "--json", home=tmp_path / "home").stdout)
    assert len(people) == 60
    return results


def test_two_demo_runs_at_once_one_fills_the_other_waits_and_says_so(tmp_path: Path) -> None:
    results = _two_demos_at_once(tmp_path)
    assert sorted(r.returncode for r in results) == [0, 1], [r.stderr for r in results]
    failed = next(r for r in results if r.returncode)
    assert "already holds 60 people" in failed.stderr and "unexpected" not in failed.stderr


def test_two_demo_runs_at_once_with_if_empty_both_succeed(tmp_path: Path) -> None:
    results = _two_demos_at_once(tmp_path, "--if-empty")
    assert [r.returncode for r in results] == [0, 0], [r.stderr for r in results]
    said = sorted(r.stdout.split(":")[0].split()[0] for r in results)
    assert any("no demo network added" in r.stdout for r in results)
    assert any("Demo network written" in r.stdout for r in results), said
