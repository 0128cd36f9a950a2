"""Converting in place survives a SIGKILL at any moment: one readable database, every row."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from recruiter_desk.db import encryption

ROWS = 3000
HEX_KEY = "5a" * 32
# The keyring's raw key (no passphrase stretching), so a conversion takes milliseconds and
# the kills land inside it.
_CHILD = f"""
import sys
from pathlib import Path
from recruiter_desk.db import encryption
encryption._keyring_key = lambda: encryption._raw("{HEX_KEY}")
encryption._module()
print("ready", flush=True)
sys.stdin.readline()
encryption.convert(Path(sys.argv[1]), sys.argv[2] == "encrypt")
print("done", flush=True)
"""


def _plain_database(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT, notes TEXT)")
    connection.executemany(
        "INSERT INTO people (name, notes) VALUES (?, ?)",
        [(f"Person {i}", "x" * 200) for i in range(ROWS)],
    )
    connection.commit()
    connection.close()


def _rows(path: Path) -> int:
    """The rows of the database under ``path``, however it is stored now."""
    if encryption.is_encrypted(path):
        connection = encryption.connector(encryption._raw(HEX_KEY))(str(path))
    else:
        connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA quick_check").fetchone() == ("ok",)
        count: int = connection.execute("SELECT count(*) FROM people").fetchone()[0]
        return count
    finally:
        connection.close()


def _convert(path: Path, direction: str, kill_after: float | None) -> float:
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(path), direction],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
        text=True,
    )
    assert child.stdout is not None and child.stdin is not None
    assert child.stdout.readline().strip() == "ready"
    started = time.monotonic()
    try:
        child.stdin.write("go\n")
        child.stdin.flush()
        if kill_after is None:
            assert child.stdout.readline().strip() == "done"
            child.wait(timeout=60)
            return time.monotonic() - started
        time.sleep(kill_after)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
        return 0.0
    finally:
        child.stdin.close()
        child.stdout.close()


def test_sigkill_during_encrypt_and_decrypt_leaves_one_readable_database(
    tmp_path: Path,
) -> None:
    path = tmp_path / "desk.sqlite3"
    _plain_database(path)
    # One full run each way measures how long a conversion takes on this machine.
    took = _convert(path, "encrypt", None)
    assert encryption.is_encrypted(path) and _rows(path) == ROWS
    took = max(took, _convert(path, "decrypt", None))
    assert not encryption.is_encrypted(path) and _rows(path) == ROWS
    for index, share in enumerate((0.1, 0.4, 0.7, 0.95, 1.2)):
        direction = "encrypt" if not encryption.is_encrypted(path) else "decrypt"
        _convert(path, direction, took * share)
        assert _rows(path) == ROWS, f"run {index} ({direction}, killed at {share:.0%})"
        # At most the unfinished copy (the next conversion removes it) and a journal.
        others = [p.name for p in tmp_path.iterdir() if p != path]
        assert all(
            name.startswith(f".{path.name}.converting") or name == f"{path.name}-journal"
            for name in others
        ), others
