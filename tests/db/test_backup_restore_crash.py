"""Backups and restores survive a SIGKILL at any moment.

The real command runs in a child that has imported everything and waits for a go; it is
killed at seeded random moments across the time a whole run takes. After each kill the
database passes ``integrity_check`` and holds exactly what it held before or exactly what
the finished operation gives, a backup file is complete or absent, and a partial copy left
behind is readable by its owner only.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from recruiter_desk.db import backup
from tests.cli.helpers import run

RUNS = 6
_CHILD = """
import sys
from recruiter_desk.app import main
import recruiter_desk.cli.commands.storage, recruiter_desk.cli.commands.privacy
import recruiter_desk.core.maintenance, recruiter_desk.core.privacy, recruiter_desk.db.open
import sqlalchemy.orm, alembic.command
print("ready", flush=True)
sys.stdin.readline()
sys.exit(main(sys.argv[1:]))
"""


def _command(args: list[str], kill_after: float | None, home: Path) -> float:
    """Run ``recruiter-desk ARGS``; killed after ``kill_after`` seconds, or timed whole."""
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, *args],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env={**os.environ, "RECRUITER_DESK_HOME": str(home)}, cwd=home,
    )  # fmt: skip
    assert child.stdout is not None and child.stdin is not None
    try:
        assert child.stdout.readline().strip() == "ready"
        started = time.monotonic()
        child.stdin.write("go\n")
        child.stdin.flush()
        if kill_after is None:
            assert child.wait(timeout=120) == 0
            return time.monotonic() - started
        time.sleep(kill_after)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
        return 0.0
    finally:
        child.stdin.close()
        child.stdout.close()


def _content(path: Path) -> str:
    """Every row of every table, after ``integrity_check`` passes."""
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        digest = hashlib.sha256()
        tables = connection.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
            # A virtual table's rows are in its own tables (the timeline's index cannot be
            # scanned: it has no size table).
            "AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name"
        ).fetchall()
        for (table,) in tables:
            rows = connection.execute(f'SELECT * FROM "{table}"').fetchall()
            digest.update(f"{table}:{sorted(map(repr, rows))}".encode())
        return digest.hexdigest()
    finally:
        connection.close()


def _private(path: Path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) == 0o600


def _copy_database(source: Path, target: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        target.with_name(target.name + suffix).unlink(missing_ok=True)
        if source.with_name(source.name + suffix).exists():
            shutil.copy2(
                source.with_name(source.name + suffix), target.with_name(target.name + suffix)
            )


@pytest.fixture
def network(tmp_path: Path) -> Path:
    """A 400-person demo database, checkpointed into one file."""
    db = tmp_path / "desk.sqlite3"
    run("--db", str(db), "demo", "--people", "400", "--seed", "3", "--as-of", "2026-11-25")
    connection = sqlite3.connect(db)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    return db


def _kill_moments(took: float, seed: int) -> list[float]:
    rng = random.Random(seed)
    return sorted(rng.uniform(0.0, 1.2) * took for _ in range(RUNS))


def test_sigkill_during_backup_to_a_file_leaves_it_complete_or_absent(
    network: Path, tmp_path: Path
) -> None:
    before = _content(network)
    target = tmp_path / "usb" / "copy.sqlite3"
    took = _command(["--db", str(network), "backup", "-o", str(target)], None, tmp_path)
    assert _content(target) == before
    for moment in _kill_moments(took, seed=1):
        target.unlink()
        _command(["--db", str(network), "backup", "-o", str(target)], moment, tmp_path)
        assert _content(network) == before, f"killed at {moment:.3f} s"
        if target.exists():
            assert _content(target) == before, f"killed at {moment:.3f} s"
            assert _private(target)
        for partial in target.parent.glob("*.partial*"):
            assert _private(partial), partial
        target.touch()


def test_sigkill_during_rotating_backups_leaves_every_backup_complete(
    network: Path, tmp_path: Path
) -> None:
    """Sixteen old daily backups: each new one also deletes those past the retention."""
    before = _content(network)
    folder = backup.backup_dir_for(network)
    backup.make_private_dirs(folder)
    for day in range(1, 17):
        shutil.copy2(network, folder / f"desk-202609{day:02d}-090000-daily.sqlite3")
    took = _command(["--db", str(network), "backup"], None, tmp_path)
    assert len(list(folder.iterdir())) < 17  # the run rotated
    for moment in _kill_moments(took, seed=2):
        _command(["--db", str(network), "backup"], moment, tmp_path)
        assert _content(network) == before, f"killed at {moment:.3f} s"
        for file in folder.iterdir():
            assert _private(file), file
            if file.name.endswith(".sqlite3"):
                assert _content(file) == before, f"{file.name}, killed at {moment:.3f} s"


def test_sigkill_during_restore_gives_the_old_or_the_restored_database(
    network: Path, tmp_path: Path
) -> None:
    """The backup still holds someone forgotten since: whatever moment the restore dies,
    the database is the one before it or the restored one with them erased again."""
    kept = tmp_path / "before-forget.sqlite3"
    run("--db", str(network), "backup", "-o", str(kept))
    email = (
        sqlite3.connect(network)
        .execute("SELECT address FROM person_emails ORDER BY person_id LIMIT 1")
        .fetchone()[0]
    )
    run("--db", str(network), "forget", email)
    # Added after the backup: the restored database is not the one before.
    run("--db", str(network), "add-person", "--first", "Zed", "--last", "Later")
    connection = sqlite3.connect(network)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    pristine = tmp_path / "pristine.sqlite3"
    _copy_database(network, pristine)
    before = _content(network)
    took = _command(["--db", str(network), "restore", str(kept)], None, tmp_path)
    restored = _content(network)
    assert restored not in (before, _content(kept))
    for moment in _kill_moments(took, seed=3):
        _copy_database(pristine, network)
        _command(["--db", str(network), "restore", str(kept)], moment, tmp_path)
        assert _content(network) in (before, restored), f"killed at {moment:.3f} s"
        connection = sqlite3.connect(network)
        found = connection.execute(
            "SELECT count(*) FROM person_emails WHERE address = ?", (email,)
        ).fetchone()[0]
        connection.close()
        assert found == 0, f"the forgotten person is back (killed at {moment:.3f} s)"
        for leftover in tmp_path.glob(".desk.sqlite3.restoring*"):
            assert _private(leftover), leftover
    # The next restore clears what a killed one left.
    _command(["--db", str(network), "restore", str(kept)], None, tmp_path)
    assert _content(network) == restored
    assert not list(tmp_path.glob(".desk.sqlite3.restoring*"))
