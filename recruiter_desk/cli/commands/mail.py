"""``import-mail``, ``sync-mail`` and ``import-calendar``: mail files, the IMAP account and
calendar files become touchpoints (docs/mail.md)."""

from __future__ import annotations

import getpass
import sys
from argparse import ArgumentParser
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from recruiter_desk.cli.arguments import day
from recruiter_desk.cli.context import Context
from recruiter_desk.cli.render import table
from recruiter_desk.core.clock import utc_now
from recruiter_desk.core.mail.importer import (
    MailReport,
    UnknownCorrespondent,
    import_mail,
    summary_lines,
)
from recruiter_desk.core.wording import plural

if TYPE_CHECKING:
    from recruiter_desk.core.mail.calendar import CalendarReport

# sync-mail's exit status when the server cannot be reached or the line drops: nothing is
# lost, run it again later (EX_TEMPFAIL of sysexits.h, which schedulers know to retry).
OFFLINE = 75

# How many unknown correspondents the text report lists (all of them are in --json).
_UNKNOWN_SHOWN = 20


def arguments_import_mail(parser: ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        type=Path,
        nargs="+",
        metavar="PATH",
        help=".eml files or folders of them, mbox files, Maildir folders",
    )
    _me_and_json(parser)
    parser.add_argument(
        "--add-unknown",
        action="store_true",
        help="add the people you corresponded with who are not here yet (never bulk senders)",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="report what would happen without writing anything"
    )


def _me_and_json(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--me",
        action="append",
        default=[],
        metavar="ADDRESS",
        help="an address of yours (repeatable; added to my_addresses from Settings)",
    )
    parser.add_argument("--json", action="store_true")


def run_import_mail(ctx: Context) -> int:
    report = import_mail(
        ctx.database,
        ctx.args.paths,
        my_addresses=[*ctx.settings.my_addresses, *ctx.args.me],
        now=utc_now(),
        add_unknown=ctx.args.add_unknown,
        dry_run=ctx.args.dry_run,
    )
    return _print_import(ctx, report, summary_lines(report), "message")


def _print_import(
    ctx: Context, report: MailReport | CalendarReport, lines: list[str], unit: str
) -> int:
    """A mail or calendar import's report: its JSON, or its lines, the unknown people and
    the dry-run notice last."""
    if ctx.args.json:
        ctx.emit_json(report.to_json())
        return 0
    for line in lines:
        if report.dry_run and line.startswith("Dry run"):
            continue
        ctx.out.write(line + "\n")
    if report.unknown:
        them = "it" if len(report.unknown) == 1 else "them"
        _unknown_table(ctx, report.unknown, f"Import again with --add-unknown to add {them}:", unit)
    if report.dry_run:
        ctx.out.write("Dry run: nothing was written.\n")
    return 0


def arguments_sync_mail(parser: ArgumentParser) -> None:
    parser.description = (
        "Read what is new since the last sync in the mail account's folders (Settings → Mail "
        "account: imap_host, imap_port, imap_security, imap_user, imap_folders; the password "
        f"in the system keyring). Exit status {OFFLINE} when the server cannot be reached: "
        "nothing is lost, run it again when online."
    )
    _me_and_json(parser)
    parser.add_argument(
        "--add-unknown",
        action="store_true",
        help="add the people you corresponded with who are not here yet (never bulk senders)",
    )


def _ask(prompt: str) -> str | None:
    if not sys.stdin.isatty():
        return None
    return getpass.getpass(f"{prompt}: ")


def run_sync_mail(ctx: Context) -> int:
    from recruiter_desk.core.mail.imap import MailOffline

    try:
        report = ctx.services.sync_mail(ask=_ask, me=ctx.args.me, add_unknown=ctx.args.add_unknown)
    except MailOffline as offline:
        if ctx.args.json:
            ctx.emit_json({"offline": True, "error": offline.message})
        print(f"recruiter-desk: {offline.message}", file=sys.stderr)
        return OFFLINE
    if ctx.args.json:
        ctx.emit_json(report.to_json())
        return 0
    for line in report.lines():
        ctx.out.write(line + "\n")
    if report.mail.unknown:
        _unknown_table(
            ctx,
            report.mail.unknown,
            "Not in your network (add-person adds one; sync-mail --add-unknown adds such "
            "people as their mail arrives):",
        )
    return 0


def _unknown_table(
    ctx: Context, unknown: Sequence[UnknownCorrespondent], heading: str, unit: str = "message"
) -> None:
    shown = unknown[:_UNKNOWN_SHOWN]
    ctx.out.write(heading + "\n")
    table(
        [[u.address, u.name, f"{u.messages} {plural(unit, u.messages)}"] for u in shown],
        ["ADDRESS", "NAME", "MAIL" if unit == "message" else "MEETINGS"],
        ctx.out,
    )
    if len(unknown) > len(shown):
        ctx.out.write(f"… and {len(unknown) - len(shown)} more (--json lists all).\n")


def arguments_import_calendar(parser: ArgumentParser) -> None:
    parser.add_argument(
        "paths", type=Path, nargs="+", metavar="PATH", help=".ics files or folders of them"
    )
    _me_and_json(parser)
    parser.add_argument(
        "--as-of",
        type=day,
        metavar="DATE",
        help="count meetings held up to the end of this day (default: up to now)",
    )
    parser.add_argument(
        "--add-unknown",
        action="store_true",
        help="add the attendees who are not here yet as people (never rooms or lists)",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="report what would happen without writing anything"
    )


def run_import_calendar(ctx: Context) -> int:
    from recruiter_desk.core.mail.calendar import import_calendar
    from recruiter_desk.core.mail.calendar import summary_lines as calendar_lines

    as_of = ctx.as_of
    report = import_calendar(
        ctx.database,
        ctx.args.paths,
        my_addresses=[*ctx.settings.my_addresses, *ctx.args.me],
        zone=as_of.zone,
        until=as_of.end_utc if ctx.args.as_of else utc_now(),
        now=utc_now(),
        add_unknown=ctx.args.add_unknown,
        dry_run=ctx.args.dry_run,
    )
    return _print_import(ctx, report, calendar_lines(report), "meeting")
