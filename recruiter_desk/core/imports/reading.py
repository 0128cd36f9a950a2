"""Bytes to text, and text to a format name, judged by the content rather than the name."""

from __future__ import annotations

import codecs
import csv
import io
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from recruiter_desk.core.imports.model import BadImportFile

FORMATS = ("linkedin", "vcard", "google", "outlook", "csv", "json")
MAX_FILE_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class SourceText:
    name: str
    text: str
    from_zip: bool = False


# A LinkedIn export's Connections.csv compresses about 4:1; a member that claims far more is
# a zip bomb, refused before it is inflated (small members cannot do harm whatever their ratio).
MAX_ZIP_RATIO = 100
_RATIO_CHECKED_ABOVE = 1024 * 1024
_READ_CHUNK = 1024 * 1024


def read_source(path: Path) -> SourceText:
    """The file's text; a LinkedIn data export .zip gives its Connections.csv."""
    name = str(path)
    try:
        if path.is_dir():
            raise BadImportFile(name, "it is a folder, not a file.")
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            # Reading a FIFO or /dev/zero would wait or grow forever.
            raise BadImportFile(name, "it is not a regular file (a pipe, device or socket).")
        if status.st_size > MAX_FILE_BYTES:
            raise BadImportFile(name, "it is larger than 200 MB.")
        with path.open("rb") as handle:
            # The size can change after stat(): never read more than the limit allows.
            raw = handle.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            raise BadImportFile(name, "it is larger than 200 MB.")
    except FileNotFoundError as error:
        raise BadImportFile(name, "no such file.") from error
    except PermissionError as error:
        raise BadImportFile(name, "permission denied.") from error
    except OSError as error:
        raise BadImportFile(name, f"{error.strerror or error}.") from error
    if raw.startswith(b"PK\x03\x04"):
        return _from_zip(name, raw)
    return SourceText(name, decode(name, raw))


def _from_zip(name: str, raw: bytes) -> SourceText:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        members = [m for m in archive.infolist() if m.filename.lower().endswith("connections.csv")]
        if not members:
            raise BadImportFile(
                name, "the archive has no Connections.csv (is it a LinkedIn data export?)."
            )
        member = min(members, key=lambda m: len(m.filename))
        inner = _inflate(name, archive, member)
    except zipfile.BadZipFile as error:
        raise BadImportFile(name, "the archive is damaged.") from error
    return SourceText(f"{name}:{member.filename}", decode(name, inner), from_zip=True)


