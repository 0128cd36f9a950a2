"""The app's own JSON format, version 1 (docs/interchange.md), in one place.

``records`` declares what a file holds as typed records, ``read`` turns a file into them
(checking everything before anything is written), ``apply`` writes them into the network,
and ``write`` produces the format from the database. People go through the import merge
like any other format's contacts.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

FORMAT_NAME = "recruiter-desk"
VERSION = 1
COLLECTIONS = (
    "people",
    "organizations",
    "opportunities",
    "candidacies",
    "interactions",
    "follow_ups",
    "articles",
    "templates",
)


def iso_time(value: datetime | None) -> str | None:
    """A stored (naive UTC) time as the format writes it: ``2026-11-25T09:30:00+00:00``."""
    if value is None:
        return None
    return value.replace(microsecond=0, tzinfo=UTC).isoformat()


def iso_day(value: date | None) -> str | None:
    return value.isoformat() if value else None
