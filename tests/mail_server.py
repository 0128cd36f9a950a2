"""A real SMTP server on 127.0.0.1 (aiosmtpd) and an in-memory keyring, for the outbox tests."""

from __future__ import annotations

import socket
import warnings
from collections.abc import Iterator
from email import message_from_bytes
from email.policy import default as default_policy
from typing import Any

import keyring
import keyring.backend
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from recruiter_desk.core import outbox

PASSWORD = "s3cr3t-Pässwörd-§42"


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring that lives in this test only."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.passwords.pop((service, username), None)


class Mailbox:
    """The server side: what arrived, and how many DATA commands to refuse first."""

    def __init__(self) -> None:
        self.arrived: list[bytes] = []
        self.refuse = 0
        self.logins: list[tuple[bytes, bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse:
            self.refuse -= 1
            return "451 4.3.0 Mailbox busy, try again later"
        self.arrived.append(envelope.original_content or envelope.content)
        return "250 OK"

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        assert isinstance(data, LoginPassword)
        self.logins.append((data.login, data.password))
        ok = data.login == b"me" and data.password == PASSWORD.encode()
        return AuthResult(success=ok, handled=False)

    def message_ids(self) -> list[str]:
        return [message_from_bytes(m, policy=default_policy)["Message-ID"] for m in self.arrived]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    outbox.forget_run_passwords()
    yield ring
    keyring.set_keyring(previous)
    outbox.forget_run_passwords()


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    box = Mailbox()
    port = free_port()
    with warnings.catch_warnings():
        # AUTH without TLS is what a relay on this machine does; aiosmtpd warns about it.
        warnings.simplefilter("ignore")
        controller = Controller(
            box,
            hostname="127.0.0.1",
            port=port,
            authenticator=box.authenticate,
            auth_require_tls=False,
        )
        controller.start()
    yield box, port
    controller.stop()
