"""``people``, ``person`` and ``add-person``: the network and one person in it."""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from recruiter_desk.cli.arguments import PERSON_HELP, day, positive
from recruiter_desk.cli.context import Context
from recruiter_desk.cli.render import people_table
from recruiter_desk.core.people_rows import PersonRow
from recruiter_desk.core.vocabulary import OPENNESS, WARMTH_STATUSES, WORK_MODE_BITS

if TYPE_CHECKING:
    from recruiter_desk.core.people import PeopleQuery

# The core modules that need SQLAlchemy are imported inside the handlers: ``people
# --search`` usually answers through core/quick_read.py without loading it (0.3 s).


def arguments_people(parser: ArgumentParser) -> None:
    parser.add_argument("--search", metavar="Q", help="words to find (prefixes, any accents)")
    parser.add_argument("--status", choices=WARMTH_STATUSES)
    parser.add_argument("--tag")
    parser.add_argument(
        "--changed-jobs",
        action="store_true",
        help="only people whose new job a LinkedIn import revealed",
    )
    parser.add_argument("--as-of", type=day, help="compute warmth as of this day")
    parser.add_argument(
        "--sort", default="name", choices=("name", "company", "status", "last_touch")
    )
    parser.add_argument("--limit", type=positive)
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def run_people(ctx: Context) -> int:
    if ctx.args.json and not ctx.on_terminal:
        lines = _quick_search_json(ctx)
        if lines is None:
            lines = _listed_json(ctx)
        if lines is not None:
            ctx.emit_json_lines(lines)
            return 0
    rows = _quick_search(ctx)
    if rows is None:
        rows = _listed(ctx)
    if ctx.args.json:
        ctx.emit_json([r.to_json() for r in rows])
    else:
        people_table(rows, ctx.out)
    return 0


def _quick(ctx: Context) -> bool:
    """Whether the quick read path may answer: a search sorted by name, of one status or
    all, on a file."""
    a = ctx.args
    if not a.search or a.tag or a.changed_jobs or a.sort != "name":
        return False
    return "://" not in ctx.location


def _quick_search(ctx: Context) -> list[PersonRow] | None:
    """The quick path's rows (core/quick_read.py); None when it cannot answer."""
    # The table shows no list but what names need.
    return _quick_read(ctx, "search_people", emails_only=not ctx.args.json)


def _quick_search_json(ctx: Context) -> list[str] | None:
    """The quick path's JSON lines, written by SQLite; None when it cannot answer."""
    return _quick_read(ctx, "search_people_json")


def _quick_read(ctx: Context, reader: str, **options: Any) -> Any:
    """Call one of core/quick_read.py's readers with this command's search, day, settings
    and limit; None when the quick path cannot answer."""
    if not _quick(ctx):
        return None
    from recruiter_desk.core import quick_read
    from recruiter_desk.core.warmth_policy import WarmthPolicy
    from recruiter_desk.db.backup import Retention

    return getattr(quick_read, reader)(
        Path(ctx.location).expanduser().resolve(),
        ctx.args.search,
        ctx.as_of,
        WarmthPolicy.from_settings(ctx.settings),
        limit=ctx.args.limit,
        now=datetime.now(),
        retention=Retention.from_settings(ctx.settings),
        status=ctx.args.status,
        **options,
    )


def _query(ctx: Context) -> PeopleQuery:
    from recruiter_desk.core.people import PeopleQuery

    return PeopleQuery(
        search=ctx.args.search,
        status=ctx.args.status,
        tag=ctx.args.tag,
        changed_jobs=ctx.args.changed_jobs,
        sort=ctx.args.sort,
    )


def _listed(ctx: Context) -> list[PersonRow]:
    from recruiter_desk.core.people import list_people

    with ctx.database.connect() as connection:
        return list_people(
            connection, _query(ctx), ctx.as_of, ctx.policy, limit=ctx.args.limit, with_lists=True
        )


def _listed_json(ctx: Context) -> list[str] | None:
    """The ordinary path's JSON lines, written by SQLite (core/people_json.py); None on a
    server."""
    from recruiter_desk.core.people_json import people_json_lines

    with ctx.database.connect() as connection:
        return people_json_lines(
            connection, _query(ctx), ctx.as_of, ctx.policy, limit=ctx.args.limit
        )


def arguments_person(parser: ArgumentParser) -> None:
    parser.add_argument("person", metavar="PERSON", help=PERSON_HELP)
    parser.add_argument("--as-of", type=day)


def run_person(ctx: Context) -> int:
    from recruiter_desk.core.opportunities import person_card

    person_id = ctx.person_id(ctx.args.person)
    with ctx.database.connect() as connection:
        card = person_card(connection, person_id, ctx.as_of, ctx.policy, ctx.settings)
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
    if card.teammate:
        out.write(f"  ! {card.teammate}\n")
    if card.edited:
        out.write(f"  {card.edited}.\n")
    for owed in card.owed:
        out.write(f"  ! {owed.describe(ctx.as_of)}\n")
    for candidacy in card.candidacies:
        out.write(f"  process: {candidacy}\n")
    for follow_up in card.follow_ups:
        due = "overdue since" if follow_up.overdue else "due"
        out.write(f"  follow-up #{follow_up.id} {due} {follow_up.due_on}: {follow_up.reason}\n")
    return 0


def arguments_add_person(parser: ArgumentParser) -> None:
    parser.add_argument("--first", default="", metavar="NAME")
    parser.add_argument("--last", default="", metavar="NAME")
    parser.add_argument("--email", action="append", default=[])
    parser.add_argument("--phone", action="append", default=[])
    parser.add_argument("--company", default="")
    parser.add_argument("--title", default="")
    parser.add_argument("--location", default="")
    parser.add_argument("--linkedin", metavar="URL")
    parser.add_argument("--tag", action="append", default=[])
    parser.add_argument("--interest", action="append", default=[])
    parser.add_argument("--work-mode", action="append", default=[], choices=tuple(WORK_MODE_BITS))
    parser.add_argument("--openness", default="open", choices=OPENNESS)
    parser.add_argument("--applicant", action="store_true")
    parser.add_argument("--do-not-contact", action="store_true")
    parser.add_argument("--cadence", type=positive, metavar="DAYS")
    parser.add_argument("--notes", default="")


def run_add_person(ctx: Context) -> int:
    from recruiter_desk.core.clock import utc_now
    from recruiter_desk.core.records import PersonFields, create_person

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
    with ctx.database.session(write=True) as session:  # reads an organisation, then writes
        person_id = create_person(session, fields, utc_now()).id
    ctx.out.write(f"Added person {person_id}.\n")
    return 0
