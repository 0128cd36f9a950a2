"""Encryption at rest through the command line: keyring, passphrase, wrong key, backups."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from recruiter_desk.db import encryption
from tests.cli.helpers import run
from tests.mail_server import MemoryKeyring

PASS = {"RECRUITER_DESK_PASSPHRASE": "correct horse battery"}


@pytest.fixture(autouse=True)
def fresh_keys() -> Iterator[None]:
    """Each test starts as a new process would: no key known yet."""
    encryption._KEYS.clear()
    yield
    encryption._KEYS.clear()


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


def _names(db: Path, env: dict[str, str] | None = None) -> list[str]:
    out = run("--db", str(db), "people", "--json", env=env).stdout
    return [p["full_name"] for p in json.loads(out)]


def _plain_sqlite_refuses(path: Path) -> None:
    connection = sqlite3.connect(path)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="not a database"):
            connection.execute("SELECT count(*) FROM people").fetchone()
    finally:
        connection.close()


def test_encrypt_with_the_keyring_then_decrypt(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    db = tmp_path / "desk.sqlite3"
    run("--db", str(db), "add-person", "--first", "Ana", "--last", "Lopez")
    result = run("--db", str(db), "encrypt")
    assert result.stdout.startswith(f"Encrypted {db}")
    _plain_sqlite_refuses(db)
    assert (encryption.KEYRING_SERVICE, encryption.KEYRING_ACCOUNT) in memory_keyring.passwords
    assert b"Lopez" not in db.read_bytes()
    encryption._KEYS.clear()  # a new run finds the key in the keyring
    assert _names(db) == ["Ana Lopez"]
    # A backup of the encrypted database is encrypted with the same key.
    backup_line = run("--db", str(db), "backup").stdout
    copy = Path(backup_line.split(" to ", 1)[1].rstrip(".\n"))
    _plain_sqlite_refuses(copy)
    opened = encryption.connector_for(copy)(str(copy))
    assert opened.execute("SELECT count(*) FROM people").fetchone() == (1,)
    opened.close()
    # ... and restores by name.
    run("--db", str(db), "add-person", "--first", "Bea")
    run("--db", str(db), "restore", copy.name)
    assert _names(db) == ["Ana Lopez"]

    assert run("--db", str(db), "decrypt").stdout.startswith(f"Decrypted {db}")
    connection = sqlite3.connect(db)
    assert connection.execute("SELECT count(*) FROM people").fetchone() == (1,)
    connection.close()


def test_without_a_keyring_a_passphrase_is_asked_and_checked(
    tmp_path: Path, no_keyring: None
) -> None:
    db = tmp_path / "desk.sqlite3"
    run("--db", str(db), "add-person", "--first", "Ana", "--last", "Lopez")
    refused = run("--db", str(db), "encrypt", check_ok=False)
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        f"recruiter-desk: Encrypting {db} needs a passphrase where no keyring is usable: "
        "set RECRUITER_DESK_PASSPHRASE or run the command in a terminal."
    )
    run("--db", str(db), "encrypt", env=PASS)
    _plain_sqlite_refuses(db)
    encryption._KEYS.clear()
    assert _names(db, PASS) == ["Ana Lopez"]

    encryption._KEYS.clear()
    missing = run("--db", str(db), "people", check_ok=False)
    assert missing.returncode == 1 and missing.stdout == ""
    assert missing.stderr.strip() == (
        f"recruiter-desk: The database {db} is encrypted and no keyring is usable here: set "
        "RECRUITER_DESK_PASSPHRASE or run the command in a terminal to type the passphrase."
    )
    wrong = run(
        "--db", str(db), "people", env={"RECRUITER_DESK_PASSPHRASE": "wrong"}, check_ok=False
    )
    assert wrong.returncode == 1
    assert wrong.stderr.strip() == (
        f"recruiter-desk: The database {db} is encrypted with another key: "
        "the passphrase given does not open it."
    )


def test_forget_and_bulk_erase_work_on_an_encrypted_database(
    tmp_path: Path, no_keyring: None
) -> None:
    """The erasure rewrites the encrypted file and its encrypted backups with their key (it
    opened them as plain SQLite files and crashed)."""
    db = tmp_path / "desk.sqlite3"
    run("--db", str(db), "demo", "--people", "12", "--as-of", "2026-11-25", env=PASS)
    run("--db", str(db), "encrypt", env=PASS)
    run("--db", str(db), "backup", env=PASS)  # an encrypted backup that holds everyone
    forgot = run("--db", str(db), "forget", "1", "--scrub-backups", env=PASS)
    assert "Removed them from 2 backups." in forgot.stdout  # a plain one and an encrypted one
    assert "No backup in the backup folder holds them." in forgot.stdout
    erased = run(
        "--db", str(db), "retention", "--as-of", "2031-01-01", "--erase", "--yes", env=PASS
    )
    assert erased.stdout.startswith("Erased ")
    _plain_sqlite_refuses(db)
    left = _names(db, PASS)
    assert 0 < len(left) < 11


def test_a_passphrase_is_derived_once_and_every_connection_gets_the_derived_key(
    tmp_path: Path, no_keyring: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLCipher derives a passphrase's key anew on every connection (about 0.2 s each: the
    pool's, the key check's, a backup's); the app derives it once per file and gives SQLCipher
    the 256-bit result, so opening costs one derivation (docs/architecture.md)."""
    import sqlcipher3

    db = tmp_path / "desk.sqlite3"
    run("--db", str(db), "add-person", "--first", "Ana", "--last", "Lopez")
    run("--db", str(db), "encrypt", env=PASS)
    encryption._KEYS.clear()
    encryption._DERIVED.clear()
    keys: list[str] = []

    class Recording(sqlcipher3.Connection):  # type: ignore[misc]
        def execute(self, sql: str, *args: object) -> object:
            if sql.startswith("PRAGMA key"):
                keys.append(sql)
            return super().execute(sql, *args)

    real_connect = sqlcipher3.connect
    monkeypatch.setattr(
        sqlcipher3, "connect", lambda *a, **k: real_connect(*a, factory=Recording, **k)
    )
    assert _names(db, PASS) == ["Ana Lopez"]
    run("--db", str(db), "add-person", "--first", "Bea", env=PASS)
    assert sorted(_names(db, PASS)) == ["Ana Lopez", "Bea"]
    # One derivation per file: the database, and each backup (SQLCipher salts a new file).
    from recruiter_desk.db.backup import backup_dir_for

    files = [db, *backup_dir_for(db).glob("*.sqlite3")]
    salts = {file.read_bytes()[:16] for file in files if encryption.is_encrypted(file)}
    assert sorted(salt for _key, salt in encryption._DERIVED) == sorted(salts)
    # The passphrase itself goes to SQLCipher only for a file it creates (and salts): a backup.
    backups = len(files) - 1
    assert backups >= 1
    assert len([key for key in keys if not key.startswith("PRAGMA key = \"x'")]) == backups
    assert len(keys) > 2 * backups
    encryption._KEYS.clear()  # a new run: the keys derived stay, and open nothing else
    wrong = run(
        "--db", str(db), "people", env={"RECRUITER_DESK_PASSPHRASE": "wrong"}, check_ok=False
    )
    assert wrong.returncode == 1 and "encrypted with another key" in wrong.stderr


