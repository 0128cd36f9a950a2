"""Listing and reading people: one query builder serves the CLI, exports and the GUI.

Filtering, sorting and search all happen in SQL (FTS5 for search), so a 100k-person
network lists in milliseconds and the GUI model can hold ids and fetch pages.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import (
    Connection,
    Select,
    and_,
    case,
    exists,
    func,
    or_,
    select,
    union_all,
)

from recruiter_desk.core import warmth_store
from recruiter_desk.core.clock import AsOf
from recruiter_desk.core.people_rows import PersonLists, PersonRow, person_row
from recruiter_desk.core.vocabulary import WORK_MODE_BITS
from recruiter_desk.core.warmth import (
    STATUSES,
    WarmthColumns,
    WarmthPolicy,
    warmth_from,
    warmth_inputs,
)
from recruiter_desk.core.wording import days_ago_exactly
from recruiter_desk.db import search_index
from recruiter_desk.db.models import (
    ImportBatchItem,
    Person,
    PersonEmail,
    PersonInterest,
    PersonPhone,
    PersonTag,
)
from recruiter_desk.db.touch import TOUCH_DIRECTIONS
from recruiter_desk.errors import NotFoundError, UsageError

SORT_KEYS = ("name", "company", "title", "location", "status", "last_touch", "created")


@dataclass(frozen=True)
class PeopleQuery:
    """What a filtered list shows; every front end builds one of these."""

    search: str | None = None
    status: str | None = None
    tag: str | None = None
    applicant: bool | None = None
    work_mode: str | None = None
    changed_jobs: bool = False
    import_batch: int | None = None
    ids: tuple[int, ...] | None = None
    # A SQL selectable of person ids to stay within (e.g. a role's candidate pool).
    within: Any = None
    sort: str = "name"
    descending: bool = False

    def __post_init__(self) -> None:
        if self.status is not None and self.status not in STATUSES:
            raise UsageError(f"Unknown status {self.status!r}; use one of {', '.join(STATUSES)}.")
        if self.work_mode is not None and self.work_mode not in WORK_MODE_BITS:
            raise UsageError(f"Unknown work mode {self.work_mode!r}; use remote, hybrid or onsite.")
        if self.sort not in SORT_KEYS:
            raise UsageError(f"Unknown sort {self.sort!r}; use one of {', '.join(SORT_KEYS)}.")


def _search_condition(connection: Connection, query: str) -> Any:
    if search_index.is_supported(connection):
        matches = search_index.matching_ids(connection, query)
        return None if matches is None else Person.id.in_(matches)
    words = [w for w in query.split() if w]
    conditions = []
    for word in words:
        pattern = f"%{word}%"
        conditions.append(
            or_(
                (Person.first_name + " " + Person.last_name).ilike(pattern),
                Person.company.ilike(pattern),
                Person.title.ilike(pattern),
                exists().where(
                    PersonEmail.person_id == Person.id, PersonEmail.address.ilike(pattern)
                ),
            )
        )
    return conditions or None


def _base_filters(statement: Select, connection: Connection, query: PeopleQuery) -> Select:
    """Everything but the status filter, applied before warmth is computed."""
    if query.search and query.search.strip():
        condition = _search_condition(connection, query.search)
        if isinstance(condition, list):
            statement = statement.where(*condition)
        elif condition is not None:
            statement = statement.where(condition)
    if query.tag:
        statement = statement.where(
            exists().where(PersonTag.person_id == Person.id, PersonTag.tag == query.tag.lower())
        )
    if query.applicant is not None:
        statement = statement.where(Person.is_applicant.is_(query.applicant))
    if query.work_mode:
        statement = statement.where(Person.work_modes.op("&")(WORK_MODE_BITS[query.work_mode]) != 0)
    if query.changed_jobs:
        statement = statement.where(Person.job_changed_at.is_not(None))
    if query.import_batch is not None:
        statement = statement.where(
            exists().where(
                ImportBatchItem.person_id == Person.id,
                ImportBatchItem.batch_id == query.import_batch,
            )
        )
    if query.ids is not None:
        statement = statement.where(Person.id.in_(query.ids))
    if query.within is not None:
        statement = statement.where(Person.id.in_(query.within))
    return statement


def people_statement(
    connection: Connection,
    query: PeopleQuery,
    as_of: AsOf,
    policy: WarmthPolicy,
    *,
    use_stored: bool = True,
    narrow: bool = True,
) -> Select:
    """Matching people with their warmth, in display order.

    People whose stored warmth inputs hold (core/warmth_store.py) read them from their row;
    the others (an as-of day before their newest touch, a write not yet settled, settings
    that changed) get them computed exactly. ``use_stored=False`` computes everyone's.
    ``narrow=False`` leaves out the status filter's candidates (the indexes on the due
    moments): a first page walked in name order stops sooner without them.
    """
    store = warmth_store.stored(connection, policy) if use_stored else None
    if store is None:
        return _exact_statement(connection, query, as_of, policy)
    fresh = store.fresh(as_of)
    exact = warmth_inputs(as_of, policy)
    last_touch_day = case(
        (fresh, warmth_store.stored_last_touch_day(as_of)), else_=exact.last_touch_day
    )
    cadence = case((fresh, Person.warmth_cadence), else_=exact.cadence)
    warmth = warmth_from(
        last_touch_day, cadence, Person.do_not_contact, Person.snoozed_until, as_of, policy
    )
    statement: Select = select(
        *_ROW_COLUMNS,
        last_touch_day.label("last_touch_day"),
        cadence.label("cadence"),
        warmth.days.label("days"),
        warmth.ratio.label("ratio"),
        warmth.status.label("status"),
    )
    statement = _base_filters(statement, connection, query)
    if query.status:
        statement = statement.where(
            or_(
                and_(fresh, warmth_store.status_is(query.status, as_of)),
                and_(~fresh, warmth.status == query.status),
            )
        )
        candidates = store.candidates(query.status, as_of) if narrow else None
        if candidates is not None:
            statement = statement.where(Person.id.in_(candidates))
    ordered = _order(query, last_touch_day, warmth)
    return statement.order_by(*_name_first(connection, query), *ordered)


_ROW_COLUMNS = (
    Person.id,
    Person.first_name,
    Person.last_name,
    Person.company,
    Person.title,
    Person.location,
    Person.linkedin_url,
    Person.work_modes,
    Person.do_not_contact,
    Person.openness,
)


def _exact_statement(
    connection: Connection, query: PeopleQuery, as_of: AsOf, policy: WarmthPolicy
) -> Select:
    """``people_statement`` computing everyone's warmth inputs.

    They are computed once per person in a materialised CTE; days, ratio and status are
    cheap arithmetic on its columns. Without the CTE SQLite evaluates the last-touch
    expression once per mention, several times per row.
    """
    inputs = warmth_inputs(as_of, policy)
    inner = select(
        Person.id.label("person_id"),
        inputs.last_touch_day.label("last_touch_day"),
        inputs.cadence.label("cadence"),
    )
    computed = _base_filters(inner, connection, query).cte("warmth").prefix_with("MATERIALIZED")
    warmth = warmth_from(
        computed.c.last_touch_day,
        computed.c.cadence,
        Person.do_not_contact,
        Person.snoozed_until,
        as_of,
        policy,
    )
    statement = (
        select(
            *_ROW_COLUMNS,
            computed.c.last_touch_day,
            computed.c.cadence,
            warmth.days.label("days"),
            warmth.ratio.label("ratio"),
            warmth.status.label("status"),
        )
        .select_from(computed)
        .join(Person, Person.id == computed.c.person_id)
    )
    if query.status:
        statement = statement.where(warmth.status == query.status)
    ordered = _order(query, computed.c.last_touch_day, warmth)
    return statement.order_by(*_name_first(connection, query), *ordered)


def _name_first(connection: Connection, query: PeopleQuery) -> list[Any]:
    """A search listed by name shows the people it names first ("m": Maria, Moreau), then
    those it found elsewhere (a Manager, a company): one letter finds half the network."""
    if not (query.search and query.sort == "name" and not query.descending):
        return []
    if search_index.is_supported(connection):
        named = search_index.matching_ids(connection, query.search, field="name")
        return [] if named is None else [case((Person.id.in_(named), 0), else_=1)]
    words = query.search.split()
    starts = [or_(Person.first_name.ilike(f"{w}%"), Person.last_name.ilike(f"{w}%")) for w in words]
    return [case((and_(*starts), 0), else_=1)] if starts else []


def _named(connection: Connection, search: str) -> Any:
    """The ids of the people whose names a search matches (the search index), or None."""
    return search_index.matching_ids(connection, search, field="name")


# Name matches past which a search counts as broad (one or two letters at 100k).
_BROAD_SEARCH = 5_000
# Matches from which a search sorted by warmth finds its first page by walking each stored
# cadence (``_warmth_first_ids``): below, its whole list is quicker (31 ms for 12k at 100k;
# 170 ms for "m", 72k people, where the walk takes 40).
_WALK_A_SEARCH_FROM = 20_000


def _named_ids(connection: Connection, query: PeopleQuery) -> set[int] | None:
    """The people _name_first ranks first, as a set, when it ranks by the FTS index."""
    if not _name_first(connection, query) or not search_index.is_supported(connection):
        return None
    named = _named(connection, query.search or "")
    return None if named is None else set(_ids(connection, named))


def _order(query: PeopleQuery, last_touch_day: Any, warmth: WarmthColumns | None) -> list[Any]:
    name = [Person.sort_key]
    keys: dict[str, list[Any]] = {
        "name": name,
        "company": [func.lower(Person.company), *name],
        "title": [func.lower(Person.title), *name],
        "location": [func.lower(Person.location), *name],
        "status": [warmth.ratio, *name] if warmth is not None else name,
        "last_touch": [last_touch_day, *name] if last_touch_day is not None else name,
        "created": [Person.created_at],
    }
    columns = keys[query.sort]
    ordered = [k.desc() for k in columns] if query.descending else list(columns)
    return [*ordered, Person.id]


def needs_warmth(query: PeopleQuery) -> bool:
    """Whether the list filters or sorts by warmth or last touch: the only lists a touch,
    a snooze or a cadence can move people in, out of, or within."""
    return query.status is not None or query.sort in ("status", "last_touch")


# The fields of a person the name order reads: their display name (the names, else the
# first email address) makes their sort key.
_NAME_FIELDS = frozenset({"first_name", "last_name", "emails"})


def saved_fields_move(query: PeopleQuery, changed: frozenset[str]) -> bool:
    """Whether saving these fields (``PersonFields``' names) of one person can move people
    in, out of, or within ``query``'s list; if not, only their row changes. A search, a
    warmth filter or sort, or a filter a save does not name is taken to move them."""
    if needs_warmth(query) or query.search or query.changed_jobs:
        return True
    if query.import_batch is not None or query.ids is not None or query.within is not None:
        return True
    depends = set(_NAME_FIELDS)  # every order ends with the name
    if query.sort in ("company", "title", "location"):
        depends.add(query.sort)
    if query.tag:
        depends.add("tags")
    if query.applicant is not None:
        depends.add("is_applicant")
    if query.work_mode:
        depends.add("work_modes")
    return bool(depends & changed)


def matching_ids(
    connection: Connection, query: PeopleQuery, as_of: AsOf, policy: WarmthPolicy
) -> list[int]:
    """Ids in display order: what a lazy list model holds."""
    if not needs_warmth(query):
        # Neither filtering nor sorting needs warmth: skip computing it for everyone.
        plain = _base_filters(select(Person.id), connection, query)
        named = _named_ids(connection, query)
        if named is None:
            keys = [*_name_first(connection, query), *_order(query, None, None)]
            return _ids(connection, plain.order_by(*keys))
        # The same order as _name_first's, partitioned here: ranking inside SQL made every
        # row of a one-letter search (70k at 100k) probe the name matches and be sorted,
        # where a broad search can instead walk the name index in order and sort nothing.
        if len(named) > _BROAD_SEARCH:
            plain = plain.with_hint(Person, "INDEXED BY ix_people_sort_key", "sqlite")
        ids = _ids(connection, plain.order_by(*_order(query, None, None)))
        return [i for i in ids if i in named] + [i for i in ids if i not in named]
    statement = people_statement(connection, query, as_of, policy)
    return _ids(connection, statement.with_only_columns(statement.selected_columns.id))


def first_ids(
    connection: Connection, query: PeopleQuery, as_of: AsOf, policy: WarmthPolicy, limit: int
) -> list[int] | None:
    """``matching_ids(...)[:limit]`` without listing everyone: what the window shows while
    the whole list is read (a one-letter search matches 70k people at 100k). None where
    that costs as much as the whole list (warmth worked out the exact way for everyone:
    settings changed since the stored inputs were worked out; a narrow search sorted by
    warmth, whose whole list is short)."""
    if needs_warmth(query):
        store = warmth_store.stored(connection, policy)
        if store is None:
            return None
        if query.sort in ("status", "last_touch"):
            if not (query.search and query.search.strip()):
                return _warmth_first_ids(connection, query, as_of, policy, store, limit)
            # The matches once, in Python: in SQL each cadence's walk and the last query
            # would each gather them again (15 ms for "m", 72k people at 100k).
            matches = _search_matches(connection, query.search)
            if len(matches) < _WALK_A_SEARCH_FROM:
                # Fewer: their whole list is quicker, where a walk would meet too few of
                # them to stop early.
                return None
            without_search = replace(query, search=None)
            return _warmth_first_ids(
                connection, without_search, as_of, policy, store, limit, matches=matches
            )
        # Another order with a status filter: each person's status is a test on their row,
        # so walking the list in its order stops at the page's end (cold is a third of
        # the network) instead of listing every cold person and sorting them.
        statement = people_statement(connection, query, as_of, policy, narrow=False)
        if query.sort == "name" and not query.search and connection.dialect.name == "sqlite":
            statement = statement.with_hint(Person, "INDEXED BY ix_people_sort_key", "sqlite")
        return _page(connection, statement.with_only_columns(Person.id).limit(limit))
    plain = _base_filters(select(Person.id), connection, query)
    order = _order(query, None, None)
    if not (_name_first(connection, query) and search_index.is_supported(connection)):
        return _ids(
            connection, plain.order_by(*_name_first(connection, query), *order).limit(limit)
        )
    named = _named(connection, query.search or "")
    # matching_ids' partition, a page at a time. Name matches match the whole search too
    # (the name is one of the fields searched), so the first part needs only the name
    # index; a broad one walks the people in name order and stops at the page's end.
    unsearched = _base_filters(select(Person.id), connection, replace(query, search=None))
    broad = max(len(word) for word in search_index.words(query.search or "")) <= 2
    # "id + 0": SQLite then tests each person against the matches instead of fetching the
    # matches and sorting them all (a one-letter search names 17k people at 100k).
    person = Person.id + 0 if broad and query.sort == "name" else Person.id
    first = _ids(connection, unsearched.where(person.in_(named)).order_by(*order).limit(limit))
    if len(first) < limit:
        others = plain.where(Person.id.not_in(_named(connection, query.search or "")))
        first += _ids(connection, others.order_by(*order).limit(limit - len(first)))
    return first


# Distinct stored cadences past which a warmth-sorted first page is not worth finding a
# cadence at a time (the settings' few, plus people's own).
_MOST_CADENCES = 64


def _warmth_first_ids(
    connection: Connection,
    query: PeopleQuery,
    as_of: AsOf,
    policy: WarmthPolicy,
    store: warmth_store.Stored,
    limit: int,
    *,
    matches: set[int] | None = None,
) -> list[int] | None:
    """The first page of a list sorted by last touch or by warmth, from few people; of
    ``matches`` only, when given (a broad search's, found once: ``query`` has no search).

    Within one stored cadence a fresh person's dues are their last touch plus a fixed
    number of days (core/warmth_store.py), so walking ``ix_people_warmth_cadence_cold_due``
    walks them by last touch, hence by last-touch day and, within the cadence, by warmth
    ratio. Per cadence the walk takes the first ``limit`` people the list keeps; any other
    person of that cadence whose cold moment lies past the last of them by more than a day
    and twice the zone's offset (a connection date counts in UTC, a touch in the zone) has
    a later day than all of them, so ``limit`` people come before them. The candidates are
    the people up to that bound in each cadence, plus everyone whose stored inputs do not
    hold on the as-of day; the exact query orders them and keeps the page.
    """
    cadences = warmth_store.cadences(connection, _MOST_CADENCES)
    if cadences is None:
        return None
    # Oldest touch first: last touch ascending, or the warmth ratio descending (coldest).
    oldest_first = query.descending if query.sort == "status" else not query.descending
    due = Person.warmth_cold_due
    day = warmth_store.DAY_SECONDS
    offset = abs(as_of.utc_offset_seconds)
    slack = day + 2 * offset
    soonest_end, latest_end = sorted(warmth_store.end_of_day(as_of))
    # The as-of day's midnight in UTC, in epoch seconds.
    as_of_start = latest_end - day
    last_day = warmth_store.stored_last_touch_day(as_of)
    days = warmth_from(
        last_day, Person.warmth_cadence, Person.do_not_contact, Person.snoozed_until, as_of, policy
    ).days
    listed = _base_filters(select(Person.id), connection, query).where(store.fresh(as_of))
    if query.status is not None:
        listed = listed.where(warmth_store.status_is(query.status, as_of))
    parts: list[Any] = [
        *store.unsettled(as_of),
        select(Person.id).where(Person.warmth_cadence.is_(None)),
    ]
    if query.status == "cooling":
        # A snooze keeps a cold person cooling: the snoozed are few, and candidates all.
        parts.append(select(Person.id).where(Person.snoozed_until >= as_of.day))
    for cadence in cadences:
        to_cooling, to_cold = warmth_store.days_to_due(connection, cadence, policy)
        # The cold moment is the cooling one plus the days between: a range on the index.
        lead = (to_cold - to_cooling) * day
        ranges = {
            # Unsnoozed cooling people are not cold yet: between the two bounds.
            "cooling": [due < latest_end + lead, due >= soonest_end],
            "warm": [due >= soonest_end + lead],
        }.get(query.status or "", [])
        walked = listed.where(Person.warmth_cadence == cadence, *ranges)
        ordered = due.asc() if oldest_first else due.desc()
        page = _walk(
            connection,
            walked.with_only_columns(
                Person.id, due, days.label("days"), last_day.label("last_day")
            ).order_by(ordered),
            limit,
            matches,
        )
        if len(page) < limit:
            parts.append(select(Person.id).where(Person.id.in_([row.id for row in page])))
            continue
        cut, cut_day = page[-1].warmth_cold_due, page[-1].last_day
        # The range on the index, then the days themselves (a cheap test on few rows).
        if oldest_first:
            parts.append(walked.where(due <= cut + slack, last_day <= cut_day))
        else:
            parts.append(walked.where(due >= cut - slack, last_day >= cut_day))
        if query.sort == "status" and page[-1].days == 0:
            # Days stop at zero (touched on the as-of day or dated after it): ratios tie
            # there and names order them, so all of those are candidates.
            zero = due >= as_of_start - offset + to_cold * day
            parts.append(walked.where(zero, last_day >= as_of.day))
    if matches is None:
        statement = people_statement(connection, query, as_of, policy, narrow=False)
        statement = statement.where(Person.id.in_(union_all(*parts)))
    else:
        # The candidates themselves, as the exact query's ids: a few hundred per cadence.
        listed_ids = connection.execute(union_all(*parts)).scalars()
        candidates = tuple(sorted({i for i in listed_ids if i in matches}))
        statement = people_statement(
            connection, replace(query, ids=candidates), as_of, policy, narrow=False
        )
    return _page(connection, statement.with_only_columns(Person.id).limit(limit))


def _search_matches(connection: Connection, search: str) -> set[int]:
    """Everyone a search matches, straight from the search index where there is one."""
    found = None
    if search_index.is_supported(connection):
        found = search_index.matching_ids(connection, search)
    if found is None:
        found = _base_filters(select(Person.id), connection, PeopleQuery(search=search))
    return set(_ids(connection, found))


def _walk(
    connection: Connection, ordered: Select, limit: int, matches: set[int] | None
) -> list[Any]:
    """The first ``limit`` rows of ``ordered`` (its first column the person's id), of
    ``matches`` only when given: read a few pages at a time until enough match."""
    if matches is None:
        return list(connection.execute(ordered.limit(limit)).all())
    found: list[Any] = []
    step, offset = limit * 2, 0
    while len(found) < limit:
        rows = connection.execute(ordered.limit(step).offset(offset)).all()
        found += [row for row in rows if row[0] in matches]
        if len(rows) < step:
            break
        offset += step
        step *= 2
    return found[:limit]


def _page(connection: Connection, statement: Select) -> list[int]:
    """The ids of a page, through SQLAlchemy's statement cache: a warmth statement takes
    longer to compile (as ``_ids`` does each time) than its page takes to read."""
    return list(connection.execute(statement).scalars())


def _ids(connection: Connection, statement: Select) -> list[int]:
    """The first column of every row. On SQLite straight from the driver's cursor, with
    the parameters converted by their types as SQLAlchemy would: its rows cost 25 ms per
    100k ids, and clearing the filters lists all of them."""
    dialect = connection.dialect
    if dialect.name == "sqlite":
        compiled = statement.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
        parameters: list[Any] = []
        for name in compiled.positiontup or ():
            bind = compiled.binds.get(name)
            value = compiled.params.get(name)
            convert = None if bind is None else bind.type.bind_processor(dialect)
            parameters.append(convert(value) if convert else value)
        plain = (int, str, float, type(None))
        if len(parameters) == len(compiled.positiontup or ()) and all(
            type(v) in plain for v in parameters
        ):
            cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
            try:
                return [row[0] for row in cursor.execute(str(compiled), parameters)]
            finally:
                cursor.close()
    return list(connection.execute(statement).scalars())


def count_people(
    connection: Connection, query: PeopleQuery, as_of: AsOf, policy: WarmthPolicy
) -> int:
    statement = people_statement(connection, query, as_of, policy).order_by(None)
    # Only the ids: a subquery's unused warmth columns would still be worked out per row.
    ids = statement.with_only_columns(statement.selected_columns.id)
    counted = select(func.count()).select_from(ids.subquery())
    return int(connection.execute(counted).scalar_one())


def people_in_order(
    connection: Connection,
    ids: Sequence[int],
    as_of: AsOf,
    policy: WarmthPolicy,
    *,
    with_lists: bool = True,
) -> list[PersonRow]:
    """The rows of these people, in the order given (those no longer there left out)."""
    rows = list_people(
        connection, PeopleQuery(ids=tuple(ids)), as_of, policy, with_lists=with_lists
    )
    by_id = {r.id: r for r in rows}
    return [by_id[i] for i in ids if i in by_id]


def list_people(
    connection: Connection,
    query: PeopleQuery,
    as_of: AsOf,
    policy: WarmthPolicy,
    *,
    limit: int | None = None,
    offset: int = 0,
    with_lists: bool = True,
) -> list[PersonRow]:
    statement = people_statement(connection, query, as_of, policy)
    if limit is not None:
        statement = statement.limit(limit).offset(offset)
    rows = connection.execute(statement).all()
    lists = person_lists(connection, [r.id for r in rows]) if with_lists else {}
    return [person_row(row._mapping, lists.get(row.id)) for row in rows]


# A person's lists: (name, value column, owner column, order). Every loader reads these.
LIST_SOURCES: tuple[tuple[str, Any, Any, Any], ...] = (
    ("emails", PersonEmail.address, PersonEmail.person_id, PersonEmail.position),
    ("phones", PersonPhone.number, PersonPhone.person_id, PersonPhone.position),
    ("tags", PersonTag.tag, PersonTag.person_id, PersonTag.tag),
    ("interests", PersonInterest.topic, PersonInterest.person_id, PersonInterest.topic),
)


def with_lists(connection: Connection, rows: Sequence[PersonRow]) -> list[PersonRow]:
    """The same people with their emails, phones, tags and interests filled in."""
    lists = person_lists(connection, [r.id for r in rows])
    empty = PersonLists()
    return [
        replace(
            r,
            emails=lists.get(r.id, empty).emails,
            phones=lists.get(r.id, empty).phones,
            tags=lists.get(r.id, empty).tags,
            interests=lists.get(r.id, empty).interests,
        )
        for r in rows
    ]


def person_lists(connection: Connection, ids: Sequence[int]) -> dict[int, PersonLists]:
    """The one loader of people's emails, phones, tags and interests: four queries per 900
    people, not four per person. People with none of them are absent."""
    collected: dict[int, PersonLists] = defaultdict(PersonLists)
    for start in range(0, len(ids), 900):
        chunk = list(ids[start : start + 900])
        for key, value, owner, order in LIST_SOURCES:
            statement = select(owner, value).where(owner.in_(chunk)).order_by(owner, order)
            for person_id, item in connection.execute(statement):
                getattr(collected[person_id], key).append(item)
    return dict(collected)


def status_counts(
    connection: Connection, as_of: AsOf, policy: WarmthPolicy, query: PeopleQuery | None = None
) -> dict[str, int]:
    """How many people are warm, cooling, cold and do-not-contact: warmth for everyone."""
    base = query or PeopleQuery()
    if base.status is None and warmth_store.stored(connection, policy) is not None:
        # Cold and cooling through their indexes, do-not-contact from a plain column; the
        # rest are warm (every person has exactly one status).
        counts = {
            status: count_people(connection, replace(base, status=status), as_of, policy)
            for status in ("cooling", "cold", "do_not_contact")
        }
        everyone = _base_filters(select(func.count()).select_from(Person), connection, base)
        counts["warm"] = int(connection.execute(everyone).scalar_one()) - sum(counts.values())
        return {status: counts[status] for status in STATUSES}
    statement = people_statement(connection, base, as_of, policy).order_by(None)
    listed = statement.subquery()
    grouped = select(listed.c.status, func.count()).group_by(listed.c.status)
    counts = dict.fromkeys(STATUSES, 0)
    counts.update({status: int(n) for status, n in connection.execute(grouped)})
    return counts


@dataclass(frozen=True)
class WarmthExplanation:
    status: str
    days: int
    cadence_days: int
    cadence_source: str
    had_interaction: bool
    sentence: str


def explain_warmth(
    connection: Connection, person_id: int, as_of: AsOf, policy: WarmthPolicy
) -> WarmthExplanation:
    """Why a person has the status they have, in one sentence a recruiter reads."""
    explained = explain_warmths(connection, [person_id], as_of, policy)
    if person_id not in explained:
        raise NotFoundError(f"There is no person with id {person_id}.")
    return explained[person_id]


def explain_warmths(
    connection: Connection, person_ids: list[int], as_of: AsOf, policy: WarmthPolicy
) -> dict[int, WarmthExplanation]:
    """``explain_warmth`` for several people in two queries (Today explains a screenful)."""
    from recruiter_desk.core.warmth import describe_source, newest_interaction_at

    if not person_ids:
        return {}
    rows = list_people(
        connection, PeopleQuery(ids=tuple(person_ids)), as_of, policy, with_lists=False
    )
    facts = {
        person_id: (cadence_source, touched)
        for person_id, cadence_source, touched in connection.execute(
            select(
                Person.id,
                warmth_inputs(as_of, policy).cadence_source,
                newest_interaction_at(Person.last_touch_at, TOUCH_DIRECTIONS, as_of.end_utc),
            ).where(Person.id.in_(person_ids))
        )
    }
    explained = {}
    for row in rows:
        cadence_source, touched = facts[row.id]
        source = describe_source(cadence_source)
        days = row.days_since_touch
        if row.status == "do_not_contact":
            sentence = "Marked do-not-contact: never listed as cold and never messaged."
        else:
            ago = days_ago_exactly(days)
            opener = (
                f"Last in touch {ago}" if touched is not None else f"No contact yet; added {ago}"
            )
            sentence = f"{opener}; you aim for every {row.cadence_days} days ({source})."
            if row.status == "cooling" and row.warmth is not None and row.warmth >= policy.cold_at:
                sentence += " Snoozed, so not shown as cold."
        explained[row.id] = WarmthExplanation(
            row.status, days, row.cadence_days, source, touched is not None, sentence
        )
    return explained
