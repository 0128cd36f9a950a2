"""One person's part of Today spliced into the Today on screen is Today read in full.

After a touch the window does not read the whole queue again: it reads the person's part
(``person_today``) and splices it into the queue it shows (``splice``). For touches that
change every section (a reply answered, an update owed, a follow-up due, someone cold or
not answering, a snooze ending, a job change, an article reader, a backdated touch that
leaves someone cold, a do-not-contact person), with sections long and cut short, the
splice must be Today read in full after the touch, or say it is not (and then still have
the person's owed and due counts right: the sidebar shows them at once).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest
from sqlalchemy import update

from recruiter_desk.core.articles import add_article
from recruiter_desk.core.clock import AsOf
from recruiter_desk.core.followups import add_follow_up, snooze
from recruiter_desk.core.opportunities import add_opportunity
from recruiter_desk.core.pipeline import move_stage
from recruiter_desk.core.records import log_interaction
from recruiter_desk.core.today import (
    JOB_CHANGE_SUBJECT,
    RANKED_SECTIONS,
    SECTIONS,
    PersonToday,
    Today,
    person_today,
    splice,
    today,
)
from recruiter_desk.db.models import Person
from recruiter_desk.db.session import Database
from tests.conftest import add_person
from tests.core.test_today_timeline import (
    AS_OF,
    LONG_AGO,
    POLICY,
    SETTINGS,
    ZONE,
    Network,
    _log,
    build_network,
)

LIMITS = (1, 2, 50)


def _person(database: Database, first: str, **values: object) -> int:
    return add_person(database, LONG_AGO, first_name=first, last_name="Test", **values)


def _more(database: Database, network: Network) -> dict[str, int]:
    """Beside the fixed network: more of each kind, so sections are cut at short limits."""
    ids = {
        "ivy": _person(database, "Ivy"),  # owed a reply, sooner than Ana
        "jay": _person(database, "Jay"),  # owed a reply, later than Ana
        "uma": _person(database, "Uma"),  # owed an update
        "gus": _person(database, "Gus"),  # a follow-up due
        "jo": _person(database, "Jo"),  # changed jobs
        "kim": _person(database, "Kim"),  # changed jobs, later
        "lea": _person(database, "Lea", interests=["rust"]),  # cold, reads about Rust
        "max": _person(database, "Max", interests=["rust"]),  # cold, reads about Rust
        "ned": _person(database, "Ned"),  # snoozed, ending
    }
    for name in ("ivy", "jay", "uma", "gus", "jo", "kim", "ned"):
        _log(database, ids[name], "2026-11-01T10:00", "outbound")
    _log(database, ids["ivy"], "2026-11-18T09:00", "inbound", subject="Any news?")
    _log(database, ids["jay"], "2026-11-21T09:00", "inbound", subject="Quick question")
    # Heard from yesterday (so warm, and no reply owed yet), but owed an update.
    _log(database, ids["uma"], "2026-11-24T09:00", "inbound", subject="Thanks")
    _log(database, ids["lea"], "2026-03-02T09:00", "inbound")
    _log(database, ids["max"], "2026-04-02T09:00", "outbound")
    _log(database, ids["max"], "2026-04-03T09:00", "inbound")
    with database.session() as session:
        role = add_opportunity(session, title="Platform Lead", company="Kite", now=LONG_AGO).id
        move_stage(
            session, ids["uma"], role, "interviewing", datetime(2026, 11, 2, 9), ZONE, POLICY
        )
        add_follow_up(session, ids["gus"], date(2026, 11, 21), "Intro to the CTO", LONG_AGO)
        add_follow_up(session, network.fred, date(2026, 11, 25), "Second one", LONG_AGO)
        snooze(session, ids["ned"], 12, AsOf(date(2026, 11, 12), ZONE), "", datetime(2026, 11, 12))
        for name, day in (("jo", 20), ("kim", 22)):
            changed = datetime(2026, 11, day, 8)
            session.execute(
                update(Person).where(Person.id == ids[name]).values(job_changed_at=changed)
            )
            log_interaction(
                session,
                ids[name],
                kind="note",
                direction="internal",
                occurred_at=changed,
                subject=JOB_CHANGE_SUBJECT,
                body="Engineer at A → Staff at B",
            )
        add_article(session, "https://example.com/rust", "Rust at scale", ["rust"], LONG_AGO)
    return ids


def _part(database: Database, person_id: int) -> PersonToday:
    with database.connect() as connection:
        return person_today(connection, AS_OF, SETTINGS, POLICY, person_id)


def _full(database: Database, limit: int) -> Today:
    with database.connect() as connection:
        return today(connection, AS_OF, SETTINGS, POLICY, limit=limit)


def test_a_spliced_today_is_today_read_in_full_or_says_it_is_not(database: Database) -> None:
    network = build_network(database)
    more = _more(database, network)
    first = _full(database, 50)
    # The network has what each touch below changes.
    assert {s: bool(first.items(s)) for s in SECTIONS} == dict.fromkeys(SECTIONS, True)
    assert [i.person_id for i in first.items("articles")]

    # (who, kind, direction, when): each changes what Today shows of them.
    touches = [
        ("reply answered", network.ana, "email", "outbound", "2026-11-25T08:00"),
        ("update owed, given", more["uma"], "call", "outbound", "2026-11-25T08:10"),
        ("follow-up due, touched", network.fred, "email", "outbound", "2026-11-25T08:20"),
        ("a backdated reply: owed", more["gus"], "email", "inbound", "2026-11-10T09:00"),
        ("snooze ending, touched", network.sam, "email", "outbound", "2026-11-25T08:30"),
        ("another snooze ending, touched", more["ned"], "call", "outbound", "2026-11-25T08:35"),
        ("job change, congratulated", more["kim"], "email", "outbound", "2026-11-25T08:40"),
        ("not answering, answered", network.carl, "email", "inbound", "2026-11-25T08:50"),
        ("cold, backdated: still cold", network.cleo, "call", "outbound", "2026-06-01T09:00"),
        ("cold and reader, touched", more["lea"], "email", "outbound", "2026-11-25T09:00"),
        ("cold, touched", network.cleo, "email", "outbound", "2026-11-25T09:10"),
        ("do-not-contact writes again", network.dora, "email", "inbound", "2026-11-25T09:20"),
        ("owed, answered late", more["jay"], "email", "outbound", "2026-11-25T09:30"),
        ("the first owed, answered", more["ivy"], "email", "outbound", "2026-11-25T09:35"),
        ("another job change", more["jo"], "email", "outbound", "2026-11-25T09:40"),
    ]
    outcome: dict[tuple[str, int], bool] = {}
    for what, person_id, kind, direction, when in touches:
        shown = {limit: _full(database, limit) for limit in LIMITS}
        before = _part(database, person_id)
        _log(database, person_id, when, direction, kind=kind, subject=what)
        after = _part(database, person_id)
        for limit in LIMITS:
            full = _full(database, limit)
            spliced = splice(shown[limit], before, after, limit)
            outcome[(what, limit)] = spliced.exact
            if spliced.exact:
                assert spliced.today == full, (what, limit)
                assert spliced.today.to_json() == full.to_json(), (what, limit)
            # Exact or not, the counts the sidebar and the headings show are right, and
            # what is shown of the person is what the full read shows of them.
            assert spliced.today.totals["owed"] == full.totals["owed"], (what, limit)
            assert spliced.today.totals["follow_ups"] == full.totals["follow_ups"], what
            assert spliced.today.owed_people == full.owed_people, (what, limit)
            for section in SECTIONS:
                if section not in RANKED_SECTIONS or not after.cold:
                    mine = [i for i in spliced.today.items(section) if i.person_id == person_id]
                    theirs = [i for i in full.items(section) if i.person_id == person_id]
                    assert all(i in theirs for i in mine), (what, limit, section)
    # The splice is exact wherever one person's read can know: a section cut short is
    # exact while it stays full; whoever was or is cold moves others in the ranked ones.
    for what in (
        "reply answered",
        "update owed, given",
        "follow-up due, touched",
        "snooze ending, touched",
        "another snooze ending, touched",
        "job change, congratulated",
        "another job change",
        "a backdated reply: owed",
        "do-not-contact writes again",
        "the first owed, answered",
    ):
        assert outcome[(what, 50)], what
    assert outcome[("reply answered", 1)]  # she was not shown: the one shown stays
    assert outcome[("a backdated reply: owed", 1)]  # owed since before the one shown
    # The one shown of a section cut at 1: the next moves up, which only a full read knows.
    assert not outcome[("job change, congratulated", 1)]
    assert not outcome[("another snooze ending, touched", 1)]
    for limit in LIMITS:
        assert not outcome[("cold, touched", limit)]
        assert not outcome[("cold, backdated: still cold", limit)]
        assert not outcome[("cold and reader, touched", limit)]
        assert not outcome[("not answering, answered", limit)]


def test_a_splice_over_a_today_read_before_another_change_says_it_is_not_exact(
    database: Database,
) -> None:
    network = build_network(database)
    stale = _full(database, 50)
    _log(database, network.ana, "2026-11-25T08:00", "outbound", subject="Re: About the role?")
    before = _part(database, network.ana)  # the screen still shows her owed reply
    _log(database, network.ana, "2026-11-25T08:05", "outbound", subject="And again")
    spliced = splice(stale, before, _part(database, network.ana), 50)
    assert not spliced.exact


@pytest.mark.parametrize("limit", LIMITS)
def test_nothing_changed_splices_to_the_same_today(database: Database, limit: int) -> None:
    network = build_network(database)
    shown = _full(database, limit)
    for person_id in (network.ana, network.fred, network.sam, network.omar, network.dora):
        part = _part(database, person_id)
        assert splice(shown, part, part, limit) == replace(
            splice(shown, part, part, limit), today=shown, exact=True
        )


def test_a_persons_part_from_the_panels_card_is_the_part_read_alone(database: Database) -> None:
    from recruiter_desk.core.opportunities import person_card

    network = build_network(database)
    more = _more(database, network)
    with database.connect() as connection:
        for person_id in [*network.__dict__.values(), *more.values()]:
            if person_id == network.role:
                continue
            card = person_card(connection, person_id, AS_OF, POLICY, SETTINGS)
            known = person_today(
                connection, AS_OF, SETTINGS, POLICY, person_id, row=card.person, owed=card.owed
            )
            assert known == person_today(connection, AS_OF, SETTINGS, POLICY, person_id)
