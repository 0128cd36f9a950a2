"""Two kinds of failure: the environment's (a KnownError, told plainly) and bugs (logged)."""

from __future__ import annotations


class KnownError(Exception):
    """A problem the user can understand and act on: bad file, locked database, full disk.

    The message is one complete sentence saying what went wrong and where; front ends show
    it as is, without a traceback.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(KnownError):
    """The user asked for something that does not exist or does not fit (exit status 2)."""


class NotFoundError(KnownError):
    """A record named by id does not exist."""
