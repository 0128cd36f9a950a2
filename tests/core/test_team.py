"""Team mode on one database (docs/team.md): who did what, a teammate's touch, and two
recruiters editing the same person or role."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from recruiter_desk.core.clock import AsOf, local_zone
from recruiter_desk.core.records import log_interaction
from recruiter_desk.core.services import Services
from recruiter_desk.core.team import EditConflict
from recruiter_desk.core.timeline import TimelineQuery
from recruiter_desk.db.open import open_database
from recruiter_desk.db.session import Database
from recruiter_desk.paths import app_paths
from recruiter_desk.settings import Settings
from tests.conftest import AS_OF, add_person

DAY = AsOf(AS_OF, local_zone("UTC"))


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_location(request: pytest.FixtureRequest, db_path: Path) -> Iterator[str]:
    """One database two recruiters share: a SQLite file, or a fresh PostgreSQL database
    when a server is reachable (RECRUITER_DESK_TEST_PG_URL)."""
    if request.param == "sqlite":
        yield str(db_path)
        return
    from tests.db.test_copy_to import pg_database

    yield from pg_database()


@pytest.fixture
def team(shared_location: str) -> Iterator[tuple[Services, Services]]:
    """Ana's and Bob's sessions on one database: two engines, two connections."""
    ana = open_database(shared_location, daily_backup=False, recruiter="ana")
    bob = open_database(shared_location, daily_backup=False, recruiter="bob")
    yield Services(ana, Settings(), app_paths()), Services(bob, Settings(), app_paths())
    ana.close()
    bob.close()


def _log(database: Database, person_id: int, at: datetime, kind: str = "call") -> None:
    with database.session(write=True) as session:
        log_interaction(session, person_id, kind=kind, direction="outbound", occurred_at=at)


def test_each_touch_and_stage_change_records_its_recruiter(
    team: tuple[Services, Services],
) -> None:
    ana, bob = team
    person = add_person(ana.database, first_name="Zoe", last_name="Quinn")
    _log(ana.database, person, datetime(2026, 11, 20, 9))
    _log(bob.database, person, datetime(2026, 11, 21, 9), kind="email")
    role = ana.save_opportunity(None, _role("Data engineer"))
    bob.add_to_role([person], role)
    bob.move_candidacy(person, role, "contacted")

    entries = ana.timeline_page(TimelineQuery(person_id=person)).entries
    by_kind = {e.kind: (e.recruiter, e.by) for e in entries}
    assert by_kind["email"] == ("bob", "by bob")
    assert by_kind["call"] == ("ana", "")  # your own entries carry no name
    assert by_kind["stage"] == ("bob", "by bob")
    assert any("(by bob)" in line for line in ana.recent_interactions(person))
    assert not any("by" in line for line in bob.recent_interactions(person) if "email" in line)


def test_a_teammates_touch_keeps_the_relationship_warm(team: tuple[Services, Services]) -> None:
    ana, bob = team
    person = add_person(ana.database, now=datetime(2026, 1, 5), first_name="Cold", last_name="Case")
    before = ana.person_card(person).person.status
    _log(bob.database, person, datetime(2026, 11, 24, 10))
    card = ana.person_card(person)
    assert before == "cold"
    assert card.person.status == "warm"
    assert card.person.last_touch is not None


def test_a_person_contacted_by_a_teammate_is_flagged_before_writing(
    team: tuple[Services, Services],
) -> None:
    from recruiter_desk.core.compose import Composition, preview
    from recruiter_desk.core.opportunities import person_card

    ana, bob = team
    person = add_person(ana.database, first_name="Lea", last_name="Roy", emails=["lea@x.org"])
    other = add_person(ana.database, first_name="Max", last_name="Roe", emails=["max@x.org"])
    _log(bob.database, person, datetime(2026, 11, 23, 15), kind="email")
    _log(bob.database, other, datetime(2026, 11, 10, 15), kind="email")  # outside 7 days
    _log(ana.database, other, datetime(2026, 11, 24, 15), kind="email")  # her own

    with ana.database.connect() as connection:
        drafts = preview(connection, [person, other], Composition("Hi", "Hello"), Settings(), DAY)
    sentence = (
        "Your teammate bob emailed Lea Roy on Monday 23 November 2026 (2 days ago); "
        "check with them before you write."
    )
    assert drafts[0].warnings[0] == sentence
    assert not any("teammate" in w for w in drafts[1].warnings)
    with ana.database.connect() as connection:
        card = person_card(connection, person, DAY, ana.policy, Settings())
    assert card.teammate == sentence
    # Bob's own touch is no teammate's to him.
    with bob.database.connect() as connection:
        (draft,) = preview(connection, [person], Composition("Hi", "Hello"), Settings(), DAY)
    assert not any("teammate" in w for w in draft.warnings)
    # The window is a setting.
    with ana.database.connect() as connection:
        wide = preview(
            connection,
            [other],
            Composition("Hi", "Hello"),
            Settings(teammate_window_days=30),
            DAY,
        )
    assert "Your teammate bob emailed Max Roe on Tuesday 10 November 2026" in wide[0].warnings[0]


def test_saving_over_a_teammates_newer_change_is_refused_with_both_versions(
    team: tuple[Services, Services],
) -> None:
    ana, bob = team
    person = add_person(ana.database, first_name="Ada", last_name="Byron", title="Engineer")
    anas = ana.person_fields(person)
    bobs = bob.person_fields(person)
    assert anas.version == bobs.version == 1

    bob.save_person(person, replace(bobs, title="CTO"))
    with pytest.raises(EditConflict) as raised:
        ana.save_person(person, replace(anas, title="VP Engineering", notes="met at PyCon"))

    conflict = raised.value
    assert (conflict.by, conflict.saved_version, conflict.your_version) == ("bob", 2, 1)
    assert [(d.field, d.theirs, d.yours) for d in conflict.differences] == [
        ("title", "CTO", "VP Engineering"),
        ("notes", "", "met at PyCon"),
    ]
    assert str(conflict) == (
        "bob saved Ada Byron as version 2 while you were editing version 1: title is 'CTO' "
        "in theirs and 'VP Engineering' in yours; notes is empty in theirs and "
        "'met at PyCon' in yours; nothing of yours was saved."
    )
    saved = ana.person_fields(person)
    assert (saved.title, saved.version) == ("CTO", 2)  # nothing half-written
    # Saving knowingly over theirs: based on their version.
    ana.save_person(person, replace(anas, title="VP Engineering", version=2))
    saved = ana.person_fields(person)
    assert (saved.title, saved.version) == ("VP Engineering", 3)
    assert bob.person_card(person).edited == "Version 3, last edited by ana"


def test_a_bulk_edit_is_a_newer_version_too(team: tuple[Services, Services]) -> None:
    ana, bob = team
    person = add_person(ana.database, first_name="Ida", last_name="Wells")
    anas = ana.person_fields(person)
    bob.change_tag([person], "vip", add=True)
    with pytest.raises(EditConflict, match="bob saved Ida Wells as version 2"):
        ana.save_person(person, replace(anas, title="Editor"))
    assert ana.person_fields(person).tags == ["vip"]


def test_two_recruiters_editing_one_role(team: tuple[Services, Services]) -> None:
    ana, bob = team
    role = ana.save_opportunity(None, _role("Platform lead"))
    anas, bobs = ana.opportunity_fields(role), bob.opportunity_fields(role)
    bob.save_opportunity(role, replace(bobs, location="Lisbon"))
    with pytest.raises(EditConflict) as raised:
        ana.save_opportunity(role, replace(anas, location="Porto"))
    assert [(d.field, d.theirs, d.yours) for d in raised.value.differences] == [
        ("location", "Lisbon", "Porto")
    ]
    assert ana.opportunity_fields(role).location == "Lisbon"
    assert ana.opportunity_fields(role).version == 2


def _role(title: str):  # type: ignore[no-untyped-def]
    from recruiter_desk.core.opportunities import OpportunityFields

    return OpportunityFields(title=title, company="Acme")


def test_two_saves_racing_on_the_same_version_cannot_both_pass(shared_location: str) -> None:
    """Two connections save the same person at the same moment, both from version 1:
    the version is read under the write lock (SQLite) or a row lock (PostgreSQL), so
    exactly one is saved and the other gets the conflict, round after round."""
    import threading

    settings = Settings()
    ana = Services(open_database(shared_location, recruiter="ana"), settings, app_paths())
    bob = Services(open_database(shared_location, recruiter="bob"), settings, app_paths())
    person = ana.save_person(None, _fields(first_name="Ada", last_name="Race"))
    outcomes: list[list[str]] = []
    for round_ in range(4):
        based_on = (ana.person_fields(person), bob.person_fields(person))
        start = threading.Barrier(2)
        results: list[str] = []
        threads = [
            threading.Thread(
                target=_save_racing,
                args=(services, person, replace(fields, title=f"{who}{round_}"), start, results),
            )
            for services, fields, who in ((ana, based_on[0], "A"), (bob, based_on[1], "B"))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        outcomes.append(sorted(results))
    assert outcomes == [["conflict", "saved"]] * 4
    assert ana.person_fields(person).version == 5
    ana.close()
    bob.close()


def _save_racing(
    services: Services, person: int, values: object, start: object, results: list[str]
) -> None:
    start.wait()  # type: ignore[attr-defined]
    try:
        services.save_person(person, values)  # type: ignore[arg-type]
        results.append("saved")
    except EditConflict:
        results.append("conflict")


def _fields(**values: object):  # type: ignore[no-untyped-def]
    from recruiter_desk.core.records import PersonFields

    return PersonFields(**values)  # type: ignore[arg-type]
