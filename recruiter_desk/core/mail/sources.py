"""Where mail comes from: ``.eml`` files and folders of them, mbox files (Thunderbird,
Gmail Takeout, Apple Mail's ``.mbox`` bundles) and Maildir folders.

Each source is one unit of import (one transaction). Mailboxes are read message by message
through the standard ``mailbox`` module, never whole.
"""

from __future__ import annotations

import mailbox
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from recruiter_desk.errors import KnownError

MBOX = "mbox"
MAILDIR = "maildir"
EML = "eml"

# What is read of one message: past it is attachments the import never keeps; it bounds the
# memory one message can take whatever a mailbox holds (docs/architecture.md).
MAX_MESSAGE_BYTES = 8 * 1024 * 1024

# Files next to mailboxes that are never mail.
_NOT_MAIL = (".msf", ".dat", ".json", ".plist", ".sqlite", ".db", ".ics", ".txt", ".html")


@dataclass(frozen=True)
class MailSource:
    path: Path
    kind: str  # MBOX, MAILDIR or EML (a folder's loose .eml files count as one source)
    files: tuple[Path, ...] = ()

    @property
    def name(self) -> str:
        return str(self.path)

    def messages(self) -> Iterator[bytes]:
        """The raw bytes of each message, one at a time (at most the first 8 MB of each)."""
        try:
            if self.kind == EML:
                for file in self.files:
                    with file.open("rb") as handle:
                        yield handle.read(MAX_MESSAGE_BYTES)
                return
            box: mailbox.Mailbox[mailbox.Message]
            if self.kind == MAILDIR:
                box = mailbox.Maildir(str(self.path), factory=None, create=False)
            else:
                box = mailbox.mbox(str(self.path), create=False)
            try:
                for key in box.iterkeys():
                    try:
                        with box.get_file(key) as message:
                            yield message.read(MAX_MESSAGE_BYTES)
                    except (KeyError, FileNotFoundError):
                        continue  # removed by the mail program while we read
            finally:
                box.close()
        except OSError as exc:
            raise KnownError(f"Cannot read mail from {self.path}: {exc.strerror or exc}.") from exc

    def count_hint(self) -> int:
        """Roughly how big the source is, for progress: bytes for mbox, files otherwise."""
        try:
            if self.kind == MBOX:
                return self.path.stat().st_size
            if self.kind == MAILDIR:
                return sum(len(os.listdir(self.path / sub)) for sub in ("cur", "new"))
        except OSError:
            return 0
        return len(self.files)


def _is_maildir(path: Path) -> bool:
    return (path / "cur").is_dir() and (path / "new").is_dir()


def _starts_like_mbox(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(5) == b"From "
    except OSError:
        return False


def find_sources(paths: Sequence[Path]) -> list[MailSource]:
    """Every mailbox under these paths; a path that holds no mail is one clear error."""
    sources: list[MailSource] = []
    for path in paths:
        if not path.exists():
            raise KnownError(f"There is no file or folder {path}.")
        found = _sources_at(path)
        if not found:
            raise KnownError(
                f"No mail found in {path}: expected .eml files, an mbox file or a Maildir folder."
            )
        sources.extend(found)
    return sources


def _sources_at(path: Path) -> list[MailSource]:
    if path.is_file():
        if path.suffix.lower() == ".eml":
            return [MailSource(path, EML, (path,))]
        if _starts_like_mbox(path):
            return [MailSource(path, MBOX)]
        if path.suffix.lower() in (".mbox", ".mbx"):
            return [MailSource(path, MBOX)]
        return []
    if not path.is_dir():
        return []
    if _is_maildir(path):
        found = [MailSource(path, MAILDIR)]
        # Maildir++ keeps its other folders (.Sent, .Archive) inside the inbox's folder.
        for child in sorted(path.iterdir()):
            if child.name.startswith(".") and child.is_dir() and _is_maildir(child):
                found.append(MailSource(child, MAILDIR))
        return found
    found = []
    loose: list[Path] = []
    for child in sorted(path.iterdir()):
        if child.name.startswith("."):
            continue
        if child.is_dir():
            found.extend(_sources_at(child))
        elif not child.is_file():
            continue  # a pipe or device: opening it could wait forever
        elif child.suffix.lower() == ".eml":
            loose.append(child)
        elif child.suffix.lower() not in _NOT_MAIL and _starts_like_mbox(child):
            found.append(MailSource(child, MBOX))
    if loose:
        found.insert(0, MailSource(path, EML, tuple(loose)))
    return found
