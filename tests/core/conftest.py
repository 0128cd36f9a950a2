"""Fixtures shared by the core tests."""

from tests.backends import backend
from tests.mail_server import mailbox, memory_keyring

__all__ = ["backend", "mailbox", "memory_keyring"]
