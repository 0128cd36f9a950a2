"""``today`` and ``timeline``: the recruiter's queue for a day, and every touchpoint in order.

Both print what the window's Today and Timeline views show, from the same core calls.
"""

from __future__ import annotations

from argparse import ArgumentParser

from recruiter_desk.cli.arguments import PERSON_HELP, day, positive, whole
from recruiter_desk.cli.context import Context
from recruiter_desk.cli.render import table
from recruiter_desk.core.timeline import ENTRY_KINDS, TimelineQuery, long_day
from recruiter_desk.core.today import SECTION_TITLES, SECTIONS
from recruiter_desk.core.vocabulary import DIRECTIONS


def arguments_today(parser: ArgumentParser) -> None:
    parser.add_argument("--as-of", type=day)
    parser.add_argument("--limit", type=positive, default=50, help="items per section (50)")
    parser.add_argument("--json", action="store_true")


def run_today(ctx: Context) -> int:
    found = ctx.services.today(ctx.args.as_of, limit=ctx.args.limit)
    if ctx.args.json:
        ctx.emit_json(found.to_json())
        return 0
    ctx.out.write(f"Today, {long_day(found.as_of)}\n")
    if not any(found.items(s) for s in SECTIONS):
        ctx.out.write("Nothing owed or due.\n")
        return 0
    for section in SECTIONS:
        items = found.items(section)
        if not items:
            continue
        total = found.totals.get(section, len(items))
        shown = f"{total}" if total == len(items) else f"{len(items)} of {total}"
        ctx.out.write(f"\n{SECTION_TITLES[section]} ({shown})\n")
        table(
            [[str(i.person_id), i.full_name, i.why] for i in items],
            ["ID", "NAME", "WHY NOW"],
            ctx.out,
            [8, 30],
        )
    return 0


def arguments_timeline(parser: ArgumentParser) -> None:
    parser.add_argument("--person", metavar="PERSON", help=PERSON_HELP)
    parser.add_argument("--opportunity", type=whole, metavar="ID")
    parser.add_argument("--kind", choices=ENTRY_KINDS)
    parser.add_argument("--direction", choices=DIRECTIONS)
    parser.add_argument("--since", type=day, metavar="DATE")
    parser.add_argument("--until", type=day, metavar="DATE")
    parser.add_argument("--search", metavar="TEXT", help="words in subjects and bodies")
    parser.add_argument("--limit", type=positive, default=50, help="entries (50)")
    parser.add_argument("--json", action="store_true")


def run_timeline(ctx: Context) -> int:
    args = ctx.args
    # An unknown or ambiguous person is an error, not an empty timeline.
    person_id = ctx.person_id(args.person) if args.person is not None else None
    if person_id is not None:
        ctx.services.person_name(person_id)  # raises for an id nobody has
    query = TimelineQuery(
        person_id=person_id,
        opportunity_id=args.opportunity,
        kind=args.kind,
        direction=args.direction,
        since=args.since,
        until=args.until,
        text=args.search,
    )
    page = ctx.services.timeline_page(query, None, args.limit)
    if args.json:
        ctx.emit_json([entry.to_json() for entry in page.entries])
        return 0
    if not page.entries:
        ctx.out.write("Nothing on the timeline.\n")
        return 0
    arrows = {"outbound": "→", "inbound": "←", "internal": "·"}
    table(
        [
            [
                f"{e.day.isoformat()} {e.time}",
                e.kind,
                arrows.get(e.direction, ""),
                e.person_name,
                e.recruiter,
                " — ".join(p for p in (e.subject, e.snippet) if p)
                + (f"  [{e.opportunity}]" if e.opportunity else ""),
            ]
            for e in page.entries
        ],
        ["WHEN", "KIND", "", "WHO", "BY", "WHAT"],
        ctx.out,
        [16, 8, 1, 28, 12],
    )
    if page.next is not None:
        ctx.out.write(f"(the newest {len(page.entries)}; --limit shows more)\n")
    return 0
