"""The command line: the same core API as the window, printed for a terminal.

Layout (docs/architecture.md, "The command line"): ``registry`` lists the commands,
``parsing`` builds the parser, ``commands/`` holds each command's arguments beside its
handler, ``render`` the terminal output, ``running`` the exit statuses.
"""

from recruiter_desk.cli.parsing import build_parser
from recruiter_desk.cli.running import run

__all__ = ["build_parser", "run"]