def _inflate(name: str, archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes:
    """The member's bytes, checked against the size limit before and while inflating."""
    where = f"{member.filename} in the archive"
    if member.flag_bits & 0x1:
        raise BadImportFile(name, f"{where} is encrypted; export it again without a password.")
    if member.file_size > MAX_FILE_BYTES:
        raise BadImportFile(name, f"{where} is larger than 200 MB once unpacked.")
    if member.file_size > _RATIO_CHECKED_ABOVE and member.file_size > MAX_ZIP_RATIO * max(
        1, member.compress_size
    ):
        raise BadImportFile(name, f"{where} unpacks to over {MAX_ZIP_RATIO} times its size.")
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(member) as stream:
            # The sizes in the archive's directory can lie: count what really comes out.
            while chunk := stream.read(_READ_CHUNK):
                size += len(chunk)
                if size > MAX_FILE_BYTES:
                    raise BadImportFile(name, f"{where} is larger than 200 MB once unpacked.")
                chunks.append(chunk)
    except NotImplementedError as error:
        raise BadImportFile(
            name, f"{where} uses a compression method this app cannot unpack."
        ) from error
    except (zlib.error, EOFError) as error:
        raise BadImportFile(name, f"{where} is damaged (its data cannot be unpacked).") from error
    return b"".join(chunks)


def decode(name: str, raw: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 (with or without BOM), else Windows-1252 line by
    line: a file that mixes UTF-8 rows and Windows-1252 rows reads right in both."""
    if not raw.strip():
        raise BadImportFile(name, "the file is empty.")
    utf16 = _utf16_without_bom(raw)
    if raw.startswith(codecs.BOM_UTF8):
        text = _strict(name, raw[len(codecs.BOM_UTF8) :], "utf-8")
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _strict(name, raw, "utf-16")
    elif utf16:
        text = _strict(name, raw, utf16)
    else:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            # Excel and older Outlook save "ANSI" (Windows-1252 in the West); a file
            # appended to by several tools can hold both, so each line is judged alone.
            text = "".join(_line_text(line) for line in raw.splitlines(keepends=True))
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise BadImportFile(name, "it is not a text file (it holds binary data).", line)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise BadImportFile(name, "the file is empty.")
    return text


def _line_text(line: bytes) -> str:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return line.decode("cp1252", errors="replace")


def _utf16_without_bom(raw: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` for text saved without a BOM, judged by where the zero
    bytes fall: Latin text in UTF-16 has a zero in every other byte, binary data does not."""
    sample = raw[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    even_zeros, odd_zeros = even.count(0), odd.count(0)
    if odd_zeros >= 0.4 * len(odd) and even_zeros <= 0.05 * len(even):
        return "utf-16-le"
    if even_zeros >= 0.4 * len(even) and odd_zeros <= 0.05 * len(odd):
        return "utf-16-be"
    return None


def _strict(name: str, raw: bytes, encoding: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise BadImportFile(name, f"it is not valid {encoding.upper()} text.", line) from error


# The csv module stops at 128 KiB per field by default, which the app's own export of a
# long note exceeds; no field can be longer than the largest file imported anyway.
csv.field_size_limit(MAX_FILE_BYTES)


def csv_rows(source: SourceText) -> list[tuple[int, list[str]]]:
    """Every row with its 1-based line number; a broken quote is an error naming the line."""
    reader = csv.reader(io.StringIO(source.text), delimiter=_delimiter(source.text), strict=True)
    rows = []
    try:
        for row in reader:
            rows.append((reader.line_num, row))
    except csv.Error as error:
        if "unexpected end of data" in str(error):
            raise BadImportFile(
                source.name, "a quoted field is never closed.", _open_quote_line(source.text)
            ) from error
        raise BadImportFile(
            source.name, f"the row cannot be read as CSV ({error}).", reader.line_num
        ) from error
    return rows


def _delimiter(text: str) -> str:
    """Comma, or the semicolon European Excel writes, or tab: judged on the header line."""
    lines = [line for line in text.split("\n", 40)[:40] if line.strip()]
    header = next(
        (line for line in lines if any(k in line.lower() for k in ("name", "mail"))),
        lines[0] if lines else "",
    )
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _open_quote_line(text: str) -> int:
    """Where the unclosed quote starts: the line after which quotes stop balancing."""
    in_quotes = False
    start = 1
    line = 1
    for char in text:
        if char == '"':
            in_quotes = not in_quotes
            if in_quotes:
                start = line
        elif char == "\n":
            line += 1
    return start


def header_index(rows: list[tuple[int, list[str]]]) -> int:
    """The row that names the columns: LinkedIn puts a "Notes:" preamble before it."""
    for index, (_line, row) in enumerate(rows[:40]):
        cells = {c.strip().lower() for c in row if c.strip()}
        if len(cells) >= 2 and any(
            key in cells
            for key in (
                "first name",
                "name",
                "e-mail address",
                "email",
                "email address",
                "given name",
                "full name",
                "last name",
                "e-mail 1 - value",
            )
        ):
            return index
    return 0


def detect(source: SourceText) -> str:
    text = source.text.lstrip("\ufeff \n\t")
    if text[:11].upper() == "BEGIN:VCARD":
        return "vcard"
    if text.startswith("{") or text.startswith("["):
        return "json"
    first_lines = text.split("\n", 40)[:40]
    headers = " | ".join(first_lines).lower()
    if "begin:vcard" in headers:
        return "vcard"
    if all(column in headers for column in ("emails", "work modes", "do not contact")):
        return "csv"  # this app's own CSV export
    if "connected on" in headers and "first name" in headers and "position" in headers:
        return "linkedin"
    if "given name" in headers and "family name" in headers:
        return "google"
    if "e-mail 1 - value" in headers or ("organization name" in headers and "labels" in headers):
        return "google"
    if (
        "e-mail address" in headers
        or "e-mail 2 address" in headers
        or ("business phone" in headers and "first name" in headers)
    ):
        return "outlook"
    return "csv"
