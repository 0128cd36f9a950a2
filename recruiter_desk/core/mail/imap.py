"""``sync-mail``: the mail account's folders over IMAP become touchpoints (docs/mail.md).

Each new message goes through the very same conversion as ``import-mail`` (importer.py):
only how the bytes arrive differs. What is read:

- only what is new: each folder's UIDVALIDITY and last UID read are kept in
  ``mail_folders``; a changed UIDVALIDITY (the folder was rebuilt on the server) reads the
  folder again, and the never-twice rule keeps it from counting anything twice;
- headers and text parts only: BODYSTRUCTURE first, then ``BODY.PEEK`` of the header and
  of the first plain and HTML text parts (capped); attachments are never downloaded, only
  their names kept. PEEK leaves the messages unread on the server;
- one transaction per batch of a folder, with the folder's position in it: a connection
  that drops mid-fetch leaves the database as it was after the last whole batch, and the
  next sync goes on from there.

The password lives only in the OS keyring (recruiter_desk/keychain.py).
"""

from __future__ import annotations

import contextlib
import imaplib
import logging
import socket
import ssl
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Connection, insert, select, update

from recruiter_desk.core.imports.model import ImportCancelled, Progress
from recruiter_desk.core.mail.importer import (
    MailReport,
    MailRun,
    SourceSummary,
    import_source,
    run_report,
    start_run,
    summary_lines,
)
from recruiter_desk.core.wording import count
from recruiter_desk.db.models import MailFolder
from recruiter_desk.db.session import Database
from recruiter_desk.errors import KnownError
from recruiter_desk.keychain import drop_secret, keep_secret, keyring_usable, read_secret
from recruiter_desk.settings import Settings

if TYPE_CHECKING:
    from imapclient import IMAPClient

log = logging.getLogger(__name__)

KEYRING_SERVICE = "recruiter-desk-imap"
SECURITY = ("tls", "starttls")
IMAP = "imap"
TIMEOUT_SECONDS = 30
# Messages per fetch and per transaction: small enough that a dropped line loses little.
BATCH = 100
# The most of one text part fetched: a touch keeps 20,000 characters of what was said.
TEXT_LIMIT = 256 * 1024

AskPassword = Callable[[str], str | None]

# The password typed where no keyring works, for this run only (never written anywhere).
_RUN_PASSWORDS: dict[str, str] = {}


class MailOffline(KnownError):
    """The server cannot be reached, or the connection dropped: nothing is lost, and the
    next sync goes on from where this one stopped."""


# -- the account and its password ---------------------------------------------------------


def account_name(settings: Settings) -> str:
    """The keyring's name for the password: ``user@host``."""
    return f"{settings.imap_user.strip()}@{settings.imap_host.strip()}"


def account_key(settings: Settings) -> str:
    """Whose folder positions these are: another server or user starts afresh (a port or
    TLS mode of its own is still the same mailbox)."""
    return account_name(settings)


def check_account(settings: Settings) -> None:
    if not settings.imap_host.strip():
        raise KnownError("Set the mail server (imap_host) in Settings → Mail account first.")
    if not settings.imap_user.strip():
        raise KnownError("Set the mail user name (imap_user) in Settings → Mail account first.")
    if settings.imap_security not in SECURITY:
        raise KnownError(f"imap_security is {settings.imap_security!r}; use tls or starttls.")
    if not [f for f in settings.imap_folders if f.strip()]:
        raise KnownError("Name at least one folder to read (imap_folders) in Settings.")


def save_password(settings: Settings, password: str) -> None:
    """Settings → Mail account: the password goes to the keyring and nowhere else; with no
    usable keyring, to this run's memory only (the window syncs until it closes)."""
    account = account_name(settings)
    if keep_secret(KEYRING_SERVICE, account, password):
        _RUN_PASSWORDS.pop(account, None)
        return
    _RUN_PASSWORDS[account] = password
    raise KnownError(
        "There is no usable keyring on this computer, so the mail password is kept only "
        "until the app closes and never written down."
    )


def has_password(settings: Settings) -> bool:
    account = account_name(settings)
    return account in _RUN_PASSWORDS or bool(read_secret(KEYRING_SERVICE, account))


def forget_run_passwords() -> None:
    _RUN_PASSWORDS.clear()


def _password(settings: Settings, given: str | None, ask: AskPassword | None) -> str:
    if given:
        return given
    stored = _RUN_PASSWORDS.get(account_name(settings)) or read_secret(
        KEYRING_SERVICE, account_name(settings)
    )
    if stored:
        return stored
    where = "kept in your system keyring" if keyring_usable() else "not kept: no keyring here"
    typed = ask(f"Password for {account_name(settings)} ({where})") if ask else None
    if not typed:
        raise KnownError(
            f"No password for {account_name(settings)}: set it in Settings → Mail account."
        )
    return typed


