"""``templates``, ``compose``, ``outbox`` and ``send``: writing to people (docs/compose.md)."""

from __future__ import annotations

import getpass
import sys
from argparse import ArgumentParser
from pathlib import Path

from recruiter_desk.cli.arguments import PERSON_HELP, whole
from recruiter_desk.cli.context import Context, warn_about_teammates
from recruiter_desk.cli.render import table
from recruiter_desk.core import wording
from recruiter_desk.errors import KnownError, UsageError


def arguments_templates(parser: ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true")


def run_templates(ctx: Context) -> int:
    templates = ctx.services.templates()
    if ctx.args.json:
        ctx.emit_json([t.to_json() for t in templates])
        return 0
    table(
        [[str(t.id), t.name, t.purpose, t.subject] for t in templates],
        ["ID", "NAME", "PURPOSE", "SUBJECT"],
        ctx.out,
    )
    return 0


def arguments_compose(parser: ArgumentParser) -> None:
    parser.add_argument("template", metavar="TEMPLATE", help="a template's id or name")
    parser.add_argument("--to", nargs="+", required=True, metavar="PERSON", help=PERSON_HELP)
    parser.add_argument("--opportunity", type=whole, metavar="ID")
    parser.add_argument("--article", type=whole, metavar="ID")
    parser.add_argument(
        "--override-work-mode",
        action="store_true",
        help="send a role that conflicts with someone's work-mode preference, knowingly "
        "(recorded on the interaction)",
    )
    delivery = parser.add_mutually_exclusive_group(required=True)
    delivery.add_argument("--eml", type=Path, metavar="DIR", help="save a draft .eml each")
    delivery.add_argument("--queue", action="store_true", help="put them in the outbox")
    delivery.add_argument("--print", action="store_true", help="show each message and its problems")
    parser.add_argument("--json", action="store_true", help="with --print")


def run_compose(ctx: Context) -> int:
    from recruiter_desk.core.compose import Composition, problems_of

    services = ctx.services
    template = services.template(ctx.args.template)
    people = list(dict.fromkeys(ctx.person_id(named) for named in ctx.args.to))
    composition = Composition(
        subject=template.subject,
        body=template.body,
        template_id=template.id,
        opportunity_id=ctx.args.opportunity,
        article_id=ctx.args.article,
        overrides=frozenset(people) if ctx.args.override_work_mode else frozenset(),
    )
    if ctx.args.print:
        drafts = services.compose_preview(people, composition)
        if ctx.args.json:
            ctx.emit_json([d.to_json() for d in drafts])
            return 0
        for draft in drafts:
            ctx.out.write(f"=== {draft.name} <{draft.to or 'no email address'}>: {draft.status}\n")
            for line in problems_of([draft]) + list(draft.warnings):
                ctx.out.write(f"  ! {line}\n")
            ctx.out.write(f"Subject: {draft.subject}\n\n{draft.body}\n\n")
        return 0
    warn_about_teammates(ctx, people, ctx.as_of)
    if ctx.args.queue:
        count = services.queue_messages(people, composition)
        ctx.out.write(f"Queued {wording.count(count, 'message')}; `send` delivers them.\n")
        return 0
    folder: Path = ctx.args.eml.expanduser()
    if not folder.is_dir():
        raise UsageError(f"--eml: the folder {folder} does not exist.")
    count = services.save_eml(people, composition, folder)
    ctx.out.write(
        f"Saved {wording.count(count, 'draft message')} in {folder} "
        "(open each in your mail client and send it); logged as sent.\n"
    )
    return 0


def arguments_outbox(parser: ArgumentParser) -> None:
    parser.add_argument("--all", action="store_true", help="include what was already sent")
    parser.add_argument(
        "--mark-sent",
        type=whole,
        metavar="ID",
        help="an interrupted message you found in your Sent folder: log it as sent",
    )
    parser.add_argument(
        "--retry",
        type=whole,
        metavar="ID",
        help="send an interrupted message again (same Message-ID)",
    )
    parser.add_argument("--remove", type=whole, metavar="ID", help="take a message out")
    parser.add_argument("--json", action="store_true")


def run_outbox(ctx: Context) -> int:
    services = ctx.services
    for action, value in (
        ("sent", ctx.args.mark_sent),
        ("retry", ctx.args.retry),
        ("remove", ctx.args.remove),
    ):
        if value is not None:
            services.resolve_message(value, action)
            ctx.out.write(f"Message {value}: done.\n")
            return 0
    rows = services.outbox(include_sent=ctx.args.all)
    if ctx.args.json:
        ctx.emit_json([r.to_json() for r in rows])
        return 0
    if not rows:
        ctx.out.write("The outbox is empty.\n")
        return 0
    table(
        [[str(r.id), r.name, r.to_address, r.subject, r.state_text] for r in rows],
        ["ID", "TO", "ADDRESS", "SUBJECT", "STATE"],
        ctx.out,
    )
    return 0


def arguments_send(parser: ArgumentParser) -> None:
    parser.add_argument("--dry-run", action="store_true", help="say what would go, send nothing")


def _ask(prompt: str) -> str | None:
    if not sys.stdin.isatty():
        raise KnownError(
            "The SMTP password is not in the keyring and there is no terminal to ask for it."
        )
    return getpass.getpass(f"{prompt}: ")


def run_send(ctx: Context) -> int:
    report = ctx.services.send_outbox(_ask, dry_run=ctx.args.dry_run)
    if ctx.args.dry_run:
        for line in report.would_send:
            ctx.out.write(f"would send: {line}\n")
        ctx.out.write(f"{len(report.would_send)} would go now; {report.waiting} queued in all.\n")
        return 0
    ctx.out.write(report.summary() + "\n")
    return 1 if report.error and not report.sent else 0
