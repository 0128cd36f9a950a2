"""One mail message as the importer sees it: who, when, what about, and the text.

Messages are parsed in two steps: the headers first (cheap), and the body only for a
message that is going to become an interaction, so a mailbox of newsletters costs little.
Every charset Python knows is decoded; an unknown one falls back to Latin-1 rather than
losing the message (docs/mail.md).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.header import decode_header, make_header
from email.message import Message
from email.parser import BytesParser
from email.policy import compat32
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser

from recruiter_desk.core.identity import email_key

# The longest body kept: a touch records what was said, not a whole thread or a report.
BODY_LIMIT = 20_000

_PARSER = BytesParser(policy=compat32)

# Local parts that no one reads: answering them goes nowhere.
_NO_REPLY = re.compile(
    r"^(no[-_.]?reply|do[-_.]?not[-_.]?reply|mailer-daemon|postmaster|bounces?|notifications?)"
    r"([-+._].*)?$"
)
_BULK_PRECEDENCE = ("bulk", "list", "junk")


def decode_text(value: str | None) -> str:
    """An RFC 2047 header as text; a broken or unknown encoding keeps what can be read."""
    if not value:
        return ""
    try:
        text = str(make_header(decode_header(value)))
    except (LookupError, UnicodeError, ValueError, AssertionError):
        parts = []
        for chunk, charset in decode_header(value):
            if isinstance(chunk, bytes):
                parts.append(chunk.decode(_codec(charset), errors="replace"))
            else:
                parts.append(chunk)
        text = "".join(parts)
    return " ".join(text.split())


def _codec(charset: str | None) -> str:
    if not charset:
        return "utf-8"
    try:
        "".encode(charset)
    except LookupError:
        return "latin-1"
    return charset


@dataclass(frozen=True)
class Address:
    key: str  # identity.email_key of the address
    address: str
    name: str


def addresses(message: Message, *headers: str) -> list[Address]:
    """The addresses in these headers, decoded, each once, in order."""
    values = [v for h in headers for v in (message.get_all(h) or [])]
    found: dict[str, Address] = {}
    for name, address in getaddresses([str(v) for v in values]):
        address = address.strip()
        if "@" not in address:
            continue
        key = email_key(address)
        if key not in found:
            found[key] = Address(key, address, decode_text(name).strip("\"' "))
    return list(found.values())


def is_bulk(message: Message, sender: Address | None) -> bool:
    """A mailing list, a newsletter, an automatic message, or a no-reply sender."""
    if message.get("List-Id") or message.get("List-Unsubscribe"):
        return True
    if str(message.get("Precedence", "")).strip().lower() in _BULK_PRECEDENCE:
        return True
    auto = str(message.get("Auto-Submitted", "")).strip().lower()
    if auto and auto != "no":
        return True
    return sender is not None and is_no_reply(sender.key)


def is_no_reply(key: str) -> bool:
    return bool(_NO_REPLY.match(key.partition("@")[0]))


def sent_at(message: Message) -> datetime | None:
    """When the message was written, as naive UTC; None when the Date header is unusable."""
    value = message.get("Date")
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(str(value))
    except (TypeError, ValueError, IndexError):
        return None
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def message_key(message: Message, sender: Address | None, when: datetime | None) -> str:
    """The Message-ID without brackets, else a hash of sender, date and subject."""
    raw = str(message.get("Message-ID") or "").strip()
    if raw:
        return raw.strip("<>").strip()[:300]
    seed = "\x1f".join(
        (
            sender.key if sender else "",
            when.isoformat() if when else str(message.get("Date") or ""),
            decode_text(message.get("Subject")),
        )
    )
    return "sha256:" + hashlib.sha256(seed.encode("utf-8", "replace")).hexdigest()


def parse_headers(data: bytes) -> Message:
    return _PARSER.parsebytes(data, headersonly=True)


def parse_whole(data: bytes) -> Message:
    return _PARSER.parsebytes(data)


# -- the body -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Body:
    text: str
    attachments: tuple[str, ...]


def body_of(message: Message) -> Body:
    """The plain text part, else the HTML part as text; quoted replies trimmed; attachment
    names listed but their contents ignored."""
    plain: str | None = None
    html: str | None = None
    attachments: list[str] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        filename = part.get_filename()
        disposition = str(part.get("Content-Disposition", "")).split(";")[0].strip().lower()
        if filename or disposition == "attachment":
            attachments.append(decode_text(filename) or "(unnamed)")
            continue
        kind = part.get_content_type()
        if kind == "text/plain" and plain is None:
            plain = _part_text(part)
        elif kind == "text/html" and html is None:
            html = _part_text(part)
    if plain is not None and plain.strip():
        text = plain
    elif html is not None:
        text = html_to_text(html)
    else:
        text = ""
    return Body(trim_quoted(text)[:BODY_LIMIT], tuple(attachments))


def _part_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return str(payload or "")
    charset = _codec(part.get_content_charset())
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:
        return payload.decode("latin-1")


class _TextOfHtml(HTMLParser):
    _BLOCKS = frozenset(
        ("p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol")
    )
    _HIDDEN = frozenset(("script", "style", "head", "title"))

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0
        self._quoted = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HIDDEN:
            self._hidden += 1
        elif tag == "blockquote":
            # A quoted reply: what the other person wrote before, not this message.
            self._quoted += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag == "blockquote":
            self._quoted = max(0, self._quoted - 1)
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden and not self._quoted:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _TextOfHtml()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# Where a reply's own text ends and the quoted message begins.
_QUOTE_HEADS = (
    re.compile(r"^-{2,}\s*original message\s*-{2,}$", re.IGNORECASE),
    re.compile(r"^-{2,}\s*forwarded message\s*-{2,}$", re.IGNORECASE),
    re.compile(r"^_{10,}$"),
    re.compile(r"^(on|le|am|el)\s.+(wrote|a écrit|schrieb|escribió)\s*:$", re.IGNORECASE),
)
_WROTE = re.compile(r"(wrote|a écrit|schrieb|escribió)\s*:$", re.IGNORECASE)


def trim_quoted(text: str) -> str:
    """The message's own words: quoted lines (``>``), the quoted original after "On … wrote:"
    or "Original Message", and the signature after ``-- `` are left out."""
    kept: list[str] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        stripped = line.strip()
        if line.rstrip("\n") == "-- " or stripped == "--":
            break
        if any(p.match(stripped) for p in _QUOTE_HEADS):
            break
        # "On Tue, 3 Nov 2026, Ana Lima <ana@x.org>" wrapped onto a second "wrote:" line.
        if _WROTE.search(stripped) and kept and kept[-1].strip().lower().startswith("on "):
            kept.pop()
            break
        if stripped.startswith(">"):
            continue
        kept.append(line.rstrip())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
