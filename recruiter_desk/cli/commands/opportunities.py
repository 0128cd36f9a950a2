"""``opportunities``, ``opportunity``, ``add-opportunity``, ``close-opportunity``, ``matches``,
``silver-medalists`` and ``stage``: roles and pipelines."""

from __future__ import annotations

from argparse import ArgumentParser

from recruiter_desk.cli.arguments import PERSON_HELP, day, positive, stage, whole
from recruiter_desk.cli.context import Context
from recruiter_desk.cli.render import table
from recruiter_desk.core.clock import utc_now
from recruiter_desk.core.matching import matches_for
from recruiter_desk.core.opportunities import add_opportunity, describe_close, list_opportunities
from recruiter_desk.core.owed import you_owe
from recruiter_desk.core.pipeline import end_role, move_stage, role_pipeline
from recruiter_desk.core.stage_messages import purpose_label
from recruiter_desk.core.vocabulary import (
    ACTIVE_STAGES,
    CLOSE_REASONS,
    CLOSED_BY,
    CLOSING_OWED_STAGES,
    STAGES,
    WORK_MODE_BITS,
)


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
    parser.add_argument(
        "--reason",
        choices=CLOSE_REASONS,
        help="why, when closing as not_selected or withdrew",
    )
    parser.add_argument(
        "--by",
        choices=CLOSED_BY,
        help="whose choice (default: ours for not_selected, theirs for withdrew)",
    )
    parser.add_argument("--note", default="", help="a few words on why")
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
            reason=ctx.args.reason,
            closed_by=ctx.args.by,
            note=ctx.args.note,
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
    if move.suggested_message:
        template = purpose_label(move.suggested_message)
        if move.stage in (*ACTIVE_STAGES, *CLOSING_OWED_STAGES):
            owed = "closing" if move.stage in CLOSING_OWED_STAGES else "update"
            ctx.out.write(f"{you_owe('them', owed)}.\n")
        ctx.out.write(
            f'Write it: recruiter-desk compose "{template}" --to {move.person_id} '
            f"--opportunity {move.opportunity_id} --print\n"
        )
    if move.follow_up_due:
        ctx.out.write(
            f"Stay-in-touch follow-up #{move.follow_up_id} scheduled for {move.follow_up_due}.\n"
        )
    return 0


def arguments_opportunity(parser: ArgumentParser) -> None:
    parser.add_argument("opportunity_id", type=whole, metavar="OPPORTUNITY_ID")
    parser.add_argument("--as-of", type=day)
    parser.add_argument("--json", action="store_true")


LEVEL_MARK = {"ok": "", "amber": " !", "red": " !!"}


def run_opportunity(ctx: Context) -> int:
    with ctx.database.connect() as connection:
        pipeline = role_pipeline(
            connection, ctx.args.opportunity_id, ctx.as_of, ctx.policy, ctx.settings
        )
    if ctx.args.json:
        ctx.emit_json(pipeline.to_json())
        return 0
    role = pipeline.opportunity
    where = ", ".join(p for p in (role.company, role.work_mode or "", role.location) if p)
    ctx.out.write(f"{role.title} ({where}) — {role.status.replace('_', ' ')}\n")
    for stage_name, cards in pipeline.by_stage().items():
        if not cards:
            continue
        ctx.out.write(f"\n{stage_name.replace('_', ' ').capitalize()} ({len(cards)}):\n")
        closed = stage_name in ("not_selected", "withdrew")
        table(
            [
                [
                    str(c.person_id),
                    c.name,
                    f"{c.days_in_stage}{LEVEL_MARK[c.level]}",
                    c.warmth.replace("_", " "),
                    c.owed or "",
                    describe_close(c.closed_by, c.close_reason, c.close_note) if closed else "",
                ]
                for c in cards
            ],
            ["ID", "NAME", "DAYS", "WARMTH", "OWED", "WHY CLOSED" if closed else ""],
            ctx.out,
            limits=[7, 28],
        )
    ctx.out.write(
        "\nDAYS: business days in the stage; ! past its amber limit, !! past its red limit.\n"
    )
    return 0


def arguments_close_opportunity(parser: ArgumentParser) -> None:
    parser.add_argument("opportunity_id", type=whole, metavar="OPPORTUNITY_ID")
    parser.add_argument("--status", choices=("filled", "closed"), required=True)
    parser.add_argument("--at", metavar="WHEN", help="ISO date or time (default: now)")
    parser.add_argument("--json", action="store_true")


def run_close_opportunity(ctx: Context) -> int:
    at = ctx.moment(ctx.args.at)
    with ctx.database.session() as session:
        owed = end_role(
            session, ctx.args.opportunity_id, ctx.args.status, at, ctx.as_of.zone, ctx.policy
        )
    if ctx.args.json:
        ctx.emit_json(
            {
                "opportunity_id": ctx.args.opportunity_id,
                "status": ctx.args.status,
                "owed_closing": [
                    {
                        "person_id": o.person_id,
                        "full_name": o.name,
                        "email": o.email,
                        "previous_stage": o.previous_stage,
                    }
                    for o in owed
                ],
            }
        )
        return 0
    ctx.out.write(f"Opportunity {ctx.args.opportunity_id} is now {ctx.args.status}.\n")
    if not owed:
        ctx.out.write("Nobody was still in process.\n")
        return 0
    ctx.out.write(
        f"Still in process, now not selected; each is owed a closing message ({len(owed)}):\n"
    )
    table(
        [[str(o.person_id), o.name, o.email or "(no email)", o.previous_stage] for o in owed],
        ["ID", "NAME", "EMAIL", "WAS"],
        ctx.out,
    )
    return 0


def arguments_silver_medalists(parser: ArgumentParser) -> None:
    parser.add_argument("opportunity_id", type=whole, metavar="OPPORTUNITY_ID")
    parser.add_argument("--as-of", type=day)
    parser.add_argument("--json", action="store_true")


def run_silver_medalists(ctx: Context) -> int:
    from recruiter_desk.core.matching import silver_medalists

    with ctx.database.connect() as connection:
        found = silver_medalists(connection, ctx.args.opportunity_id, ctx.as_of, ctx.policy)
    if ctx.args.json:
        ctx.emit_json([m.to_json() for m in found])
        return 0
    if not found:
        ctx.out.write("Nobody came close on an earlier role.\n")
        return 0
    table(
        [
            [
                str(m.person.id),
                m.person.full_name,
                m.reached,
                m.opportunity_title,
                m.closed_on.isoformat(),
                describe_close(m.closed_by, m.close_reason),
                "yes" if m.similar else "",
            ]
            for m in found
        ],
        ["ID", "NAME", "REACHED", "ON", "CLOSED", "WHY NOT CHOSEN", "SIMILAR"],
        ctx.out,
        limits=[7, 24, 12, 30],
    )
    return 0
