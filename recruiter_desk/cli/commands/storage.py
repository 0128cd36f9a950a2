"""``backup`` and ``restore``: the database file (``forget`` is in privacy.py)."""

from __future__ import annotations

import contextlib
from argparse import ArgumentParser
from datetime import datetime
from pathlib import Path

from recruiter_desk.cli.context import Context
from recruiter_desk.core import maintenance
from recruiter_desk.db.backup import Retention
from recruiter_desk.errors import KnownError


def arguments_backup(parser: ArgumentParser) -> None:
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="where to write (default: a rotating backup in the data folder)",
    )


def run_backup(ctx: Context) -> int:
    # Open first, so migration and integrity problems surface before anything is copied.
    database = ctx.database
    # The checkpoint only makes the copy's source smaller (the backup API copies the WAL's
    # pages too); on a full disk it cannot run, and a backup to another disk must still work.
    with contextlib.suppress(KnownError):
        database.checkpoint()
    target = maintenance.backup_database(
        ctx.location, ctx.args.output, datetime.now(), Retention.from_settings(ctx.settings)
    )
    print(f"Backed up {ctx.shown_location} to {target}.", file=ctx.out)
    return 0


def arguments_backups(parser: ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true")


def run_backups(ctx: Context) -> int:
    entries = maintenance.list_backups(ctx.location)
    if ctx.args.json:
        ctx.emit_json([entry.to_json() for entry in entries])
        return 0
    if not entries:
        print(f"There are no automatic backups of {ctx.shown_location} yet.", file=ctx.out)
        return 0
    from recruiter_desk.cli.render import table

    rows = [
        [
            entry.name,
            entry.kind,
            entry.taken_at.strftime("%Y-%m-%d %H:%M"),
            f"{entry.size / 1_000_000:.1f} MB",
        ]
        for entry in entries
    ]
    table(rows, ["NAME", "KIND", "TIME", "SIZE"], ctx.out)
    return 0


def arguments_restore(parser: ArgumentParser) -> None:
    parser.add_argument(
        "file", metavar="BACKUP", help="a backup's name as 'backups' lists it, or a file"
    )


def run_restore(ctx: Context) -> int:
    file = maintenance.backup_named(ctx.location, ctx.args.file)
    result = maintenance.restore_database(
        ctx.location, file, datetime.now(), Retention.from_settings(ctx.settings)
    )
    print(f"Restored {ctx.shown_location} from {result.restored_from}.", file=ctx.out)
    if result.previous_saved_as:
        print(f"The database it replaced is kept at {result.previous_saved_as}.", file=ctx.out)
    if result.erased_again:
        print(
            f"{result.erased_again} people forgotten since that backup was taken were erased "
            "again.",
            file=ctx.out,
        )
    return 0


def arguments_encrypt(parser: ArgumentParser) -> None:
    pass


def run_encrypt(ctx: Context) -> int:
    path = maintenance.convert_encryption(ctx.location, encrypt=True)
    print(
        f"Encrypted {path}; its key is in the keyring, or is the passphrase you gave. "
        "Backups made from now on are encrypted with it; older backups stay as they were.",
        file=ctx.out,
    )
    return 0


def arguments_decrypt(parser: ArgumentParser) -> None:
    pass


def run_decrypt(ctx: Context) -> int:
    path = maintenance.convert_encryption(ctx.location, encrypt=False)
    print(f"Decrypted {path}: it is a plain SQLite file again.", file=ctx.out)
    return 0
