"""One window per database: a second start asks the first window to come to the front.

The lock that decides who is first is the database's window lock (``DATABASE-window.lock``,
taken before the file is opened; see docs/architecture.md, "One window per database"). This
module is only the signal: the first window listens on a local socket named after the
database file, and a refused second start connects, asks, and waits for the answer.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, QTimer, Signal, Slot
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

_REQUEST = b"come-forward\n"
_ANSWER = b"came-forward\n"
# How long a second start keeps asking: the first window may still be opening (migrating,
# waiting for a passphrase) its database; once it is up it answers at once.
ASK_FOR_MS = 15000
_RETRY_MS = 100


def server_name(database_file: Path) -> str:
    """The socket's name: one per database file and user, short enough for any platform."""
    user = str(os.getuid()) if hasattr(os, "getuid") else os.environ.get("USERNAME", "")
    digest = hashlib.sha256(f"{user}\0{database_file}".encode()).hexdigest()[:24]
    return f"recruiter-desk-{digest}"


class WindowServer(QObject):
    """Listens for second starts on the same database; ``come_forward`` for each."""

    come_forward = Signal()

    def __init__(self, database_file: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = server_name(database_file)
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)
        self._clients: list[QLocalSocket] = []

    def listen(self) -> bool:
        # The caller holds the database's window lock, so a socket left by a window that
        # crashed is stale and can go.
        QLocalServer.removeServer(self.name)
        if not self._server.listen(self.name):
            log.warning("a second window could not be sent here: %s", self._server.errorString())
            return False
        return True

    def close(self) -> None:
        self._server.close()

    @Slot()
    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            client = self._server.nextPendingConnection()
            self._clients.append(client)
            client.readyRead.connect(self._read)
            client.disconnected.connect(self._forget)
            if client.canReadLine():
                self._answer(client)

    @Slot()
    def _read(self) -> None:
        for client in list(self._clients):
            if client.canReadLine():
                self._answer(client)

    def _answer(self, client: QLocalSocket) -> None:
        if bytes(client.readLine().data()) != _REQUEST:
            client.disconnectFromServer()
            return
        log.info("brought to the front: another start asked for this database")
        self.come_forward.emit()
        client.write(_ANSWER)
        client.flush()

    @Slot()
    def _forget(self) -> None:
        for client in list(self._clients):
            if client.state() == QLocalSocket.LocalSocketState.UnconnectedState:
                self._clients.remove(client)
                client.deleteLater()


def ask_to_come_forward(database_file: Path, within_ms: int = ASK_FOR_MS) -> bool:
    """Ask the window that has ``database_file`` open to come to the front; whether it did.

    Runs a local event loop rather than blocking waits, so it works from the first window's
    own thread too (tests start both in one process).
    """
    loop = QEventLoop()
    socket = QLocalSocket()
    answered: list[bool] = []
    received = bytearray()
    name = server_name(database_file)

    def connect() -> None:
        if socket.state() == QLocalSocket.LocalSocketState.UnconnectedState:
            socket.connectToServer(name)

    def connected() -> None:
        socket.write(_REQUEST)
        socket.flush()

    def read() -> None:
        received.extend(bytes(socket.readAll().data()))
        if bytes(received) == _ANSWER:
            answered.append(True)
            loop.quit()

    retry = QTimer()
    retry.setInterval(_RETRY_MS)
    retry.timeout.connect(connect)
    deadline = QTimer()
    deadline.setSingleShot(True)
    deadline.timeout.connect(loop.quit)
    socket.connected.connect(connected)
    socket.readyRead.connect(read)
    retry.start()
    deadline.start(within_ms)
    connect()
    loop.exec()
    retry.stop()
    deadline.stop()
    socket.abort()
    return bool(answered)
