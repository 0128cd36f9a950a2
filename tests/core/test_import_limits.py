"""Imports refuse what would wait or grow forever, with one sentence naming the file."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from recruiter_desk.app import main

HEADER = b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"


def refused(capsys: pytest.CaptureFixture[str], tmp_path: Path, file: Path | str) -> str:
    assert main(["--db", str(tmp_path / "desk.sqlite3"), "import", str(file)]) == 1
    return capsys.readouterr().err


def _import_in_a_bounded_process(
    tmp_path: Path, file: Path | str
) -> subprocess.CompletedProcess[str]:
    """Before the fix these imports wait or grow forever: a time and memory limit keep that
    from taking the test run down with them."""

    def limit_memory() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))

    return subprocess.run(
        [sys.executable, "-m", "recruiter_desk", "--db", str(tmp_path / "d.sqlite3"), "import",
         str(file)],
        capture_output=True, text=True, timeout=60, preexec_fn=limit_memory,
    )  # fmt: skip


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_a_named_pipe_is_refused_at_once(tmp_path: Path) -> None:
    pipe = tmp_path / "contacts.csv"
    os.mkfifo(pipe)
    result = _import_in_a_bounded_process(tmp_path, pipe)
    assert result.returncode == 1
    assert result.stderr == (
        f"recruiter-desk: Cannot import {pipe}: it is not a regular file (a pipe, device or "
        "socket).\n"
    )


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
def test_a_device_is_refused(tmp_path: Path) -> None:
    result = _import_in_a_bounded_process(tmp_path, "/dev/zero")
    assert result.returncode == 1
    assert "it is not a regular file" in result.stderr


def _archive(tmp_path: Path, data: bytes, **options: object) -> Path:
    file = tmp_path / "export.zip"
    with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Connections.csv", data, **options)  # type: ignore[arg-type]
    return file


def test_a_zip_bomb_is_refused_before_it_is_inflated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    file = _archive(tmp_path, HEADER + b"0" * (8 * 1024 * 1024))  # 8 MB of zeros, ~8 KB packed
    inflated: list[object] = []
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda *a, **k: inflated.append(a))
    err = refused(capsys, tmp_path, file)
    assert err == (
        f"recruiter-desk: Cannot import {file}: Connections.csv in the archive unpacks to over "
        "100 times its size.\n"
    )
    assert inflated == []


def test_a_member_bigger_than_it_claims_is_cut_off_and_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The directory says 1 KB; 300 KB would come out. Nothing past the claim is inflated.
    file = _archive(tmp_path, HEADER + b"0" * (300 * 1024))
    raw = bytearray(file.read_bytes())
    with zipfile.ZipFile(file) as archive:
        info = archive.getinfo("Connections.csv")
    small = (1024).to_bytes(4, "little")
    # The sizes live in the local header (offset 22) and the central directory (offset 24).
    raw[info.header_offset + 22 : info.header_offset + 26] = small
    central = raw.rindex(b"PK\x01\x02")
    raw[central + 24 : central + 28] = small
    file.write_bytes(bytes(raw))
    assert refused(capsys, tmp_path, file).endswith(": the archive is damaged.\n")


def test_damaged_encrypted_and_unknown_members_get_a_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = HEADER + b"Ana,Silva,,ana@example.com,Arbor,Lead,24 Oct 2023\n" * 200
    file = _archive(tmp_path, data)
    with zipfile.ZipFile(file) as archive:
        info = archive.getinfo("Connections.csv")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    raw = bytearray(file.read_bytes())
    raw[start : start + 40] = b"\xff" * 40  # a corrupt deflate stream
    file.write_bytes(bytes(raw))
    assert "is damaged" in refused(capsys, tmp_path, file)

    encrypted = bytearray(_archive(tmp_path, data).read_bytes())
    for offset in (info.header_offset + 6, encrypted.rindex(b"PK\x01\x02") + 8):
        encrypted[offset] |= 0x1  # the "encrypted" flag bit
    file.write_bytes(bytes(encrypted))
    assert "is encrypted; export it again without a password" in refused(capsys, tmp_path, file)

    unknown = bytearray(_archive(tmp_path, data).read_bytes())
    for offset in (info.header_offset + 8, unknown.rindex(b"PK\x01\x02") + 10):
        unknown[offset : offset + 2] = (99).to_bytes(2, "little")  # AES: not in zipfile
    file.write_bytes(bytes(unknown))
    assert "uses a compression method this app cannot unpack" in refused(capsys, tmp_path, file)
