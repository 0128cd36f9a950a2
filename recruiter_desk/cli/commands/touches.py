"""``owed``, ``log``, ``followups``, ``followup``, ``done`` and ``snooze``: keeping in touch."""

from __future__ import annotations

from argparse import ArgumentParser

from recruiter_desk.cli.arguments import PERSON_HELP, day, positive, whole
from recruiter_desk.cli.context import Context, warn_about_teammates
from recruiter_desk.cli.render import table
from recruiter_desk.core.clock import utc_now
from recruiter_desk.core.followups import (
    add_follow_up,
    complete_follow_up,
    list_follow_ups,
    snooze,
)
from recruiter_desk.core.owed import owed_messages
from recruiter_desk.core.records import log_interaction
from recruiter_desk.core.vocabulary import DIRECTIONS, INTERACTION_KINDS


def arguments_owed(parser: ArgumentParser) -> None:
    parser.add_argument("--as-of", type=day)
    parser.add_argument("--json", action="store_true")


def run_owed(ctx: Context) -> int:
    with ctx.database.connect() as connection:
        owed = owed_messages(connection, ctx.as_of, ctx.settings)
    if ctx.args.json:
        ctx.emit_json([o.to_json() for o in owed])
        return 0
    if not owed:
        ctx.out.write("No one is waiting on you.\n")
        return 0
    table(
        [
            [str(o.person_id), o.full_name, o.reason, o.since.isoformat(), o.opportunity or ""]
            for o in owed
        ],
        ["ID", "NAME", "OWES", "WAITING SINCE", "OPPORTUNITY"],
        ctx.out,
    )
    ctx.out.write(f"{len(owed)} owed\n")
    return 0


def arguments_log(parser: ArgumentParser) -> None:
    parser.add_argument("person", metavar="PERSON", help=PERSON_HELP)
    parser.add_argument("--kind", required=True, choices=INTERACTION_KINDS)
    parser.add_argument("--direction", default="outbound", choices=DIRECTIONS)
    parser.add_argument("--at", metavar="WHEN", help="ISO date or time (default: now)")
    parser.add_argument("--subject", default="")
    parser.add_argument("--body", default="")
    parser.add_argument("--opportunity", type=whole, metavar="ID")
    parser.add_argument("--json", action="store_true")


def run_log(ctx: Context) -> int:
    at = ctx.moment(ctx.args.at)
    person_id = ctx.person_id(ctx.args.person)
    warn_about_teammates(ctx, [person_id], ctx.as_of_moment(at))
    with ctx.database.session() as session:
        interaction = log_interaction(
            session,
            person_id,
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
                "person_id": person_id,
                "kind": ctx.args.kind,
                "direction": ctx.args.direction,
                "occurred_at": at.isoformat() + "+00:00",
            }
        )
    else:
        ctx.out.write(
            f"Logged {ctx.args.direction} {ctx.args.kind} #{interaction_id} "
            f"with person {person_id}.\n"
        )
    return 0


def arguments_followups(parser: ArgumentParser) -> None:
    parser.add_argument("--due", action="store_true", help="only those due by --as-of")
    parser.add_argument("--as-of", type=day)
    parser.add_argument("--json", action="store_true")


def run_followups(ctx: Context) -> int:
    with ctx.database.connect() as connection:
        rows = list_follow_ups(connection, ctx.as_of, due_only=ctx.args.due)
    if ctx.args.json:
        ctx.emit_json([r.to_json() for r in rows])
        return 0
    if not rows:
        ctx.out.write("No follow-ups due.\n" if ctx.args.due else "No open follow-ups.\n")
        return 0
    table(
        [
            [str(r.id), r.due_on.isoformat() + (" !" if r.overdue else ""), r.full_name, r.reason]
            for r in rows
        ],
        ["ID", "DUE", "NAME", "REASON"],
        ctx.out,
    )
    return 0


def arguments_followup(parser: ArgumentParser) -> None:
    parser.add_argument("person", metavar="PERSON", help=PERSON_HELP)
    parser.add_argument("due_on", type=day, metavar="DUE_DATE")
    parser.add_argument("--reason", default="")


def run_followup(ctx: Context) -> int:
    person_id = ctx.person_id(ctx.args.person)
    with ctx.database.session() as session:
        follow_up = add_follow_up(session, person_id, ctx.args.due_on, ctx.args.reason, utc_now())
        follow_up_id = follow_up.id
    ctx.out.write(f"Follow-up #{follow_up_id} for person {person_id} due {ctx.args.due_on}.\n")
    return 0


def arguments_done(parser: ArgumentParser) -> None:
    parser.add_argument("follow_up_id", type=whole, metavar="FOLLOWUP_ID")


def run_done(ctx: Context) -> int:
    with ctx.database.session() as session:
        complete_follow_up(session, ctx.args.follow_up_id, utc_now())
    ctx.out.write(f"Follow-up #{ctx.args.follow_up_id} done.\n")
    return 0


def arguments_snooze(parser: ArgumentParser) -> None:
    parser.add_argument("person", metavar="PERSON", help=PERSON_HELP)
    parser.add_argument("days", type=positive, metavar="DAYS")
    parser.add_argument("--as-of", type=day)
    parser.add_argument("--reason", default="", help="said again on Today when the snooze ends")


def run_snooze(ctx: Context) -> int:
    person_id = ctx.person_id(ctx.args.person)
    with ctx.database.session() as session:
        until = snooze(session, person_id, ctx.args.days, ctx.as_of, ctx.args.reason)
    ctx.out.write(f"Person {person_id} will not show as cold before {until}.\n")
    return 0
