"""Stored warmth inputs: each person's cadence, and when they turn cooling and cold.

Warmth computed from scratch (core/warmth.py) costs a few subqueries per person: their
tags' cadences, whether they are in an active process, their newest touch. At 100k people
every status filter, warmth sort, count and Today paid that for everyone. So each person
also stores (``people.warmth_*``):

- ``warmth_cadence`` / ``warmth_source``: the cadence and its source as of now, from the
  one cadence precedence (``warmth.cadence_and_source``);
- ``warmth_cooling_due`` / ``warmth_cold_due``: the moment, in seconds since the epoch, from
  which they are cooling / cold: the last touch (``last_touch_at``, else ``connected_on``,
  else ``created_at``) plus the fewest whole days whose ratio to the cadence reaches
  ``cooling_at`` / ``cold_at``, as ``warmth_from`` divides;
- ``warmth_moved_at``: the newest moment they depend on (newest touch or stage change).

Days are counted in the recruiter's zone (core/clock.py), which a write does not know, so
the dues are zone-free moments: a person touched at ``t`` is cold on day ``D`` when
``t + k days`` is before the end of ``D`` in the zone (midnight minus the zone's offset), or,
when the last touch is a connection date, before midnight UTC of ``D + 1``. A person is
"fresh" for an as-of day when nothing they depend on is newer than its end
(``warmth_moved_at``) and no write has queued them since (db/warmth_queue.py); readers use
the stored inputs for fresh people and the exact computation for the others, so an
``--as-of`` in the past or a future meeting stays exact.

The values are worked out with the settings' cadences, recorded as the *basis* (``warmth_basis``).
A reader whose policy differs from the basis computes everything the exact way; the next
write under the new settings (or the settings dialog, ``Services.apply_warmth_settings``)
recomputes everyone. Teammates sharing a server with different cadence settings would
each recompute everyone on their next write: the team's settings are expected to agree.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    Float,
    Select,
    and_,
    bindparam,
    case,
    cast,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from recruiter_desk.core.clock import AsOf
from recruiter_desk.core.vocabulary import ACTIVE_STAGES
from recruiter_desk.core.warmth import WarmthPolicy, cadence_and_source, last_touch_day
from recruiter_desk.db.models import Candidacy, Person
from recruiter_desk.db.session import DEFAULT_SETTLERS, Database
from recruiter_desk.db.warmth_queue import basis, has_queued, queue

DAY_SECONDS = 86_400
_EPOCH = datetime(1970, 1, 1)


class epoch_seconds(FunctionElement[int]):
    """Whole seconds since 1970 of a stored (naive UTC) time or a date, rounded down."""

    type = BigInteger()
    inherit_cache = True
    name = "epoch_seconds"


@compiles(epoch_seconds, "sqlite")
def _epoch_sqlite(element: epoch_seconds, compiler: Any, **kw: Any) -> str:
    (value,) = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(strftime('%s', {value}) AS INTEGER)"


@compiles(epoch_seconds, "postgresql")
def _epoch_postgresql(element: epoch_seconds, compiler: Any, **kw: Any) -> str:
    (value,) = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(floor(extract(epoch FROM CAST({value} AS TIMESTAMP))) AS BIGINT)"


class ceiling(FunctionElement[int]):
    """The smallest whole number at least a non-negative number."""

    type = BigInteger()
    inherit_cache = True
    name = "ceiling"


@compiles(ceiling, "sqlite")
def _ceiling_sqlite(element: ceiling, compiler: Any, **kw: Any) -> str:
    # SQLite's math functions are optional at build time; CAST truncates a positive value.
    (value,) = (compiler.process(c, **kw) for c in element.clauses)
    return f"(CAST({value} AS INTEGER) + ({value} > CAST({value} AS INTEGER)))"


@compiles(ceiling, "postgresql")
def _ceiling_postgresql(element: ceiling, compiler: Any, **kw: Any) -> str:
    (value,) = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(ceil({value}) AS BIGINT)"


# -- the basis --------------------------------------------------------------------------


def basis_text(policy: WarmthPolicy) -> str:
    return json.dumps(asdict(policy), sort_keys=True)


def _stored_basis(connection: Connection) -> str | None:
    return connection.execute(select(basis.c.policy).limit(1)).scalar_one_or_none()


def _write_basis(connection: Connection, text: str) -> None:
    connection.execute(delete(basis))
    connection.execute(insert(basis).values(policy=text))


# -- keeping the columns in step --------------------------------------------------------


def _days_to_reach(cadence: Any, share: float) -> ColumnElement[Any]:
    """The fewest whole days whose ratio to ``cadence`` reaches ``share``, with the float
    division ``warmth_from`` makes (the product may round either way: its neighbours are
    checked). Shares are positive (settings), so the answer is at least one day."""
    guess = ceiling(literal(share, Float) * cadence)

    def reaches(days: Any) -> ColumnElement[bool]:
        return cast(days, Float) / cadence >= share

    return case(
        (and_(guess > 1, reaches(guess - 1)), guess - 1),
        (reaches(guess), guess),
        else_=guess + 1,
    )


def _recompute(connection: Connection, policy: WarmthPolicy) -> None:
    queued = Person.id.in_(select(queue.c.id))
    in_process = Person.id.in_(
        select(Candidacy.person_id).where(Candidacy.stage.in_(ACTIVE_STAGES))
    )
    cadence, source = cadence_and_source(policy, in_process)
    newest_stage = (
        select(func.max(Candidacy.stage_changed_at))
        .where(Candidacy.person_id == Person.id)
        .scalar_subquery()
    )
    touched = Person.last_touch_at
    moved = case(
        (touched.is_(None), newest_stage),
        (newest_stage.is_(None), touched),
        (newest_stage > touched, newest_stage),
        else_=touched,
    )
    connection.execute(
        update(Person)
        .where(queued)
        .values(warmth_cadence=cadence, warmth_source=source, warmth_moved_at=moved)
    )
    # A second statement: the dues read the cadence the first one stored.
    start = func.coalesce(
        epoch_seconds(Person.last_touch_at),
        epoch_seconds(Person.connected_on),
        epoch_seconds(Person.created_at),
    )
    connection.execute(
        update(Person)
        .where(queued)
        .values(
            warmth_cooling_due=start
            + _days_to_reach(Person.warmth_cadence, policy.cooling_at) * DAY_SECONDS,
            warmth_cold_due=start
            + _days_to_reach(Person.warmth_cadence, policy.cold_at) * DAY_SECONDS,
        )
    )
    connection.execute(delete(queue))


def settle(connection: Connection, policy: WarmthPolicy) -> None:
    """Bring the queued people's stored inputs in step (a write's last step)."""
    wanted = basis_text(policy)
    basis = _stored_basis(connection)
    if basis != wanted:
        rebase(connection, policy)
    elif has_queued(connection):
        _recompute(connection, policy)


def rebase(connection: Connection, policy: WarmthPolicy) -> None:
    """Recompute everyone's stored inputs under ``policy`` (the settings changed)."""
    _write_basis(connection, basis_text(policy))
    connection.execute(delete(queue))
    connection.execute(insert(queue).from_select(["id"], select(Person.id)))
    _recompute(connection, policy)


