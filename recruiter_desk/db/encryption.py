"""Encryption at rest with SQLCipher: the key, encrypted connections, converting a file.

Imported only for an encrypted database (or by ``encrypt``/``decrypt``), so opening a plain
one never loads SQLCipher. The key lives in the OS keyring (one entry for this app, so its
backups and staging copies open with it too); where no keyring is usable the recruiter
gives a passphrase each run (``RECRUITER_DESK_PASSPHRASE``, or typed on a terminal), which is
kept in this process's memory only.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from recruiter_desk.db.backup import is_encrypted_file
from recruiter_desk.errors import KnownError
from recruiter_desk.keychain import keyring_usable

KEYRING_SERVICE = "recruiter-desk"
KEYRING_ACCOUNT = "database-key"
PASSPHRASE_VARIABLE = "RECRUITER_DESK_PASSPHRASE"

# Keys found this run, newest first, as the text PRAGMA key takes. Never written anywhere.
_KEYS: list[str] = []

# The window installs a dialog here; it returns the passphrase or None when cancelled.
ask_passphrase: Callable[[Path, bool], str | None] | None = None


def is_encrypted(path: Path) -> bool:
    return is_encrypted_file(path)


_QUIET: list[bool] = []


def _module() -> Any:
    try:
        import sqlcipher3
    except ImportError as error:  # pragma: no cover - the wheel is a dependency
        raise KnownError(
            "This database is encrypted, and SQLCipher is not installed "
            "(pip install sqlcipher3-wheels)."
        ) from error
    if not _QUIET:
        # SQLCipher prints every failed key attempt to standard error; the sentence we
        # raise says it better.
        quiet = sqlcipher3.connect(":memory:")
        quiet.execute("PRAGMA cipher_log_level = NONE")
        quiet.close()
        _QUIET.append(True)
    return sqlcipher3


def dbapi() -> Any:
    """The DB-API module of SQLCipher, for SQLAlchemy's ``module=``."""
    return _module().dbapi2


def _raw(hex_key: str) -> str:
    # A raw 256-bit key skips SQLCipher's key derivation, which costs a fraction of a
    # second on every new connection.
    return f"\"x'{hex_key}'\""


