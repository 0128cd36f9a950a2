"""Fixtures shared by the command-line tests."""

from tests.mail_server import mailbox, memory_keyring

__all__ = ["mailbox", "memory_keyring"]