def attach(database: Database, policy: Callable[[], WarmthPolicy]) -> None:
    """Writes through ``database`` settle the queue before they commit, under the policy
    of the settings in force then."""
    database.settlers[:] = [s for s in database.settlers if not isinstance(s, _Settler)]
    database.settlers.append(settler(policy))


def settler(policy: Callable[[], WarmthPolicy]) -> Callable[[Connection], None]:
    """What settles the queue under ``policy``: for ``open_database(settlers=…)``, so that
    the upgrade opening runs leaves everyone's stored inputs worked out under the settings
    in force (a migration cannot read them), not the defaults."""
    return _Settler(policy)


@dataclass(frozen=True)
class _Settler:
    policy: Callable[[], WarmthPolicy]

    def __call__(self, connection: Connection) -> None:
        settle(connection, self.policy())


def settle_under_basis(connection: Connection) -> None:
    """Settle with the policy the stored values were worked out with (the settings' defaults
    before there is one): for writes by code that knows no settings."""
    basis = _stored_basis(connection)
    settle(connection, WarmthPolicy(**json.loads(basis)) if basis else WarmthPolicy())


if settle_under_basis not in DEFAULT_SETTLERS:
    DEFAULT_SETTLERS.append(settle_under_basis)


# -- reading ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Stored:
    """Whether a read may use the stored inputs, and for which people."""

    queued: bool

    def fresh(self, as_of: AsOf) -> ColumnElement[bool]:
        """SQL: this person's stored inputs hold on the as-of day."""
        moved = Person.warmth_moved_at
        current = or_(moved.is_(None), moved < as_of.end_utc)
        if self.queued:
            return and_(current, Person.id.not_in(select(queue.c.id)))
        return current

    def candidates(self, status: str, as_of: AsOf) -> Any:
        """Ids among which everyone with this status is, found through the indexes on the
        due moments (and the few people whose stored inputs do not hold), or None when the
        status is most people's anyway (warm) or unindexed (do-not-contact)."""
        due = {"cold": Person.warmth_cold_due, "cooling": Person.warmth_cooling_due}.get(status)
        if due is None:
            return None
        return union_all(
            select(Person.id).where(due < max(end_of_day(as_of))), *self.unsettled(as_of)
        )

    def unsettled(self, as_of: AsOf) -> list[Select[Any]]:
        """Selects of the ids of the people whose stored inputs do not hold on the as-of
        day (``fresh`` is false), each through an index."""
        moved, queued = not_fresh(as_of)
        return [moved, queued] if self.queued else [moved]


