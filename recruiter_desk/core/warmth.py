"""Warmth: how long since we last touched a relationship, against how often we should.

docs/rules.md ("Last touch", "Cadence", "Warmth"), computed in SQL so it is one query for
100k people:

- last touch = newest touch (``db.touch.is_touch``) up to the as-of day; without one,
  ``connected_on``, then ``created_at``;
- cadence = the person's own, else the smallest cadence of their tags (settings), else the
  active cadence while they hold an active candidacy, else the default cadence;
- ratio = days since last touch ÷ cadence → warm (< 0.75), cooling (< 1), cold;
- do-not-contact people are never cold: their status is ``do_not_contact``;
- a snoozed person is not cold before the snooze ends.

The denormalised ``people.last_*_at`` columns answer "as of today" directly; only for people
whose newest interaction is later than the as-of day is the interactions table consulted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Float,
    Integer,
    and_,
    case,
    cast,
    func,
    literal,
    select,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from recruiter_desk.core.clock import AsOf
from recruiter_desk.core.vocabulary import ACTIVE_STAGES, WARMTH_STATUSES
from recruiter_desk.core.warmth_policy import WarmthPolicy
from recruiter_desk.db.models import Candidacy, Interaction, Person, PersonTag, StageChange
from recruiter_desk.db.touch import TOUCH_DIRECTIONS, is_touch

STATUSES = WARMTH_STATUSES
# Both live in modules without SQLAlchemy (the quick read path needs them); most callers
# import them from here with the rest of warmth.
__all__ = ["STATUSES", "WarmthPolicy"]


class days_between(FunctionElement[int]):
    """Whole days from one calendar date to another (both ``YYYY-MM-DD`` dates)."""

    type = Integer()
    inherit_cache = True
    name = "days_between"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element: days_between, compiler: Any, **kw: Any) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(julianday({end}) - julianday({start}) AS INTEGER)"


@compiles(days_between, "postgresql")
def _days_between_postgresql(element: days_between, compiler: Any, **kw: Any) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"(CAST({end} AS DATE) - CAST({start} AS DATE))"


class local_date(FunctionElement[date]):
    """The calendar date of a stored UTC time in a zone, given its offset as ``"N seconds"``."""

    type = Date()
    inherit_cache = True
    name = "local_date"


@compiles(local_date, "sqlite")
def _local_date_sqlite(element: local_date, compiler: Any, **kw: Any) -> str:
    column, modifier = (compiler.process(c, **kw) for c in element.clauses)
    return f"date({column}, {modifier})"


@compiles(local_date, "postgresql")
def _local_date_postgresql(element: local_date, compiler: Any, **kw: Any) -> str:
    column, modifier = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST({column} + CAST({modifier} AS INTERVAL) AS DATE)"


def newest_interaction_at(
    denormalised: Any, directions: tuple[str, ...], cut: datetime
) -> ColumnElement[Any]:
    """Newest touch (``db.touch.is_touch``) strictly before ``cut`` in these directions."""
    exact = (
        select(func.max(Interaction.occurred_at))
        .where(
            Interaction.person_id == Person.id,
            is_touch(Interaction.kind, Interaction.direction, directions),
            Interaction.occurred_at < cut,
        )
        .scalar_subquery()
    )
    return case(
        (denormalised.is_(None), None),
        (denormalised < cut, denormalised),
        else_=exact,
    )


def stage_as_of(cut: datetime) -> ColumnElement[Any]:
    """A candidacy's stage at ``cut``, read from its history only when it changed since."""
    historical = (
        select(StageChange.stage)
        .where(StageChange.candidacy_id == Candidacy.id, StageChange.changed_at < cut)
        .order_by(StageChange.changed_at.desc(), StageChange.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return case((Candidacy.stage_changed_at < cut, Candidacy.stage), else_=historical)


def people_in_active_process(cut: datetime) -> Any:
    return select(Candidacy.person_id).where(stage_as_of(cut).in_(ACTIVE_STAGES))


@dataclass(frozen=True)
class WarmthInputs:
    """Per-person inputs, each evaluated once per row (SQLite does not share subexpressions)."""

    last_touch_day: ColumnElement[Any]
    cadence: ColumnElement[Any]
    # Where the cadence came from, from the same expressions: "own", "tag:<tag>", "active"
    # or "default" (select it only where it is shown: it costs a subquery per row).
    cadence_source: ColumnElement[Any]


@dataclass(frozen=True)
class WarmthColumns:
    days: ColumnElement[Any]
    ratio: ColumnElement[Any]
    status: ColumnElement[Any]


def last_touch_day(touched_at: Any, as_of: AsOf) -> ColumnElement[Any]:
    """The last-touch day from the newest touch by then (docs/rules.md, "Last touch")."""
    offset = literal(f"{as_of.utc_offset_seconds} seconds")
    return func.coalesce(
        local_date(touched_at, offset), Person.connected_on, local_date(Person.created_at, offset)
    )


def cadence_and_source(
    policy: WarmthPolicy, in_process: ColumnElement[bool]
) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    """The cadence precedence (docs/rules.md, "Cadence"), given whether the person is in an
    active process: the cadence and where it came from."""
    process_cadence = case(
        (in_process, policy.active_cadence_days), else_=policy.default_cadence_days
    )
    process_source = case((in_process, "active"), else_="default")
    if policy.tag_cadences:
        tag_cadence = case(*((PersonTag.tag == tag, n) for tag, n in policy.tag_cadences.items()))
        tagged = PersonTag.person_id == Person.id, PersonTag.tag.in_(policy.tag_cadences)
        by_tag = select(func.min(tag_cadence)).where(*tagged).scalar_subquery()
        best_tag = (
            select(PersonTag.tag)
            .where(*tagged)
            .order_by(tag_cadence, PersonTag.tag)
            .limit(1)
            .scalar_subquery()
        )
        cadence = func.coalesce(Person.cadence_days, by_tag, process_cadence)
        source = case(
            (Person.cadence_days.is_not(None), "own"),
            (best_tag.is_not(None), literal("tag:") + best_tag),
            else_=process_source,
        )
    else:
        cadence = func.coalesce(Person.cadence_days, process_cadence)
        source = case((Person.cadence_days.is_not(None), "own"), else_=process_source)
    # Cadences are validated to be at least one day when written.
    return cadence, source


def warmth_inputs(as_of: AsOf, policy: WarmthPolicy) -> WarmthInputs:
    cut = as_of.end_utc
    touched_at = newest_interaction_at(Person.last_touch_at, TOUCH_DIRECTIONS, cut)
    in_process = Person.id.in_(people_in_active_process(cut))
    cadence, source = cadence_and_source(policy, in_process)
    return WarmthInputs(last_touch_day(touched_at, as_of), cadence, source)


def describe_source(source: str) -> str:
    """A cadence source from ``WarmthInputs.cadence_source`` as the explanation says it."""
    if source.startswith("tag:"):
        return f"tagged {source[4:]}"
    return {
        "own": "their own cadence",
        "active": "in an active process",
        "default": "the default",
    }[source]


def warmth_from(
    last_touch_day: Any,
    cadence: Any,
    do_not_contact: Any,
    snoozed_until: Any,
    as_of: AsOf,
    policy: WarmthPolicy,
) -> WarmthColumns:
    """Days, ratio and status from already computed inputs (cheap column arithmetic)."""
    day = literal(as_of.day, Date)
    days_raw = days_between(last_touch_day, day)
    # Something dated after the as-of day (a future meeting) counts as touched that day.
    days = case((days_raw < 0, 0), else_=days_raw)
    ratio = cast(days, Float) / cadence
    status = case(
        (do_not_contact.is_(True), "do_not_contact"),
        (ratio < policy.cooling_at, "warm"),
        (ratio < policy.cold_at, "cooling"),
        (and_(snoozed_until.is_not(None), snoozed_until >= day), "cooling"),
        else_="cold",
    )
    return WarmthColumns(days, ratio, status)
