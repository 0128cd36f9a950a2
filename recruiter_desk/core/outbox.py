"""The outbox: queued messages sent over SMTP, never twice, always logged.

Each message moves ``queued`` -> ``sending`` -> ``sent``. ``sending`` is committed *before*
the SMTP conversation and ``sent`` is committed together with the interaction, so a crash
between the server's "250 OK" and our commit leaves the row in ``sending``: it may have gone
out, so it is never retried on its own. The recruiter looks in their Sent folder and marks
it sent, or sends it again (with the same Message-ID, which lets receiving servers drop a
duplicate). A refused or failed message goes back to ``queued`` with its error; when the
server cannot be reached at all, everything simply waits.

The SMTP password never touches the disk: it lives in the OS keyring, or, where there is no
usable keyring, in this process's memory for one run (asked once).
"""

from __future__ import annotations

import base64
import logging
import smtplib
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from sqlalchemy import select, update

from recruiter_desk.core.compose import Draft, build_email, interaction_body, interaction_kind
from recruiter_desk.core.identity import display_name
from recruiter_desk.core.records import log_interaction
from recruiter_desk.db.models import Message, Person
from recruiter_desk.db.session import Database
from recruiter_desk.errors import KnownError, NotFoundError
from recruiter_desk.keychain import drop_secret, keep_secret, keyring_usable, read_secret
from recruiter_desk.settings import Settings

log = logging.getLogger(__name__)

KEYRING_SERVICE = "recruiter-desk-smtp"
SECURITY = ("starttls", "tls", "none")
TIMEOUT_SECONDS = 20

# The password typed where no keyring works, for this run only (never written anywhere).
_RUN_PASSWORDS: dict[str, str] = {}

AskPassword = Callable[[str], str | None]


@dataclass(frozen=True)
class OutboxRow:
    id: int
    message_id: str
    person_id: int
    name: str
    to_address: str
    subject: str
    state: str
    attempts: int
    last_error: str
    created_at: datetime
    sent_at: datetime | None

    @property
    def state_text(self) -> str:
        if self.state == "sending":
            return "may have been sent (interrupted): check your Sent folder"
        if self.state == "queued" and self.last_error:
            return f"waiting: {self.last_error}"
        return {"queued": "waiting", "sent": "sent"}.get(self.state, self.state)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "message_id": self.message_id,
            "person_id": self.person_id,
            "name": self.name,
            "to": self.to_address,
            "subject": self.subject,
            "state": self.state,
            "attempts": self.attempts,
            "last_error": self.last_error or None,
            "created_at": self.created_at.isoformat(),
            "sent_at": self.sent_at.isoformat() if self.sent_at else None,
        }


@dataclass(frozen=True)
class SendReport:
    sent: int
    failed: int
    waiting: int
    interrupted: int
    capped: bool
    error: str | None
    would_send: tuple[str, ...] = ()

    def summary(self) -> str:
        parts = [f"{self.sent} sent"]
        if self.failed:
            parts.append(f"{self.failed} refused (still queued, with the reason)")
        if self.waiting:
            parts.append(f"{self.waiting} waiting")
        if self.interrupted:
            parts.append(f"{self.interrupted} interrupted earlier: check your Sent folder")
        text = ", ".join(parts) + "."
        if self.capped:
            text += " The daily sending limit is reached; the rest go tomorrow."
        if self.error:
            text += f" {self.error}"
        return text


# -- listing and resolving -----------------------------------------------------------------


def list_outbox(database: Database, include_sent: bool = False) -> list[OutboxRow]:
    statement = (
        select(
            Message.id,
            Message.message_id,
            Message.person_id,
            Person.first_name,
            Person.last_name,
            Message.to_address,
            Message.subject,
            Message.state,
            Message.attempts,
            Message.last_error,
            Message.created_at,
            Message.sent_at,
        )
        .join(Person, Person.id == Message.person_id)
        .where(Message.channel == "outbox")
        .order_by(Message.id)
    )
    if not include_sent:
        statement = statement.where(Message.state != "sent")
    with database.connect() as connection:
        return [
            OutboxRow(
                id=r.id,
                message_id=r.message_id,
                person_id=r.person_id,
                name=display_name(r.first_name, r.last_name, [r.to_address], r.person_id),
                to_address=r.to_address,
                subject=r.subject,
                state=r.state,
                attempts=r.attempts,
                last_error=r.last_error,
                created_at=r.created_at,
                sent_at=r.sent_at,
            )
            for r in connection.execute(statement)
        ]


