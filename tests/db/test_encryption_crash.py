"""Converting in place survives a SIGKILL at any moment: one readable database, every row.

Thirty-two conversions are killed: most at a seeded step of the conversion (the child counts
the Python and C calls it makes and kills itself at the chosen one, so every step, between
the copy, its check, the fsyncs and the rename, can be hit and a failure replays), the rest
at a seeded moment of wall time, which lands inside the long C calls (SQLCipher's export).
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from recruiter_desk.db import encryption

ROWS = 3000
HEX_KEY = "5a" * 32
SEED = 14
STEP_KILLS = 24
TIMED_KILLS = 8
# The keyring's raw key (no passphrase stretching), so a conversion takes milliseconds and
# the kills land inside it. With a step number the child kills itself at that call of the
# conversion; with -1 it reports how many calls a whole conversion makes.
_CHILD = f"""
import os, signal, sys
from pathlib import Path
from recruiter_desk.db import encryption
encryption._keyring_key = lambda: encryption._raw("{HEX_KEY}")
encryption._module()
kill_at = int(sys.argv[3])
steps = [0]
def count(_frame, event, _arg):
    if event in ("call", "c_call", "c_return"):
        steps[0] += 1
        if steps[0] == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
print("ready", flush=True)
sys.stdin.readline()
sys.setprofile(count)
encryption.convert(Path(sys.argv[1]), sys.argv[2] == "encrypt")
sys.setprofile(None)
print("done", steps[0], flush=True)
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


def _convert(
    path: Path, direction: str, *, step: int = -1, kill_after: float | None = None
) -> tuple[float, int]:
    """Run one conversion in a child; (seconds, calls made) when it finished, else zeros."""
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(path), direction, str(step)],
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
        if kill_after is not None:
            time.sleep(kill_after)
            child.send_signal(signal.SIGKILL)
        line = child.stdout.readline().split()
        child.wait(timeout=60)
        if line and line[0] == "done":
            return time.monotonic() - started, int(line[1])
        assert child.returncode == -signal.SIGKILL, child.returncode
        return 0.0, 0
    finally:
        child.stdin.close()
        child.stdout.close()


def _only_the_database_and_leftovers(folder: Path, path: Path) -> None:
    # At most the unfinished copy (the next conversion removes it) and a journal.
    others = [p.name for p in folder.iterdir() if p != path]
    assert all(
        name.startswith(f".{path.name}.converting") or name == f"{path.name}-journal"
        for name in others
    ), others


def test_sigkill_during_encrypt_and_decrypt_leaves_one_readable_database(
    tmp_path: Path,
) -> None:
    path = tmp_path / "desk.sqlite3"
    _plain_database(path)
    # One whole run each way: how long a conversion takes here, and how many calls it makes.
    took, encrypt_steps = _convert(path, "encrypt")
    assert encryption.is_encrypted(path) and _rows(path) == ROWS
    took_back, decrypt_steps = _convert(path, "decrypt")
    assert not encryption.is_encrypted(path) and _rows(path) == ROWS
    assert encrypt_steps > 50 and decrypt_steps > 50
    took = max(took, took_back)

    chance = random.Random(SEED)
    kills = [("step", chance.random()) for _ in range(STEP_KILLS)]
    # Where a wall-time kill lands depends on the machine's load, so no count of them is
    # asserted; the seeded step kills are what put kills on both sides of the swap.
    kills += [("time", chance.uniform(0.05, 1.2)) for _ in range(TIMED_KILLS)]
    chance.shuffle(kills)
    swapped = 0
    for index, (kind, share) in enumerate(kills):
        encrypting = not encryption.is_encrypted(path)
        direction = "encrypt" if encrypting else "decrypt"
        steps = encrypt_steps if encrypting else decrypt_steps
        if kind == "step":
            done, _ = _convert(path, direction, step=max(1, int(steps * share)))
        else:
            done, _ = _convert(path, direction, kill_after=took * share)
        where = f"run {index} ({direction}, killed at {kind} {share:.0%})"
        assert _rows(path) == ROWS, where
        if done:
            assert encryption.is_encrypted(path) == encrypting, where
        swapped += encryption.is_encrypted(path) == encrypting
        _only_the_database_and_leftovers(tmp_path, path)
    # Both outcomes happened: some kills came before the swap, some after it.
    assert 0 < swapped < len(kills), swapped
