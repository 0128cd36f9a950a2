"""Bytes to text, and text to a format name, judged by the content rather than the name."""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import stat
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, AnyStr, BinaryIO

from recruiter_desk.core.imports.model import BadImportFile

FORMATS = ("linkedin", "vcard", "google", "outlook", "csv", "json")
MAX_FILE_BYTES = 200 * 1024 * 1024
# One line, or one CSV field, past this is not contact data; it also bounds what a single
# row can make the import hold in memory (docs/architecture.md, "Imports stream").
MAX_LINE_BYTES = 16 * 1024 * 1024
# Records an import holds at a time: this many contacts (or other records of a JSON file),
# fewer when they are long (a part never spans much more than PART_BYTES of the file).
PART = 5000
PART_BYTES = 16 * 1024 * 1024

# A LinkedIn export's Connections.csv compresses about 4:1; a member that claims far more is
# a zip bomb, refused before it is inflated (small members cannot do harm whatever their ratio).
MAX_ZIP_RATIO = 100
_RATIO_CHECKED_ABOVE = 1024 * 1024
_READ_CHUNK = 1024 * 1024
# What format detection, the delimiter guess and the header search look at.
_HEAD_CHARS = 64 * 1024
_HEAD_LINES = 200
_EOL_TEXT = re.compile(r"\r\n|\r|\n")
_EOL_BYTES = re.compile(rb"\r\n|\r|\n")


class Source:
    """A file's text, read line by line: an import holds a few thousand rows at a time,
    never the file (docs/architecture.md, "Imports stream")."""

    name: str
    from_zip: bool = False

    @property
    def head(self) -> str:
        """The first lines (at most 64 KB), for format detection and the header search."""
        raise NotImplementedError

    def lines(self) -> Iterator[str]:
        """Every line with a ``\\n`` ending (CR and CRLF become LF), from the first."""
        raise NotImplementedError

    def pieces(self) -> Iterator[str]:
        """The whole text in pieces of about a megabyte, line ends as LF, for a format read
        as a stream of characters rather than of lines (JSON, which may be one long line)."""
        raise NotImplementedError

    @property
    def fraction_read(self) -> float:
        """How far ``lines()`` has got through the file, from 0 to 1, for progress."""
        return 0.0

    @property
    def bytes_read(self) -> int:
        """How many bytes ``lines()`` has read so far (unpacked, for a zip member)."""
        return 0


class SourceText(Source):
    """Text already in memory, with LF line ends (what a file's text becomes)."""

    def __init__(self, name: str, text: str, from_zip: bool = False) -> None:
        self.name = name
        self.text = text
        self.from_zip = from_zip

    @property
    def head(self) -> str:
        return self.text[:_HEAD_CHARS]

    def lines(self) -> Iterator[str]:
        # Only LF ends a line, as in a file: splitlines() would also split on U+2028 and
        # other separators a note may hold.
        return iter(io.StringIO(self.text, newline="\n"))

    def pieces(self) -> Iterator[str]:
        for start in range(0, len(self.text), _READ_CHUNK):
            yield self.text[start : start + _READ_CHUNK]