def _outbox_message(session: Any, message_id: int) -> Message:
    message = session.get(Message, message_id)
    if message is None or message.channel != "outbox":
        raise NotFoundError(f"There is no outbox message with id {message_id}.")
    return message


def mark_sent(database: Database, message_id: int, at: datetime) -> None:
    """The recruiter found an interrupted message in their Sent folder: log it as sent."""
    with database.session(write=True) as session:
        message = _outbox_message(session, message_id)
        if message.state != "sending":
            raise KnownError(f"Message {message_id} was not interrupted; it is {message.state}.")
        _log_sent(session, message, message.attempted_at or at)


def requeue(database: Database, message_id: int) -> None:
    """Send an interrupted message again (same Message-ID) on the next run."""
    with database.session(write=True) as session:
        message = _outbox_message(session, message_id)
        if message.state != "sending":
            raise KnownError(f"Message {message_id} was not interrupted; it is {message.state}.")
        message.state = "queued"


def remove_queued(database: Database, message_id: int) -> None:
    with database.session(write=True) as session:
        message = _outbox_message(session, message_id)
        if message.state == "sent":
            raise KnownError(f"Message {message_id} was already sent; it stays in the record.")
        session.delete(message)


def _log_sent(session: Any, message: Message, at: datetime) -> None:
    interaction = log_interaction(
        session,
        message.person_id,
        kind=interaction_kind(message.article_id, "outbox", message.to_address),
        direction="outbound",
        occurred_at=at,
        subject=message.subject,
        body=interaction_body(message.body, message.override_note),
        opportunity_id=message.opportunity_id,
        now=at,
    )
    message.state = "sent"
    message.sent_at = at
    message.last_error = ""
    message.interaction_id = interaction.id


# -- the password ----------------------------------------------------------------------------


def account_name(settings: Settings) -> str:
    return f"{settings.smtp_user}@{settings.smtp_host}"


def _stored_password(settings: Settings) -> tuple[str | None, bool]:
    """(password from this run's memory or the keyring, whether a keyring is usable)."""
    account = account_name(settings)
    if account in _RUN_PASSWORDS:
        return _RUN_PASSWORDS[account], keyring_usable()
    if not keyring_usable():
        return None, False
    return read_secret(KEYRING_SERVICE, account), True


def password_prompt(settings: Settings) -> str | None:
    """What to ask the recruiter, or None when no password is needed or one is known.

    The window asks on its own thread before sending; the command line asks in the terminal.
    """
    if not settings.smtp_user:
        return None
    stored, usable = _stored_password(settings)
    if stored:
        return None
    account = account_name(settings)
    if usable:
        return f"Password for {account} (kept in your system keyring)"
    return (
        f"Password for {account}. There is no usable keyring here, so it is kept only "
        "until the app closes and never written down"
    )


def smtp_password(settings: Settings, ask: AskPassword) -> str | None:
    """The password for the SMTP user: this run's memory, the keyring, else ask once."""
    if not settings.smtp_user:
        return None
    stored, _usable = _stored_password(settings)
    if stored:
        return stored
    account = account_name(settings)
    typed = ask(password_prompt(settings) or f"Password for {account}")
    if not typed:
        raise KnownError(f"No password for {account}; nothing was sent.")
    _RUN_PASSWORDS[account] = typed
    return typed


def _keep_password(settings: Settings, password: str | None) -> None:
    """After a login worked: into the keyring if there is one (out of memory then)."""
    if not password or not settings.smtp_user:
        return
    account = account_name(settings)
    if keep_secret(KEYRING_SERVICE, account, password):
        _RUN_PASSWORDS.pop(account, None)


def _drop_password(settings: Settings) -> None:
    """A refused login: forget the password so the next attempt asks again."""
    account = account_name(settings)
    _RUN_PASSWORDS.pop(account, None)
    drop_secret(KEYRING_SERVICE, account)


def forget_run_passwords() -> None:
    _RUN_PASSWORDS.clear()


# -- SMTP ------------------------------------------------------------------------------------


def check_account(settings: Settings) -> None:
    if not settings.smtp_host.strip():
        raise KnownError("Set the SMTP server (smtp_host) in Settings before sending.")
    if settings.smtp_security not in SECURITY:
        raise KnownError(f"smtp_security is {settings.smtp_security!r}; use starttls, tls or none.")
    if not [a for a in settings.my_addresses if "@" in a]:
        raise KnownError("Set your own address (my_addresses) in Settings before sending.")


