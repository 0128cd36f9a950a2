"""``opportunities``, ``add-opportunity``, ``matches`` and ``stage``: roles and pipelines."""

from __future__ import annotations

from argparse import ArgumentParser

from recruiter_desk.cli.arguments import PERSON_HELP, day, positive, stage, whole
from recruiter_desk.cli.context import Context
from recruiter_desk.cli.render import table
from recruiter_desk.core.clock import utc_now
from recruiter_desk.core.matching import matches_for
from recruiter_desk.core.opportunities import add_opportunity, list_opportunities
from recruiter_desk.core.owed import you_owe
from recruiter_desk.core.pipeline import move_stage
from recruiter_desk.core.vocabulary import STAGES, WORK_MODE_BITS


def arguments_opportunities(parser: ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true")


def run_opportunities(ctx: Context) -> int:
    with ctx.database.connect() as connection:
        roles = list_opportunities(connection)
    if ctx.args.json:
        ctx.emit_json([r.to_json() for r in roles])
        return 0
    table(
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


def arguments_add_opportunity(parser: ArgumentParser) -> None:
    parser.add_argument("title")
    parser.add_argument("--company", default="")
    parser.add_argument("--work-mode", choices=tuple(WORK_MODE_BITS))
    parser.add_argument("--location", default="")
    parser.add_argument("--skill", action="append", default=[])


def run_add_opportunity(ctx: Context) -> int:
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


def arguments_matches(parser: ArgumentParser) -> None:
    parser.add_argument("opportunity_id", type=whole, metavar="OPPORTUNITY_ID")
    parser.add_argument("--as-of", type=day)
    parser.add_argument("--limit", type=positive, default=50)
    parser.add_argument("--json", action="store_true")


def _why_excluded(reason: str, work_modes: list[str]) -> str:
    if reason == "work_mode":
        return f"wants {' or '.join(work_modes)}"
    return {"do_not_contact": "do-not-contact", "not_looking": "not looking"}.get(reason, reason)


def run_matches(ctx: Context) -> int:
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
        table(
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
        table(
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


def arguments_stage(parser: ArgumentParser) -> None:
    parser.add_argument("person", metavar="PERSON", help=PERSON_HELP)
    parser.add_argument("opportunity_id", type=whole, metavar="OPPORTUNITY_ID")
    parser.add_argument(
        "stage", type=stage, metavar="STAGE", help=f"{', '.join(STAGES)} (or rejected)"
    )
    parser.add_argument("--at", metavar="WHEN", help="ISO date or time (default: now)")
    parser.add_argument("--json", action="store_true")


def run_stage(ctx: Context) -> int:
    at = ctx.moment(ctx.args.at)
    person_id = ctx.person_id(ctx.args.person)
    with ctx.database.session() as session:
        move = move_stage(
            session,
            person_id,
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
    ctx.out.write(f"{you_owe('them', move.suggested_message)}.\n")
    if move.follow_up_due:
        ctx.out.write(
            f"Stay-in-touch follow-up #{move.follow_up_id} scheduled for {move.follow_up_due}.\n"
        )
    return 0
