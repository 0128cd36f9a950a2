"""``people --search Q --json`` piped: the JSON SQLite writes (core/quick_read.py) is byte for
byte what the ordinary path writes, on people whose fields need every kind of escaping."""

from __future__ import annotations

import io
import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from recruiter_desk.cli import build_parser
from recruiter_desk.cli import run as run_command
from recruiter_desk.cli.commands import people as people_command
from recruiter_desk.core import quick_read
from recruiter_desk.core.people_rows import PersonRow
from recruiter_desk.core.records import PersonFields, create_person
from recruiter_desk.core.vocabulary import WARMTH_STATUSES
from recruiter_desk.db.open import open_database
from tests.cli.helpers import run

AS_OF = "2026-11-25"

# Written straight into the file after the people are created, so that no cleaning on the
# way in softens them: quotes, backslashes, control characters, line and paragraph
# separators, accents, emoji, CJK, right-to-left text, and whitespace Python strips.
ODD_FIELDS: list[dict[str, str | None]] = [
    {"first_name": 'Zoë "Zo" \\ O\'Brien', "last_name": "Ünal 😀", "company": "Ça\tva\nbien"},
    {"first_name": "\u2028Ana\u3000", "last_name": "\x85", "title": "\x00\x01\x1f\x7f end"},
    {"first_name": " \t", "last_name": "\u00a0", "location": "東京 / تل أبيب"},  # name: spaces
    {"first_name": "", "last_name": "", "linkedin_url": "https://x.test/\u2029é"},
    {"first_name": "Ana", "last_name": "", "company": "</script>&<b>", "linkedin_url": None},
    {"first_name": "", "last_name": "Ana\ufeff", "title": "🧑🏽‍💻 dev"},
]


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("quick-json")
    db = root / "desk.sqlite3"
    run("--db", str(db), "demo", "--people", "300", "--seed", "5", "--as-of", AS_OF, home=root)
    database = open_database(str(db), daily_backup=False)
    ids = []
    try:
        with database.session(write=True) as session:
            for number in range(len(ODD_FIELDS)):
                fields = PersonFields(
                    first_name="Qoddity",
                    last_name=f"Person{number}",
                    emails=[f"e{number}@odd.example", f"ё{number}@odd.example"],
                    phones=["+1 555 0100", '+44 "20" 7946'] if number % 2 else [],
                    tags=["ünïcode", 'quote"d', "back\\slash"] if number % 3 else [],
                    interests=["emoji 🎉", "zz"] if number != 1 else [],
                    work_modes=[["remote"], ["hybrid", "onsite"], [], ["remote", "hybrid"]][
                        number % 4
                    ],
                    do_not_contact=number == 2,
                    linkedin_url=f"https://linkedin.com/in/odd{number}",
                )
                ids.append(create_person(session, fields, datetime(2025, 1, 2, tzinfo=UTC)).id)
    finally:
        database.close()
    raw = sqlite3.connect(db)
    with raw:
        for person_id, extra in zip(ids, ODD_FIELDS, strict=True):
            sets = ", ".join(f"{column} = ?" for column in extra)
            raw.execute(f"UPDATE people SET {sets} WHERE id = ?", [*extra.values(), person_id])
        # A nameless person whose first address is empty is named by the second one.
        raw.execute("UPDATE person_emails SET address = '' WHERE address = 'e3@odd.example'")
        raw.execute("UPDATE people SET work_modes = 7 WHERE id = ?", [ids[5]])
    raw.close()
    return db, root


