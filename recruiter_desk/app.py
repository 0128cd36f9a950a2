"""Composition root: arguments, paths, logging, then the command or the window."""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
from collections.abc import Sequence

from recruiter_desk.paths import app_paths, ensure_private_dir

log = logging.getLogger("recruiter_desk")


def configure_logging() -> None:
    """Log to a rotating file in the log folder; never to the terminal.

    Personal data is only logged at DEBUG, which is off unless RECRUITER_DESK_DEBUG is set.
    """
    if any(getattr(h, "_recruiter_desk", False) for h in log.handlers):
        return
    paths = app_paths()
    try:
        ensure_private_dir(paths.log_dir)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            paths.log_file, maxBytes=2_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler._recruiter_desk = True  # type: ignore[attr-defined]
    log.addHandler(handler)
    log.setLevel(logging.DEBUG if os.environ.get("RECRUITER_DESK_DEBUG") else logging.INFO)
    log.propagate = False


def main(argv: Sequence[str] | None = None) -> int:
    from recruiter_desk import cli

    parser = cli.build_parser()
    args = parser.parse_args(argv)
    configure_logging()
    if args.command is None:
        print(
            "The Recruiter Desk window is not built yet. Meanwhile the command line works:\n"
            "  recruiter-desk demo        fill the database with a demo network\n"
            "  recruiter-desk people      list your network with its warmth\n"
            "Run 'recruiter-desk --help' for every command.",
            file=sys.stderr,
        )
        return 0
    return cli.run(args)
