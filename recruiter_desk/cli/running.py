"""Running one parsed command: the exit status and the one sentence a failure prints."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import TextIO

from recruiter_desk.cli.context import Context
from recruiter_desk.cli.parsing import Handler
from recruiter_desk.errors import KnownError, UsageError
from recruiter_desk.paths import app_paths
from recruiter_desk.settings import load_settings

log = logging.getLogger(__name__)


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Run the command ``args`` names: 0 done, 1 the environment or data, 2 usage, 130 ^C."""
    handler: Handler = args.handler
    settings, problems = load_settings(app_paths().settings_file)
    for problem in problems:  # a bad value is named once, then its default is used
        print(f"recruiter-desk: {problem}", file=sys.stderr)
    context = Context(args, settings, out or sys.stdout)
    try:
        return handler(context)
    except UsageError as error:
        print(f"recruiter-desk: {error}", file=sys.stderr)
        return 2
    except KnownError as error:
        # The sentence can name people or files: only at DEBUG.
        log.info("command %s failed: %s", args.command, type(error).__name__)
        log.debug("command %s failed: %s", args.command, error)
        print(f"recruiter-desk: {error}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("recruiter-desk: interrupted; nothing was half-written.", file=sys.stderr)
        return 130
    except Exception:
        log.exception("unexpected failure in command %s", args.command)
        print(
            "recruiter-desk: an unexpected error stopped the command; nothing was half-written. "
            f"Details are in {app_paths().log_file}.",
            file=sys.stderr,
        )
        return 1
    finally:
        context.close()