def open_smtp(settings: Settings, password: str | None) -> smtplib.SMTP:
    """A logged-in connection, or a KnownError that says what went wrong and where."""
    host, port = settings.smtp_host.strip(), settings.smtp_port
    where = f"{host}:{port}"
    try:
        if settings.smtp_security == "tls":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                host, port, timeout=TIMEOUT_SECONDS, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(host, port, timeout=TIMEOUT_SECONDS)
        try:
            if settings.smtp_security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
            if settings.smtp_user:
                _login(smtp, settings.smtp_user, password or "")
        except BaseException:
            smtp.close()
            raise
    except smtplib.SMTPAuthenticationError as exc:
        _drop_password(settings)
        raise KnownError(
            f"{where} refused the user name or password for {settings.smtp_user}."
        ) from exc
    except smtplib.SMTPNotSupportedError as exc:
        raise KnownError(f"{where} does not offer {settings.smtp_security.upper()}.") from exc
    except ssl.SSLError as exc:
        raise KnownError(f"The secure connection to {where} failed ({exc.reason}).") from exc
    except (OSError, smtplib.SMTPException) as exc:
        reason = (
            "unknown host" if isinstance(exc, socket.gaierror) else str(exc) or type(exc).__name__
        )
        raise KnownError(f"Could not reach {where} ({reason}).") from exc
    _keep_password(settings, password)
    return smtp


def _login(smtp: smtplib.SMTP, user: str, password: str) -> None:
    if user.isascii() and password.isascii():
        smtp.login(user, password)
        return
    # smtplib encodes AUTH as ASCII and fails on "Pässwort"; RFC 4616 PLAIN is UTF-8.
    smtp.ehlo_or_helo_if_needed()
    token = base64.b64encode(f"\0{user}\0{password}".encode()).decode("ascii")
    code, reply = smtp.docmd("AUTH", f"PLAIN {token}")
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, reply)


def test_connection(settings: Settings, ask: AskPassword) -> str:
    """Settings' "Test connection": connect, secure, log in, and say so."""
    check_account(settings)
    smtp = open_smtp(settings, smtp_password(settings, ask))
    try:
        smtp.noop()
    finally:
        _quit(smtp)
    login = f" as {settings.smtp_user}" if settings.smtp_user else ""
    return f"Connected to {settings.smtp_host}:{settings.smtp_port}{login}."


