"""``backup`` and ``restore``: the database file (``forget`` is in privacy.py)."""

from __future__ import annotations

import contextlib
from argparse import ArgumentParser
from datetime import datetime
from pathlib import Path

from recruiter_desk.cli.context import Context
from recruiter_desk.core import maintenance
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
        ctx.location, ctx.args.output, datetime.now(), ctx.settings.backups_to_keep
    )
    print(f"Backed up {ctx.shown_location} to {target}.", file=ctx.out)
    return 0


def arguments_restore(parser: ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE")


def run_restore(ctx: Context) -> int:
    result = maintenance.restore_database(
        ctx.location, ctx.args.file, datetime.now(), ctx.settings.backups_to_keep
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