def stored(connection: Connection, policy: WarmthPolicy) -> Stored | None:
    """The stored inputs, when they were worked out under ``policy``; else None."""
    if _stored_basis(connection) != basis_text(policy):
        return None
    return Stored(queued=has_queued(connection))


def cadences(connection: Connection, most: int) -> list[int] | None:
    """The distinct stored cadences, smallest first, each found by one step along
    ``ix_people_warmth_cadence_cold_due``; None past ``most`` of them."""
    found: list[int] = []
    step = select(func.min(Person.warmth_cadence))
    while True:
        after = step.where(Person.warmth_cadence > found[-1]) if found else step
        cadence = connection.execute(after).scalar_one_or_none()
        if cadence is None:
            return found
        if len(found) == most:
            return None
        found.append(int(cadence))


def days_to_due(connection: Connection, cadence: int, policy: WarmthPolicy) -> tuple[int, int]:
    """The whole days from a last touch to a person with this cadence turning cooling, and
    cold: a fresh person's dues are their last touch plus these."""
    row = connection.execute(_days_to_due(policy.cooling_at, policy.cold_at), {"cadence": cadence})
    cooling, cold = row.one()
    return int(cooling), int(cold)


@cache
def _days_to_due(cooling_at: float, cold_at: float) -> Select[Any]:
    # Built once per pair of shares: building the expression costs more than running it.
    cadence = bindparam("cadence", type_=BigInteger)
    return select(_days_to_reach(cadence, cooling_at), _days_to_reach(cadence, cold_at))


def stored_last_touch_day(as_of: AsOf) -> ColumnElement[Any]:
    """A fresh person's last-touch day: their newest touch is ``last_touch_at`` itself."""
    return last_touch_day(Person.last_touch_at, as_of)


def end_of_day(as_of: AsOf) -> tuple[int, int]:
    """The end of the as-of day in epoch seconds: in the zone (as days are counted from a
    stored time) and in UTC (from a connection date)."""
    midnight = datetime.combine(as_of.day + timedelta(days=1), datetime.min.time())
    utc = int((midnight - _EPOCH).total_seconds())
    return utc - as_of.utc_offset_seconds, utc


def due_before(due: Any, as_of: AsOf) -> ColumnElement[bool]:
    """SQL: a fresh person's due moment (``warmth_cooling_due`` or ``warmth_cold_due``) has
    come by the as-of day."""
    zoned, utc = end_of_day(as_of)
    dated = and_(Person.last_touch_at.is_(None), Person.connected_on.is_not(None))
    return or_(and_(dated, due < utc), and_(~dated, due < zoned))


def status_is(status: str, as_of: AsOf) -> ColumnElement[bool]:
    """SQL: a fresh person has this warmth status on the as-of day (``warmth_from``'s
    rules, from the stored dues instead of a ratio)."""
    if status == "do_not_contact":
        return Person.do_not_contact.is_(True)
    contactable = Person.do_not_contact.is_not(True)
    cooling = due_before(Person.warmth_cooling_due, as_of)
    cold = due_before(Person.warmth_cold_due, as_of)
    snoozed = and_(Person.snoozed_until.is_not(None), Person.snoozed_until >= as_of.day)
    if status == "warm":
        return and_(contactable, ~cooling)
    if status == "cooling":
        return and_(contactable, cooling, or_(~cold, snoozed))
    # Cold: the loose bound lets an index on the due moments find them.
    loose = Person.warmth_cold_due < max(end_of_day(as_of))
    return and_(contactable, loose, cold, ~snoozed)


def not_fresh(as_of: AsOf) -> tuple[Select, Select]:
    """Ids of the people whose stored inputs may not hold on the as-of day (moved since
    its end, or queued), through indexes, as two selects to ``union_all`` (with others):
    the complement of ``Stored.fresh``. As the newest touch is one of the moments a
    person's ``warmth_moved_at`` follows, everyone touched since the as-of day is among
    them, whatever the settings."""
    return select(Person.id).where(Person.warmth_moved_at >= as_of.end_utc), select(queue.c.id)
