"""``people --search`` through plain sqlite3 (core/quick_read.py) answers exactly as the
SQLAlchemy path does, and never loads SQLAlchemy."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from recruiter_desk.cli.commands import people as people_command
from recruiter_desk.core import quick_read_sql
from recruiter_desk.core.clock import as_of, local_zone
from recruiter_desk.core.people import PeopleQuery, list_people
from recruiter_desk.core.quick_read_render import render
from recruiter_desk.core.vocabulary import WARMTH_STATUSES
from recruiter_desk.core.warmth import WarmthPolicy
from recruiter_desk.db.open import open_database
from tests.cli.helpers import run
from tests.old_schema import database_at_0001

AS_OF = "2026-11-25"
# One letter (half the network), a first name, two words, accents either way, a company
# word, a tag, an email fragment, and a word no one has.
SEARCHES = ("m", "an", "maria", "garcia maria", "Søren", "soren", "cloud", "referrer", "gmail")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("quick")
    db = root / "desk.sqlite3"
    run("--db", str(db), "demo", "--people", "400", "--seed", "3", "--as-of", AS_OF, home=root)
    return db, root


def _ordinary(
    db: Path, search: str, policy: WarmthPolicy | None = None, status: str | None = None
) -> list[dict]:
    database = open_database(str(db), daily_backup=False)
    try:
        with database.connect() as connection:
            rows = list_people(
                connection,
                PeopleQuery(search=search, status=status),
                as_of(date.fromisoformat(AS_OF), local_zone(None)),
                policy or WarmthPolicy(),
            )
    finally:
        database.close()
    return [r.to_json() for r in rows]


def _quick_only(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(_ctx: object) -> None:
        raise AssertionError("the quick path did not answer")

    monkeypatch.setattr(people_command, "_listed", refuse)


def test_the_rendered_sql_is_what_sqlalchemy_sends_today() -> None:
    # If this fails, run: python -m recruiter_desk.core.quick_read_render (then ruff format).
    assert render() == (quick_read_sql.PEOPLE_SEARCH, quick_read_sql.LIST_QUERIES)


@pytest.mark.parametrize("search", SEARCHES)
def test_quick_search_lists_what_the_ordinary_path_lists(
    demo: tuple[Path, Path], search: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, home = demo
    expected = _ordinary(db, search)
    _quick_only(monkeypatch)
    args = ("--db", str(db), "people", "--search", search, "--as-of", AS_OF, "--json")
    listed = run(*args, home=home).stdout
    assert json.loads(listed) == expected
    if expected:  # piped, a list is written one person per line
        assert len(listed.splitlines()) == len(expected) + 2
    limited = json.loads(run(*args, "--limit", "3", home=home).stdout)
    assert limited == expected[:3]


@pytest.mark.parametrize("status", WARMTH_STATUSES)
@pytest.mark.parametrize("search", ["m", "an", "maria"])
def test_a_status_filter_lists_what_the_ordinary_path_lists(
    demo: tuple[Path, Path], search: str, status: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, home = demo
    expected = _ordinary(db, search, status=status)
    assert {person["status"] for person in expected} <= {status}
    assert expected != _ordinary(db, search)
    _quick_only(monkeypatch)
    args = ("--db", str(db), "people", "--search", search, "--status", status, "--as-of", AS_OF)
    assert json.loads(run(*args, "--json", home=home).stdout) == expected
    limited = json.loads(run(*args, "--json", "--limit", "2", home=home).stdout)
    assert limited == expected[:2]
    table = run(*args, home=home).stdout
    assert all(str(person["id"]) in table for person in expected[:5])


def test_the_table_is_the_same_too(
    demo: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, home = demo
    args = ("--db", str(db), "people", "--search", "maria", "--as-of", AS_OF)
    ordinary = run(*args, "--tag", "", home=home).stdout  # an empty tag: the ordinary path
    _quick_only(monkeypatch)
    quick = run(*args, home=home).stdout
    assert quick == ordinary and "maria" in quick.lower()


def test_tag_cadences_take_the_ordinary_path(demo: tuple[Path, Path], tmp_path: Path) -> None:
    db, _ = demo
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "settings.json").write_text(
        json.dumps({"tag_cadences": {"referrer": 3}})
    )
    listed = run(
        "--db", str(db), "people", "--search", "m", "--as-of", AS_OF, "--json", home=tmp_path
    ).stdout
    expected = _ordinary(db, "m", WarmthPolicy(tag_cadences={"referrer": 3}))
    assert json.loads(listed) == expected != _ordinary(db, "m")


def test_an_old_schema_is_migrated_by_the_ordinary_path(tmp_path: Path) -> None:
    db = database_at_0001(tmp_path / "old.sqlite3", [("Ada", "Lovelace"), ("Alan", "Turing")])
    listed = run("--db", str(db), "people", "--search", "ada", "--json", home=tmp_path).stdout
    assert [p["full_name"] for p in json.loads(listed)] == ["Ada Lovelace"]


def test_a_search_loads_no_sqlalchemy(demo: tuple[Path, Path]) -> None:
    db, home = demo
    script = (
        "import sys\n"
        "from recruiter_desk.app import main\n"
        f"code = main(['--db', {str(db)!r}, 'people', '--search', 'maria', '--json'])\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'alembic'))\n"
        "print(code, loaded, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={"RECRUITER_DESK_HOME": str(home), "PATH": "/usr/bin:/bin"},
        check=True,
    )
    assert done.stderr.strip() == "0 []"
    assert json.loads(done.stdout)