def test_the_app_s_encrypted_connections_keep_sqlcipher_s_protections(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    """Speed settings must not trade away safety: every page keeps its HMAC (a changed byte
    is an error), temporary data stays in memory (SQLCipher writes temporary files plain),
    and the raw key never goes through a derivation (docs/architecture.md)."""
    from recruiter_desk.db.open import open_database

    db = tmp_path / "desk.sqlite3"
    run("--db", str(db), "add-person", "--first", "Ana", "--last", "Lopez")
    run("--db", str(db), "encrypt")
    encryption._KEYS.clear()
    database = open_database(str(db), daily_backup=False)
    try:
        with database.connect() as connection:

            def pragma(name: str) -> object:
                return connection.exec_driver_sql(f"PRAGMA {name}").scalar()

            assert pragma("cipher_use_hmac") in (1, "1")
            assert pragma("cipher_hmac_algorithm") == "HMAC_SHA512"
            assert pragma("cipher_page_size") in (4096, "4096")
            assert pragma("temp_store") == 2  # MEMORY
            assert pragma("cipher_memory_security") in (0, "0")
            assert connection.exec_driver_sql("SELECT count(*) FROM people").scalar() == 1
    finally:
        database.close()
    # A flipped byte inside a page is refused, not read as other data.
    data = bytearray(db.read_bytes())
    data[4096 + 2000] ^= 0xFF
    db.write_bytes(bytes(data))
    encryption._KEYS.clear()
    broken = run("--db", str(db), "people", check_ok=False)
    assert broken.returncode == 1
    assert broken.stderr.startswith(f"recruiter-desk: The database {db} is damaged")
