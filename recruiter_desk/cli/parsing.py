"""The argument parser: the top level here, each command's arguments in its own module."""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from recruiter_desk import __version__
from recruiter_desk.cli.registry import COMMANDS, Command

if TYPE_CHECKING:
    from recruiter_desk.cli.context import Context

Handler = Callable[["Context"], int]


class CommandParser(argparse.ArgumentParser):
    """One command's parser, completed by its module the first time it is used.

    Until then it only knows its name and help line, which is all the top-level ``--help``
    shows; so asking for help or the version never imports the engine behind a command.
    """

    def __init__(self, *args: Any, command: Command | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._command = command

    def complete(self) -> None:
        command, self._command = self._command, None
        if command is None:
            return
        module = importlib.import_module(f"recruiter_desk.cli.commands.{command.module}")
        getattr(module, f"arguments_{command.identifier}")(self)
        self.set_defaults(handler=getattr(module, f"run_{command.identifier}"))

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        self.complete()
        return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        self.complete()
        return super().format_usage()

    def format_help(self) -> str:
        self.complete()
        return super().format_help()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="recruiter-desk",
        # argparse would print "COMMAND ..." as if one were required; none opens the window.
        usage="%(prog)s [-h] [--version] [--db PATH|URL] [COMMAND ...]",
        description="Recruiter Desk: keep your whole network warm, and never ghost anyone.",
        epilog=(
            "With no COMMAND, recruiter-desk opens the desktop window; a command prints to "
            "the terminal and never opens it. "
            "Commands that take a PERSON accept an id, an email address or a name. "
            "'recruiter-desk COMMAND --help' tells more."
        ),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH|URL",
        help="database file or SQLAlchemy URL (default: $RECRUITER_DESK_DB or the data folder)",
    )
    commands = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=CommandParser, prog="recruiter-desk"
    )
    for command in COMMANDS:
        commands.add_parser(command.name, help=command.help, command=command)
    return parser
