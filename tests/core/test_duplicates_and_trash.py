"""Merging duplicates keeps everything; deleting can be undone exactly."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from recruiter_desk.core.clock import AsOf
from recruiter_desk.core.duplicates import find_duplicates, merge_people
from recruiter_desk.core.followups import add_follow_up
from recruiter_desk.core.opportunities import add_opportunity
from recruiter_desk.core.people import PeopleQuery, list_people
from recruiter_desk.core.pipeline import move_stage
from recruiter_desk.core.records import log_interaction
from recruiter_desk.core.trash import delete_people, restore_people
from recruiter_desk.core.warmth import WarmthPolicy
from recruiter_desk.db import search_index
from recruiter_desk.db.models import Candidacy, Interaction, Person, StageChange
from recruiter_desk.db.session import Database
from tests.conftest import NOW, add_person, table_rows


def test_find_and_merge_duplicates_keeps_everything(database: Database, utc_as_of: AsOf) -> None:
    keep = add_person(
        database,
        first_name="Ana",
        last_name="Silva",
        company="Arbor",
        emails=["ana@arbor.example"],
        tags=["referrer"],
    )
    other = add_person(
        database,
        first_name="Ana",
        last_name="Silva",
        company="Arbor",
        emails=["ANA@arbor.example", "ana@home.example"],
        phones=["+351 1"],
        tags=["alumni"],
        title="Head of Data",
        work_modes=["remote"],
    )
    add_person(database, first_name="Ben", emails=["ben@x.example"])
    with database.session() as session:
        role = add_opportunity(session, title="Lead", now=NOW).id
        log_interaction(session, other, kind="call", direction="inbound", occurred_at=NOW)
        move_stage(
            session, keep, role, "contacted", datetime(2026, 11, 1), utc_as_of.zone, WarmthPolicy()
        )
        move_stage(
            session,
            other,
            role,
            "interviewing",
            datetime(2026, 11, 10),
            utc_as_of.zone,
            WarmthPolicy(),
        )
        add_follow_up(session, other, NOW.date(), "Call back", NOW)
    with database.connect() as connection:
        pairs = find_duplicates(connection)
    assert [(p.keep_id, p.other_id) for p in pairs] == [(keep, other)]
    assert pairs[0].reason == "same email"
    merge_people(database, keep, other, NOW)
    with database.connect() as connection:
        (merged,) = list_people(connection, PeopleQuery(ids=(keep,)), utc_as_of, WarmthPolicy())
        assert merged.emails == ["ana@arbor.example", "ana@home.example"]
        assert (merged.phones, merged.tags) == (["+351 1"], ["alumni", "referrer"])
        assert (merged.title, merged.work_modes) == ("Head of Data", ["remote"])
        assert connection.execute(select(func.count(Person.id))).scalar_one() == 2
        assert connection.execute(select(Interaction.person_id)).scalars().all() == [keep]
        candidacy = connection.execute(select(Candidacy.person_id, Candidacy.stage)).one()
        assert tuple(candidacy) == (keep, "interviewing")
        assert connection.execute(select(func.count(StageChange.id))).scalar_one() == 2
        assert search_index.indexed_ids(connection) == {keep, keep + 2}
        assert find_duplicates(connection) == []


def test_delete_then_restore_gives_back_exactly_what_was_there(database: Database) -> None:
    ana = add_person(
        database,
        first_name="Ana",
        emails=["ana@x.example"],
        tags=["vip"],
        interests=["rust"],
        phones=["+1"],
    )
    add_person(database, first_name="Ben")
    with database.session() as session:
        role = add_opportunity(session, title="Lead", now=NOW).id
        log_interaction(session, ana, kind="email", direction="outbound", occurred_at=NOW)
        add_follow_up(session, ana, NOW.date(), "Ping", NOW)
    with database.session() as session:
        from recruiter_desk.core.clock import local_zone

        move_stage(session, ana, role, "offer", NOW, local_zone("UTC"), WarmthPolicy())
    before = table_rows(database)
    deleted = delete_people(database, [ana])
    assert table_rows(database)["people"] != before["people"]
    assert table_rows(database)["interactions"] == []
    assert restore_people(database, deleted) == 1
    assert table_rows(database) == before
    with database.connect() as connection:
        assert ana in search_index.indexed_ids(connection)