class SourceFile(Source):
    """A file on disk, or the Connections.csv inside a LinkedIn data export .zip.

    Everything that can be refused without reading is refused here, at once: a folder, a
    pipe or device, a file over 200 MB, a zip member that is encrypted, too big or a bomb.
    What can lie (a growing file, a member's declared size) is counted again while reading.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = str(path)
        self.member: zipfile.ZipInfo | None = None
        self._size = 1
        self._read = 0
        with _open_regular(path) as handle:
            self._size = max(1, os.fstat(handle.fileno()).st_size)
            if self._size > MAX_FILE_BYTES:
                raise BadImportFile(self.name, "it is larger than 200 MB.")
            if handle.read(4) == b"PK\x03\x04":
                handle.seek(0)
                self.member = _member(self.name, handle)
                self.name = f"{path}:{self.member.filename}"
                self.from_zip = True
                self._size = max(1, self.member.file_size)
        with self._chunks() as chunks:
            self._encoding = _encoding_of(next(chunks, b""))
        # From pieces, not lines: a JSON file may be one line longer than the line limit.
        head: list[str] = []
        size = 0
        for piece in self.pieces():
            head.append(piece)
            size += len(piece)
            if size >= _HEAD_CHARS:
                break
        else:
            if not "".join(head).strip():
                raise BadImportFile(self.name, "the file is empty.")
        text = "".join(head)[:_HEAD_CHARS]
        self._head = "".join(io.StringIO(text, newline="\n").readlines()[:_HEAD_LINES])

    @property
    def head(self) -> str:
        return self._head

    @property
    def fraction_read(self) -> float:
        return min(1.0, self._read / self._size)

    @property
    def bytes_read(self) -> int:
        return self._read

    def pieces(self) -> Iterator[str]:
        lines_before = 0
        held = ""  # a CR at the end of a piece may be half of a CRLF
        with self._chunks() as chunks:
            if self._encoding is None:
                texts = _utf8_or_ansi_pieces(chunks)
            else:
                decoder = codecs.getincrementaldecoder(self._encoding)("strict")
                texts = _decoded(self.name, chunks, decoder, self._encoding)
            for number, text in enumerate(texts):
                text = held + (text.removeprefix("\ufeff") if number == 0 else text)
                held = "\r" if text.endswith("\r") else ""
                text = text[: len(text) - len(held)].replace("\r\n", "\n").replace("\r", "\n")
                if "\x00" in text:
                    line = lines_before + text.count("\n", 0, text.index("\x00")) + 1
                    raise BadImportFile(
                        self.name, "it is not a text file (it holds binary data).", line
                    )
                lines_before += text.count("\n")
                yield text
        if held:
            yield "\n"

    def lines(self) -> Iterator[str]:
        number = 0
        with self._chunks() as chunks:
            if self._encoding is None:
                # Excel and older Outlook save "ANSI" (Windows-1252 in the West); a file
                # appended to by several tools can hold both, so each line is judged alone.
                for raw in _split(chunks, _EOL_BYTES, self.name):
                    number += 1
                    yield self._checked(_line_text(raw), number)
                return
            decoder = codecs.getincrementaldecoder(self._encoding)("strict")
            texts = _decoded(self.name, chunks, decoder, self._encoding)
            for text in _split(texts, _EOL_TEXT, self.name):
                number += 1
                yield self._checked(text.removeprefix("\ufeff") if number == 1 else text, number)

    def _checked(self, line: str, number: int) -> str:
        if "\x00" in line:
            raise BadImportFile(self.name, "it is not a text file (it holds binary data).", number)
        return line + "\n"

    @contextmanager
    def _chunks(self) -> Iterator[Iterator[bytes]]:
        """The file's (or member's) bytes a megabyte at a time, counted against the limits
        as they come: the size on disk can change after it was checked, and a zip's
        directory can lie about what a member unpacks to."""
        self._read = 0
        try:
            with _open_regular(self.path) as handle:
                if self.member is None:
                    yield self._counted(handle, "it is larger than 200 MB.", 0)
                    return
                with zipfile.ZipFile(handle) as archive, archive.open(self.member) as stream:
                    where = f"{self.member.filename} in the archive"
                    yield self._counted(
                        stream,
                        f"{where} is larger than 200 MB once unpacked.",
                        self.member.compress_size,
                        f"{where} unpacks to over {MAX_ZIP_RATIO} times its size.",
                    )
        except zipfile.BadZipFile as error:
            raise BadImportFile(str(self.path), "the archive is damaged.") from error
        except NotImplementedError as error:
            raise BadImportFile(
                str(self.path), f"{self._where()} uses a compression method this app cannot unpack."
            ) from error
        except (zlib.error, EOFError) as error:
            raise BadImportFile(
                str(self.path), f"{self._where()} is damaged (its data cannot be unpacked)."
            ) from error

    def _where(self) -> str:
        return f"{self.member.filename} in the archive" if self.member else "the file"

    def _counted(self, stream: Any, too_big: str, packed: int, bomb: str = "") -> Iterator[bytes]:
        file = str(self.path)
        while chunk := stream.read(_READ_CHUNK):
            self._read += len(chunk)
            if self._read > MAX_FILE_BYTES:
                raise BadImportFile(file, too_big)
            if (
                bomb
                and self._read > _RATIO_CHECKED_ABOVE
                and self._read > MAX_ZIP_RATIO * max(1, packed)
            ):
                raise BadImportFile(file, bomb)
            yield chunk


@contextmanager
def _open_regular(path: Path) -> Iterator[BinaryIO]:
    """The file opened for reading, refused at once unless it is a regular file: reading a
    FIFO or /dev/zero would wait or grow forever. The check is made on the opened file
    (non-blocking, so opening a FIFO cannot hang), not on the name, which could change."""
    name = str(path)
    try:
        if path.is_dir():
            raise BadImportFile(name, "it is a folder, not a file.")
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError as error:
        raise BadImportFile(name, "no such file.") from error
    except PermissionError as error:
        raise BadImportFile(name, "permission denied.") from error
    except OSError as error:
        raise BadImportFile(name, f"{error.strerror or error}.") from error
    handle = os.fdopen(descriptor, "rb")
    with handle:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise BadImportFile(name, "it is not a regular file (a pipe, device or socket).")
        if hasattr(os, "set_blocking"):
            os.set_blocking(descriptor, True)
        yield handle


def _member(name: str, handle: BinaryIO) -> zipfile.ZipInfo:
    """The archive's Connections.csv, checked against the limits before anything is inflated."""
    try:
        with zipfile.ZipFile(handle) as archive:
            members = [
                m for m in archive.infolist() if m.filename.lower().endswith("connections.csv")
            ]
    except zipfile.BadZipFile as error:
        raise BadImportFile(name, "the archive is damaged.") from error
    if not members:
        raise BadImportFile(
            name, "the archive has no Connections.csv (is it a LinkedIn data export?)."
        )
    member = min(members, key=lambda m: len(m.filename))
    where = f"{member.filename} in the archive"
    if member.flag_bits & 0x1:
        raise BadImportFile(name, f"{where} is encrypted; export it again without a password.")
    if member.file_size > MAX_FILE_BYTES:
        raise BadImportFile(name, f"{where} is larger than 200 MB once unpacked.")
    if member.file_size > _RATIO_CHECKED_ABOVE and member.file_size > MAX_ZIP_RATIO * max(
        1, member.compress_size
    ):
        raise BadImportFile(name, f"{where} unpacks to over {MAX_ZIP_RATIO} times its size.")
    return member


