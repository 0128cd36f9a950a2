"""Today and the timeline on one small fixed network, as of 2026-11-25 (UTC).

The network: Ana wrote 5 days ago and is owed a reply; Dora (do-not-contact) also wrote
and must never show; Carl got three messages in a row with no reply (not answering);
Cleo was last in touch 200 days ago (gone cold); Sam's snooze ends today with a reason;
Fred has a follow-up due; Omar is in a process for a role.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

import pytest

from recruiter_desk.core.clock import AsOf, local_zone
from recruiter_desk.core.followups import add_follow_up, snooze
from recruiter_desk.core.opportunities import add_opportunity
from recruiter_desk.core.owed import owed_messages
from recruiter_desk.core.people import explain_warmth
from recruiter_desk.core.pipeline import move_stage
from recruiter_desk.core.records import log_interaction
from recruiter_desk.core.timeline import (
    Cursor,
    TimelinePage,
    TimelineQuery,
    day_heading,
    delete_interaction,
    read_interaction,
    restore_interaction,
    timeline_page,
    update_interaction,
)
from recruiter_desk.core.today import Today, today
from recruiter_desk.core.warmth import WarmthPolicy
from recruiter_desk.db.session import Database
from recruiter_desk.errors import UsageError
from recruiter_desk.settings import Settings
from tests.conftest import add_person

ZONE = local_zone("UTC")
AS_OF = AsOf(date(2026, 11, 25), ZONE)
SETTINGS = Settings()
POLICY = WarmthPolicy()
LONG_AGO = datetime(2025, 1, 1)


@dataclass(frozen=True)
class Network:
    ana: int
    dora: int
    carl: int
    cleo: int
    sam: int
    fred: int
    omar: int
    role: int


def _log(database: Database, person_id: int, when: str, direction: str, **extra: object) -> int:
    with database.session() as session:
        return log_interaction(
            session,
            person_id,
            kind=str(extra.pop("kind", "email")),
            direction=direction,
            occurred_at=datetime.fromisoformat(when),
            **extra,  # type: ignore[arg-type]
        ).id


@pytest.fixture
def network(database: Database) -> Network:
    return build_network(database)


def build_network(database: Database) -> Network:
    def person(first: str, **values: object) -> int:
        return add_person(database, LONG_AGO, first_name=first, last_name="Test", **values)

    ana, dora, carl = person("Ana"), person("Dora", do_not_contact=True), person("Carl")
    cleo, sam, fred, omar = person("Cleo"), person("Sam"), person("Fred"), person("Omar")
    # Everyone but Cleo, Carl and Sam was in touch recently, so only they can be cold.
    for someone in (ana, dora, fred, omar):
        _log(database, someone, "2026-11-01T10:00", "outbound")
    _log(database, ana, "2026-11-20T09:00", "inbound", subject="About the role?")
    _log(database, dora, "2026-11-20T09:00", "inbound", subject="Please stop")
    _log(database, carl, "2026-01-10T09:00", "inbound")
    for when in ("2026-02-01T09:00", "2026-03-01T09:00", "2026-04-01T09:00"):
        _log(database, carl, when, "outbound", subject="Checking in")
    _log(database, cleo, "2026-05-09T09:00", "inbound")
    _log(database, cleo, "2026-05-09T10:00", "outbound", subject="Thanks!")
    _log(database, sam, "2026-05-01T09:00", "outbound")
    with database.session() as session:
        snooze(
            session,
            sam,
            10,
            AsOf(date(2026, 11, 15), ZONE),
            "not before March: shares vest",
            datetime(2026, 11, 15, 9),
        )
        add_follow_up(session, fred, date(2026, 11, 23), "Send the salary survey", LONG_AGO)
        role = add_opportunity(session, title="Data Engineer", company="Helix", now=LONG_AGO).id
        move_stage(session, omar, role, "interviewing", datetime(2026, 11, 24, 15), ZONE, POLICY)
    _log(database, omar, "2026-11-24T16:00", "outbound", subject="Next steps", opportunity_id=role)
    return Network(ana, dora, carl, cleo, sam, fred, omar, role)


def queue(database: Database, as_of: AsOf = AS_OF) -> Today:
    with database.connect() as connection:
        return today(connection, as_of, SETTINGS, POLICY)


def people(found: Today, section: str) -> list[int]:
    return [item.person_id for item in found.items(section)]


def test_today_lists_exactly_the_owed_people_with_the_owed_wording(
    database: Database, network: Network
) -> None:
    found = queue(database)
    assert people(found, "owed") == [network.ana]
    with database.connect() as connection:
        expected = owed_messages(connection, AS_OF, SETTINGS)
    # The sentence is the owed module's own, never restated here.
    assert [i.why for i in found.items("owed")] == [o.describe(AS_OF) for o in expected]
    assert found.items("owed")[0].since == date(2026, 11, 20)


def test_do_not_contact_people_never_show_anywhere(database: Database, network: Network) -> None:
    found = queue(database)
    assert all(network.dora not in people(found, s) for s in found.sections)


def test_a_logged_reply_removes_the_person_from_owed(database: Database, network: Network) -> None:
    _log(database, network.ana, "2026-11-25T08:00", "outbound", subject="Re: About the role?")
    assert people(queue(database), "owed") == []


def test_three_unanswered_messages_move_someone_from_cold_to_not_answering(
    database: Database, network: Network
) -> None:
    found = queue(database)
    assert people(found, "not_answering") == [network.carl]
    assert "3+ messages in a row unanswered" in found.items("not_answering")[0].why
    assert people(found, "cold") == [network.cleo]
    with database.connect() as connection:
        explained = explain_warmth(connection, network.cleo, AS_OF, POLICY).sentence
    assert found.items("cold")[0].why == explained  # the warmth module's own sentence
    # A reply puts Carl back among the people one simply has not written to lately.
    _log(database, network.carl, "2026-04-02T09:00", "inbound")
    found = queue(database)
    assert network.carl not in people(found, "not_answering")
    assert network.carl in people(found, "cold")


def test_a_snooze_comes_back_with_its_reason_when_it_ends(
    database: Database, network: Network
) -> None:
    assert people(queue(database, AsOf(date(2026, 11, 24), ZONE)), "snoozes_ending") == []
    found = queue(database)
    assert [(i.person_id, i.why) for i in found.items("snoozes_ending")] == [
        (network.sam, "Snooze ends today: not before March: shares vest")
    ]
    # Touching them answers the reminder.
    _log(database, network.sam, "2026-11-26T09:00", "outbound")
    later = queue(database, AsOf(date(2026, 11, 27), ZONE))
    assert people(later, "snoozes_ending") == []


def test_follow_ups_due_and_the_json_shape(database: Database, network: Network) -> None:
    found = queue(database)
    assert [(i.person_id, i.why) for i in found.items("follow_ups")] == [
        (network.fred, "Follow-up overdue by 2 days: Send the salary survey")
    ]
    shape = found.to_json()
    assert list(shape) == [
        "as_of",
        "owed",
        "follow_ups",
        "cold",
        "not_answering",
        "snoozes_ending",
        "job_changes",
        "articles",
        "totals",
        "owed_people",
    ]
    assert shape["follow_ups"][0]["full_name"] == "Fred Test"
    assert shape["totals"]["owed"] == 1


# -- timeline ------------------------------------------------------------------------------


EVERYTHING = TimelineQuery()


def page(
    database: Database,
    query: TimelineQuery = EVERYTHING,
    after: Cursor | None = None,
    limit: int = 100,
) -> TimelinePage:
    with database.connect() as connection:
        return timeline_page(connection, query, AS_OF, after=after, limit=limit)


def test_a_logged_interaction_is_at_the_top_under_today(
    database: Database, network: Network
) -> None:
    new = _log(database, network.cleo, "2026-11-25T11:00", "outbound", subject="Coffee soon?")
    top = page(database).entries[0]
    assert (top.id, top.subject, top.person_name) == (new, "Coffee soon?", "Cleo Test")
    assert day_heading(top.day, AS_OF.day) == "Today"
    assert day_heading(date(2026, 11, 24), AS_OF.day) == "Yesterday"
    assert day_heading(date(2026, 11, 20), AS_OF.day) == "This week"
    assert day_heading(date(2026, 11, 1), AS_OF.day) == "Sunday 1 November 2026"


def test_stage_changes_are_entries_of_their_own(database: Database, network: Network) -> None:
    entries = page(database, TimelineQuery(person_id=network.omar)).entries
    assert [(e.source, e.subject) for e in entries[:2]] == [
        ("interaction", "Next steps"),
        ("stage", "Moved to interviewing"),
    ]
    assert entries[1].opportunity == "Data Engineer"


def test_each_filter_narrows_the_feed(database: Database, network: Network) -> None:
    everything = page(database, limit=500).entries
    assert len(everything) == 16

    def ids(query: TimelineQuery) -> set[tuple[str, int]]:
        return {(e.source, e.id) for e in page(database, query, limit=500).entries}

    everyone = {(e.source, e.id) for e in everything}
    narrowed = {
        "person": TimelineQuery(person_id=network.carl),
        "opportunity": TimelineQuery(opportunity_id=network.role),
        "kind": TimelineQuery(kind="stage"),
        "direction": TimelineQuery(direction="inbound"),
        "since": TimelineQuery(since=date(2026, 11, 20)),
        "until": TimelineQuery(until=date(2026, 1, 31)),
        "text": TimelineQuery(text="checking"),
    }
    sizes = {name: len(ids(q)) for name, q in narrowed.items()}
    assert sizes == {
        "person": 4,
        "opportunity": 2,
        "kind": 1,
        "direction": 4,
        "since": 4,
        "until": 1,
        "text": 3,
    }
    for query in narrowed.values():
        assert ids(query) < everyone


def test_a_persons_timeline_shows_only_theirs(database: Database, network: Network) -> None:
    entries = page(database, TimelineQuery(person_id=network.carl)).entries
    assert {e.person_id for e in entries} == {network.carl}
    assert [e.subject for e in entries][:3] == ["Checking in"] * 3


def test_pages_follow_on_without_gaps_or_repeats(database: Database, network: Network) -> None:
    whole = [(e.source, e.id) for e in page(database, limit=500).entries]
    walked: list[tuple[str, int]] = []
    cursor = None
    while True:
        part = page(database, after=cursor, limit=4)
        walked += [(e.source, e.id) for e in part.entries]
        if part.next is None:
            break
        cursor = part.next
    assert walked == whole


def test_bad_filters_say_what_is_wrong() -> None:
    with pytest.raises(UsageError, match="Unknown kind 'fax'"):
        TimelineQuery(kind="fax")
    with pytest.raises(UsageError, match="ends before it starts"):
        TimelineQuery(since=date(2026, 2, 1), until=date(2026, 1, 1))


def test_edit_delete_and_undo_keep_owed_in_step(database: Database, network: Network) -> None:
    reply = _log(database, network.ana, "2026-11-25T08:00", "outbound", subject="Sure")
    assert people(queue(database), "owed") == []
    with database.session() as session:
        draft = read_interaction(session, reply)
        update_interaction(session, reply, replace(draft, subject="Sure, let's talk"))
    assert page(database).entries[0].subject == "Sure, let's talk"
    with database.session() as session:
        deleted = delete_interaction(session, reply)
    assert people(queue(database), "owed") == [network.ana]
    with database.session() as session:
        restore_interaction(session, deleted)
    assert people(queue(database), "owed") == []
    assert page(database).entries[0].subject == "Sure, let's talk"
