"""A team database whose server cannot be reached: one sentence, the last local copy
read-only, and nothing ever half-written (docs/team.md, "Offline")."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from recruiter_desk.core.demo import generate_demo
from recruiter_desk.db.copy import checksums
from recruiter_desk.db.offline import copy_path, keep_local_copy
from recruiter_desk.db.open import open_database
from recruiter_desk.errors import KnownError
from recruiter_desk.paths import app_paths
from tests.cli.helpers import run
from tests.conftest import AS_OF

# The server addresses here need a PostgreSQL driver to be tried at all.
pytest.importorskip("psycopg", reason="the PostgreSQL driver (psycopg) is not installed")


def _nobody_listening() -> str:
    """A server address on a port nothing listens on (taken, then let go)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"postgresql+psycopg://team:s3cret@127.0.0.1:{port}/crm"


@pytest.fixture
def away(tmp_path: Path, app_home: Path) -> Iterator[str]:
    """A dead server address whose local copy was kept (from a demo network)."""
    url = _nobody_listening()
    source = open_database(str(tmp_path / "team.sqlite3"), daily_backup=False)
    generate_demo(source, people=40, seed=2, as_of=AS_OF)
    keep_local_copy(source, app_paths().data_dir, as_location=url)
    source.close()
    yield url


def _copy_sums(url: str) -> object:
    database = open_database(str(copy_path(app_paths().data_dir, url)), daily_backup=False)
    with database.connect() as connection:
        sums = checksums(connection)
    database.close()
    return sums


def test_no_local_copy_yet_is_one_sentence(app_home: Path) -> None:
    url = _nobody_listening()
    result = run("--db", url, "people", check_ok=False)
    assert result.returncode == 1
    port = url.rsplit(":", 1)[1].split("/")[0]
    assert result.stderr == (
        f"recruiter-desk: The team database postgresql+psycopg://team:***@127.0.0.1:{port}/crm "
        "cannot be reached (connection refused), and there is no local copy of it yet (one is "
        "kept at each window session and copy-to).\n"
    )
    assert "s3cret" not in result.stderr


def test_reading_falls_back_to_the_local_copy_and_says_so(away: str) -> None:
    result = run("--db", away, "people", "--json")
    (line,) = result.stderr.splitlines()
    assert "cannot be reached (connection refused); showing your local copy of " in line
    assert line.endswith(", read-only.")
    assert "s3cret" not in line
    assert len(json.loads(result.stdout)) == 40


def test_the_local_copy_exports(away: str, tmp_path: Path) -> None:
    """Exports join against a temporary table, which a read-only copy must still allow."""
    before = _copy_sums(away)
    target = tmp_path / "team.csv"
    run("--db", away, "export", "--format", "csv", "-o", str(target))
    assert target.read_text(encoding="utf-8-sig").count("\n") == 41  # the header and 40 people
    assert _copy_sums(away) == before


@pytest.mark.parametrize(
    "command",
    [
        ("log", "1", "--kind", "call"),
        ("add-person", "--first", "New"),
        ("edit", "1", "--set", "title=CTO"),
        ("copy-to", "IGNORED"),
    ],
)
def test_writing_to_the_local_copy_is_refused_and_nothing_changes(
    away: str, command: tuple[str, ...], tmp_path: Path
) -> None:
    before = _copy_sums(away)
    args = [a if a != "IGNORED" else str(tmp_path / "x" / "none.sqlite3") for a in command]
    result = run("--db", away, *args, check_ok=False)
    if command[0] != "copy-to":
        assert result.returncode == 1
        assert result.stderr.splitlines()[-1].endswith(
            "cannot be reached (connection refused), and its local copy is read-only; "
            "nothing was written."
        )
    assert _copy_sums(away) == before


def test_the_window_offers_the_local_copy_read_only(qtbot: QtBot, away: str) -> None:
    from recruiter_desk.app import create_main_window

    asked: list[str] = []
    window = create_main_window(
        away, synchronous=True, use_local_copy=lambda s: not asked.append(s)
    )
    qtbot.addWidget(window)
    window.show()
    (sentence,) = asked
    assert "cannot be reached (connection refused); your local copy of " in sentence
    assert sentence.endswith("can be opened, read-only.")
    notice = window.findChild(QLabel, "readOnlyNotice")
    assert notice is not None and notice.text().startswith("Read-only: your local copy of ")
    qtbot.waitUntil(lambda: window.services.counts().people == 40, timeout=5000)
    assert window.windowTitle().endswith("read-only copy")
    before = _copy_sums(away)
    with pytest.raises(KnownError, match="its local copy is read-only; nothing was written"):
        window.services.log_interaction(1, "call", "outbound", "", datetime(2026, 11, 25))
    assert _copy_sums(away) == before
    window.close()


def test_declining_the_local_copy_is_the_sentence(qtbot: QtBot, away: str) -> None:
    from recruiter_desk.app import create_main_window
    from recruiter_desk.errors import ServerUnreachable

    with pytest.raises(ServerUnreachable, match="cannot be reached"):
        create_main_window(away, synchronous=True, use_local_copy=lambda _s: False)


def test_the_local_copy_comes_settled_under_the_team_settings(
    db_location: str, tmp_path: Path, app_home: Path
) -> None:
    """Read-only, the copy can never settle later: it holds its source's stored warmth
    inputs and the settings they were worked out under, with nobody queued."""
    import shutil

    from recruiter_desk.core import warmth_store
    from recruiter_desk.core.warmth import WarmthPolicy
    from recruiter_desk.db.offline import open_local_copy
    from recruiter_desk.db.warmth_queue import has_queued
    from recruiter_desk.settings import Settings
    from tests.core.test_warmth_store import assert_in_step

    settings = Settings(default_cadence_days=45, tag_cadences={"alumni": 200}, cooling_at=0.6)
    settings.save(app_home / "config" / "settings.json")
    policy = WarmthPolicy.from_settings(settings)
    url = _nobody_listening()
    source = open_database(db_location, daily_backup=False)
    try:
        warmth_store.attach(source, lambda: policy)
        generate_demo(source, people=40, seed=2, as_of=AS_OF)
        keep_local_copy(source, app_paths().data_dir, as_location=url)
    finally:
        source.close()
    copy = open_local_copy(app_paths().data_dir, url, "The server cannot be reached.")
    assert copy is not None
    try:
        with copy.connect() as connection:
            assert not has_queued(connection)
            assert warmth_store.stored(connection, policy) is not None
    finally:
        copy.close()
    # The stored inputs equal a recomputation (on a writable duplicate: the copy is not).
    duplicate = tmp_path / "duplicate.sqlite3"
    shutil.copy(copy_path(app_paths().data_dir, url), duplicate)
    assert_in_step(str(duplicate), settings)
    result = run("--db", url, "people", "--status", "cooling", "--json")
    assert result.returncode == 0