# -- the connection -------------------------------------------------------------------------


def _where(settings: Settings) -> str:
    return f"{settings.imap_host.strip()}:{settings.imap_port}"


def connect(settings: Settings, password: str) -> IMAPClient:
    """A logged-in connection, or one sentence saying what went wrong and where."""
    from imapclient import IMAPClient
    from imapclient.exceptions import LoginError

    where = _where(settings)
    context = ssl.create_default_context()
    try:
        client = IMAPClient(
            settings.imap_host.strip(),
            port=settings.imap_port,
            ssl=settings.imap_security == "tls",
            ssl_context=context,
            timeout=TIMEOUT_SECONDS,
        )
    except ssl.SSLError as exc:
        raise KnownError(f"The secure connection to {where} failed ({exc.reason}).") from exc
    except OSError as exc:
        reason = "unknown host" if isinstance(exc, socket.gaierror) else _reason(exc)
        raise MailOffline(
            f"Could not reach {where} ({reason}): nothing was synced; it will be when you are "
            "online again."
        ) from exc
    try:
        if settings.imap_security == "starttls":
            client.starttls(context)
        client.login(settings.imap_user.strip(), password)
    except LoginError as exc:
        _logout(client)
        _RUN_PASSWORDS.pop(account_name(settings), None)
        drop_secret(KEYRING_SERVICE, account_name(settings))
        raise KnownError(
            f"{where} refused the user name or password for {settings.imap_user.strip()}."
        ) from exc
    except ssl.SSLError as exc:
        _logout(client)
        raise KnownError(f"The secure connection to {where} failed ({exc.reason}).") from exc
    except (OSError, imaplib.IMAP4.abort) as exc:
        _logout(client)
        raise MailOffline(
            f"The connection to {where} dropped while logging in: nothing was synced."
        ) from exc
    except imaplib.IMAP4.error as exc:
        _logout(client)
        raise KnownError(f"{where} does not offer STARTTLS ({_reason(exc)}).") from exc
    return client


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc) or type(exc).__name__


def _logout(client: IMAPClient) -> None:
    try:
        client.logout()
    except (OSError, imaplib.IMAP4.error):
        with contextlib.suppress(OSError):
            client.shutdown()


def _folder(client: IMAPClient, name: str) -> str | None:
    """The server's folder for a configured name; "Sent" also finds the folder the server
    marks as Sent (Gmail's "[Gmail]/Sent Mail", Outlook's "Sent Items")."""
    from imapclient.imapclient import SENT

    if client.folder_exists(name):
        return name
    if name.strip().lower() == "sent":
        found = client.find_special_folder(SENT)
        return str(found) if found else None
    return None


def test_connection(
    settings: Settings, password: str | None = None, ask: AskPassword | None = None
) -> str:
    """Settings' "Test connection": connect, secure, log in, look at the folders; one
    sentence. A password typed in the dialog is tried before it is kept."""
    check_account(settings)
    client = connect(settings, _password(settings, password, ask))
    try:
        found: list[str] = []
        missing: list[str] = []
        for name in settings.imap_folders:
            folder = _folder(client, name)
            if folder is None:
                missing.append(name)
            else:
                total = client.folder_status(folder, ["MESSAGES"])[b"MESSAGES"]
                found.append(f"{folder} holds {count(int(total), 'message')}")
    except (OSError, imaplib.IMAP4.abort) as exc:
        raise MailOffline(f"The connection to {_where(settings)} dropped.") from exc
    finally:
        _logout(client)
    text = f"Connected to {_where(settings)} as {settings.imap_user.strip()}"
    if found:
        text += ": " + ", ".join(found)
    if missing:
        text += ("; " if found else ", but ") + "there is no folder " + " or ".join(missing)
    return text + "."


# -- what one sync did ----------------------------------------------------------------------


@dataclass(frozen=True)
class FolderReport:
    folder: str
    found: bool
    uidvalidity: int | None
    last_uid: int
    new: int
    added: int
    duplicates: int
    bulk: int
    reread: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "folder": self.folder,
            "found": self.found,
            "uidvalidity": self.uidvalidity,
            "last_uid": self.last_uid,
            "new": self.new,
            "added": self.added,
            "duplicates": self.duplicates,
            "bulk": self.bulk,
            "reread": self.reread,
        }

    def line(self) -> str:
        if not self.found:
            return f"{self.folder}: no such folder on the server; skipped."
        text = (
            f"{self.folder}: {count(self.new, 'new message')}, "
            f"{count(self.added, 'interaction')} added, {self.duplicates} already here, "
            f"{self.bulk} bulk."
        )
        if self.reread:
            text += " The folder was rebuilt on the server, so it was read again."
        return text


