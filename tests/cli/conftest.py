"""Fixtures shared by the command-line tests."""

from tests.backends import backend
from tests.imap_server import imap_server, proxy
from tests.mail_server import mailbox, memory_keyring

__all__ = ["backend", "imap_server", "mailbox", "memory_keyring", "proxy"]
