"""The command line (DESIGN.md §4). It calls core services only and prints their results."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

from recruiter_desk import __version__
from recruiter_desk.core import maintenance
from recruiter_desk.core.articles import readers_for, share_article
from recruiter_desk.core.clock import AsOf, as_of, local_zone, parse_day, parse_moment, utc_now
from recruiter_desk.core.exports import EXPORT_FORMATS, export
from recruiter_desk.core.followups import (
    add_follow_up,
    complete_follow_up,
    list_follow_ups,
    snooze,
)
from recruiter_desk.core.imports.csv_formats import MAPPABLE, parse_mapping
from recruiter_desk.core.imports.reading import FORMATS as IMPORT_FORMATS
from recruiter_desk.core.imports.service import (
    FORMAT_LABELS,
    import_files,
    list_batches,
    undo_batch,
)
from recruiter_desk.core.matching import matches_for
from recruiter_desk.core.opportunities import add_opportunity, list_opportunities, person_card
from recruiter_desk.core.owed import owed_messages
from recruiter_desk.core.people import PeopleQuery, PersonRow, list_people
from recruiter_desk.core.pipeline import move_stage
from recruiter_desk.core.records import PersonFields, create_person, log_interaction
from recruiter_desk.core.vocabulary import (
    DIRECTIONS,
    INTERACTION_KINDS,
    OPENNESS,
    STAGES,
    WORK_MODE_BITS,
)
from recruiter_desk.core.warmth import STATUSES, WarmthPolicy
from recruiter_desk.db.engine import display_location
from recruiter_desk.db.open import open_database
from recruiter_desk.db.session import Database
from recruiter_desk.errors import KnownError, UsageError
from recruiter_desk.paths import app_paths, database_location
from recruiter_desk.settings import Settings

log = logging.getLogger(__name__)

WORK_MODES = tuple(WORK_MODE_BITS)


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
    def shown_location(self) -> str:
        return display_location(self.location)

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
    people.add_argument(
        "--changed-jobs",
        action="store_true",
        help="only people whose new job a LinkedIn import revealed",
    )
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

    import_cmd = commands.add_parser(
        "import", help="import contacts: LinkedIn, vCard, Google, Outlook, CSV, this app's JSON"
    )
    import_cmd.add_argument("files", type=Path, nargs="+", metavar="FILE")
    import_cmd.add_argument(
        "--format", choices=IMPORT_FORMATS, help="skip detection and read the files as this format"
    )
    import_cmd.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="HEADER=FIELD",
        help=f"for a generic CSV: which column fills which field ({', '.join(MAPPABLE)})",
    )
    import_cmd.add_argument(
        "--dry-run", action="store_true", help="report what would happen without writing anything"
    )
    import_cmd.add_argument("--json", action="store_true")
    import_cmd.set_defaults(handler=cmd_import)

    export_cmd = commands.add_parser("export", help="write people to a file other tools read")
    export_cmd.add_argument("--format", required=True, choices=EXPORT_FORMATS)
    export_cmd.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FILE|-",
        help="where to write; - for standard output",
    )
    export_cmd.add_argument("--search", metavar="Q")
    export_cmd.add_argument("--status", choices=STATUSES)
    export_cmd.add_argument("--tag")
    export_cmd.add_argument("--as-of", type=_day)
    export_cmd.add_argument("--vcard-version", choices=("4.0", "3.0"), default="4.0")
    export_cmd.set_defaults(handler=cmd_export)

    imports = commands.add_parser("imports", help="list import batches")
    imports.add_argument("--json", action="store_true")
    imports.set_defaults(handler=cmd_imports)

    undo_import = commands.add_parser(
        "undo-import", help="remove the people an import added (if untouched since)"
    )
    undo_import.add_argument("batch_id", type=_int, metavar="BATCH")
    undo_import.set_defaults(handler=cmd_undo_import)

    add_person = commands.add_parser("add-person", help="add one person by hand")
    add_person.add_argument("--first", default="", metavar="NAME")
    add_person.add_argument("--last", default="", metavar="NAME")
    add_person.add_argument("--email", action="append", default=[])
    add_person.add_argument("--phone", action="append", default=[])
    add_person.add_argument("--company", default="")
    add_person.add_argument("--title", default="")
    add_person.add_argument("--location", default="")
    add_person.add_argument("--linkedin", metavar="URL")
    add_person.add_argument("--tag", action="append", default=[])
    add_person.add_argument("--interest", action="append", default=[])
    add_person.add_argument("--work-mode", action="append", default=[], choices=WORK_MODES)
    add_person.add_argument("--openness", default="open", choices=OPENNESS)
    add_person.add_argument("--applicant", action="store_true")
    add_person.add_argument("--do-not-contact", action="store_true")
    add_person.add_argument("--cadence", type=_positive, metavar="DAYS")
    add_person.add_argument("--notes", default="")
    add_person.set_defaults(handler=cmd_add_person)

    add_role = commands.add_parser("add-opportunity", help="add a role")
    add_role.add_argument("title")
    add_role.add_argument("--company", default="")
    add_role.add_argument("--work-mode", choices=WORK_MODES)
    add_role.add_argument("--location", default="")
    add_role.add_argument("--skill", action="append", default=[])
    add_role.set_defaults(handler=cmd_add_opportunity)

    owed = commands.add_parser("owed", help="who is owed a message, and why")
    owed.add_argument("--as-of", type=_day)
    owed.add_argument("--json", action="store_true")
    owed.set_defaults(handler=cmd_owed)

    opportunities = commands.add_parser("opportunities", help="list roles and their pipelines")
    opportunities.add_argument("--json", action="store_true")
    opportunities.set_defaults(handler=cmd_opportunities)

    matches = commands.add_parser("matches", help="who fits a role, and who is left out and why")
    matches.add_argument("opportunity_id", type=_int, metavar="OPPORTUNITY_ID")
    matches.add_argument("--as-of", type=_day)
    matches.add_argument("--limit", type=_positive, default=50)
    matches.add_argument("--json", action="store_true")
    matches.set_defaults(handler=cmd_matches)

    person = commands.add_parser("person", help="one person: warmth explained, process, follow-ups")
    person.add_argument("person_id", type=_int, metavar="PERSON_ID")
    person.add_argument("--as-of", type=_day)
    person.set_defaults(handler=cmd_person)

    log_cmd = commands.add_parser("log", help="record an interaction with a person")
    log_cmd.add_argument("person_id", type=_int, metavar="PERSON_ID")
    log_cmd.add_argument("--kind", required=True, choices=INTERACTION_KINDS)
    log_cmd.add_argument("--direction", default="outbound", choices=DIRECTIONS)
    log_cmd.add_argument("--at", metavar="WHEN", help="ISO date or time (default: now)")
    log_cmd.add_argument("--subject", default="")
    log_cmd.add_argument("--body", default="")
    log_cmd.add_argument("--opportunity", type=_int, metavar="ID")
    log_cmd.add_argument("--json", action="store_true")
    log_cmd.set_defaults(handler=cmd_log)

    stage = commands.add_parser("stage", help="move a person to a stage on a role")
    stage.add_argument("person_id", type=_int, metavar="PERSON_ID")
    stage.add_argument("opportunity_id", type=_int, metavar="OPPORTUNITY_ID")
    stage.add_argument("stage", choices=STAGES, metavar="STAGE")
    stage.add_argument("--at", metavar="WHEN", help="ISO date or time (default: now)")
    stage.add_argument("--json", action="store_true")
    stage.set_defaults(handler=cmd_stage)

    followups = commands.add_parser("followups", help="open follow-ups, soonest first")
    followups.add_argument("--due", action="store_true", help="only those due by --as-of")
    followups.add_argument("--as-of", type=_day)
    followups.add_argument("--json", action="store_true")
    followups.set_defaults(handler=cmd_followups)

    followup = commands.add_parser("followup", help="add a follow-up for a person")
    followup.add_argument("person_id", type=_int, metavar="PERSON_ID")
    followup.add_argument("due_on", type=_day, metavar="DUE_DATE")
    followup.add_argument("--reason", default="")
    followup.set_defaults(handler=cmd_followup)

    done = commands.add_parser("done", help="mark a follow-up as done")
    done.add_argument("follow_up_id", type=_int, metavar="FOLLOWUP_ID")
    done.set_defaults(handler=cmd_done)

    snooze = commands.add_parser("snooze", help="keep a person from showing as cold for N days")
    snooze.add_argument("person_id", type=_int, metavar="PERSON_ID")
    snooze.add_argument("days", type=_positive, metavar="DAYS")
    snooze.add_argument("--as-of", type=_day)
    snooze.set_defaults(handler=cmd_snooze)

    readers = commands.add_parser("readers", help="who would care about an article, coolest first")
    readers.add_argument("article_id", type=_int, metavar="ARTICLE_ID")
    readers.add_argument("--as-of", type=_day)
    readers.add_argument("--limit", type=_positive, default=20)
    readers.add_argument("--json", action="store_true")
    readers.set_defaults(handler=cmd_readers)

    share = commands.add_parser("share", help="record an article as shared with people")
    share.add_argument("article_id", type=_int, metavar="ARTICLE_ID")
    share.add_argument("person_ids", type=_int, nargs="+", metavar="PERSON_ID")
    share.add_argument("--at", metavar="WHEN")
    share.set_defaults(handler=cmd_share)
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
        print(f"{ctx.shown_location} already holds people; no demo network added.", file=ctx.out)
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
        f"Demo network written to {ctx.shown_location}: {summary.people} people, "
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


def _width(text: str) -> int:
    """Columns a string takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _clip(text: str, limit: int) -> str:
    if _width(text) <= limit:
        return text
    kept = ""
    for char in text:
        if _width(kept + char) > limit - 1:
            break
        kept += char
    return kept + "…"


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _table(
    rows: Sequence[Sequence[str]],
    headers: Sequence[str],
    out: TextIO,
    limits: Sequence[int] | None = None,
) -> None:
    """Aligned columns; every column but the last is clipped to its limit."""
    caps = list(limits or [])
    caps += [40] * (len(headers) - len(caps))
    caps[-1] = 10_000
    clipped = [[_clip(v, cap) for v, cap in zip(row, caps, strict=True)] for row in rows]
    widths = [max([_width(h), *(_width(r[i]) for r in clipped)]) for i, h in enumerate(headers)]
    out.write("  ".join(_pad(h, w) for h, w in zip(headers, widths, strict=True)).rstrip() + "\n")
    for row in clipped:
        out.write("  ".join(_pad(v, w) for v, w in zip(row, widths, strict=True)).rstrip() + "\n")


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
        limits=[7, 28, 14, 14, 28],
    )
    out.write(f"{len(rows)} {'person' if len(rows) == 1 else 'people'}\n")


