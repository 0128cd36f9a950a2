"""``forget`` and ``scrub-backups``: the recruiter's duties as the data controller."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from datetime import datetime
from pathlib import Path

from recruiter_desk.cli.arguments import PERSON_HELP, day, positive
from recruiter_desk.cli.context import Context
from recruiter_desk.cli.render import table
from recruiter_desk.core import privacy
from recruiter_desk.core.wording import count as count_words
from recruiter_desk.db.engine import sqlite_path
from recruiter_desk.errors import UsageError


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
            privacy.describe_backups(result.backups_holding, ctx.settings.backups_daily),
            file=ctx.out,
        )
    return 0


def _backups(count: int) -> str:
    return count_words(count, "backup")


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


def arguments_export_person(parser: ArgumentParser) -> None:
    parser.add_argument("person", metavar="PERSON", help=PERSON_HELP)
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="FILE",
        help="the JSON file to write; a readable .html page is written beside it",
    )


def run_export_person(ctx: Context) -> int:
    person_id = ctx.person_id(ctx.args.person)
    with ctx.database.connect() as connection:
        record = privacy.person_record(connection, person_id)
    data, page = privacy.write_person_record(record, ctx.args.output, datetime.now())
    rows = sum(len(rows) for rows in record.tables.values())
    print(
        f"Wrote everything stored about {record.name} ({rows} records) to {data}, "
        f"and a page to read to {page}.",
        file=ctx.out,
    )
    return 0


def arguments_retention(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--years", type=positive, metavar="N", help="untouched this long (default: setting)"
    )
    parser.add_argument("--as-of", type=day)
    parser.add_argument(
        "--erase",
        action="store_true",
        help="erase everyone listed as untouched, at once (one transaction, each like forget)",
    )
    parser.add_argument(
        "--yes", action="store_true", help="with --erase: do not ask (needed without a terminal)"
    )
    parser.add_argument(
        "--scrub-backups",
        action="store_true",
        help="with --erase: also rewrite every backup without them",
    )
    parser.add_argument("--json", action="store_true")


def run_retention(ctx: Context) -> int:
    years = ctx.args.years or ctx.settings.retention_years
    if (ctx.args.yes or ctx.args.scrub_backups) and not ctx.args.erase:
        raise UsageError("--yes and --scrub-backups go with --erase.")
    with ctx.database.connect() as connection:
        items = privacy.retention_review(connection, ctx.as_of.day, years)
        consents = privacy.consents_expiring(connection, ctx.as_of.day)
    if ctx.args.erase:
        return _erase_untouched(ctx, items, years)
    if ctx.args.json:
        ctx.emit_json(
            {
                "years": years,
                "untouched": [item.to_json() for item in items],
                "consents_expiring": [item.to_json() for item in consents],
            }
        )
        return 0
    if not items:
        print(f"Nobody is untouched for {years} years outside a process.", file=ctx.out)
    else:
        print(
            f"Untouched for {years} years and in no open process; review them, and erase "
            "with 'forget':",
            file=ctx.out,
        )
        rows = [[str(i.person_id), i.name, i.reason] for i in items]
        table(rows, ["ID", "NAME", "WHY"], ctx.out)
    if consents:
        days = privacy.CONSENT_WARNING_DAYS
        print(f"\nConsents ended or ending within {days} days:", file=ctx.out)
        rows = [[str(i.person_id), i.name, i.reason] for i in consents]
        table(rows, ["ID", "NAME", "WHY"], ctx.out)
    return 0


def _erase_untouched(ctx: Context, items: list[privacy.RetentionItem], years: int) -> int:
    if not items:
        if ctx.args.json:
            ctx.emit_json({"years": years, "erased": [], "backups_holding": []})
        else:
            print(f"Nobody is untouched for {years} years outside a process.", file=ctx.out)
        return 0
    people = count_words(len(items), "person")
    if not ctx.args.yes:
        if sys.stdin is None or not sys.stdin.isatty():
            raise UsageError(
                f"retention --erase would erase {people}: add --yes to confirm when not "
                "in a terminal."
            )
        answer = input(
            f"Erase {people} untouched for {years} years, and everything about them? "
            "This cannot be undone. [y/N] "
        )
        if answer.strip().lower() not in ("y", "yes"):
            print("Nobody was erased.", file=ctx.out)
            return 0
    result = privacy.erase_people(
        ctx.database,
        [item.person_id for item in items],
        datetime.now(),
        scrub_backups=ctx.args.scrub_backups,
    )
    if ctx.args.json:
        ctx.emit_json(
            {
                "years": years,
                "erased": [{"id": r.person_id, "name": r.full_name} for r in result.erased],
                "backups_holding": [str(p) for p in result.backups_holding],
            }
        )
        return 0
    print(
        f"Erased {count_words(len(result.erased), 'person')} untouched for {years} years, "
        "each like 'forget'. Later imports will skip them.",
        file=ctx.out,
    )
    if result.backups_scrubbed:
        print(f"Removed them from {_backups(len(result.backups_scrubbed))}.", file=ctx.out)
    if ctx.database.is_sqlite:
        print(
            privacy.describe_backups(result.backups_holding, ctx.settings.backups_daily),
            file=ctx.out,
        )
    return 0


def arguments_lawful_basis(parser: ArgumentParser) -> None:
    parser.add_argument("person", metavar="PERSON", help=PERSON_HELP)
    parser.add_argument(
        "--basis", choices=privacy.LAWFUL_BASES, help="set it (without: show the current one)"
    )
    parser.add_argument("--since", type=day, help="the day it was set (default: today)")
    parser.add_argument(
        "--consent-expires", type=day, metavar="DATE", help="the day a consent ends"
    )
    parser.add_argument("--json", action="store_true")


def run_lawful_basis(ctx: Context) -> int:
    person_id = ctx.person_id(ctx.args.person)
    if ctx.args.basis is None:
        if ctx.args.since or ctx.args.consent_expires:
            raise UsageError("--since and --consent-expires need --basis.")
        with ctx.database.connect() as connection:
            basis = privacy.lawful_basis(connection, person_id)
    else:
        since = ctx.args.since or ctx.as_of.day
        with ctx.database.write() as connection:
            basis = privacy.set_lawful_basis(
                connection, person_id, ctx.args.basis, since, ctx.args.consent_expires
            )
    if ctx.args.json:
        ctx.emit_json({"id": person_id, **basis.to_json()})
        return 0
    print(f"Person {person_id}: {privacy.describe_basis(basis)}", file=ctx.out)
    return 0
