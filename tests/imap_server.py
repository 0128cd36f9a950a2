"""The real Dovecot that .ci/dovecot.sh starts, and a TCP proxy that can drop the line.

``RECRUITER_DESK_TEST_IMAP`` is ``host:port:user:password_file:ca_file``. Without it, or
with the server unreachable, the tests skip saying why, except under
``RECRUITER_DESK_REQUIRE_SERVICES=1`` (CI), where they fail. Each test gets folders of its
own on the one test account, so tests can run in parallel; messages reach them through
IMAP APPEND, as a mail program's would.
"""

from __future__ import annotations

import contextlib
import os
import socket
import ssl
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from recruiter_desk.core.mail import imap
from recruiter_desk.settings import Settings
from tests.mail_server import MemoryKeyring

if TYPE_CHECKING:
    from imapclient import IMAPClient

ME = "rita@recruit.example"


def require_service(reason: str) -> None:
    if os.environ.get("RECRUITER_DESK_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{reason} (RECRUITER_DESK_REQUIRE_SERVICES=1)")
    pytest.skip(reason)


@dataclass
class ImapServer:
    host: str
    port: int
    user: str
    password: str
    ca_file: str
    inbox: str
    sent: str
    created: list[str] = field(default_factory=list)

    def client(self) -> IMAPClient:
        # Imported here: a checkout whose environment predates imapclient still collects.
        from imapclient import IMAPClient

        client = IMAPClient(self.host, self.port, ssl=False, timeout=10)
        client.starttls(ssl.create_default_context(cafile=self.ca_file))
        client.login(self.user, self.password)
        return client

    def create(self, *folders: str) -> None:
        with self.client() as client:
            for folder in folders:
                client.create_folder(folder)
                self.created.append(folder)

    def delete(self, folder: str) -> None:
        with self.client() as client:
            client.delete_folder(folder)

    def append(self, folder: str, *messages: bytes) -> None:
        with self.client() as client:
            for message in messages:
                client.append(folder, message.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))

    def clear(self, folder: str) -> None:
        """Empty a folder that outlives the test (INBOX, the server's Sent folder)."""
        with self.client() as client:
            client.select_folder(folder)
            uids = client.search(["ALL"])
            if uids:
                client.delete_messages(uids)
                client.expunge()

    def uidvalidity(self, folder: str) -> int:
        with self.client() as client:
            return int(client.folder_status(folder, ["UIDVALIDITY"])[b"UIDVALIDITY"])

    def flags(self, folder: str) -> list[tuple[bytes, ...]]:
        with self.client() as client:
            client.select_folder(folder, readonly=True)
            found = client.fetch(client.search(["ALL"]), ["FLAGS"])
            return [found[uid][b"FLAGS"] for uid in sorted(found)]

    def settings(self, port: int | None = None, **values: object) -> Settings:
        chosen: dict[str, object] = {
            "my_addresses": [ME],
            "imap_host": self.host,
            "imap_port": port or self.port,
            "imap_security": "starttls",
            "imap_user": self.user,
            "imap_folders": [self.inbox, self.sent],
            **values,
        }
        return Settings(**chosen)  # type: ignore[arg-type]


@pytest.fixture
def imap_server(
    monkeypatch: pytest.MonkeyPatch, memory_keyring: MemoryKeyring
) -> Iterator[ImapServer]:
    spec = os.environ.get("RECRUITER_DESK_TEST_IMAP", "")
    if not spec:
        require_service('No IMAP server: start one with `eval "$(bash .ci/dovecot.sh start)"`')
    host, port, user, password_file, ca_file = spec.split(":")
    prefix = f"t{uuid.uuid4().hex[:10]}"
    server = ImapServer(
        host,
        int(port),
        user,
        Path(password_file).read_text().strip(),
        ca_file,
        f"{prefix}-Inbox",
        f"{prefix}-Sent",
    )
    try:
        server.create(server.inbox, server.sent)
    except OSError as exc:
        require_service(f"The IMAP server at {host}:{port} cannot be reached ({exc})")
    # The app trusts what the system trusts; here, the test server's own certificate.
    monkeypatch.setenv("SSL_CERT_FILE", ca_file)
    memory_keyring.set_password(imap.KEYRING_SERVICE, f"{user}@{host}", server.password)
    imap.forget_run_passwords()
    yield server
    imap.forget_run_passwords()
    with server.client() as client:
        for folder in server.created:
            if client.folder_exists(folder):
                client.delete_folder(folder)


class Proxy:
    """A TCP relay on 127.0.0.1 to the IMAP server that counts what the server sent and,
    once armed, lets a few more bytes through and then drops every connection: the line
    going down in the middle of a response."""

    def __init__(self, host: str, port: int) -> None:
        self.upstream = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self.from_server = 0
        self.dropped = threading.Event()
        self._budget: int | None = None
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self._start(self._accept)

    def _start(self, target: object, *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)  # type: ignore[arg-type]
        self._threads.append(thread)
        thread.start()

    def arm(self, more_bytes: int) -> None:
        with self._lock:
            self._budget = more_bytes

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.upstream, timeout=10)
            with self._lock:
                self._sockets += [client, server]
            self._start(self._pump, client, server, False)
            self._start(self._pump, server, client, True)

    def _pump(self, source: socket.socket, target: socket.socket, from_server: bool) -> None:
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                data = b""
            if not data:
                break
            drop = False
            if from_server:
                with self._lock:
                    if self._budget is not None:
                        data = data[: self._budget]
                        self._budget -= len(data)
                        drop = self._budget <= 0
                    self.from_server += len(data)
            try:
                target.sendall(data)
            except OSError:
                break
            if drop:
                self.drop()
                break
        for sock in (source, target):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def drop(self) -> None:
        self.dropped.set()
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        with contextlib.suppress(OSError):  # wakes the thread blocked in accept()
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        self.drop()
        for thread in self._threads:
            thread.join(timeout=5)
        for sock in self._sockets:
            sock.close()


@pytest.fixture
def proxy(imap_server: ImapServer) -> Iterator[Proxy]:
    relay = Proxy(imap_server.host, imap_server.port)
    yield relay
    relay.close()
