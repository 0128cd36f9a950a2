"""The outbox against a real SMTP server on 127.0.0.1 (aiosmtpd), started by each test."""

from __future__ import annotations

import logging
import warnings
from dataclasses import replace
from datetime import datetime, timedelta
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import keyring
import keyring.backend
import pytest
from aiosmtpd.controller import Controller
from keyring.backends import fail
from sqlalchemy import select, text

from recruiter_desk.core import outbox
from recruiter_desk.core.clock import local_zone
from recruiter_desk.core.compose import Composition, preview, queue_drafts
from recruiter_desk.db.backup import Retention
from recruiter_desk.db.models import Interaction, Message
from recruiter_desk.db.session import Database
from recruiter_desk.errors import KnownError
from recruiter_desk.settings import Settings
from tests.conftest import NOW, add_person, table_names
from tests.mail_server import PASSWORD, Mailbox, MemoryKeyring, free_port

UTC = local_zone("UTC")


def account(port: int, **changes: Any) -> Settings:
    settings = Settings(
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_security="none",
        smtp_user="me",
        my_name="Inès Laurent",
        my_addresses=["ines@example.org"],
        daily_send_cap=50,
        send_spacing_seconds=0,
    )
    return replace(settings, **changes)


def queue(database: Database, settings: Settings, count: int) -> list[int]:
    ids = [
        add_person(database, first_name=f"Zoë{i}", emails=[f"zoe{i}@example.no"])
        for i in range(count)
    ]
    composition = Composition(subject="Hello {first_name}", body="Hi {first_name}, ça va?")
    with database.session() as session:
        drafts = preview(session.connection(), ids, composition, settings)
        queue_drafts(session, drafts, composition, NOW, settings)
    return ids


def never_ask(prompt: str) -> str | None:
    raise AssertionError(f"asked for a password: {prompt}")


def send(database: Database, settings: Settings, ask: Any = never_ask, **kw: Any) -> Any:
    return outbox.send_queued(
        database, settings, ask, zone=UTC, now=kw.pop("now", datetime.utcnow), **kw
    )


def states(database: Database) -> list[str]:
    with database.connect() as connection:
        return list(connection.execute(select(Message.state).order_by(Message.id)).scalars())


def test_queued_messages_arrive_once_each_and_are_logged(
    database: Database, mailbox: tuple[Mailbox, int], memory_keyring: MemoryKeyring
) -> None:
    box, port = mailbox
    settings = account(port)
    memory_keyring.set_password(outbox.KEYRING_SERVICE, outbox.account_name(settings), PASSWORD)
    queue(database, settings, 3)
    report = send(database, settings)
    assert (report.sent, report.waiting, report.error) == (3, 0, None)
    assert len(box.arrived) == 3 and len(set(box.message_ids())) == 3
    first = message_from_bytes(box.arrived[0], policy=default_policy)
    assert (
        first["Subject"] == "Hello Zoë0" and first["To"].addresses[0].addr_spec == "zoe0@example.no"
    )
    assert first.get_content().strip() == "Hi Zoë0, ça va?"
    assert states(database) == ["sent"] * 3
    with database.connect() as connection:
        kinds = connection.execute(select(Interaction.kind, Interaction.direction)).all()
    assert kinds == [("email", "outbound")] * 3
    # Sending again sends nothing more.
    assert send(database, settings).sent == 0
    assert len(box.arrived) == 3


def test_a_server_that_refuses_first_and_accepts_later(
    database: Database, mailbox: tuple[Mailbox, int], memory_keyring: MemoryKeyring
) -> None:
    box, port = mailbox
    settings = account(port)
    memory_keyring.set_password(outbox.KEYRING_SERVICE, outbox.account_name(settings), PASSWORD)
    queue(database, settings, 2)
    box.refuse = 1
    first = send(database, settings)
    assert (first.sent, first.failed) == (1, 1)
    (waiting,) = outbox.list_outbox(database)
    assert waiting.state == "queued" and "451" in waiting.last_error
    assert "451" in waiting.state_text
    second = send(database, settings)
    assert second.sent == 1
    assert len(box.arrived) == 2 and len(set(box.message_ids())) == 2
    assert states(database) == ["sent", "sent"]


class Crash(BaseException):
    """The process dying between the server's OK and our commit."""


