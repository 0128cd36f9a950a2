"""Imports stream: whatever a file's size, the process stays under a fixed memory bound, and
what cannot be imported is one sentence with the database unchanged.

Each import runs as the real command in a child process; its own peak resident memory
comes from ``os.wait4`` (only that child's), and an address-space limit keeps a
regression from taking the test run down with it.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import sqlite3
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.cli.helpers import run

BOUND_MB = 300
LINKEDIN_HEADER = b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"

pytestmark = pytest.mark.skipif(not hasattr(os, "wait4"), reason="os.wait4 measures peak memory")


@dataclass(frozen=True)
class Bounded:
    returncode: int
    stdout: str
    stderr: str
    peak_mb: float


def import_bounded(db: Path, *files: Path | str) -> Bounded:
    """``recruiter-desk --db DB import FILES`` in a child process: its exit, output and peak
    resident memory."""
    return bounded(db, "import", *map(str, files))


def bounded(db: Path, *args: str) -> Bounded:
    """``recruiter-desk --db DB ARGS`` in a child process: its exit, output and peak
    resident memory."""

    def limit() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (3 * 1024**3, 3 * 1024**3))

    process = subprocess.Popen(
        [sys.executable, "-m", "recruiter_desk", "--db", str(db), *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=limit, cwd=db.parent,
    )  # fmt: skip
    # Read both pipes to the end first (the errors are one sentence: no pipe fills up);
    # wait4 then reaps the child and gives its own usage.
    with process.stdout as out, process.stderr as err:  # type: ignore[union-attr]
        stdout, stderr = out.read(), err.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    # ru_maxrss is in kilobytes on Linux (bytes on macOS).
    peak = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return Bounded(process.returncode, stdout, stderr, peak)


def fingerprint(db: Path) -> str:
    """Every row of every table: equal before and after means nothing was written."""
    digest = hashlib.sha256()
    with sqlite3.connect(db) as connection:
        tables = [
            r[0]
            for r in connection.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
                "AND name NOT LIKE '%search%' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name"
            )
        ]
        for table in tables:
            for row in connection.execute(f'SELECT * FROM "{table}" ORDER BY 1'):
                digest.update(repr(row).encode())
    return digest.hexdigest()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "desk.sqlite3"
    run("--db", str(path), "add-person", "--first", "Ana", "--last", "Silva", "--email",
        "ana@example.com")  # fmt: skip
    return path


def test_a_100_mb_csv_imports_under_the_bound(db: Path, tmp_path: Path) -> None:
    """Before imports streamed, the file, its text and its rows were all held at once: this
    file peaked at 628 MB."""
    rng = random.Random(9)
    file = tmp_path / "big.csv"
    letters = "abcdefghijklmnopqrstuvwxyz "
    with file.open("w", encoding="utf-8") as out:
        out.write("First Name,Last Name,Email,Company,Attachment\n")
        filler = "".join(rng.choice(letters) for _ in range(10_000))
        for i in range(10_000):
            # A long column the import does not keep: the bytes are there, the people few.
            out.write(f"P{i},Q{i},p{i}@example.com,Firm {i % 50},{filler[i % 97 :]}\n")
    assert file.stat().st_size > 95 * 1024 * 1024
    result = import_bounded(db, file)
    assert result.returncode == 0, result.stderr
    assert "10000 added" in result.stdout
    assert result.peak_mb < BOUND_MB, f"peak {result.peak_mb:.0f} MB"


def test_a_line_with_no_end_is_refused_under_the_bound(db: Path, tmp_path: Path) -> None:
    file = tmp_path / "one-line.csv"
    with file.open("wb") as out:
        out.write(b"Name,Email\n")
        for _ in range(100):
            out.write(b"a" * (1024 * 1024))
    before = fingerprint(db)
    result = import_bounded(db, file)
    assert result.returncode == 1
    assert result.stderr == (
        f"recruiter-desk: Cannot import {file}, line 2: the line is longer than 16 MB.\n"
    )
    assert result.peak_mb < BOUND_MB, f"peak {result.peak_mb:.0f} MB"
    assert fingerprint(db) == before


def _interchange(path: Path, people: int, filler: int, interactions: int = 0) -> None:
    """A Recruiter Desk JSON export written as the app writes one (indented), with a long
    key the import does not keep on each person and long interaction bodies."""
    rng = random.Random(11)
    padding = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz ") for _ in range(filler + 97))
    with path.open("w", encoding="utf-8") as out:
        out.write('{\n "format": "recruiter-desk",\n "version": 1,\n "people": [\n')
        for i in range(people):
            person = {"id": f"p{i}", "first_name": f"Given{i}", "last_name": f"Family{i}",
                      "emails": [f"person{i}@example.com"], "company": f"Firm {i % 50}",
                      "attachment": padding[i % 97 : i % 97 + filler]}  # fmt: skip
            out.write((",\n" if i else "") + json.dumps(person, indent=1))
        out.write('\n ],\n "organizations": [{"id": "org1", "name": "Firm 1"}],\n')
        out.write(' "interactions": [\n')
        for i in range(interactions):
            touch = {"id": f"i{i}", "person_id": f"p{i % people}", "kind": "email",
                     "occurred_at": f"2026-0{1 + i % 9}-1{i % 10}T09:00:00+00:00",
                     "subject": f"Catching up {i}",
                     "body": padding[i % 97 : i % 97 + 4000]}  # fmt: skip
            out.write((",\n" if i else "") + json.dumps(touch, indent=1))
        out.write("\n ]\n}\n")


def test_a_100_mb_json_export_imports_under_the_bound(db: Path, tmp_path: Path) -> None:
    """Before JSON imports streamed, the text, the parsed document and the records were all
    held at once: this file peaked at 361 MB (now about 106 MB)."""
    file = tmp_path / "big.json"
    _interchange(file, people=10_000, filler=9_000, interactions=3_000)
    assert file.stat().st_size > 95 * 1024 * 1024
    result = import_bounded(db, file)
    assert result.returncode == 0, result.stderr
    assert "10000 added" in result.stdout
    assert result.peak_mb < BOUND_MB, f"peak {result.peak_mb:.0f} MB"
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT count(*) FROM interactions").fetchone() == (3000,)


def test_a_json_error_far_into_a_big_file_writes_nothing(db: Path, tmp_path: Path) -> None:
    """People are merged as the file is read: a syntax error near the end is found by the
    first pass, before anything is written, and named by its line."""
    file = tmp_path / "late-error.json"
    _interchange(file, people=3_000, filler=2_000)
    text = file.read_text(encoding="utf-8")
    line = text.count("\n", 0, text.rindex('"Given2999"')) + 1
    file.write_text(text.replace('"Given2999",', '"Given2999" "oops",'), encoding="utf-8")
    before = fingerprint(db)
    result = import_bounded(db, file)
    assert result.returncode == 1
    assert result.stderr.startswith(f"recruiter-desk: Cannot import {file}, line {line}: it is ")
    assert "not valid JSON" in result.stderr and result.stderr.count("\n") == 1
    assert fingerprint(db) == before


def test_a_bad_row_far_into_a_big_file_writes_nothing(db: Path, tmp_path: Path) -> None:
    """Parts of the file are merged as it is read, all in one transaction: a broken row
    near the end rolls back the 12,000 people merged before it."""
    file = tmp_path / "late-error.csv"
    with file.open("w", encoding="utf-8") as out:
        out.write("Name,Email\n")
        for i in range(12_000):
            out.write(f"Person {i},p{i}@example.com\n")
        out.write('Broken Row,"never closed\n')
    before = fingerprint(db)
    result = import_bounded(db, file)
    assert result.returncode == 1
    assert result.stderr == (
        f"recruiter-desk: Cannot import {file}, line 12002: a quoted field is never closed.\n"
    )
    assert fingerprint(db) == before


def test_a_file_over_the_size_limit_is_refused_before_reading(db: Path, tmp_path: Path) -> None:
    file = tmp_path / "huge.csv"
    with file.open("wb") as out:
        out.truncate(300 * 1024 * 1024)  # sparse: costs no disk
    before = fingerprint(db)
    result = import_bounded(db, file)
    assert result.returncode == 1
    assert result.stderr == f"recruiter-desk: Cannot import {file}: it is larger than 200 MB.\n"
    assert result.peak_mb < BOUND_MB
    assert fingerprint(db) == before


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
def test_dev_zero_is_refused_at_once(db: Path) -> None:
    before = fingerprint(db)
    result = import_bounded(db, "/dev/zero")
    assert result.returncode == 1
    assert result.stderr == (
        "recruiter-desk: Cannot import /dev/zero: it is not a regular file (a pipe, device or "
        "socket).\n"
    )
    assert result.peak_mb < BOUND_MB
    assert fingerprint(db) == before


def _connections_zip(tmp_path: Path, data: bytes) -> Path:
    file = tmp_path / "Basic_LinkedInDataExport.zip"
    with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("Connections.csv", data)
    return file


def test_a_zip_bomb_is_refused_under_the_bound(db: Path, tmp_path: Path) -> None:
    file = _connections_zip(tmp_path, LINKEDIN_HEADER + b"0" * (150 * 1024 * 1024))
    assert file.stat().st_size < 2 * 1024 * 1024
    before = fingerprint(db)
    result = import_bounded(db, file)
    assert result.returncode == 1
    assert result.stderr == (
        f"recruiter-desk: Cannot import {file}: Connections.csv in the archive unpacks to over "
        "100 times its size.\n"
    )
    assert result.peak_mb < BOUND_MB
    assert fingerprint(db) == before


def test_a_member_lying_about_its_size_is_refused_under_the_bound(db: Path, tmp_path: Path) -> None:
    """The directory claims 1 MB unpacked (no bomb by its word); over 50 MB would come out.
    Reading stops at the claim and the member is called damaged."""
    rng = random.Random(4)
    row = "".join(rng.choice("abcdefghij") for _ in range(200))
    rows = "".join(f"P{i},Q{i},,p{i}@example.com,{row},Lead,24 Oct 2023\n" for i in range(250_000))
    file = _connections_zip(tmp_path, LINKEDIN_HEADER + rows.encode())
    raw = bytearray(file.read_bytes())
    with zipfile.ZipFile(file) as archive:
        info = archive.getinfo("Connections.csv")
    assert info.file_size > 50 * 1024 * 1024
    claim = (1024 * 1024).to_bytes(4, "little")
    # The unpacked size lives in the local header (offset 22) and the central directory (24).
    raw[info.header_offset + 22 : info.header_offset + 26] = claim
    central = raw.rindex(b"PK\x01\x02")
    raw[central + 24 : central + 28] = claim
    file.write_bytes(bytes(raw))
    before = fingerprint(db)
    result = import_bounded(db, file)
    assert result.returncode == 1
    assert result.stderr == f"recruiter-desk: Cannot import {file}: the archive is damaged.\n"
    assert result.peak_mb < BOUND_MB
    assert fingerprint(db) == before


def test_a_huge_message_and_a_pipe_in_a_mail_folder_stay_under_the_bound(
    db: Path, tmp_path: Path
) -> None:
    """A 150 MB message (one attachment) is read only as far as its first 8 MB; a named
    pipe beside the mail would have waited forever."""
    folder = tmp_path / "mail"
    folder.mkdir()
    with (folder / "big.mbox").open("wb") as box:
        box.write(
            b"From ana@example.com Mon Nov 23 09:00:00 2026\n"
            b"From: Ana Silva <ana@example.com>\nTo: me@example.com\nSubject: CV\n"
            b"Date: Mon, 23 Nov 2026 09:00:00 +0000\nMessage-ID: <big@example.com>\n"
            b'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"\n\n--b\n'
            b"Content-Type: text/plain\n\nMy CV is attached.\n--b\n"
            b"Content-Type: application/pdf\nContent-Transfer-Encoding: base64\n\n"
        )
        line = b"QUJD" * 19 + b"\n"
        for _ in range(150 * 1024 * 1024 // len(line)):
            box.write(line)
        box.write(b"--b--\n")
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "inbox")
    result = bounded(db, "import-mail", str(folder), "--me", "me@example.com")
    assert result.returncode == 0, result.stderr
    assert result.peak_mb < BOUND_MB, f"peak {result.peak_mb:.0f} MB"
    connection = sqlite3.connect(db)
    subjects = connection.execute("SELECT subject FROM interactions").fetchall()
    connection.close()
    assert subjects == [("CV",)]
