"""``edit``, ``copy-to``: working as a team on a shared database (docs/team.md)."""

from __future__ import annotations

from argparse import ArgumentParser
from dataclasses import replace
from typing import Any

from recruiter_desk.cli.arguments import PERSON_HELP, whole
from recruiter_desk.cli.context import Context

# The fields ``edit`` can set, as the person editor names them.
_EDITABLE = ("first_name", "last_name", "company", "title", "location", "source", "notes")


def arguments_edit(parser: ArgumentParser) -> None:
    parser.add_argument("person", metavar="PERSON", help=PERSON_HELP)
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help=f"change one field ({', '.join(_EDITABLE)}); repeat for more",
    )
    parser.add_argument(
        "--if-version",
        type=whole,
        metavar="N",
        help="save only if the person is still at version N (as 'person' showed it): "
        "a teammate's newer change is never overwritten",
    )


def run_edit(ctx: Context) -> int:
    from recruiter_desk.errors import UsageError

    changes: dict[str, Any] = {}
    for item in ctx.args.set:
        name, equals, value = item.partition("=")
        key = name.strip().replace("-", "_")
        if not equals or key not in _EDITABLE:
            raise UsageError(
                f"--set {item!r} is not FIELD=VALUE with a field among {', '.join(_EDITABLE)}."
            )
        changes[key] = value
    if not changes:
        raise UsageError("Nothing to change: give at least one --set FIELD=VALUE.")
    person_id = ctx.person_id(ctx.args.person)
    services = ctx.services
    current = services.person_fields(person_id)
    based_on = ctx.args.if_version if ctx.args.if_version is not None else current.version
    services.save_person(person_id, replace(current, version=based_on, **changes))
    saved = services.person_fields(person_id)
    ctx.out.write(f"Saved person {person_id} as version {saved.version}.\n")
    return 0


def arguments_copy_to(parser: ArgumentParser) -> None:
    parser.add_argument(
        "target",
        metavar="URL",
        help="an EMPTY database: postgresql+psycopg://user@host/db (the password from the "
        "keyring or ~/.pgpass) or a path for a new SQLite file",
    )
    parser.add_argument("--json", action="store_true")


def run_copy_to(ctx: Context) -> int:
    import sys

    from recruiter_desk.cli.render import ProgressBar
    from recruiter_desk.core.team import copy_summary

    bar = ProgressBar(sys.stderr)
    try:
        report = ctx.services.copy_to(ctx.args.target, bar.update)
    finally:
        bar.finish()
    if ctx.args.json:
        ctx.emit_json(report.to_json())
        return 0
    ctx.out.write(copy_summary(report) + "\n")
    return 0
