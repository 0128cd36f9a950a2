"""Malformed and oddly encoded files: read right, or refused in one sentence naming the line."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from recruiter_desk.app import main

EXPORT_HEAD = '{"format": "recruiter-desk", "version": 1,\n"people": [\n'


def run(capsys: pytest.CaptureFixture[str], tmp_path: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(tmp_path / "desk.sqlite3"), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def names(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> list[str]:
    code, out, err = run(capsys, tmp_path, "people", "--json")
    assert code == 0, err
    return sorted(p["full_name"] for p in json.loads(out))


def test_a_csv_mixing_utf8_and_windows_1252_rows_reads_both(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "contacts.csv"
    file.write_bytes(
        b"Name,Email\n"
        + "José Núñez,jose@example.com\n".encode()
        + "Zoë Müller,zoe@example.com\n".encode("cp1252")
        + "Søren Ødegård,soren@example.com\n".encode()
    )
    code, out, err = run(capsys, tmp_path, "import", str(file), "--json")
    assert code == 0, err
    assert json.loads(out)["added"] == 3
    assert names(capsys, tmp_path) == ["José Núñez", "Søren Ødegård", "Zoë Müller"]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], encoding: str
) -> None:
    file = tmp_path / "contacts.csv"
    file.write_bytes("Name\tEmail\nJosé Núñez\tjose@example.com\n".encode(encoding))
    code, _out, err = run(capsys, tmp_path, "import", str(file))
    assert code == 0, err
    assert names(capsys, tmp_path) == ["José Núñez"]


def test_binary_data_is_still_called_binary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "photo.csv"
    file.write_bytes(bytes(range(256)) * 8)
    code, _out, err = run(capsys, tmp_path, "import", str(file))
    assert code == 1 and "it is not a text file" in err


def test_a_broken_linkedin_url_is_left_out_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "Connections.csv"
    file.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Ana,Silva,https://[broken,ana@example.com,Arbor,Lead,24 Oct 2023\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, tmp_path, "import", str(file), "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["added"] == 1
    assert report["problems"] == [
        {
            "line": 2,
            "message": "the LinkedIn URL 'https://[broken' is not a web address; left out.",
        }
    ]


@pytest.mark.parametrize(
    ("body", "message", "line"),
    [
        (
            '{"id": "p1", "first_name": "Ana", "cadence_days": ' + "9" * 5000 + "}",
            "it holds a whole number of 5000 digits, too long for any field.",
            3,
        ),
        (
            '{"id": "p1", "first_name": "Ana",\n"cadence_days": 18446744073709551616}',
            "it holds a whole number of 20 digits, too long for any field.",
            4,
        ),
        (
            '{"id": "p1", "first_name": "Ana", "notes": "broken \\ud800 half"}',
            "it holds \\ud800, half of a character without its other half.",
            3,
        ),
        (
            '{"id": "p1", "first_name": "Ana", "notes": ' + "[" * 100_000 + "]" * 100_000 + "}",
            "it nests lists or objects too deeply for a Recruiter Desk export.",
            None,
        ),
    ],
    ids=["4300-digit-number", "over-64-bits", "lone-surrogate", "deep-nesting"],
)
def test_json_a_database_cannot_hold_is_one_sentence(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    body: str,
    message: str,
    line: int | None,
) -> None:
    file = tmp_path / "export.json"
    file.write_text(EXPORT_HEAD + body + "\n]}\n", encoding="utf-8")
    code, _out, err = run(capsys, tmp_path, "import", str(file))
    where = f"{file}, line {line}" if line else str(file)
    assert (code, err) == (1, f"recruiter-desk: Cannot import {where}: {message}\n")
    assert names(capsys, tmp_path) == []


def test_a_valid_surrogate_pair_is_fine(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "export.json"
    file.write_text(
        EXPORT_HEAD + '{"id": "p1", "first_name": "Ana \\ud83d\\ude00", "last_name": "Silva"}\n]}',
        encoding="utf-8",
    )
    code, _out, err = run(capsys, tmp_path, "import", str(file))
    assert code == 0, err
    assert names(capsys, tmp_path) == ["Ana 😀 Silva"]


def test_vobject_never_prints_contact_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "cards.vcf"
    file.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Silva\r\nN:Silva;Ana;;;\r\n"
        "secret phone 555 0100 without a colon\r\nEMAIL:ana@example.com\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    # A real process: vobject adds its terminal handler only when logging is unconfigured,
    # which is so in the command line but never under pytest.
    result = subprocess.run(
        [sys.executable, "-m", "recruiter_desk", "--db", str(tmp_path / "desk.sqlite3"),
         "import", str(file)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert names(capsys, tmp_path) == ["Ana Silva"]


def test_a_header_only_csv_records_no_import_batch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "contacts.csv"
    file.write_text("Name,Email\n", encoding="utf-8")
    code, _out, err = run(capsys, tmp_path, "import", str(file))
    assert code == 0, err
    code, out, err = run(capsys, tmp_path, "imports", "--json")
    assert (code, json.loads(out)) == (0, [])


def test_exports_never_replace_a_link_a_pipe_or_a_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    real = tmp_path / "real.csv"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    code, _out, err = run(capsys, tmp_path, "export", "--format", "csv", "-o", str(link))
    assert code == 0, err
    assert link.is_symlink() and real.read_text(encoding="utf-8-sig").startswith("ID,")

    pipe = tmp_path / "pipe.csv"
    os.mkfifo(pipe)
    code, _out, err = run(capsys, tmp_path, "export", "--format", "csv", "-o", str(pipe))
    assert (code, err) == (
        1,
        f"recruiter-desk: Cannot write {pipe}: it is not a regular file (a pipe or device).\n",
    )
    assert stat.S_ISFIFO(pipe.stat().st_mode)

    code, _out, err = run(capsys, tmp_path, "export", "--format", "csv", "-o", "")
    assert (code, err) == (
        1,
        "recruiter-desk: Cannot export: no file name was given (use - for standard output).\n",
    )


def _people(count: int, note: str = "") -> list[dict[str, object]]:
    return [
        {"id": f"p{i}", "first_name": f"Given{i}", "last_name": "Silva", "notes": note}
        for i in range(count)
    ]


def test_json_in_any_order_imports_as_exported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Records are handed on after what they point at, whatever the file's order: here
    interactions come first, a person names their company only by organization_id, and the
    format comes last."""
    file = tmp_path / "reordered.json"
    file.write_text(
        json.dumps(
            {
                "interactions": [
                    {
                        "id": "i1",
                        "person_id": "p1",
                        "kind": "call",
                        "occurred_at": "2026-11-20T10:00:00Z",
                        "subject": "Intro",
                    }
                ],
                "people": [
                    {"id": "p1", "first_name": "Ana", "last_name": "Silva", "organization_id": "o1"}
                ],
                "organizations": [{"id": "o1", "name": "Helix"}],
                "version": 1,
                "format": "recruiter-desk",
            }
        ),
        encoding="utf-8",
    )
    code, _out, err = run(capsys, tmp_path, "import", str(file))
    assert code == 0, err
    code, out, err = run(capsys, tmp_path, "people", "--json")
    (person,) = json.loads(out)
    assert (person["full_name"], person["company"]) == ("Ana Silva", "Helix")
    assert person["last_touch"] is not None