def _passphrase(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _keyring_key() -> str | None:
    import keyring
    import keyring.errors

    if not keyring_usable():
        return None
    try:
        stored = keyring.get_password(KEYRING_SERVICE, KEYRING_ACCOUNT)
    except keyring.errors.KeyringError:
        return None
    return _raw(stored) if stored else None


def _asked(path: Path, new: bool) -> str:
    """A passphrase from the environment, the window, or the terminal; else one sentence."""
    given = os.environ.get(PASSPHRASE_VARIABLE)
    if given:
        return given
    if ask_passphrase is not None:
        answer = ask_passphrase(path, new)
        if not answer:
            raise KnownError(f"The database {path} stays closed: no passphrase was given.")
        return answer
    if sys.stdin is not None and sys.stdin.isatty():
        import getpass

        first = getpass.getpass(f"Passphrase for {path.name}: ")
        if new and getpass.getpass("The same passphrase again: ") != first:
            raise KnownError("The two passphrases differ; nothing was changed.")
        if first:
            return first
    raise KnownError(
        f"The database {path} is encrypted and no keyring is usable here: set "
        f"{PASSPHRASE_VARIABLE} or run the command in a terminal to type the passphrase."
        if not new
        else f"Encrypting {path} needs a passphrase where no keyring is usable: set "
        f"{PASSPHRASE_VARIABLE} or run the command in a terminal."
    )


# SQLCipher 4's derivation of a key from a passphrase, whose defaults the app keeps:
# PBKDF2-HMAC-SHA512, 256,000 iterations, 32 bytes, salted with the file's first 16 bytes.
_KDF_ITERATIONS = 256_000
_SALT_BYTES = 16

# Passphrase keys derived this run, by (passphrase key, file salt). Never written anywhere.
_DERIVED: dict[tuple[str, bytes], str] = {}


def _file_key(path: Path, key: str) -> str:
    """The key to give a connection to ``path``: a passphrase is derived once per file.

    The derivation is deliberately slow (about 0.2 s); SQLCipher would repeat it on every
    connection (the engine's pool, backups, checks). Derived here once, the same 256-bit key
    goes in raw, which SQLCipher uses as is, with the file's own salt. A raw key, or a file
    without a salt yet (a new one: SQLCipher picks its salt), keeps the key as given.
    """
    if not key.startswith("'"):
        return key
    try:
        with path.open("rb") as file:
            salt = file.read(_SALT_BYTES)
    except OSError:
        return key
    if len(salt) < _SALT_BYTES or not is_encrypted_file(path):
        return key
    derived = _DERIVED.get((key, salt))
    if derived is None:
        passphrase = key[1:-1].replace("''", "'").encode()
        raw = hashlib.pbkdf2_hmac("sha512", passphrase, salt, _KDF_ITERATIONS, 32)
        derived = _DERIVED[(key, salt)] = _raw(raw.hex())
    return derived


def _target_path(target: str) -> Path:
    """The file behind a connection target (a path, or a ``file:PATH?mode=ro`` URI)."""
    if target.startswith("file:"):
        return Path(target[len("file:") :].split("?", 1)[0])
    return Path(target)


def _key_connection(connection: Any, path: Path, key: str) -> None:
    connection.execute(f"PRAGMA key = {_file_key(path, key)}")
    # Wiping every freed allocation costs much and protects little here (the key stays in
    # memory while the file is open anyway); SQLCipher 4.12 has it off, and off it stays.
    connection.execute("PRAGMA cipher_memory_security = OFF")


def _opens_with(path: Path, key: str) -> bool:
    connection = _module().connect(f"file:{path}?mode=ro", uri=True)
    try:
        _key_connection(connection, path, key)
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except _module().DatabaseError:
        return False
    finally:
        connection.close()


def key_for(path: Path) -> str:
    """The key that opens the encrypted ``path``: known this run, the keyring's, or asked."""
    for key in _KEYS:
        if _opens_with(path, key):
            return key
    stored = _keyring_key()
    if stored is not None and _opens_with(path, stored):
        _KEYS.insert(0, stored)
        return stored
    key = _passphrase(_asked(path, new=False))
    if not _opens_with(path, key):
        raise KnownError(
            f"The database {path} is encrypted with another key: "
            + (
                "neither the keyring's key nor the passphrase given opens it."
                if stored
                else "the passphrase given does not open it."
            )
        )
    _KEYS.insert(0, key)
    return key


def new_key(path: Path) -> str:
    """The key to encrypt with: the keyring's (made once), or a passphrase asked for."""
    known = _keyring_key()
    if known is not None:
        return known
    if keyring_usable():
        import keyring
        import keyring.errors

        with contextlib.suppress(keyring.errors.KeyringError):
            keyring.set_password(KEYRING_SERVICE, KEYRING_ACCOUNT, secrets.token_hex(32))
            known = _keyring_key()
            if known is not None:
                return known
    return _passphrase(_asked(path, new=True))


def connector(key: str) -> Callable[..., Any]:
    """``connect(path, **kwargs)`` for SQLCipher with ``key`` applied before anything else."""
    module = _module()

    def connect(target: str, **kwargs: Any) -> Any:
        connection = module.connect(target, **kwargs)
        _key_connection(connection, _target_path(target), key)
        # SQLCipher never encrypts temporary files: a sort, a grouping or a temporary table
        # spilled to one would leave plain rows on disk. In memory, nothing is left; the
        # price is SQLite's slower in-memory sorter (docs/architecture.md, Encryption).
        connection.execute("PRAGMA temp_store = MEMORY")
        return connection

    return connect


def connector_for(path: Path) -> Callable[..., Any]:
    return connector(key_for(path))


def known_connector(path: Path) -> Callable[..., Any] | None:
    """A connector if a key known without asking (this run's, the keyring's) opens ``path``."""
    stored = _keyring_key()
    for key in (*_KEYS, *([stored] if stored else [])):
        if _opens_with(path, key):
            return connector(key)
    return None


# -- converting in place ------------------------------------------------------------------


def _tables(connection: Any, schema: str = "main") -> dict[str, int]:
    # Virtual tables are counted through the tables that hold their data: a contentless
    # FTS5 index without a size table cannot be scanned (interaction_search.py).
    names = [
        row[0]
        for row in connection.execute(
            f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'"
        )
    ]
    return {
        name: connection.execute(f'SELECT count(*) FROM {schema}."{name}"').fetchone()[0]
        for name in names
    }


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _quiet_side_files(path: Path) -> None:
    """Fold the WAL into the file and drop it, so no stale WAL meets the converted file."""
    connection = sqlite3.connect(path) if not is_encrypted(path) else connector_for(path)(str(path))
    try:
        connection.execute("PRAGMA busy_timeout = 5000")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute("PRAGMA journal_mode = DELETE")
    finally:
        connection.close()


class ConversionCancelled(Exception):
    """The recruiter cancelled a conversion; nothing was changed."""


# SQLite calls the progress handler every this many virtual-machine steps: often enough to
# cancel within a fraction of a second, rarely enough to cost nothing.
_PROGRESS_STEPS = 20_000


def convert(
    path: Path,
    encrypt: bool,
    *,
    passphrase: str | None = None,
    progress: Callable[[str, float], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> None:
    """Encrypt (or decrypt) ``path`` in place: a verified copy first, then an atomic swap.

    A crash at any moment leaves either the old file or the complete new one under the
    database's name; the copy beside it is removed by the next conversion. ``passphrase``
    (encrypting where no keyring is usable) was asked for by the caller; ``progress`` gets
    (stage, fraction) and ``cancelled`` is checked while copying and checking, where it
    raises ``ConversionCancelled`` and leaves the database as it was.
    """
    from recruiter_desk.db.backup import create_private_file, remove_database_file

    if not path.exists() or path.stat().st_size == 0:
        raise KnownError(f"There is no database at {path}.")
    if is_encrypted(path) == encrypt:
        state = "already encrypted" if encrypt else "not encrypted"
        raise KnownError(f"The database {path} is {state}; nothing was changed.")
    given = _passphrase(passphrase) if passphrase else None
    key = (given or new_key(path)) if encrypt else key_for(path)
    report = progress or (lambda _stage, _fraction: None)
    staging = path.with_name(f".{path.name}.converting")
    remove_database_file(staging)
    total = max(1, path.stat().st_size)
    stop: list[bool] = []

    def copying() -> int:
        if cancelled is not None and cancelled():
            stop.append(True)
            return 1  # SQLite interrupts the statement; the copy is thrown away
        with contextlib.suppress(OSError):
            report("Copying the database…", 0.8 * min(1.0, staging.stat().st_size / total))
        return 0

    def checking() -> int:
        if cancelled is not None and cancelled():
            stop.append(True)
            return 1
        return 0

    try:
        if cancelled is not None and cancelled():
            raise ConversionCancelled
        report("Copying the database…", 0.0)
        _quiet_side_files(path)
        create_private_file(staging)
        source = connector(key)(str(path)) if not encrypt else _module().connect(str(path))
        try:
            target_key = key if encrypt else "''"
            source.execute(f"ATTACH DATABASE ? AS converted KEY {target_key}", (str(staging),))
            source.set_progress_handler(copying, _PROGRESS_STEPS)
            source.execute("SELECT sqlcipher_export('converted')")
            source.set_progress_handler(None, 0)
            version = source.execute("PRAGMA main.user_version").fetchone()[0]
            source.execute(f"PRAGMA converted.user_version = {int(version)}")
            expected = _tables(source)
            source.commit()
            source.execute("DETACH DATABASE converted")
        finally:
            source.close()
        report("Checking the copy…", 0.85)
        check = connector(key)(str(staging)) if encrypt else sqlite3.connect(staging)
        try:
            check.set_progress_handler(checking, _PROGRESS_STEPS)
            ok = check.execute("PRAGMA quick_check").fetchone()
            copied = _tables(check)
        finally:
            check.close()
        if not ok or ok[0] != "ok" or copied != expected:
            raise KnownError(
                f"The converted copy of {path} did not check out; nothing was changed."
            )
        if cancelled is not None and cancelled():
            raise ConversionCancelled
        report("Replacing the database…", 0.95)
        _fsync(staging)
        os.replace(staging, path)
        _fsync(path.parent)
        report("Done", 1.0)
    except (sqlite3.Error, _module().Error, OSError) as error:
        if stop:
            raise ConversionCancelled from error
        raise KnownError(f"Converting {path} failed ({error}); nothing was changed.") from error
    finally:
        remove_database_file(staging)
    if encrypt:
        _KEYS.insert(0, key)
