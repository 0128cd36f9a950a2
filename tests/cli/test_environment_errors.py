"""What the environment can do to a command: another program writing, a full disk, a file
that cannot be written. Each is one sentence and exit status 1, and nothing half-written."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from recruiter_desk.db import engine
from tests.cli.helpers import run

# A second program that takes the write lock and keeps it until told to let go.
HOLD_THE_WRITE_LOCK = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
connection.execute("UPDATE people SET notes = 'the other program was here'")
print("locked", flush=True)
sys.stdin.read()
connection.execute("COMMIT")
"""


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "desk.sqlite3"
    run("--db", str(path), "add-person", "--first", "Ana", "--email", "ana@x.example")
    return path


def _people(db: Path) -> list[dict[str, Any]]:
    return json.loads(run("--db", str(db), "people", "--json").stdout)  # type: ignore[no-any-return]


@pytest.fixture
def other_program_writing(db: Path) -> Iterator[subprocess.Popen[str]]:
    with subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_WRITE_LOCK, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as holder:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        try:
            yield holder
        finally:
            if holder.poll() is None:
                holder.kill()


def test_a_locked_database_waits_then_says_so(
    db: Path, other_program_writing: subprocess.Popen[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 300)
    started = time.perf_counter()
    blocked = run("--db", str(db), "add-person", "--first", "Ben", check_ok=False)
    assert time.perf_counter() - started >= 0.3
    assert blocked.returncode == 1
    assert blocked.stderr == (
        f"recruiter-desk: The database {db} is still locked by another program after "
        "0.3 seconds; close it and try again.\n"
    )
    # Reading goes on while the other program writes (write-ahead log).
    assert [p["full_name"] for p in _people(db)] == ["Ana"]

    assert other_program_writing.stdin is not None
    other_program_writing.stdin.close()
    assert other_program_writing.wait(timeout=30) == 0
    run("--db", str(db), "add-person", "--first", "Ben")
    assert [p["full_name"] for p in _people(db)] == ["Ana", "Ben"]


def test_a_full_disk_is_one_sentence_and_the_import_leaves_nothing(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with closing(sqlite3.connect(db)) as connection:
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
    set_pragmas = engine._set_sqlite_pragmas

    def on_a_nearly_full_disk(dbapi_connection: Any, record: Any) -> None:
        set_pragmas(dbapi_connection, record)
        # SQLite answers "database or disk is full" beyond this, exactly as on a full disk.
        dbapi_connection.execute(f"PRAGMA max_page_count={pages + 3}")

    monkeypatch.setattr(engine, "_set_sqlite_pragmas", on_a_nearly_full_disk)
    contacts = tmp_path / "contacts.csv"
    contacts.write_text(
        "First Name,Last Name,E-mail\n"
        + "".join(f"Person{i},Surname{i},p{i}@example.com\n" for i in range(2000)),
        encoding="utf-8",
    )
    full = run("--db", str(db), "import", str(contacts), check_ok=False)
    assert full.returncode == 1
    assert full.stderr == (
        f"recruiter-desk: The disk holding {db} is full; free some space and try again.\n"
    )
    monkeypatch.undo()
    assert [p["full_name"] for p in _people(db)] == ["Ana"]


@pytest.fixture
def read_only(db: Path) -> Iterator[Path]:
    db.chmod(0o444)
    immutable = False
    if os.geteuid() == 0:
        # Permissions do not stop root; an immutable file does, where the system allows it.
        chattr = shutil.which("chattr")
        immutable = bool(chattr) and subprocess.run([chattr, "+i", str(db)]).returncode == 0
        if not immutable:
            pytest.skip("running as root where files cannot be made immutable")
    try:
        yield db
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(db)], check=True)
        db.chmod(0o600)


def test_a_read_only_database_file_is_one_sentence(read_only: Path) -> None:
    before = read_only.read_bytes()
    refused = run("--db", str(read_only), "add-person", "--first", "Ben", check_ok=False)
    assert refused.returncode == 1
    assert refused.stderr == (
        f"recruiter-desk: Cannot open the database {read_only}: permission denied.\n"
    )
    assert read_only.read_bytes() == before


# -- an export onto a full disk -----------------------------------------------------------


def _export_child(
    db: Path, home: Path, *args: str, stdout: Any = subprocess.PIPE, file_size: int | None = None
) -> subprocess.CompletedProcess[str]:
    """``recruiter-desk --db DB export ARGS`` as its own process, its files optionally
    limited to ``file_size`` bytes (a write past it fails, as on a full disk)."""

    def limit() -> None:
        if file_size is not None:
            import resource

            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))

    return subprocess.run(
        [sys.executable, "-m", "recruiter_desk", "--db", str(db), "export", *args],
        stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=120, preexec_fn=limit,
        env={**os.environ, "RECRUITER_DESK_HOME": str(home)},
    )  # fmt: skip