@dataclass(frozen=True)
class SyncReport:
    account: str
    folders: tuple[FolderReport, ...]
    mail: MailReport

    def to_json(self) -> dict[str, Any]:
        mail = self.mail.to_json()
        for key in ("dry_run", "sources"):
            mail.pop(key, None)
        return {
            "offline": False,
            "account": self.account,
            "folders": [f.to_json() for f in self.folders],
            **mail,
        }

    def lines(self) -> list[str]:
        """What the sync did, in the words of both the command line and the window."""
        return [f.line() for f in self.folders] + summary_lines(self.mail)[len(self.mail.sources) :]


# -- reading a folder -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Leaf:
    part: str
    kind: str  # "text/plain"
    params: tuple[tuple[str, str], ...]
    encoding: str
    disposition: str
    disposition_params: tuple[tuple[str, str], ...]

    @property
    def named(self) -> bool:
        names = {k.lower().rstrip("*") for k, _ in (*self.disposition_params, *self.params)}
        return bool(names & {"filename", "name"}) or self.disposition == "attachment"


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return "" if value is None else str(value)


def _pairs(value: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, tuple | list):
        return ()
    items = [_text(v) for v in value]
    return tuple(zip(items[0::2], items[1::2], strict=False))


def _leaves(structure: Any, prefix: str = "") -> Iterator[_Leaf]:
    """Every single part of a BODYSTRUCTURE with its part number (RFC 3501 section 6.4.5)."""
    if isinstance(structure[0], list):  # multipart: its parts, then its subtype
        for index, child in enumerate(structure[0], start=1):
            yield from _leaves(child, f"{prefix}{index}.")
        return
    kind = f"{_text(structure[0])}/{_text(structure[1])}".lower()
    # The extension fields follow the basic ones, which text and message parts extend.
    disposition_at = 9 if kind.startswith("text/") else 11 if kind == "message/rfc822" else 8
    disposition: Any = structure[disposition_at] if len(structure) > disposition_at else None
    dispo_kind, dispo_params = "", cast(tuple[tuple[str, str], ...], ())
    if isinstance(disposition, tuple | list) and disposition:
        dispo_kind = _text(disposition[0]).lower()
        dispo_params = _pairs(disposition[1]) if len(disposition) > 1 else ()
    yield _Leaf(
        part=f"{prefix}1" if not prefix else prefix.rstrip("."),
        kind=kind,
        params=_pairs(structure[2]),
        encoding=_text(structure[5]) or "7bit",
        disposition=dispo_kind,
        disposition_params=dispo_params,
    )


def _texts_to_fetch(leaves: Sequence[_Leaf]) -> list[_Leaf]:
    """The first plain and the first HTML part that are not attachments: all the importer
    reads of a body (reading.body_of)."""
    chosen: dict[str, _Leaf] = {}
    for leaf in leaves:
        if leaf.kind in ("text/plain", "text/html") and not leaf.named:
            chosen.setdefault(leaf.kind, leaf)
    return list(chosen.values())


def _header_value(pairs: Iterable[tuple[str, str]]) -> str:
    def quoted(value: str) -> str:
        return value.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "").replace("\n", "")

    return "".join(f'; {key}="{quoted(value)}"' for key, value in pairs)


def _without_body_headers(header: bytes) -> bytes:
    """The message's header without the lines that describe its body, which is rebuilt."""
    kept: list[bytes] = []
    dropping = False
    for line in header.splitlines(keepends=True):
        if line[:1] in (b" ", b"\t"):
            if not dropping:
                kept.append(line)
            continue
        if not line.strip():
            continue
        name = line.split(b":", 1)[0].strip().lower()
        dropping = name in (b"content-type", b"content-transfer-encoding")
        if not dropping:
            kept.append(line)
    return b"".join(kept)


