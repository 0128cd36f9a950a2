"""Argument types shared by the commands: each turns bad input into one usage sentence."""

from __future__ import annotations

import argparse
from datetime import date

from recruiter_desk.core.clock import parse_day
from recruiter_desk.core.vocabulary import STAGES
from recruiter_desk.errors import UsageError


def day(value: str) -> date:
    try:
        return parse_day(value, "--as-of date")
    except UsageError as error:
        raise argparse.ArgumentTypeError(str(error)) from error


# How every command that takes a person describes it (Context.person_id resolves it).
PERSON_HELP = "an id, an email address or a name (several matches are listed to choose from)"

# Words recruiters use for a stage, and the stage they mean.
STAGE_SYNONYMS = {"rejected": "not_selected"}


def stage(value: str) -> str:
    """A stage of a process; ``rejected`` is taken for ``not_selected``."""
    value = STAGE_SYNONYMS.get(value, value)
    if value not in STAGES:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a stage; use one of {', '.join(STAGES)} (or rejected)"
        )
    return value


def positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from error
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} must be 1 or more")
    return number


def whole(value: str) -> int:
    try:
        return int(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from error