def _general(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the ordinary (SQLAlchemy) path answers."""
    monkeypatch.setattr(people_command, "_quick_search_json", lambda _ctx: None)
    monkeypatch.setattr(people_command, "_listed_json", lambda _ctx: None)
    monkeypatch.setattr(people_command, "_quick_search", lambda _ctx: None)


def _json_path_only(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(_ctx: object) -> None:
        raise AssertionError("the JSON written by SQLite did not answer")

    monkeypatch.setattr(people_command, "_quick_search", refuse)
    monkeypatch.setattr(people_command, "_listed", refuse)


@pytest.mark.parametrize(
    "search", ["qoddity", "person3", "ana", "m", "maria garcia", "garcia", "zz", "nobodyhere"]
)
@pytest.mark.parametrize("limit", [None, "2"])
def test_the_json_is_byte_for_byte_the_ordinary_paths(
    desk: tuple[Path, Path], search: str, limit: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, home = desk
    args = ["--db", str(db), "people", "--search", search, "--as-of", AS_OF, "--json"]
    if limit:
        args += ["--limit", limit]
    with monkeypatch.context() as general:
        _general(general)
        expected = run(*args, home=home).stdout
    _json_path_only(monkeypatch)
    assert run(*args, home=home).stdout == expected


@pytest.mark.parametrize("status", WARMTH_STATUSES)
@pytest.mark.parametrize("search", ["m", "ana", "qoddity"])
def test_a_status_filter_too(
    desk: tuple[Path, Path], search: str, status: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, home = desk
    args = ["--db", str(db), "people", "--search", search, "--status", status, "--json"]
    with monkeypatch.context() as general:
        _general(general)
        expected = run(*args, "--as-of", AS_OF, home=home).stdout
        everyone = run(*args[:-3], "--json", "--as-of", AS_OF, home=home).stdout
    _json_path_only(monkeypatch)
    monkeypatch.setattr(people_command, "_listed_json", lambda _ctx: _refuse(_ctx))
    assert run(*args, "--as-of", AS_OF, home=home).stdout == expected
    # The filter keeps some of the search's people and leaves others out.
    assert f'"status": "{status}"' in expected or expected == "[]\n"
    assert expected != everyone


def test_the_odd_people_are_there_and_named_as_display_name_names_them(
    desk: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, home = desk
    _json_path_only(monkeypatch)
    listed = run("--db", str(db), "people", "--search", "qoddity", "--json", home=home).stdout
    # Without this the comparison above could pass on six people with plain names.
    assert '\\"Zo\\" \\\\ O' in listed and "😀" in listed and "\\u0000\\u0001" in listed
    assert '"full_name": "ё3@odd.example"' in listed  # no name, first address empty
    assert '"full_name": "#' not in listed
    assert '"full_name": "Ana"' in listed and '"full_name": "Ana\ufeff"' in listed
    assert '"full_name": "e2@odd.example"' in listed  # a name of whitespace only
    assert '"warmth": null' in listed and '"linkedin_url": null' in listed
    assert '"work_modes": ["remote", "hybrid", "onsite"]' in listed


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_the_indented_json(
    desk: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, home = desk
    monkeypatch.setenv("RECRUITER_DESK_HOME", str(home))
    arguments = ["--db", str(db), "people", "--search", "person1", "--json", "--as-of", AS_OF]
    terminal = _Terminal()
    assert run_command(build_parser().parse_args(arguments), terminal) == 0
    assert terminal.getvalue().startswith('[\n  {\n    "id": ')


def test_whitespace_is_what_str_strip_removes() -> None:
    everything = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())
    assert everything == quick_read.PYTHON_WHITESPACE


def test_the_keys_are_person_rows_keys_in_order() -> None:
    row = PersonRow(1, "a", "b", "", "", "", None, [], False, "open", None, 0.5, "warm", 1, 30)
    assert tuple(row.to_json()) == quick_read.JSON_KEYS


@pytest.mark.parametrize(
    "filters",
    [
        ["--search", "qoddity", "--sort", "company"],
        ["--search", "m", "--status", "warm", "--sort", "company"],
        ["--status", "cold", "--sort", "last_touch"],
        ["--tag", "ünïcode"],
        ["--sort", "status", "--limit", "40"],
        ["--search", "ana", "--tag", "back\\slash"],
        ["--changed-jobs"],
    ],
)
def test_filtered_json_written_by_sqlite_is_the_ordinary_paths(
    desk: tuple[Path, Path], filters: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, home = desk
    args = ["--db", str(db), "people", *filters, "--as-of", AS_OF, "--json"]
    with monkeypatch.context() as general:
        _general(general)
        expected = run(*args, home=home).stdout
    calls: list[object] = []
    real = people_command._listed_json

    def counted(ctx: object) -> list[str] | None:
        calls.append(ctx)
        return real(ctx)  # type: ignore[arg-type]

    monkeypatch.setattr(people_command, "_listed_json", counted)
    monkeypatch.setattr(people_command, "_listed", _refuse)
    assert run(*args, home=home).stdout == expected
    assert calls  # SQLite wrote it
    assert "[]" in expected or expected.count("\n") > 2


def _refuse(_ctx: object) -> None:
    raise AssertionError("the rows were built in Python")
