"""Plain text normal forms (white space, tags). Identity keys live in ``core.identity``."""

from __future__ import annotations

import re

_SPACES = re.compile(r"\s+")


def clean(value: str | None) -> str:
    """Trimmed text with runs of white space folded to one space."""
    if not value:
        return ""
    return _SPACES.sub(" ", str(value)).strip()


def tag(value: str) -> str:
    return clean(value).lower()