@pytest.fixture
def network(tmp_path: Path) -> Path:
    path = tmp_path / "network.sqlite3"
    run("--db", str(path), "demo", "--people", "300", "--seed", "3", "--as-of", "2026-11-01",
        home=tmp_path / "home")  # fmt: skip
    return path


def _rows(db: Path) -> str:
    return json.dumps(_people(db), sort_keys=True)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="/dev/full simulates a full disk")
def test_an_export_to_a_full_standard_output_is_one_sentence(network: Path, tmp_path: Path) -> None:
    """Before: "an unexpected error stopped the command" (the ENOSPC from standard output
    was taken for a bug)."""
    before = _rows(network)
    with open("/dev/full", "w") as full:
        result = _export_child(network, tmp_path / "home", "--format", "csv", "-o", "-",
                               stdout=full)  # fmt: skip
    assert result.returncode == 1
    assert result.stderr == (
        "recruiter-desk: Cannot write the export to standard output: No space left on device.\n"
    )
    assert _rows(network) == before


def test_an_export_that_cannot_fit_leaves_no_file(network: Path, tmp_path: Path) -> None:
    """A write that fails half-way (here past the process's file size limit, as past the
    end of a full disk) names the file, leaves nothing where it was going, and the old
    file and the database as they were."""
    out = tmp_path / "usb"
    out.mkdir()
    target = out / "network.json"
    target.write_text("the previous export\n")
    before = _rows(network)
    result = _export_child(network, tmp_path / "home", "--format", "json", "-o", str(target),
                           file_size=256 * 1024)  # fmt: skip
    assert result.returncode == 1
    assert result.stderr == f"recruiter-desk: Cannot write {target}: File too large.\n"
    assert [p.name for p in out.iterdir()] == ["network.json"]
    assert target.read_text() == "the previous export\n"
    assert _rows(network) == before


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 2 MB file system, where the system lets this run mount one (root)."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    mounted = os.geteuid() == 0 and subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True
    ).returncode == 0  # fmt: skip
    if not mounted:
        pytest.skip("cannot mount a small tmpfs here (needs root and mount rights)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


def _fill(folder: Path) -> None:
    with (folder / "filler").open("wb") as filler:
        try:
            while True:
                filler.write(b"\0" * 65536)
                filler.flush()
        except OSError:
            pass


def test_an_export_onto_a_full_disk_names_the_file(
    network: Path, tmp_path: Path, tiny_disk: Path
) -> None:
    _fill(tiny_disk)
    before = _rows(network)
    target = tiny_disk / "network.json"
    result = _export_child(network, tmp_path / "home", "--format", "json", "-o", str(target))
    assert result.returncode == 1
    assert result.stderr == f"recruiter-desk: Cannot write {target}: No space left on device.\n"
    assert [p.name for p in tiny_disk.iterdir()] == ["filler"]
    assert _rows(network) == before


def test_on_a_full_disk_reading_commands_and_exports_elsewhere_keep_working(
    network: Path, tmp_path: Path, tiny_disk: Path
) -> None:
    """Opening a database the usual way needs room beside it for the write-ahead log's
    index, which a full disk refuses. Before: every command failed, even ``people`` and an
    export to another disk. Now they read the file in place, read-only, and say so; a
    command that writes is refused in one sentence and the file is unchanged."""
    db = tiny_disk / "network.sqlite3"
    shutil.copy(network, db)
    expected = _rows(network)
    _fill(tiny_disk)
    content = db.read_bytes()
    said = (
        f"recruiter-desk: The disk holding {db} is full: it is open read-only; "
        "nothing can be saved until space is freed.\n"
    )
    home = tmp_path / "home"

    elsewhere = tmp_path / "network.csv"
    exported = _export_child(db, home, "--format", "csv", "-o", str(elsewhere))
    assert exported.returncode == 0, exported.stderr
    assert exported.stderr == said
    assert elsewhere.read_text().count("\n") == 301  # the header and the 300 people

    listed = run("--db", str(db), "people", "--json", home=home)
    assert listed.stderr == said
    assert json.dumps(json.loads(listed.stdout), sort_keys=True) == expected

    added = run("--db", str(db), "add-person", "--first", "Zoe", home=home, check_ok=False)
    assert added.returncode == 1
    assert added.stderr == said + (
        f"recruiter-desk: The disk holding {db} is full: it is open read-only; "
        "nothing was written.\n"
    )
    assert db.read_bytes() == content
    # The usual open may leave the log's index beside the file, and the log itself, empty.
    left = {p.name: p.stat().st_size for p in tiny_disk.iterdir()}
    assert set(left) - {"network.sqlite3-wal", "network.sqlite3-shm"} == {
        "filler",
        "network.sqlite3",
    }
    assert left.get("network.sqlite3-wal", 0) == 0