def read_source(path: Path) -> SourceFile:
    """The file, checked and ready to read line by line; a LinkedIn data export .zip gives
    its Connections.csv."""
    return SourceFile(path)


def _encoding_of(start: bytes) -> str | None:
    """The codec for a file starting with these bytes, or None for UTF-8 with Windows-1252
    lines allowed (the usual case, decoded line by line)."""
    if start.startswith(codecs.BOM_UTF8):
        return "utf-8"  # the BOM itself is dropped from the first line
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return _utf16_without_bom(start)


def _decoded(
    name: str, chunks: Iterator[bytes], decoder: codecs.IncrementalDecoder, encoding: str
) -> Iterator[str]:
    lines_before = 0
    final = False
    while not final:
        chunk = next(chunks, None)
        final = chunk is None
        try:
            text = decoder.decode(chunk or b"", final=final)
        except UnicodeDecodeError as error:
            done = error.object[: error.start].decode(encoding, errors="replace")
            line = lines_before + done.count("\n") + 1
            raise BadImportFile(name, f"it is not valid {encoding.upper()} text.", line) from error
        lines_before += text.count("\n")
        yield text


def _utf8_or_ansi_pieces(chunks: Iterator[bytes]) -> Iterator[str]:
    """Chunks of UTF-8 as text, cut at a line end (or else between characters); a piece
    that is not UTF-8 is read line by line, each line as UTF-8 or else Windows-1252, as
    ``SourceFile.lines`` does."""
    carry = b""
    for chunk in chunks:
        data = carry + chunk
        end = data.rfind(b"\n") + 1
        if not end:
            end = len(data)
            while end > len(data) - 4 and end > 0 and data[end - 1] & 0xC0 == 0x80:
                end -= 1  # inside a character: keep its bytes for the next piece
            if end > 0 and data[end - 1] >= 0xC0:
                end -= 1  # the character's first byte
        piece, carry = data[:end], data[end:]
        try:
            yield piece.decode("utf-8")
        except UnicodeDecodeError:
            yield "".join(_line_text(line) for line in piece.splitlines(keepends=True))
    if carry:
        yield _line_text(carry)


def _split(parts: Iterator[AnyStr], eol: re.Pattern[AnyStr], name: str) -> Iterator[AnyStr]:
    """Lines without their endings from pieces of any size; a line longer than the limit
    is refused rather than gathered."""
    pending: AnyStr | None = None
    number = 0
    for part in parts:
        pending = part if pending is None else pending + part
        start = 0
        for match in eol.finditer(pending):
            if match.end() == len(pending) and pending[match.start() :] in ("\r", b"\r"):
                break  # a CR at the end of a piece may be half of a CRLF
            number += 1
            yield pending[start : match.start()]
            start = match.end()
        pending = pending[start:]
        if len(pending) > MAX_LINE_BYTES:
            raise BadImportFile(name, "the line is longer than 16 MB.", number + 1)
    if pending:
        yield pending


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


# The csv module stops at 128 KiB per field by default, which the app's own export of a
# long note exceeds; the line limit bounds a field as well.
csv.field_size_limit(MAX_LINE_BYTES)


def csv_rows(source: Source) -> Iterator[tuple[int, list[str]]]:
    """Every row with its 1-based (last) line number, as the file is read; a broken quote is
    an error naming the line its row starts on."""
    reader = csv.reader(source.lines(), delimiter=_delimiter(source.head), strict=True)
    while True:
        starts_on = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            if "unexpected end of data" in str(error):
                raise BadImportFile(
                    source.name, "a quoted field is never closed.", starts_on
                ) from error
            if "field larger" in str(error):
                raise BadImportFile(
                    source.name,
                    "a field is longer than 16 MB (is a quote never closed?).",
                    starts_on,
                ) from error
            raise BadImportFile(
                source.name, f"the row cannot be read as CSV ({error}).", reader.line_num
            ) from error
        yield reader.line_num, row


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


def detect(source: Source) -> str:
    text = source.head.lstrip("\ufeff \n\t")
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