def cmd_people(ctx: Context) -> int:
    query = PeopleQuery(
        search=ctx.args.search,
        status=ctx.args.status,
        tag=ctx.args.tag,
        changed_jobs=ctx.args.changed_jobs,
        sort=ctx.args.sort,
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
    print(f"Backed up {ctx.shown_location} to {target}.", file=ctx.out)
    return 0


def cmd_restore(ctx: Context) -> int:
    result = maintenance.restore_database(
        ctx.location, ctx.args.file, datetime.now(), ctx.settings.backups_to_keep
    )
    print(f"Restored {ctx.shown_location} from {result.restored_from}.", file=ctx.out)
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


def _moment(ctx: Context, value: str | None) -> datetime:
    if not value:
        return utc_now()
    return parse_moment(value, ctx.as_of.zone)


def cmd_import(ctx: Context) -> int:
    mapping = parse_mapping(ctx.args.map)
    report = import_files(
        ctx.database,
        ctx.args.files,
        now=utc_now(),
        fmt=ctx.args.format,
        mapping=mapping,
        dry_run=ctx.args.dry_run,
    )
    if ctx.args.json:
        ctx.emit_json(report.to_json())
        return 0
    for file in report.files:
        label = FORMAT_LABELS.get(file.format, file.format)
        counts = (
            f"{file.added} added, {file.updated} updated, {file.unchanged} unchanged, "
            f"{file.skipped} skipped"
        )
        if file.job_changes:
            counts += f"; {file.job_changes} changed jobs"
        batch = f" (import batch {file.batch_id})" if file.batch_id else ""
        ctx.out.write(f"{file.file} — {label}: {counts}{batch}.\n")
        for problem in file.problems:
            ctx.out.write(f"  line {problem.line}: {problem.message}\n")
    if report.dry_run:
        ctx.out.write("Dry run: nothing was written.\n")
    return 0


def cmd_export(ctx: Context) -> int:
    query = PeopleQuery(search=ctx.args.search, status=ctx.args.status, tag=ctx.args.tag)
    to_stdout = ctx.args.output == "-"
    result = export(
        ctx.database,
        ctx.args.format,
        None if to_stdout else Path(ctx.args.output),
        query=query,
        as_of=ctx.as_of,
        policy=ctx.policy,
        now=utc_now(),
        vcard_version=ctx.args.vcard_version,
        stdout=ctx.out,
    )
    if not to_stdout:
        what = "follow-ups" if result.format == "ics" else "people"
        ctx.out.write(f"Exported {result.written} {what} to {result.target}.\n")
    return 0


def cmd_imports(ctx: Context) -> int:
    batches = list_batches(ctx.database)
    if ctx.args.json:
        ctx.emit_json([b.to_json() for b in batches])
        return 0
    if not batches:
        ctx.out.write("Nothing has been imported yet.\n")
        return 0
    _table(
        [
            [
                str(b.id),
                f"{b.started_at:%Y-%m-%d %H:%M}",
                FORMAT_LABELS.get(b.format, b.format),
                str(b.added),
                str(b.updated),
                str(b.skipped),
                f"undone {b.undone_at:%Y-%m-%d}" if b.undone_at else "",
                b.source,
            ]
            for b in batches
        ],
        ["BATCH", "WHEN (UTC)", "FORMAT", "ADDED", "UPDATED", "SKIPPED", "", "FILE"],
        ctx.out,
    )
    return 0


def cmd_undo_import(ctx: Context) -> int:
    result = undo_batch(ctx.database, ctx.args.batch_id, utc_now())
    ctx.out.write(f"Removed {result.removed} people added by import batch {result.batch_id}.\n")
    if result.kept:
        shown = ", ".join(result.kept[:10]) + (" …" if len(result.kept) > 10 else "")
        ctx.out.write(f"Kept {len(result.kept)} you have changed since: {shown}.\n")
    if result.updated_kept:
        ctx.out.write(f"{result.updated_kept} existing people it updated keep the new details.\n")
    return 0


def cmd_add_person(ctx: Context) -> int:
    a = ctx.args
    fields = PersonFields(
        first_name=a.first,
        last_name=a.last,
        emails=a.email,
        phones=a.phone,
        company=a.company,
        title=a.title,
        location=a.location,
        linkedin_url=a.linkedin,
        tags=a.tag,
        interests=a.interest,
        work_modes=a.work_mode,
        openness=a.openness,
        is_applicant=a.applicant,
        do_not_contact=a.do_not_contact,
        cadence_days=a.cadence,
        notes=a.notes,
        source="manual",
    )
    with ctx.database.session() as session:
        person_id = create_person(session, fields, utc_now()).id
    ctx.out.write(f"Added person {person_id}.\n")
    return 0


def cmd_add_opportunity(ctx: Context) -> int:
    a = ctx.args
    with ctx.database.session() as session:
        opportunity_id = add_opportunity(
            session,
            title=a.title,
            now=utc_now(),
            company=a.company,
            work_mode=a.work_mode,
            location=a.location,
            skills=a.skill,
        ).id
    ctx.out.write(f"Added opportunity {opportunity_id}.\n")
    return 0


def cmd_owed(ctx: Context) -> int:
    with ctx.database.connect() as connection:
        owed = owed_messages(connection, ctx.as_of, ctx.settings)
    if ctx.args.json:
        ctx.emit_json([o.to_json() for o in owed])
        return 0
    if not owed:
        ctx.out.write("No one is waiting on you.\n")
        return 0
    _table(
        [
            [str(o.person_id), o.full_name, o.reason, o.since.isoformat(), o.opportunity or ""]
            for o in owed
        ],
        ["ID", "NAME", "OWES", "WAITING SINCE", "OPPORTUNITY"],
        ctx.out,
    )
    ctx.out.write(f"{len(owed)} owed\n")
    return 0


def cmd_opportunities(ctx: Context) -> int:
    with ctx.database.connect() as connection:
        roles = list_opportunities(connection)
    if ctx.args.json:
        ctx.emit_json([r.to_json() for r in roles])
        return 0
    _table(
        [
            [
                str(r.id),
                r.title,
                r.company,
                r.work_mode or "",
                r.status,
                " ".join(f"{k}:{v}" for k, v in r.pipeline.items()),
            ]
            for r in roles
        ],
        ["ID", "TITLE", "COMPANY", "MODE", "STATUS", "PIPELINE"],
        ctx.out,
    )
    return 0


def _why_excluded(reason: str, work_modes: list[str]) -> str:
    if reason == "work_mode":
        return f"wants {' or '.join(work_modes)}"
    return {"do_not_contact": "do-not-contact", "not_looking": "not looking"}.get(reason, reason)


def cmd_matches(ctx: Context) -> int:
    with ctx.database.connect() as connection:
        found = matches_for(
            connection, ctx.args.opportunity_id, ctx.as_of, ctx.policy, limit=ctx.args.limit
        )
    if ctx.args.json:
        ctx.emit_json(found.to_json())
        return 0
    role = found.opportunity
    where = ", ".join(p for p in (role.work_mode or "work mode unknown", role.location) if p)
    ctx.out.write(f"{role.title} at {role.company or 'no company'} ({where})\n")
    ctx.out.write(f"\nFits ({len(found.fits)} shown):\n")
    if found.fits:
        _table(
            [
                [
                    str(f.person.id),
                    f.person.full_name,
                    f.person.title,
                    f.person.location,
                    f.person.status,
                    f.openness.replace("_", " "),
                    ", ".join(f.person.work_modes) or "unknown",
                    ", ".join(f.shared_skills),
                ]
                for f in found.fits
            ],
            ["ID", "NAME", "TITLE", "LOCATION", "STATUS", "OPENNESS", "MODES", "SHARED SKILLS"],
            ctx.out,
            limits=[7, 24, 30, 16],
        )
    ctx.out.write(f"\nLeft out ({len(found.excluded)} shown):\n")
    if found.excluded:
        _table(
            [
                [
                    str(e.person.id),
                    e.person.full_name,
                    e.person.title,
                    _why_excluded(e.reason, e.person.work_modes),
                ]
                for e in found.excluded
            ],
            ["ID", "NAME", "TITLE", "WHY"],
            ctx.out,
        )
    return 0


def cmd_person(ctx: Context) -> int:
    with ctx.database.connect() as connection:
        card = person_card(connection, ctx.args.person_id, ctx.as_of, ctx.policy, ctx.settings)
    person = card.person
    out = ctx.out
    out.write(f"{person.full_name} (#{person.id})\n")
    if person.title or person.company:
        out.write(
            f"  {person.title}{' at ' if person.title and person.company else ''}{person.company}\n"
        )
    for label, value in (
        ("emails", ", ".join(person.emails)),
        ("phones", ", ".join(person.phones)),
        ("location", person.location),
        ("work modes", ", ".join(person.work_modes) or "unknown"),
        ("openness", person.openness.replace("_", " ")),
        ("tags", ", ".join(person.tags)),
        ("interests", ", ".join(person.interests)),
    ):
        if value:
            out.write(f"  {label}: {value}\n")
    out.write(f"  status: {person.status.replace('_', '-')}. {card.warmth.sentence}\n")
    for owed in card.owed:
        out.write(f"  ! {owed.describe(ctx.as_of)}\n")
    for candidacy in card.candidacies:
        out.write(f"  process: {candidacy}\n")
    for follow_up in card.follow_ups:
        due = "overdue since" if follow_up.overdue else "due"
        out.write(f"  follow-up #{follow_up.id} {due} {follow_up.due_on}: {follow_up.reason}\n")
    return 0


def cmd_log(ctx: Context) -> int:
    at = _moment(ctx, ctx.args.at)
    with ctx.database.session() as session:
        interaction = log_interaction(
            session,
            ctx.args.person_id,
            kind=ctx.args.kind,
            direction=ctx.args.direction,
            occurred_at=at,
            subject=ctx.args.subject,
            body=ctx.args.body,
            opportunity_id=ctx.args.opportunity,
        )
        interaction_id = interaction.id
    if ctx.args.json:
        ctx.emit_json(
            {
                "id": interaction_id,
                "person_id": ctx.args.person_id,
                "kind": ctx.args.kind,
                "direction": ctx.args.direction,
                "occurred_at": at.isoformat() + "+00:00",
            }
        )
    else:
        ctx.out.write(
            f"Logged {ctx.args.direction} {ctx.args.kind} #{interaction_id} "
            f"with person {ctx.args.person_id}.\n"
        )
    return 0


def cmd_stage(ctx: Context) -> int:
    at = _moment(ctx, ctx.args.at)
    with ctx.database.session() as session:
        move = move_stage(
            session,
            ctx.args.person_id,
            ctx.args.opportunity_id,
            ctx.args.stage,
            at,
            ctx.as_of.zone,
            ctx.policy,
        )
    if ctx.args.json:
        ctx.emit_json(
            {
                "candidacy_id": move.candidacy_id,
                "person_id": move.person_id,
                "opportunity_id": move.opportunity_id,
                "previous_stage": move.previous_stage,
                "stage": move.stage,
                "changed_at": move.changed_at.isoformat() + "+00:00",
                "follow_up_id": move.follow_up_id,
                "follow_up_due": move.follow_up_due,
                "suggested_message": move.suggested_message,
            }
        )
        return 0
    was = f" (was {move.previous_stage})" if move.previous_stage else ""
    ctx.out.write(
        f"Person {move.person_id} is now at {move.stage} for {move.opportunity_title}{was}.\n"
    )
    ctx.out.write(f"They are owed a message: send a {move.suggested_message} message.\n")
    if move.follow_up_due:
        ctx.out.write(
            f"Stay-in-touch follow-up #{move.follow_up_id} scheduled for {move.follow_up_due}.\n"
        )
    return 0


def cmd_followups(ctx: Context) -> int:
    with ctx.database.connect() as connection:
        rows = list_follow_ups(connection, ctx.as_of, due_only=ctx.args.due)
    if ctx.args.json:
        ctx.emit_json([r.to_json() for r in rows])
        return 0
    if not rows:
        ctx.out.write("No follow-ups due.\n" if ctx.args.due else "No open follow-ups.\n")
        return 0
    _table(
        [
            [str(r.id), r.due_on.isoformat() + (" !" if r.overdue else ""), r.full_name, r.reason]
            for r in rows
        ],
        ["ID", "DUE", "NAME", "REASON"],
        ctx.out,
    )
    return 0


def cmd_followup(ctx: Context) -> int:
    with ctx.database.session() as session:
        follow_up = add_follow_up(
            session, ctx.args.person_id, ctx.args.due_on, ctx.args.reason, utc_now()
        )
        follow_up_id = follow_up.id
    ctx.out.write(
        f"Follow-up #{follow_up_id} for person {ctx.args.person_id} due {ctx.args.due_on}.\n"
    )
    return 0


def cmd_done(ctx: Context) -> int:
    with ctx.database.session() as session:
        complete_follow_up(session, ctx.args.follow_up_id, utc_now())
    ctx.out.write(f"Follow-up #{ctx.args.follow_up_id} done.\n")
    return 0


def cmd_snooze(ctx: Context) -> int:
    with ctx.database.session() as session:
        until = snooze(session, ctx.args.person_id, ctx.args.days, ctx.as_of)
    ctx.out.write(f"Person {ctx.args.person_id} will not show as cold before {until}.\n")
    return 0


def cmd_readers(ctx: Context) -> int:
    with ctx.database.connect() as connection:
        readers = readers_for(
            connection, ctx.args.article_id, ctx.as_of, ctx.policy, limit=ctx.args.limit
        )
    if ctx.args.json:
        ctx.emit_json([r.to_json() for r in readers])
        return 0
    if not readers:
        ctx.out.write("No one in your network follows these topics.\n")
        return 0
    _table(
        [
            [
                str(r.person.id),
                r.person.full_name,
                r.person.status,
                _relative(r.person.days_since_touch),
                ", ".join(r.topics),
            ]
            for r in readers
        ],
        ["ID", "NAME", "STATUS", "LAST TOUCH", "TOPICS"],
        ctx.out,
    )
    return 0


def cmd_share(ctx: Context) -> int:
    at = _moment(ctx, ctx.args.at)
    with ctx.database.session() as session:
        count = share_article(session, ctx.args.article_id, ctx.args.person_ids, at)
    ctx.out.write(
        f"Recorded article {ctx.args.article_id} as shared with {count} "
        f"{'person' if count == 1 else 'people'}.\n"
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
