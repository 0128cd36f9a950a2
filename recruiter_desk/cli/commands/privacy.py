"""``forget`` and ``scrub-backups``: the recruiter's duties as the data controller."""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import datetime

from recruiter_desk.cli.arguments import PERSON_HELP
from recruiter_desk.cli.context import Context
from recruiter_desk.core import privacy
from recruiter_desk.db.engine import sqlite_path


def arguments_forget(parser: ArgumentParser) -> None:
    parser.add_argument("person", metavar="PERSON", help=PERSON_HELP)
    parser.add_argument(
        "--scrub-backups",
        action="store_true",
        help="also rewrite every backup in the backup folder without them",
    )


def run_forget(ctx: Context) -> int:
    person_id = ctx.person_id(ctx.args.person)
    result = privacy.erase_person(
        ctx.database, person_id, datetime.now(), scrub_backups=ctx.args.scrub_backups
    )
    report = result.forget
    details = ", ".join(f"{count} {label}" for label, count in report.erased.items() if count)
    print(
        f"Erased person {report.person_id} ({report.full_name})"
        + (f" with {details}" if details else "")
        + ". Later imports will skip them.",
        file=ctx.out,
    )
    if result.backups_scrubbed:
        print(f"Removed them from {_backups(len(result.backups_scrubbed))}.", file=ctx.out)
    if ctx.database.is_sqlite:
        print(
            privacy.describe_backups(result.backups_holding, ctx.settings.backups_to_keep),
            file=ctx.out,
        )
    return 0


def _backups(count: int) -> str:
    return f"{count} backup" + ("" if count == 1 else "s")


def arguments_scrub_backups(parser: ArgumentParser) -> None:
    pass


def run_scrub_backups(ctx: Context) -> int:
    path = sqlite_path(ctx.location)
    if path is None:
        print("A server database keeps no backups here; nothing to scrub.", file=ctx.out)
        return 0
    ctx.database  # noqa: B018 - opening it first checks and migrates it
    scrubbed = privacy.scrub_all_backups(path)
    if not scrubbed:
        print("No backup holds anyone who was forgotten.", file=ctx.out)
        return 0
    print(f"Rewrote {_backups(len(scrubbed))} without the people forgotten:", file=ctx.out)
    for file in scrubbed:
        print(f"  {file}", file=ctx.out)
    return 0