def rebuild(header: bytes, leaves: Sequence[_Leaf], texts: dict[str, bytes]) -> bytes:
    """A message the importer reads like any file: the real header, the text parts fetched,
    and every other part as its headers alone (so attachments keep their names, never
    their bytes)."""
    boundary = f"rd-imap-{uuid.uuid4().hex}"
    out = [
        _without_body_headers(header).rstrip(b"\r\n"),
        b"\r\n",
        f'Content-Type: multipart/mixed; boundary="{boundary}"\r\n\r\n'.encode(),
    ]
    for leaf in leaves:
        body = texts.get(leaf.part)
        # A forwarded message left behind stays an opaque part, never an empty message
        # whose blank text would stand in for this one's.
        kind = (
            leaf.kind
            if body is not None or leaf.kind != "message/rfc822"
            else "application/octet-stream"
        )
        out.append(f"--{boundary}\r\n".encode())
        out.append(f"Content-Type: {kind}{_header_value(leaf.params)}\r\n".encode())
        if leaf.disposition:
            value = _header_value(leaf.disposition_params)
            out.append(f"Content-Disposition: {leaf.disposition}{value}\r\n".encode())
        if body is not None:
            out.append(f"Content-Transfer-Encoding: {leaf.encoding}\r\n\r\n".encode())
            out.append(body.rstrip(b"\r\n") + b"\r\n")
        else:
            out.append(b"\r\n")
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out)


def _item(data: dict[bytes, Any], prefix: str) -> bytes | None:
    wanted = prefix.encode()
    for key, value in data.items():
        if isinstance(key, bytes) and key.startswith(wanted):
            return value if isinstance(value, bytes) else None
    return None


def fetch_messages(client: IMAPClient, uids: Sequence[int]) -> list[bytes]:
    """The messages of ``uids`` rebuilt from their header and text parts, in UID order;
    a message expunged meanwhile is simply not there."""
    first = client.fetch(list(uids), ["BODYSTRUCTURE", "BODY.PEEK[HEADER]"])
    plans: dict[int, tuple[bytes, list[_Leaf]]] = {}
    wanted: dict[str, list[int]] = {}
    for uid in uids:
        data = first.get(uid)
        if not data or b"BODYSTRUCTURE" not in data:
            continue
        header = _item(data, "BODY[HEADER]") or b""
        leaves = list(_leaves(data[b"BODYSTRUCTURE"]))
        plans[uid] = (header, leaves)
        for leaf in _texts_to_fetch(leaves):
            wanted.setdefault(leaf.part, []).append(uid)
    texts: dict[int, dict[str, bytes]] = {}
    for part, part_uids in wanted.items():
        got = client.fetch(part_uids, [f"BODY.PEEK[{part}]<0.{TEXT_LIMIT}>"])
        for uid, data in got.items():
            body = _item(data, f"BODY[{part}]")
            if body is not None:
                texts.setdefault(uid, {})[part] = body
    return [
        rebuild(header, leaves, texts.get(uid, {}))
        for uid, (header, leaves) in sorted(plans.items())
    ]


@dataclass(frozen=True)
class _Fetched:
    """One batch of a folder, as the importer's source (importer.MessageSource)."""

    name: str
    raw: tuple[bytes, ...]
    kind: str = IMAP

    def messages(self) -> Iterable[bytes]:
        return self.raw

    def count_hint(self) -> int:
        return len(self.raw)


@dataclass
class _FolderTally:
    new: int = 0
    added: int = 0
    duplicates: int = 0
    bulk: int = 0


def _position(connection: Connection, account: str, folder: str) -> tuple[int | None, int]:
    row = connection.execute(
        select(MailFolder.uidvalidity, MailFolder.last_uid).where(
            MailFolder.account == account, MailFolder.folder == folder
        )
    ).first()
    return (None, 0) if row is None else (int(row.uidvalidity), int(row.last_uid))


def _move_position(
    connection: Connection,
    *,
    account: str,
    folder: str,
    uidvalidity: int,
    last_uid: int,
    now: datetime,
) -> None:
    values = {"uidvalidity": uidvalidity, "last_uid": last_uid, "synced_at": now}
    moved = connection.execute(
        update(MailFolder)
        .where(MailFolder.account == account, MailFolder.folder == folder)
        .values(**values)
    )
    if not moved.rowcount:
        connection.execute(insert(MailFolder).values(account=account, folder=folder, **values))