def _quit(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()


def _day_start_utc(now: datetime, zone: tzinfo) -> datetime:
    from datetime import UTC

    local = now.replace(tzinfo=UTC).astimezone(zone)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight.astimezone(UTC).replace(tzinfo=None)


def send_queued(
    database: Database,
    settings: Settings,
    ask: AskPassword,
    *,
    zone: tzinfo,
    now: Callable[[], datetime],
    sleep: Callable[[float], None] = time.sleep,
    limit: int | None = None,
    dry_run: bool = False,
) -> SendReport:
    """Send what is queued, oldest first, within the daily cap and with spacing."""
    with database.connect() as connection:
        interrupted = len(
            connection.execute(
                select(Message.id).where(Message.channel == "outbox", Message.state == "sending")
            ).all()
        )
        queued = list(
            connection.execute(
                select(Message.id, Message.to_address, Message.subject)
                .where(Message.channel == "outbox", Message.state == "queued")
                .order_by(Message.id)
            ).all()
        )
        started = now()
        today = len(
            connection.execute(
                select(Message.id).where(
                    Message.channel == "outbox",
                    Message.state.in_(("sending", "sent")),
                    Message.attempted_at >= _day_start_utc(started, zone),
                )
            ).all()
        )
        last_attempt = connection.execute(
            select(Message.attempted_at)
            .where(Message.channel == "outbox", Message.attempted_at.is_not(None))
            .order_by(Message.attempted_at.desc())
            .limit(1)
        ).scalar()
    room = max(0, settings.daily_send_cap - today)
    batch = queued[: min(room, limit if limit is not None else len(queued))]
    capped = len(batch) < len(queued) and len(batch) == room
    if dry_run or not batch:
        return SendReport(
            sent=0,
            failed=0,
            waiting=len(queued),
            interrupted=interrupted,
            capped=capped,
            error=None,
            would_send=tuple(f"{r.to_address}: {r.subject}" for r in batch) if dry_run else (),
        )
    check_account(settings)
    try:
        smtp = open_smtp(settings, smtp_password(settings, ask))
    except KnownError as exc:
        _note_error(database, [r.id for r in batch], f"{exc.message} It will be retried.")
        return SendReport(0, 0, len(queued), interrupted, capped, exc.message)
    sent = failed = 0
    error = None
    try:
        for row in batch:
            if last_attempt is not None:
                wait = settings.send_spacing_seconds - (now() - last_attempt).total_seconds()
                if wait > 0:
                    sleep(wait)
            outcome = _send_one(database, smtp, row.id, settings, now)
            last_attempt = now()
            if outcome == "sent":
                sent += 1
            elif outcome == "failed":
                failed += 1
            elif outcome == "disconnected":
                error = (
                    "The connection dropped while sending; that message may have gone out "
                    "(check your Sent folder), the rest wait in the outbox."
                )
                break
    finally:
        _quit(smtp)
    return SendReport(
        sent=sent,
        failed=failed,
        waiting=len(queued) - sent,
        interrupted=interrupted,
        capped=capped,
        error=error,
    )


def _note_error(database: Database, ids: list[int], error: str) -> None:
    with database.session() as session:
        session.execute(update(Message).where(Message.id.in_(ids)).values(last_error=error))


def _send_one(
    database: Database,
    smtp: smtplib.SMTP,
    row_id: int,
    settings: Settings,
    now: Callable[[], datetime],
) -> str:
    attempt_at = now()
    # Claim it: this commit is what makes a crash after the server's OK visible later.
    with database.session() as session:
        claimed = session.execute(  # type: ignore[attr-defined]
            update(Message)
            .where(Message.id == row_id, Message.state == "queued")
            .values(state="sending", attempted_at=attempt_at, attempts=Message.attempts + 1)
        ).rowcount
        message = session.get(Message, row_id)
        if not claimed or message is None:
            return "skipped"
        draft = Draft(
            person_id=message.person_id,
            name=_name_of(session, message.person_id, message.to_address),
            to=message.to_address,
            subject=message.subject,
            body=message.body,
            problems=(),
            blocked=None,
            conflict=None,
            overridden=False,
            warnings=(),
        )
        email = build_email(draft, settings, message.message_id, attempt_at)
    try:
        smtp.send_message(email)
    except smtplib.SMTPRecipientsRefused as exc:
        (code, reply), *_ = exc.recipients.values()
        _back_to_queue(database, row_id, f"Refused by the server: {code} {_text(reply)}")
        return "failed"
    except smtplib.SMTPResponseException as exc:
        _back_to_queue(
            database, row_id, f"Refused by the server: {exc.smtp_code} {_text(exc.smtp_error)}"
        )
        return "failed"
    except (OSError, smtplib.SMTPException) as exc:
        # The line dropped mid-message: the server may have taken it, so it is not
        # retried on its own (see the module docstring).
        _note_error(database, [row_id], f"The connection dropped while sending ({exc}).")
        return "disconnected"
    _commit_sent(database, row_id, attempt_at)
    log.info("outbox message %s sent", row_id)
    return "sent"


def _commit_sent(database: Database, row_id: int, at: datetime) -> None:
    with database.session(write=True) as session:
        message = session.get(Message, row_id)
        if message is not None:
            _log_sent(session, message, at)


def _back_to_queue(database: Database, row_id: int, error: str) -> None:
    with database.session() as session:
        session.execute(
            update(Message).where(Message.id == row_id).values(state="queued", last_error=error)
        )


def _name_of(session: Any, person_id: int, address: str) -> str:
    person = session.get(Person, person_id)
    if person is None:
        return address
    return display_name(person.first_name, person.last_name, [address], person_id)


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def spacing_left(database: Database, settings: Settings, now: datetime) -> float:
    """Seconds until the next message may go (the GUI schedules with this)."""
    with database.connect() as connection:
        last = connection.execute(
            select(Message.attempted_at)
            .where(Message.channel == "outbox", Message.attempted_at.is_not(None))
            .order_by(Message.attempted_at.desc())
            .limit(1)
        ).scalar()
    if last is None:
        return 0.0
    return max(0.0, settings.send_spacing_seconds - (now - last).total_seconds())
