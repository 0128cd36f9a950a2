"""Run the command line in this process, through the same entry function as the installed
command, with a private home folder and captured output."""

from __future__ import annotations

import io
import logging
import os
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

from recruiter_desk.app import main


@dataclass(frozen=True)
class Result:
    returncode: int
    stdout: str
    stderr: str


def run(
    *args: str, home: Path | None = None, check_ok: bool = True, env: dict[str, str] | None = None
) -> Result:
    """``recruiter-desk ARGS…`` as a user runs it: exit status, standard output and error."""
    changes = {**({"RECRUITER_DESK_HOME": str(home)} if home else {}), **(env or {})}
    saved = {name: os.environ.get(name) for name in changes}
    os.environ.update(changes)
    out, err = io.StringIO(), io.StringIO()
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exit_:  # argparse: usage errors, --help, --version
                code = exit_.code if isinstance(exit_.code, int) else int(exit_.code is not None)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        _close_log_file()
    result = Result(code, out.getvalue(), err.getvalue())
    if check_ok:
        assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


def _close_log_file() -> None:
    """Each run logs into its own home's log folder, as a separate process would."""
    logger = logging.getLogger("recruiter_desk")
    for handler in [h for h in logger.handlers if getattr(h, "_recruiter_desk", False)]:
        logger.removeHandler(handler)
        handler.close()
