"""The command line (DESIGN.md §4). It calls core services only and prints their results."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

from recruiter_desk import __version__
from recruiter_desk.core import maintenance
from recruiter_desk.core.clock import AsOf, as_of, local_zone, parse_day
from recruiter_desk.core.people import PeopleQuery, PersonRow, list_people
from recruiter_desk.core.warmth import STATUSES, WarmthPolicy
from recruiter_desk.db.open import open_database
from recruiter_desk.db.session import Database
from recruiter_desk.errors import KnownError, UsageError
from recruiter_desk.paths import app_paths, database_location
from recruiter_desk.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class Context:
    """What every command needs: the parsed arguments, settings and the database."""

    args: argparse.Namespace
    settings: Settings
    out: TextIO
    _database: Database | None = None

    @property
    def location(self) -> str:
        return database_location(self.args.db)

    @property
    def database(self) -> Database:
        if self._database is None:
            self._database = open_database(
                self.location, backups_to_keep=self.settings.backups_to_keep
            )
        return self._database

    @property
    def as_of(self) -> AsOf:
        day = getattr(self.args, "as_of", None)
        return as_of(day, local_zone(self.settings.timezone))

    @property
    def policy(self) -> WarmthPolicy:
        return WarmthPolicy.from_settings(self.settings)

    def close(self) -> None:
        if self._database is not None:
            self._database.close()

    def emit_json(self, value: Any) -> None:
        json.dump(value, self.out, ensure_ascii=False, indent=2)
        self.out.write("\n")


def _day(value: str) -> date:
    try:
        return parse_day(value, "--as-of date")
    except UsageError as error:
        raise argparse.ArgumentTypeError(str(error)) from error


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from error
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} must be 1 or more")
    return number


def _int(value: str) -> int:
    try:
        return int(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from error


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="recruiter-desk",
        description="Recruiter Desk: keep your whole network warm, and never ghost anyone.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH|URL",
        help="database file or SQLAlchemy URL (default: $RECRUITER_DESK_DB or the data folder)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = commands.add_parser("demo", help="fill an empty database with a generated network")
    demo.add_argument("--people", type=_positive, default=2000, help="how many people")
    demo.add_argument("--seed", type=_int, default=1, help="the same seed gives the same network")
    demo.add_argument("--as-of", type=_day, help="the day the network is generated around")
    demo.add_argument(
        "--if-empty",
        action="store_true",
        help="do nothing (and succeed) when the database already has people",
    )
    demo.set_defaults(handler=cmd_demo)

    people = commands.add_parser("people", help="list people with their warmth")
    people.add_argument("--search", metavar="Q", help="words to find (prefixes, any accents)")
    people.add_argument("--status", choices=STATUSES)
    people.add_argument("--tag")
    people.add_argument("--as-of", type=_day, help="compute warmth as of this day")
    people.add_argument(
        "--sort", default="name", choices=("name", "company", "status", "last_touch")
    )
    people.add_argument("--limit", type=_positive)
    people.add_argument("--json", action="store_true", help="machine-readable output")
    people.set_defaults(handler=cmd_people)

    backup = commands.add_parser("backup", help="copy the database safely, even while in use")
    backup.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="where to write (default: a rotating backup in the data folder)",
    )
    backup.set_defaults(handler=cmd_backup)

    restore = commands.add_parser("restore", help="replace the database with a backup")
    restore.add_argument("file", type=Path, metavar="FILE")
    restore.set_defaults(handler=cmd_restore)

    forget = commands.add_parser("forget", help="erase a person and everything about them")
    forget.add_argument("person_id", type=_int, metavar="PERSON_ID")
    forget.set_defaults(handler=cmd_forget)
    return parser


# -- commands ---------------------------------------------------------------------------


def cmd_demo(ctx: Context) -> int:
    started = time.perf_counter()
    last_shown = [0.0]

    def progress(stage: str, fraction: float) -> None:
        if sys.stderr.isatty() and fraction - last_shown[0] >= 0.05:
            last_shown[0] = fraction
            print(f"\r{stage}… {fraction:4.0%}", end="", file=sys.stderr, flush=True)

    from recruiter_desk.core.demo import generate_demo, people_count

    if ctx.args.if_empty and people_count(ctx.database):
        print(f"{ctx.location} already holds people; no demo network added.", file=ctx.out)
        return 0
    summary = generate_demo(
        ctx.database,
        people=ctx.args.people,
        seed=ctx.args.seed,
        as_of=ctx.as_of.day,
        progress=progress,
    )
    if sys.stderr.isatty():
        print(file=sys.stderr)
    assert summary is not None
    elapsed = time.perf_counter() - started
    print(
        f"Demo network written to {ctx.location}: {summary.people} people, "
        f"{summary.interactions} interactions, {summary.opportunities} opportunities, "
        f"{summary.candidacies} candidacies, {summary.follow_ups} follow-ups, "
        f"{summary.articles} articles ({elapsed:.1f} s).",
        file=ctx.out,
    )
    return 0


def _relative(days: int) -> str:
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 60:
        return f"{days} days ago"
    if days < 730:
        return f"{days // 30} months ago"
    return f"{days // 365} years ago"


def _table(rows: Sequence[Sequence[str]], headers: Sequence[str], out: TextIO) -> None:
    limits = [7, 28, 14, 14, 26, 30]
    clipped = [
        [v if len(v) <= w else v[: w - 1] + "…" for v, w in zip(row, limits, strict=False)]
        for row in rows
    ]
    widths = [
        max(len(h), *(len(r[i]) for r in clipped)) if clipped else len(h)
        for i, h in enumerate(headers)
    ]
    out.write("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip() + "\n")
    for row in clipped:
        out.write("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() + "\n")


def print_people(rows: list[PersonRow], out: TextIO) -> None:
    if not rows:
        out.write("No one matches.\n")
        return
    _table(
        [
            [
                str(r.id),
                r.full_name,
                r.status.replace("_", "-"),
                _relative(r.days_since_touch),
                r.company,
                r.title,
            ]
            for r in rows
        ],
        ["ID", "NAME", "STATUS", "LAST TOUCH", "COMPANY", "TITLE"],
        out,
    )
    out.write(f"{len(rows)} {'person' if len(rows) == 1 else 'people'}\n")


def cmd_people(ctx: Context) -> int:
    query = PeopleQuery(
        search=ctx.args.search, status=ctx.args.status, tag=ctx.args.tag, sort=ctx.args.sort
    )
    with ctx.database.connect() as connection:
        rows = list_people(
            connection, query, ctx.as_of, ctx.policy, limit=ctx.args.limit, with_lists=True
        )
    if ctx.args.json:
        ctx.emit_json([r.to_json() for r in rows])
    else:
        print_people(rows, ctx.out)
    return 0


def cmd_backup(ctx: Context) -> int:
    # Open first, so migration and integrity problems surface before anything is copied.
    ctx.database.checkpoint()
    target = maintenance.backup_database(
        ctx.location, ctx.args.output, datetime.now(), ctx.settings.backups_to_keep
    )
    print(f"Backed up {ctx.location} to {target}.", file=ctx.out)
    return 0


def cmd_restore(ctx: Context) -> int:
    result = maintenance.restore_database(
        ctx.location, ctx.args.file, datetime.now(), ctx.settings.backups_to_keep
    )
    print(f"Restored {ctx.location} from {result.restored_from}.", file=ctx.out)
    if result.previous_saved_as:
        print(f"The database it replaced is kept at {result.previous_saved_as}.", file=ctx.out)
    # Opening applies any migration the restored file needs, now rather than later.
    open_database(ctx.location, daily_backup=False).close()
    return 0


def cmd_forget(ctx: Context) -> int:
    report = maintenance.forget_person(ctx.database, ctx.args.person_id, datetime.now())
    details = ", ".join(f"{count} {label}" for label, count in report.erased.items() if count)
    print(
        f"Erased person {report.person_id} ({report.full_name or 'no name'})"
        + (f" with {details}" if details else "")
        + ". Later imports will skip them.",
        file=ctx.out,
    )
    return 0


# -- running ----------------------------------------------------------------------------


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    handler: Callable[[Context], int] = args.handler
    context = Context(args, Settings.load(app_paths().settings_file), out or sys.stdout)
    try:
        return handler(context)
    except UsageError as error:
        print(f"recruiter-desk: {error}", file=sys.stderr)
        return 2
    except KnownError as error:
        log.info("command %s failed: %s", args.command, error)
        print(f"recruiter-desk: {error}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("recruiter-desk: interrupted; nothing was half-written.", file=sys.stderr)
        return 130
    except Exception:
        log.exception("unexpected failure in command %s", args.command)
        print(
            "recruiter-desk: an unexpected error stopped the command; nothing was half-written. "
            f"Details are in {app_paths().log_file}.",
            file=sys.stderr,
        )
        return 1
    finally:
        context.close()
