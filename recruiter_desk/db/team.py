"""Who is writing: the recruiter every new interaction and stage change is recorded under.

A team shares one database, so each write carries the name of the recruiter who made it
(docs/team.md). The name travels as an execution option of the engine (``open_database``'s
``recruiter``), which every connection and ORM session of that database inherits; the
columns' Python-side default reads it, so no writer has to pass it along and a Core bulk
insert is attributed exactly like an ORM one.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from recruiter_desk.settings import os_user

RECRUITER_OPTION = "recruiter"


def acting_recruiter(context: Any) -> str:
    """Column default: the recruiter of the connection that runs the insert."""
    options = getattr(context, "execution_options", None) or {}
    return str(options.get(RECRUITER_OPTION) or os_user())


def recruiter_of(connection: Connection) -> str:
    """The recruiter writing through ``connection``."""
    return str(connection.get_execution_options().get(RECRUITER_OPTION) or os_user())


def edited(connection: Connection) -> dict[str, Any]:
    """The values a Core ``update(Person)`` or ``update(Opportunity)`` that changes what
    the editor shows adds: one more version, and who made it (an editor open on an older
    version then refuses to save over it: core/team.py)."""
    from sqlalchemy import literal_column

    return {"version": literal_column("version") + 1, "updated_by": recruiter_of(connection)}


# The keyring entry of a server's password: service, and account "user@host:port/database".
KEYRING_SERVICE = "recruiter-desk-database"


def keyring_account(location: str) -> str | None:
    """The keyring account name of a server URL (None for SQLite or an unreadable URL)."""
    from sqlalchemy.engine import make_url

    try:
        url = make_url(location)
    except Exception:
        return None
    if url.get_backend_name() == "sqlite" or not url.username:
        return None
    return f"{url.username}@{url.host or 'localhost'}:{url.port or 5432}/{url.database or ''}"


def with_stored_password(location: str) -> str:
    """``location`` with the password the OS keyring holds for it, when it has none of its
    own; else as it is (libpq then reads ~/.pgpass or PGPASSWORD itself). The password
    never leaves memory: what is shown and logged is the location as given."""
    account = keyring_account(location)
    if account is None or "://" not in location:
        return location
    from sqlalchemy.engine import make_url

    url = make_url(location)
    if url.password:
        return location
    from recruiter_desk.keychain import keyring_usable

    try:
        if not keyring_usable():
            return location
        import keyring

        password = keyring.get_password(KEYRING_SERVICE, account)
    except Exception:
        return location
    if not password:
        return location
    return url.set(password=password).render_as_string(hide_password=False)