def test_a_json_file_on_one_long_line_imports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Tools other than this app write JSON without line breaks: the 16 MB line limit of
    the line formats does not apply."""
    file = tmp_path / "compact.json"
    document = {"format": "recruiter-desk", "version": 1, "people": _people(2000, "n" * 9000)}
    file.write_text(json.dumps(document, separators=(",", ":")), encoding="utf-8")
    assert file.stat().st_size > 17 * 1024 * 1024 and b"\n" not in file.read_bytes()
    code, out, err = run(capsys, tmp_path, "import", str(file))
    assert (code, err) == (0, "")
    assert "2000 added" in out


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_json_with_a_byte_order_mark_imports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], encoding: str
) -> None:
    file = tmp_path / "export.json"
    file.write_text(EXPORT_HEAD + '{"id": "p1", "first_name": "Zoë", "last_name": "Núñez"}]}',
                    encoding=encoding)  # fmt: skip
    code, _out, err = run(capsys, tmp_path, "import", str(file))
    assert code == 0, err
    assert names(capsys, tmp_path) == ["Zoë Núñez"]


@pytest.mark.parametrize("shift", [-12, -9, -6, -5, -3, -1, 0, 1])
def test_a_lone_surrogate_cut_between_two_pieces_is_found(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], shift: int
) -> None:
    """A file is read a megabyte at a time: an escape cut at a piece's end is judged whole
    (a pair cut in two is fine, a lone half is refused)."""
    head = '{"format": "recruiter-desk", "version": 1, "people": [{"id": "p0", "notes": "'
    file = tmp_path / "export.json"
    for escape, fine in (
        ("\\ud83d\\ude00", True),
        ("\\ud800", False),
        ("\\udc00", False),
        ("\\ud800\\u0041", False),
    ):
        padding = "x" * (1024 * 1024 + shift - len(head))
        file.write_text(f'{head}{padding}{escape} end", "first_name": "Ana"}}]}}')
        code, _out, err = run(capsys, tmp_path, "import", str(file))
        if fine:
            assert code == 0, err
        else:
            lone = escape[:6]
            assert (code, err) == (
                1,
                f"recruiter-desk: Cannot import {file}, line 1: it holds {lone}, half of a "
                "character without its other half.\n",
            )


def test_without_the_c_parser_json_imports_read_the_same(tmp_path: Path) -> None:
    """ijson's wheels carry its C parser; where it is missing, ijson falls back to its
    pure Python one, which must give the same records and the same sentences."""
    environment = {**os.environ, "IJSON_BACKEND": "python", "RECRUITER_DESK_HOME": str(tmp_path)}
    cases = [
        (EXPORT_HEAD + '{"id": "p1", "first_name": "Ana", "last_name": "Silva"}\n]}\n', ""),
        (
            EXPORT_HEAD + '{"id": "p1", "first_name": "Ana", "cadence_days": ' + "9" * 5000
            + "}\n]}\n",
            "line 3: it holds a whole number of 5000 digits, too long for any field.",
        ),
        (
            EXPORT_HEAD + '{"id": "p1",\n"cadence_days": 18446744073709551616}\n]}\n',
            "line 4: it holds a whole number of 20 digits, too long for any field.",
        ),
        (
            EXPORT_HEAD + '{"id": "p1", "notes": ' + "[" * 100_000 + "]" * 100_000 + "}\n]}\n",
            "it nests lists or objects too deeply for a Recruiter Desk export.",
        ),
        (EXPORT_HEAD + '{"id": "p1",, "first_name": "Ana"}\n]}\n', "line 3: it is not valid JSON"),
    ]  # fmt: skip
    for number, (text, message) in enumerate(cases):
        file = tmp_path / f"export-{number}.json"
        file.write_text(text, encoding="utf-8")
        result = subprocess.run(
            [sys.executable, "-m", "recruiter_desk", "--db", str(tmp_path / "desk.sqlite3"),
             "import", str(file)],
            capture_output=True, text=True, timeout=120, env=environment, cwd=tmp_path,
        )  # fmt: skip
        if not message:
            assert (result.returncode, result.stderr) == (0, ""), result.stderr
            continue
        where = f"{file}, " if message.startswith("line") else f"{file}: "
        assert result.returncode == 1
        assert result.stderr.startswith(f"recruiter-desk: Cannot import {where}{message}")
        assert result.stderr.count("\n") == 1
