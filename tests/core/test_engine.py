"""The relationship engine in small named scenarios with fixed dates.

Each scenario builds a tiny network and asserts the exact owed list and statuses.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from recruiter_desk.core.articles import add_article, readers_for, share_article
from recruiter_desk.core.clock import AsOf, local_zone
from recruiter_desk.core.followups import (
    add_follow_up,
    complete_follow_up,
    list_follow_ups,
    snooze,
)
from recruiter_desk.core.matching import matches_for, same_place
from recruiter_desk.core.opportunities import add_opportunity
from recruiter_desk.core.owed import owed_messages
from recruiter_desk.core.people import PeopleQuery, explain_warmth, list_people
from recruiter_desk.core.pipeline import move_stage
from recruiter_desk.core.records import log_interaction
from recruiter_desk.core.warmth import WarmthPolicy
from recruiter_desk.db.models import FollowUp, Interaction, StageChange
from recruiter_desk.db.session import Database
from recruiter_desk.errors import KnownError, UsageError
from recruiter_desk.settings import Settings
from tests.conftest import add_person

UTC = local_zone("UTC")
POLICY = WarmthPolicy()
SETTINGS = Settings()
LONG_AGO = datetime(2024, 1, 1)


def day(value: str, zone: str = "UTC") -> AsOf:
    return AsOf(date.fromisoformat(value), local_zone(zone))


def at(value: str) -> datetime:
    return datetime.fromisoformat(value)


def owed(
    database: Database, as_of: str, zone: str = "UTC"
) -> list[tuple[str, str, str, str | None]]:
    with database.connect() as connection:
        return [
            (o.full_name, o.reason, o.since.isoformat(), o.opportunity)
            for o in owed_messages(connection, day(as_of, zone), SETTINGS)
        ]


def status(database: Database, person_id: int, as_of: str, policy: WarmthPolicy = POLICY) -> str:
    with database.connect() as connection:
        return list_people(connection, PeopleQuery(ids=(person_id,)), day(as_of), policy)[0].status


def log(
    database: Database,
    person_id: int,
    when: str,
    direction: str = "outbound",
    kind: str = "email",
    opportunity_id: int | None = None,
) -> None:
    with database.session() as session:
        log_interaction(
            session,
            person_id,
            kind=kind,
            direction=direction,
            occurred_at=at(when),
            opportunity_id=opportunity_id,
        )


def role(database: Database, title: str = "Data Engineer", **values: object) -> int:
    with database.session() as session:
        return add_opportunity(session, title=title, now=LONG_AGO, **values).id  # type: ignore[arg-type]


def move(database: Database, person_id: int, opportunity_id: int, stage: str, when: str):
    with database.session() as session:
        return move_stage(session, person_id, opportunity_id, stage, at(when), UTC, POLICY)


# -- owes a reply ------------------------------------------------------------------------


def test_reply_is_owed_from_the_second_day(database: Database) -> None:
    ana = add_person(database, first_name="Ana", now=LONG_AGO)
    log(database, ana, "2026-11-23T09:00", direction="inbound")
    assert owed(database, "2026-11-23") == []
    assert owed(database, "2026-11-24") == []
    assert owed(database, "2026-11-25") == [("Ana", "reply", "2026-11-23", None)]


def test_an_answer_within_the_window_settles_it(database: Database) -> None:
    ana = add_person(database, first_name="Ana", now=LONG_AGO)
    log(database, ana, "2026-11-20T09:00", direction="inbound")
    log(database, ana, "2026-11-21T15:00", direction="outbound")
    assert owed(database, "2026-11-25") == []
    # Before the answer was sent, as of that day, the reply was still pending.
    assert owed(database, "2026-11-20") == []


def test_waiting_since_the_first_unanswered_message(database: Database) -> None:
    ana = add_person(database, first_name="Ana", now=LONG_AGO)
    log(database, ana, "2026-11-01T09:00", direction="inbound")
    log(database, ana, "2026-11-02T09:00", direction="outbound")
    log(database, ana, "2026-11-10T09:00", direction="inbound")
    log(database, ana, "2026-11-12T09:00", direction="inbound")
    assert owed(database, "2026-11-25") == [("Ana", "reply", "2026-11-10", None)]


def test_notes_and_future_messages_do_not_answer(database: Database) -> None:
    ana = add_person(database, first_name="Ana", now=LONG_AGO)
    log(database, ana, "2026-11-20T09:00", direction="inbound")
    log(database, ana, "2026-11-21T09:00", direction="internal", kind="note")
    log(database, ana, "2026-12-01T09:00", direction="outbound", kind="meeting")
    assert owed(database, "2026-11-25") == [("Ana", "reply", "2026-11-20", None)]


def test_reply_window_counts_days_in_the_recruiters_zone(database: Database) -> None:
    ana = add_person(database, first_name="Ana", now=LONG_AGO)
    # 23:30 on the 23rd in New York is 04:30 on the 24th in UTC.
    log(database, ana, "2026-11-24T04:30", direction="inbound")
    assert owed(database, "2026-11-25", "America/New_York") == [
        ("Ana", "reply", "2026-11-23", None)
    ]
    assert owed(database, "2026-11-25", "UTC") == []


# -- owes an update ----------------------------------------------------------------------


def test_update_owed_after_a_stage_change_without_a_message(database: Database) -> None:
    ben = add_person(database, first_name="Ben", now=LONG_AGO)
    engineer = role(database)
    move(database, ben, engineer, "contacted", "2026-11-10T09:00")
    log(database, ben, "2026-11-10T10:00", opportunity_id=engineer)
    assert owed(database, "2026-11-15") == []
    move(database, ben, engineer, "interviewing", "2026-11-20T09:00")
    assert owed(database, "2026-11-21") == [("Ben", "update", "2026-11-20", "Data Engineer")]
    log(database, ben, "2026-11-21T11:00", opportunity_id=engineer)
    assert owed(database, "2026-11-21") == []


def test_update_owed_after_seven_quiet_days(database: Database) -> None:
    ben = add_person(database, first_name="Ben", now=LONG_AGO)
    engineer = role(database)
    move(database, ben, engineer, "submitted", "2026-11-01T09:00")
    log(database, ben, "2026-11-02T09:00")
    assert owed(database, "2026-11-09") == []  # 7 days: still fine
    assert owed(database, "2026-11-10") == [("Ben", "update", "2026-11-02", "Data Engineer")]


def test_update_window_counts_days_in_the_recruiters_zone(database: Database) -> None:
    ben = add_person(database, first_name="Ben", now=LONG_AGO)
    engineer = role(database)
    move(database, ben, engineer, "submitted", "2026-11-01T09:00")
    # 23:30 on the 2nd in New York is 04:30 on the 3rd in UTC: 8 days ago there, 7 here.
    log(database, ben, "2026-11-03T04:30")
    assert owed(database, "2026-11-10", "America/New_York") == [
        ("Ben", "update", "2026-11-02", "Data Engineer")
    ]
    assert owed(database, "2026-11-10", "UTC") == []


def test_sourced_and_hired_are_not_owed_updates(database: Database) -> None:
    cat = add_person(database, first_name="Cat", now=LONG_AGO)
    dan = add_person(database, first_name="Dan", now=LONG_AGO)
    engineer = role(database)
    move(database, cat, engineer, "sourced", "2026-11-01T09:00")
    move(database, dan, engineer, "offer", "2026-11-01T09:00")
    log(database, dan, "2026-11-01T10:00")
    move(database, dan, engineer, "hired", "2026-11-05T09:00")
    assert owed(database, "2026-11-25") == []


def test_past_as_of_uses_the_stage_history(database: Database) -> None:
    ben = add_person(database, first_name="Ben", now=LONG_AGO)
    engineer = role(database)
    move(database, ben, engineer, "interviewing", "2026-10-01T09:00")
    log(database, ben, "2026-10-01T10:00")
    move(database, ben, engineer, "hired", "2026-11-01T09:00")
    log(database, ben, "2026-11-01T10:00")
    assert owed(database, "2026-10-20") == [("Ben", "update", "2026-10-01", "Data Engineer")]
    assert owed(database, "2026-11-20") == []


# -- closing, and staying in touch after "no" --------------------------------------------


def test_closing_message_owed_and_stay_in_touch_scheduled(database: Database) -> None:
    eve = add_person(database, first_name="Eve", now=LONG_AGO)
    engineer = role(database)
    move(database, eve, engineer, "interviewing", "2026-11-01T09:00")
    log(database, eve, "2026-11-01T10:00")
    result = move(database, eve, engineer, "not_selected", "2026-11-22T09:00")
    assert result.suggested_message == "closing"
    assert result.follow_up_due == "2027-02-20"  # 90 days, her cadence
    assert owed(database, "2026-11-22") == [("Eve", "closing", "2026-11-22", "Data Engineer")]
    log(database, eve, "2026-11-23T09:00")
    assert owed(database, "2026-11-25") == []
    with database.connect() as connection:
        upcoming = list_follow_ups(connection, day("2026-11-25"), person_id=eve)
    assert [(f.due_on.isoformat(), f.reason) for f in upcoming] == [
        ("2027-02-20", "Stay in touch after Data Engineer")
    ]


def test_withdrawn_candidate_is_owed_a_closing_at_their_own_cadence(database: Database) -> None:
    fay = add_person(database, first_name="Fay", cadence_days=30, now=LONG_AGO)
    engineer = role(database)
    move(database, fay, engineer, "interested", "2026-11-01T09:00")
    result = move(database, fay, engineer, "withdrew", "2026-11-03T09:00")
    assert result.follow_up_due == "2026-12-03"
    assert ("Fay", "closing", "2026-11-03", "Data Engineer") in owed(database, "2026-11-25")


def test_stage_moves_are_recorded_and_validated(database: Database) -> None:
    gus = add_person(database, first_name="Gus", now=LONG_AGO)
    engineer = role(database)
    move(database, gus, engineer, "sourced", "2026-11-01T09:00")
    move(database, gus, engineer, "contacted", "2026-11-02T09:00")
    with pytest.raises(KnownError, match="already at contacted"):
        move(database, gus, engineer, "contacted", "2026-11-03T09:00")
    with pytest.raises(KnownError, match="cannot be dated before"):
        move(database, gus, engineer, "interested", "2026-10-01T09:00")
    with pytest.raises(UsageError, match="Unknown stage"):
        move(database, gus, engineer, "ghosted", "2026-11-04T09:00")
    with database.connect() as connection:
        history = connection.execute(select(StageChange.stage).order_by(StageChange.id)).scalars()
        assert list(history) == ["sourced", "contacted"]


# -- do-not-contact everywhere -----------------------------------------------------------


def test_do_not_contact_is_respected_everywhere(database: Database) -> None:
    dee = add_person(
        database,
        first_name="Dee",
        do_not_contact=True,
        interests=["rust"],
        title="Data Engineer",
        now=LONG_AGO,
    )
    engineer = role(database, skills=["rust"], work_mode="remote")
    move(database, dee, engineer, "interviewing", "2026-11-01T09:00")
    log(database, dee, "2026-11-02T09:00", direction="inbound")
    assert owed(database, "2026-11-25") == []
    assert status(database, dee, "2026-11-25") == "do_not_contact"
    with database.connect() as connection:
        found = matches_for(connection, engineer, day("2026-11-25"), POLICY)
    assert [(e.person.id, e.reason) for e in found.excluded] == [(dee, "do_not_contact")]
    assert found.fits == []
    with database.session() as session:
        article = add_article(session, "https://blog.example/rust", "Rust", ["rust"], LONG_AGO).id
    with database.connect() as connection:
        assert readers_for(connection, article, day("2026-11-25"), POLICY) == []
    with pytest.raises(KnownError, match="do-not-contact"), database.session() as session:
        share_article(session, article, [dee], at("2026-11-25T09:00"))


# -- cadence precedence, snooze ----------------------------------------------------------


def test_cadence_precedence(database: Database) -> None:
    policy = WarmthPolicy(tag_cadences={"vip": 14, "alumni": 180})
    own = add_person(database, first_name="Own", cadence_days=5, tags=["vip"], now=LONG_AGO)
    vip = add_person(database, first_name="Vip", tags=["vip", "alumni"], now=LONG_AGO)
    active = add_person(database, first_name="Act", now=LONG_AGO)
    plain = add_person(database, first_name="Pla", now=LONG_AGO)
    engineer = role(database)
    move(database, active, engineer, "submitted", "2026-11-01T09:00")
    vip_active = add_person(database, first_name="Both", tags=["alumni"], now=LONG_AGO)
    move(database, vip_active, engineer, "submitted", "2026-11-01T09:00")
    as_of = day("2026-11-25")
    with database.connect() as connection:
        rows = {
            r.first_name: r.cadence_days
            for r in list_people(connection, PeopleQuery(), as_of, policy)
        }
        assert rows == {"Own": 5, "Vip": 14, "Act": 7, "Pla": 90, "Both": 180}
        sentence = explain_warmth(connection, vip, as_of, policy).sentence
    assert sentence.endswith("you aim for every 14 days (tagged vip).")
    with database.connect() as connection:
        assert (
            "(in an active process)" in explain_warmth(connection, active, as_of, policy).sentence
        )
        assert "(their own cadence)" in explain_warmth(connection, own, as_of, policy).sentence
        assert "No contact yet" in explain_warmth(connection, plain, as_of, policy).sentence


def test_snoozed_person_is_not_cold_until_the_snooze_ends(database: Database) -> None:
    sam = add_person(database, first_name="Sam", now=LONG_AGO)
    assert status(database, sam, "2026-11-25") == "cold"
    with database.session() as session:
        until = snooze(session, sam, 10, day("2026-11-25"))
    assert until == date(2026, 12, 5)
    assert status(database, sam, "2026-11-25") == "cooling"
    assert status(database, sam, "2026-12-05") == "cooling"
    assert status(database, sam, "2026-12-06") == "cold"
    with database.connect() as connection:
        sentence = explain_warmth(connection, sam, day("2026-11-30"), POLICY).sentence
    assert "Snoozed" in sentence


def test_follow_ups_due_overdue_and_done(database: Database) -> None:
    ana = add_person(database, first_name="Ana", now=LONG_AGO)
    with database.session() as session:
        early = add_follow_up(session, ana, date(2026, 11, 20), "Send salary survey", LONG_AGO).id
        add_follow_up(session, ana, date(2026, 11, 25), "Call", LONG_AGO)
        add_follow_up(session, ana, date(2026, 12, 25), "Holiday note", LONG_AGO)
    with database.connect() as connection:
        due = list_follow_ups(connection, day("2026-11-25"), due_only=True)
        assert [(f.reason, f.overdue) for f in due] == [
            ("Send salary survey", True),
            ("Call", False),
        ]
        assert len(list_follow_ups(connection, day("2026-11-25"))) == 3
    with database.session() as session:
        complete_follow_up(session, early, at("2026-11-25T10:00"))
    with pytest.raises(KnownError, match="already done"), database.session() as session:
        complete_follow_up(session, early, at("2026-11-25T11:00"))
    with database.connect() as connection:
        due = list_follow_ups(connection, day("2026-11-25"), due_only=True)
        assert [f.reason for f in due] == ["Call"]
        assert connection.execute(select(func.count(FollowUp.id))).scalar_one() == 3


# -- matching ----------------------------------------------------------------------------


def test_matching_ranks_fits_and_explains_exclusions(database: Database) -> None:
    known = add_person(
        database,
        first_name="Known",
        title="Senior Data Engineer",
        work_modes=["onsite", "hybrid"],
        location="Berlin, Germany",
        openness="open",
        now=LONG_AGO,
    )
    unknown = add_person(
        database, first_name="Unknown", title="Data Engineer", openness="active", now=LONG_AGO
    )
    active = add_person(
        database,
        first_name="Eager",
        title="Data Engineer",
        openness="active",
        work_modes=["onsite"],
        location="Berlin",
        now=LONG_AGO,
    )
    elsewhere = add_person(
        database,
        first_name="Far",
        title="Data Engineer",
        openness="active",
        work_modes=["onsite"],
        location="Lisbon",
        now=LONG_AGO,
    )
    remote_only = add_person(
        database, first_name="Remote", title="Data Engineer", work_modes=["remote"], now=LONG_AGO
    )
    resting = add_person(
        database, first_name="Rest", title="Data Engineer", openness="not_looking", now=LONG_AGO
    )
    by_interest = add_person(
        database, first_name="Fan", title="Analyst", interests=["spark", "python"], now=LONG_AGO
    )
    add_person(
        database, first_name="Other", title="Product Designer", interests=["python"], now=LONG_AGO
    )
    engineer = role(
        database,
        "Senior Data Engineer",
        work_mode="onsite",
        location="Berlin",
        skills=["Spark", "Python"],
    )
    with database.connect() as connection:
        found = matches_for(connection, engineer, day("2026-11-25"), POLICY)
    assert [f.person.id for f in found.fits] == [active, known, elsewhere, unknown, by_interest]
    assert [(e.person.id, e.reason) for e in found.excluded] == [
        (resting, "not_looking"),
        (remote_only, "work_mode"),
    ]
    first = found.to_json()["fits"][0]
    assert (first["preference"], first["location_fit"], first["title_match"]) == (
        "match",
        True,
        True,
    )
    assert found.to_json()["fits"][3]["preference"] == "unknown"
    assert found.fits[-1].shared_skills == ["python", "spark"]


def test_same_place() -> None:
    assert same_place("Berlin, Germany", "berlin")
    assert same_place("München", "Munchen")
    assert not same_place("Berlin", "Lisbon")
    assert not same_place("", "")


# -- articles ----------------------------------------------------------------------------


def test_article_readers_coolest_first_and_sharing_warms(database: Database) -> None:
    cold = add_person(database, first_name="Cold", interests=["rust", "go"], now=LONG_AGO)
    warm = add_person(database, first_name="Warm", interests=["rust"], now=LONG_AGO)
    log(database, warm, "2026-11-20T09:00")
    add_person(database, first_name="Bored", interests=["golf"], now=LONG_AGO)
    with database.session() as session:
        article = add_article(
            session, "https://blog.example/rust", "Rust at scale", ["Rust", "Go"], LONG_AGO
        ).id
    with database.connect() as connection:
        readers = readers_for(connection, article, day("2026-11-25"), POLICY)
    assert [(r.person.first_name, r.topics) for r in readers] == [
        ("Cold", ["go", "rust"]),
        ("Warm", ["rust"]),
    ]
    with database.session() as session:
        share_article(session, article, [cold], at("2026-11-25T09:00"))
    assert status(database, cold, "2026-11-25") == "warm"
    with database.connect() as connection:
        kinds = connection.execute(
            select(Interaction.kind, Interaction.subject).where(Interaction.person_id == cold)
        ).all()
    assert [tuple(k) for k in kinds] == [("article", "Rust at scale")]


def test_owed_list_is_most_overdue_first(database: Database) -> None:
    for name, when in (("Late", "2026-11-01"), ("Later", "2026-11-10"), ("Now", "2026-11-20")):
        person = add_person(database, first_name=name, now=LONG_AGO)
        log(database, person, f"{when}T09:00", direction="inbound")
    assert [o[0] for o in owed(database, "2026-11-25")] == ["Late", "Later", "Now"]