def sync_mail(
    database: Database,
    settings: Settings,
    *,
    my_addresses: Iterable[str],
    now: datetime,
    password: str | None = None,
    ask: AskPassword | None = None,
    add_unknown: bool = False,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    batch_size: int = BATCH,
) -> SyncReport:
    """Read what is new in the account's folders; see the module docstring for the rules.

    Raises ``MailOffline`` when the server cannot be reached or the line drops (what was
    read before stays, with its position), ``ImportCancelled`` when cancelled between
    batches, ``KnownError`` for a refused login or a missing setting.
    """
    check_account(settings)
    report_progress = progress or (lambda _stage, _fraction: None)
    is_cancelled = cancelled or (lambda: False)
    account = account_key(settings)
    run = start_run(
        database,
        my_addresses=my_addresses,
        add_unknown=add_unknown,
        label=f"IMAP {account_name(settings)}",
    )
    secret = _password(settings, password, ask)
    report_progress(f"Connecting to {_where(settings)}", 0.0)
    client = connect(settings, secret)
    keep_secret(KEYRING_SERVICE, account_name(settings), secret)  # it worked: keep it
    names = list(dict.fromkeys(f.strip() for f in settings.imap_folders if f.strip()))
    folders: list[FolderReport] = []
    summaries: list[SourceSummary] = []
    current = ""
    try:
        for index, name in enumerate(names):
            current = name
            folder = _folder(client, name)
            if folder is None:
                folders.append(FolderReport(name, False, None, 0, 0, 0, 0, 0, False))
                continue
            current = folder
            folders.append(
                _sync_folder(
                    database,
                    client,
                    run,
                    account,
                    folder,
                    now,
                    batch_size,
                    summaries,
                    partial(_folder_step, report_progress, f"Reading {folder}", index, len(names)),
                    is_cancelled,
                )
            )
    except (OSError, imaplib.IMAP4.abort) as exc:
        raise MailOffline(
            f"The connection to {_where(settings)} dropped while reading {current}: the mail "
            "read before it is kept, and the next sync goes on from there."
        ) from exc
    except imaplib.IMAP4.error as exc:
        raise KnownError(f"{_where(settings)} refused to read {current} ({_reason(exc)}).") from exc
    finally:
        _logout(client)
    report_progress("Done", 1.0)
    mail = run_report(run, _by_folder(summaries), dry_run=False)
    log.info("sync-mail: %d folders read", len(folders))
    return SyncReport(account, tuple(folders), mail)


def _folder_step(report: Progress, stage: str, index: int, folders: int, done: float) -> None:
    report(stage, (index + min(1.0, done)) / folders)


def _sync_folder(
    database: Database,
    client: IMAPClient,
    run: MailRun,
    account: str,
    folder: str,
    now: datetime,
    batch_size: int,
    summaries: list[SourceSummary],
    step: Callable[[float], None],
    is_cancelled: Callable[[], bool],
) -> FolderReport:
    selected = client.select_folder(folder, readonly=True)
    uidvalidity = int(selected[b"UIDVALIDITY"])
    with database.connect() as connection:
        known_validity, last_uid = _position(connection, account, folder)
    reread = known_validity is not None and known_validity != uidvalidity
    if known_validity != uidvalidity:
        last_uid = 0  # a rebuilt folder's UIDs mean other messages now
    # "N:*" always matches the newest message, even when its UID is below N.
    uids = sorted(u for u in client.search(["UID", f"{last_uid + 1}:*"]) if u > last_uid)
    tally = _FolderTally(new=len(uids))
    if not uids:
        with database.write() as connection:
            _move_position(
                connection,
                account=account,
                folder=folder,
                uidvalidity=uidvalidity,
                last_uid=last_uid,
                now=now,
            )
    for start in range(0, len(uids), batch_size):
        if is_cancelled():
            raise ImportCancelled
        chunk = uids[start : start + batch_size]
        raw = fetch_messages(client, chunk)  # all of it before the transaction opens
        high = chunk[-1]
        summary = import_source(
            database,
            run,
            _Fetched(folder, tuple(raw)),
            now,
            lambda _done: None,
            is_cancelled,
            also=partial(
                _move_position,
                account=account,
                folder=folder,
                uidvalidity=uidvalidity,
                last_uid=high,
                now=now,
            ),
        )
        last_uid = high
        summaries.append(summary)
        tally.added += summary.added
        tally.duplicates += summary.duplicates
        tally.bulk += summary.bulk
        step((start + len(chunk)) / len(uids))
    return FolderReport(
        folder,
        True,
        uidvalidity,
        last_uid,
        tally.new,
        tally.added,
        tally.duplicates,
        tally.bulk,
        reread,
    )


def _by_folder(summaries: Sequence[SourceSummary]) -> list[SourceSummary]:
    """One summary per folder, however many batches it took."""
    merged: dict[str, SourceSummary] = {}
    for s in summaries:
        before = merged.get(s.source)
        if before is None:
            merged[s.source] = s
        else:
            merged[s.source] = SourceSummary(
                s.source,
                s.kind,
                before.messages + s.messages,
                before.added + s.added,
                before.duplicates + s.duplicates,
                before.bulk + s.bulk,
                before.undated + s.undated,
            )
    return list(merged.values())
