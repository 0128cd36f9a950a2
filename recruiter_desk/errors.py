"""Two kinds of failure: the environment's (a KnownError, told plainly) and bugs (logged)."""

from __future__ import annotations

import re

# A secret in a URL: ``user:password@`` or a query value such as ``?password=`` or
# ``&sslpassword=`` (libpq and most drivers accept both spellings).
_URL_USER_PASSWORD = re.compile(r"(\w[\w+.-]*://[^:/?#@\s]*:)[^@/\s]*(@)")
_QUERY_SECRET = re.compile(
    r"([?&;][^=&#\s]*(?:password|passwd|pwd|secret|token|apikey|api_key)[^=&#\s]*=)[^&#\s]*",
    re.IGNORECASE,
)


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


class DiskFull(KnownError):
    """The disk holding a SQLite database has no room, not even for the index of its
    write-ahead log: commands that only read may still open it read-only (docs/architecture.md,
    "A full disk")."""

    def __init__(self, location: str) -> None:
        self.disk = f"The disk holding {location} is full"
        super().__init__(f"{self.disk}; free some space and try again.")


class ServerUnreachable(KnownError):
    """A team database's server did not answer (down, no network, wrong address): the app
    may offer its last local copy, read-only (docs/team.md, "Offline")."""


def mask_secrets(text: str) -> str:
    """``text`` with every password or token in a URL replaced by ``***``."""
    return _QUERY_SECRET.sub(r"\1***", _URL_USER_PASSWORD.sub(r"\1***\2", text))