def test_a_crash_between_send_and_commit_never_sends_twice(
    database: Database,
    mailbox: tuple[Mailbox, int],
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    box, port = mailbox
    settings = account(port)
    memory_keyring.set_password(outbox.KEYRING_SERVICE, outbox.account_name(settings), PASSWORD)
    queue(database, settings, 2)

    def crash(*_args: object) -> None:
        raise Crash

    with monkeypatch.context() as patch:
        patch.setattr(outbox, "_commit_sent", crash)
        with pytest.raises(Crash):
            send(database, settings)
    assert len(box.arrived) == 1
    assert states(database) == ["sending", "queued"]
    # The next run sends the other one and leaves the interrupted one alone.
    report = send(database, settings)
    assert (report.sent, report.interrupted) == (1, 1)
    assert len(box.arrived) == 2 and len(set(box.message_ids())) == 2
    interrupted = outbox.list_outbox(database)[0]
    assert "may have been sent" in interrupted.state_text
    assert send(database, settings).sent == 0
    assert len(box.arrived) == 2
    # The recruiter finds it in their Sent folder: it is logged, once.
    outbox.mark_sent(database, interrupted.id, NOW)
    assert states(database) == ["sent", "sent"]
    with database.connect() as connection:
        assert len(connection.execute(select(Interaction.id)).all()) == 2


def test_offline_messages_wait_with_the_reason(
    database: Database, memory_keyring: MemoryKeyring
) -> None:
    settings = account(free_port())
    memory_keyring.set_password(outbox.KEYRING_SERVICE, outbox.account_name(settings), PASSWORD)
    queue(database, settings, 2)
    report = send(database, settings)
    assert report.sent == 0 and report.waiting == 2
    assert report.error is not None and "Could not reach 127.0.0.1" in report.error
    rows = outbox.list_outbox(database)
    assert [r.state for r in rows] == ["queued", "queued"]
    assert all("retried" in r.last_error for r in rows)


def test_daily_cap_and_spacing(
    database: Database, mailbox: tuple[Mailbox, int], memory_keyring: MemoryKeyring
) -> None:
    box, port = mailbox
    settings = account(port, daily_send_cap=2, send_spacing_seconds=30)
    memory_keyring.set_password(outbox.KEYRING_SERVICE, outbox.account_name(settings), PASSWORD)
    queue(database, settings, 3)
    clock = [datetime(2026, 11, 25, 9, 0)]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        clock[0] += timedelta(seconds=seconds)

    report = send(database, settings, now=lambda: clock[0], sleep=sleep)
    assert (report.sent, report.waiting, report.capped) == (2, 1, True)
    assert waits == [30.0]
    assert "daily sending limit" in report.summary()
    # Still the same day: nothing more. The next day: the last one goes.
    assert send(database, settings, now=lambda: clock[0], sleep=sleep).sent == 0
    clock[0] += timedelta(days=1)
    assert send(database, settings, now=lambda: clock[0], sleep=sleep).sent == 1
    assert len(box.arrived) == 3


def test_dry_run_sends_nothing(
    database: Database, mailbox: tuple[Mailbox, int], memory_keyring: MemoryKeyring
) -> None:
    box, port = mailbox
    settings = account(port)
    queue(database, settings, 2)
    report = send(database, settings, dry_run=True)
    assert report.would_send == ("zoe0@example.no: Hello Zoë0", "zoe1@example.no: Hello Zoë1")
    assert box.arrived == [] and states(database) == ["queued", "queued"]


def test_password_comes_from_the_keyring_and_a_wrong_one_is_forgotten(
    database: Database, mailbox: tuple[Mailbox, int], memory_keyring: MemoryKeyring
) -> None:
    box, port = mailbox
    settings = account(port)
    key = (outbox.KEYRING_SERVICE, outbox.account_name(settings))
    memory_keyring.passwords[key] = "wrong"
    with pytest.raises(KnownError, match="refused the user name or password for me"):
        outbox.test_connection(settings, never_ask)
    assert key not in memory_keyring.passwords
    # Asked once, checked by logging in, then kept in the keyring (not in memory).
    asked: list[str] = []
    assert "Connected to 127.0.0.1" in outbox.test_connection(
        settings, lambda prompt: asked.append(prompt) or PASSWORD
    )
    assert len(asked) == 1 and "keyring" in asked[0]
    assert memory_keyring.passwords[key] == PASSWORD
    assert outbox.password_prompt(settings) is None
    assert box.logins[-1] == (b"me", PASSWORD.encode())


def test_without_a_usable_keyring_the_password_is_asked_once_per_run(
    database: Database, mailbox: tuple[Mailbox, int]
) -> None:
    box, port = mailbox
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    outbox.forget_run_passwords()
    try:
        settings = account(port)
        prompt = outbox.password_prompt(settings)
        assert prompt is not None and "no usable keyring" in prompt
        asked: list[str] = []

        def ask(text: str) -> str:
            asked.append(text)
            return PASSWORD

        queue(database, settings, 2)
        assert send(database, settings, ask=ask, limit=1).sent == 1
        assert send(database, settings, ask=ask).sent == 1
        assert len(asked) == 1
        assert len(box.arrived) == 2
    finally:
        keyring.set_keyring(previous)
        outbox.forget_run_passwords()


def test_the_password_is_in_no_table_settings_file_log_or_backup(
    database: Database,
    db_path: Path,
    tmp_path: Path,
    mailbox: tuple[Mailbox, int],
) -> None:
    from recruiter_desk.core import maintenance
    from recruiter_desk.core.clock import utc_now

    box, port = mailbox
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # the worst case: it has to be typed in
    outbox.forget_run_passwords()
    log_file = tmp_path / "recruiter-desk.log"
    handler = logging.FileHandler(log_file, encoding="utf-8")
    root = logging.getLogger()
    root.addHandler(handler)
    old_level = root.level
    root.setLevel(logging.DEBUG)
    try:
        settings = account(port)
        settings_file = tmp_path / "settings.json"
        settings.save(settings_file)
        queue(database, settings, 1)
        assert send(database, settings, ask=lambda _p: PASSWORD).sent == 1
        outbox.test_connection(settings, never_ask)
        settings.save(settings_file)
        backups = (
            [
                maintenance.backup_database(
                    database.location, tmp_path / "b.sqlite3", utc_now(), Retention()
                )
            ]
            if database.is_sqlite
            else []
        )
    finally:
        root.removeHandler(handler)
        handler.close()
        root.setLevel(old_level)
        keyring.set_keyring(previous)
        outbox.forget_run_passwords()
    assert box.logins and box.logins[-1][1] == PASSWORD.encode()
    with database.connect() as connection:
        for table in table_names(database):
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):
                assert PASSWORD not in " ".join(map(str, row)), table
    database.checkpoint()
    needles = [PASSWORD.encode(), PASSWORD.encode("utf-16-le"), PASSWORD.encode("latin-1")]
    files = [settings_file, log_file, *backups, *db_path.parent.glob(db_path.name + "*")]
    assert log_file.read_text(encoding="utf-8")  # the log did record the work
    for path in files:
        content = path.read_bytes()
        assert not any(n in content for n in needles), path


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_starttls_and_tls_carry_the_login_and_the_message(
    database: Database,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    security: str,
) -> None:
    import ssl

    import trustme

    authority = trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(server_context)
    client_context = ssl.create_default_context()
    authority.configure_trust(client_context)
    box, port = Mailbox(), free_port()
    tls = (
        {"tls_context": server_context, "require_starttls": True}
        if security == "starttls"
        # aiosmtpd does not count implicit TLS as TLS for its AUTH check; the line is TLS.
        else {"ssl_context": server_context, "auth_require_tls": False}
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        controller = Controller(
            box, hostname="127.0.0.1", port=port, authenticator=box.authenticate, **tls
        )
        controller.start()
    # The app verifies against the system's authorities; the test's own authority stands in.
    monkeypatch.setattr(outbox.ssl, "create_default_context", lambda: client_context)
    try:
        settings = account(port, smtp_security=security)
        memory_keyring.set_password(outbox.KEYRING_SERVICE, outbox.account_name(settings), PASSWORD)
        queue(database, settings, 1)
        assert send(database, settings).sent == 1
    finally:
        controller.stop()
    assert box.logins == [(b"me", PASSWORD.encode())]
    assert len(box.arrived) == 1


def test_a_server_without_starttls_is_refused_before_the_password_is_sent(
    database: Database, mailbox: tuple[Mailbox, int], memory_keyring: MemoryKeyring
) -> None:
    box, port = mailbox
    settings = account(port, smtp_security="starttls")
    memory_keyring.set_password(outbox.KEYRING_SERVICE, outbox.account_name(settings), PASSWORD)
    with pytest.raises(KnownError, match="does not offer STARTTLS"):
        outbox.test_connection(settings, never_ask)
    assert box.logins == []
