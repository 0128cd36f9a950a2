"""``import-mail``: mail files become touchpoints (docs/mail.md)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path

from recruiter_desk.cli.context import Context
from recruiter_desk.cli.render import table
from recruiter_desk.core.clock import utc_now
from recruiter_desk.core.mail.importer import import_mail, summary_lines
from recruiter_desk.core.wording import plural

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
    parser.add_argument(
        "--me",
        action="append",
        default=[],
        metavar="ADDRESS",
        help="an address of yours (repeatable; added to my_addresses from Settings)",
    )
    parser.add_argument(
        "--add-unknown",
        action="store_true",
        help="add the people you corresponded with who are not here yet (never bulk senders)",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="report what would happen without writing anything"
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
    if ctx.args.json:
        ctx.emit_json(report.to_json())
        return 0
    out = ctx.out
    for line in summary_lines(report):
        if report.dry_run and line.startswith("Dry run"):
            continue
        out.write(line + "\n")
    if report.unknown:
        shown = report.unknown[:_UNKNOWN_SHOWN]
        them = "it" if len(report.unknown) == 1 else "them"
        out.write(f"Import again with --add-unknown to add {them}:\n")
        table(
            [[u.address, u.name, f"{u.messages} {plural('message', u.messages)}"] for u in shown],
            ["ADDRESS", "NAME", "MAIL"],
            out,
        )
        if len(report.unknown) > len(shown):
            out.write(f"… and {len(report.unknown) - len(shown)} more (--json lists all).\n")
    if report.dry_run:
        out.write("Dry run: nothing was written.\n")
    return 0
