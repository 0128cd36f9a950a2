"""Dates "as of" and the recruiter's time zone.

Times are stored as naive UTC. "Days since" counts calendar days in the recruiter's zone,
so a call at 23:30 local time is "yesterday" the next morning whatever UTC says.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from recruiter_desk.errors import UsageError


def local_zone(name: str | None) -> tzinfo:
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise UsageError(f"Unknown time zone {name!r} in settings.") from error
    zone = datetime.now().astimezone().tzinfo
    return zone if zone is not None else UTC


@dataclass(frozen=True)
class AsOf:
    """A calendar day in the recruiter's zone, and what it means in stored UTC times."""

    day: date
    zone: tzinfo

    @property
    def end_utc(self) -> datetime:
        """The first instant after this day (exclusive bound for "happened by then")."""
        local_midnight = datetime.combine(self.day + timedelta(days=1), time(), self.zone)
        return local_midnight.astimezone(UTC).replace(tzinfo=None)

    @property
    def utc_offset_seconds(self) -> int:
        noon = datetime.combine(self.day, time(12), self.zone)
        offset = noon.utcoffset()
        return int(offset.total_seconds()) if offset else 0

    def local_date(self, stored: datetime) -> date:
        return stored.replace(tzinfo=UTC).astimezone(self.zone).date()


def parse_day(value: str, what: str = "date") -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError as error:
        raise UsageError(f"The {what} {value!r} is not a date like 2026-11-25.") from error


def parse_moment(value: str, zone: tzinfo) -> datetime:
    """A stored (naive UTC) datetime from ISO text; a bare date means noon local time."""
    text = value.strip()
    try:
        if len(text) == 10:
            moment = datetime.combine(date.fromisoformat(text), time(12), zone)
        else:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=zone)
    except ValueError as error:
        raise UsageError(
            f"The time {value!r} is not like 2026-11-25 or 2026-11-25T09:30."
        ) from error
    return moment.astimezone(UTC).replace(tzinfo=None)


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def as_of(day: date | None, zone: tzinfo) -> AsOf:
    return AsOf(day or datetime.now(zone).date(), zone)
