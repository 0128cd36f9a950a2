"""``import``, ``imports``, ``undo-import`` and ``export``: files in and out."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path

from recruiter_desk.cli.arguments import day, whole
from recruiter_desk.cli.context import Context
from recruiter_desk.cli.render import table
from recruiter_desk.core.clock import utc_now
from recruiter_desk.core.exports import EXPORT_FORMATS, VCARD_VERSIONS, export
from recruiter_desk.core.imports.csv_formats import MAPPABLE, parse_mapping
from recruiter_desk.core.imports.reading import FORMATS as IMPORT_FORMATS
from recruiter_desk.core.imports.service import (
    FORMAT_LABELS,
    import_files,
    list_batches,
    undo_batch,
)
from recruiter_desk.core.people import PeopleQuery
from recruiter_desk.core.warmth import STATUSES
from recruiter_desk.core.wording import count


def arguments_import(parser: ArgumentParser) -> None:
    parser.add_argument("files", type=Path, nargs="+", metavar="FILE")
    parser.add_argument(
        "--format", choices=IMPORT_FORMATS, help="skip detection and read the files as this format"
    )
    parser.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="HEADER=FIELD",
        help=f"for a generic CSV: which column fills which field ({', '.join(MAPPABLE)})",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="report what would happen without writing anything"
    )
    parser.add_argument("--json", action="store_true")


def run_import(ctx: Context) -> int:
    mapping = parse_mapping(ctx.args.map)
    if not ctx.args.dry_run:
        from recruiter_desk.core.maintenance import safety_backup

        safety_backup(ctx.database, "before-import", utc_now())
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
        if file.problems_unlisted:
            ctx.out.write(f"  … and {count(file.problems_unlisted, 'more problem')}.\n")
    if report.dry_run:
        ctx.out.write("Dry run: nothing was written.\n")
    return 0


def arguments_export(parser: ArgumentParser) -> None:
    parser.add_argument("--format", required=True, choices=EXPORT_FORMATS)
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FILE|-",
        help="where to write; - for standard output",
    )
    parser.add_argument("--search", metavar="Q")
    parser.add_argument("--status", choices=STATUSES)
    parser.add_argument("--tag")
    parser.add_argument("--as-of", type=day)
    parser.add_argument(
        "--vcard-version",
        choices=VCARD_VERSIONS,
        default="3.0",
        help="3.0 (default) is read by every address book; 4.0 by fewer",
    )
    parser.add_argument(
        "--include-do-not-contact",
        action="store_true",
        help="google, outlook, vcard, ics: also write people marked do-not-contact (marked so)",
    )
    parser.add_argument(
        "--todo",
        action="store_true",
        help="ics: follow-ups as tasks (VTODO) instead of all-day events with a reminder",
    )


def run_export(ctx: Context) -> int:
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
        include_do_not_contact=ctx.args.include_do_not_contact,
        todo=ctx.args.todo,
        stdout=ctx.out,
    )
    if not to_stdout:
        what = "follow-up" if result.format == "ics" else "person"
        ctx.out.write(f"Exported {count(result.written, what)} to {result.target}.\n")
    return 0


def arguments_imports(parser: ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true")


def run_imports(ctx: Context) -> int:
    batches = list_batches(ctx.database)
    if ctx.args.json:
        ctx.emit_json([b.to_json() for b in batches])
        return 0
    if not batches:
        ctx.out.write("Nothing has been imported yet.\n")
        return 0
    table(
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


def arguments_undo_import(parser: ArgumentParser) -> None:
    parser.add_argument("batch_id", type=whole, metavar="BATCH")


def run_undo_import(ctx: Context) -> int:
    result = undo_batch(ctx.database, ctx.args.batch_id, utc_now())
    removed = count(result.removed, "person")
    ctx.out.write(f"Removed {removed} added by import batch {result.batch_id}.\n")
    if result.mail_removed and result.format == "calendar":
        meetings = count(result.mail_removed, "meeting interaction")
        ctx.out.write(f"Removed {meetings} it imported from calendar files.\n")
    elif result.mail_removed:
        emails = count(result.mail_removed, "email interaction")
        ctx.out.write(f"Removed {emails} it imported from mail.\n")
    if result.kept:
        shown = ", ".join(result.kept[:10]) + (" …" if len(result.kept) > 10 else "")
        ctx.out.write(f"Kept {len(result.kept)} you have changed since: {shown}.\n")
    if result.updated_kept:
        updated = count(result.updated_kept, "person")
        ctx.out.write(
            f"Updated but already here before it, so kept with the new details: {updated}.\n"
        )
    return 0
