"""Argument types shared by the commands: each turns bad input into one usage sentence."""

from __future__ import annotations

import argparse
from datetime import date

from recruiter_desk.core.clock import parse_day
from recruiter_desk.errors import UsageError


def day(value: str) -> date:
    try:
        return parse_day(value, "--as-of date")
    except UsageError as error:
        raise argparse.ArgumentTypeError(str(error)) from error


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
