"""A role's pipeline: days in stage against limits, closing reasons, ending a role, silver
medalists, and the message each move offers. Fixed dates throughout."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from recruiter_desk.core.clock import AsOf, local_zone
from recruiter_desk.core.matching import silver_medalists
from recruiter_desk.core.opportunities import (
    OpportunityFields,
    add_opportunity,
    filter_roles,
    list_opportunities,
    person_card,
    update_opportunity,
)
from recruiter_desk.core.owed import owed_messages
from recruiter_desk.core.pipeline import (
    add_to_role,
    business_days,
    end_role,
    move_stage,
    role_pipeline,
    stage_level,
)
from recruiter_desk.core.stage_messages import OFFERED, purpose_label, purposes_for_move
from recruiter_desk.core.templates import PURPOSES
from recruiter_desk.core.vocabulary import STAGES
from recruiter_desk.core.warmth import WarmthPolicy
from recruiter_desk.db.session import Database
from recruiter_desk.errors import UsageError
from recruiter_desk.settings import Settings
from tests.conftest import add_person

UTC = local_zone("UTC")
POLICY = WarmthPolicy()
SETTINGS = Settings()
LONG_AGO = datetime(2024, 1, 1)


def day(value: str) -> AsOf:
    return AsOf(date.fromisoformat(value), UTC)


def role(database: Database, title: str = "Backend Engineer", **values: object) -> int:
    with database.session() as session:
        return add_opportunity(session, title=title, now=LONG_AGO, **values).id  # type: ignore[arg-type]


def move(
    database: Database, person: int, opportunity: int, stage: str, when: str, **why: str
) -> None:
    with database.session() as session:
        move_stage(
            session, person, opportunity, stage, datetime.fromisoformat(when), UTC, POLICY, **why
        )


def board(database: Database, opportunity: int, as_of: str) -> dict[str, tuple[str, int, str]]:
    with database.connect() as connection:
        found = role_pipeline(connection, opportunity, day(as_of), POLICY, SETTINGS)
    return {c.name: (c.stage, c.days_in_stage, c.level) for c in found.cards}


def test_business_days_skip_weekends() -> None:
    friday, monday = date(2026, 11, 20), date(2026, 11, 23)
    assert business_days(friday, monday) == 1
    assert business_days(friday, friday) == 0
    assert business_days(monday, date(2026, 11, 30)) == 5
    assert business_days(friday, date(2026, 12, 4)) == 10


def test_days_in_stage_turn_amber_then_red_at_the_limits(database: Database) -> None:
    # Contacted: amber from 3 business days, red from 7 (the settings' defaults).
    ana = add_person(database, first_name="Ana", last_name="Lima", now=LONG_AGO)
    job = role(database)
    move(database, ana, job, "contacted", "2026-11-16T09:00")  # a Monday
    assert board(database, job, "2026-11-18") == {"Ana Lima": ("contacted", 2, "ok")}
    assert board(database, job, "2026-11-19") == {"Ana Lima": ("contacted", 3, "amber")}
    assert board(database, job, "2026-11-24") == {"Ana Lima": ("contacted", 6, "amber")}
    assert board(database, job, "2026-11-25") == {"Ana Lima": ("contacted", 7, "red")}
    # Closed stages have no limit.
    assert stage_level("not_selected", 50, SETTINGS.stage_limits) == "ok"


def test_closing_reason_is_recorded_shown_on_the_person_and_cleared_on_reopen(
    database: Database,
) -> None:
    bo = add_person(database, first_name="Bo", now=LONG_AGO)
    job = role(database)
    move(database, bo, job, "interviewing", "2026-11-02T09:00")
    move(database, bo, job, "withdrew", "2026-11-03T09:00", reason="compensation")
    with database.connect() as connection:
        card = person_card(connection, bo, day("2026-11-25"), POLICY, SETTINGS)
        cards = role_pipeline(connection, job, day("2026-11-25"), POLICY, SETTINGS).cards
    assert card.candidacies == [
        "Backend Engineer — withdrew since 2026-11-03 (their choice: compensation)"
    ]
    assert (cards[0].closed_by, cards[0].close_reason, cards[0].owed) == (
        "theirs",
        "compensation",
        "closing",
    )
    move(database, bo, job, "interviewing", "2026-11-04T09:00")
    with database.connect() as connection:
        cards = role_pipeline(connection, job, day("2026-11-25"), POLICY, SETTINGS).cards
    assert (cards[0].closed_by, cards[0].close_reason) == (None, None)
    with pytest.raises(UsageError, match="Unknown reason"):
        move(database, bo, job, "not_selected", "2026-11-05T09:00", reason="vibes")
    with pytest.raises(UsageError, match="only recorded when closing"):
        move(database, bo, job, "offer", "2026-11-05T09:00", reason="timing")


def test_ending_a_role_closes_everyone_in_process_and_owes_each_a_closing_message(
    database: Database,
) -> None:
    job = role(database)
    cy = add_person(database, first_name="Cy", emails=["cy@example.com"], now=LONG_AGO)
    di = add_person(database, first_name="Di", now=LONG_AGO)
    ed = add_person(database, first_name="Ed", now=LONG_AGO)
    fay = add_person(database, first_name="Fay", now=LONG_AGO)
    move(database, cy, job, "interviewing", "2026-11-02T09:00")
    move(database, di, job, "offer", "2026-11-02T09:00")
    move(database, ed, job, "hired", "2026-11-03T09:00")
    move(database, fay, job, "sourced", "2026-11-03T09:00")
    with database.session() as session:
        owed = end_role(session, job, "filled", datetime(2026, 11, 20, 9), UTC, POLICY)
    assert [(o.name, o.email, o.previous_stage) for o in owed] == [
        ("Cy", "cy@example.com", "interviewing"),
        ("Di", None, "offer"),
    ]
    assert board(database, job, "2026-11-25") == {
        "Fay": ("sourced", 16, "ok"),
        "Ed": ("hired", 16, "ok"),
        "Cy": ("not_selected", 3, "ok"),
        "Di": ("not_selected", 3, "ok"),
    }
    with database.connect() as connection:
        closing = [
            (o.full_name, o.reason)
            for o in owed_messages(connection, day("2026-11-25"), SETTINGS)
            if o.reason == "closing"
        ]
        (listed,) = [r for r in list_opportunities(connection) if r.id == job]
    assert sorted(closing) == [("Cy", "closing"), ("Di", "closing")]
    assert listed.status == "filled"
    with pytest.raises(UsageError, match="filled or closed"), database.session() as session:
        end_role(session, job, "on_hold", datetime(2026, 11, 20, 9), UTC, POLICY)


def test_silver_medalists_similar_role_first_conflicts_and_current_left_out(
    database: Database,
) -> None:
    old_backend = role(database, "Senior Backend Engineer", work_mode="remote")
    old_design = role(database, "Product Designer")
    new_backend = role(database, "Backend Engineer", work_mode="remote", company="Acme")
    near = add_person(database, first_name="Near", now=LONG_AGO)
    other = add_person(database, first_name="Other", now=LONG_AGO)
    onsite_only = add_person(database, first_name="Onsite", work_modes=["onsite"], now=LONG_AGO)
    early = add_person(database, first_name="Early", now=LONG_AGO)
    already = add_person(database, first_name="Already", now=LONG_AGO)
    for person, job, reached in (
        (other, old_design, "offer"),
        (near, old_backend, "shortlisted"),
        (onsite_only, old_backend, "offer"),
        (already, old_backend, "offer"),
    ):
        move(database, person, job, reached, "2026-10-01T09:00")
        move(database, person, job, "not_selected", "2026-10-05T09:00", reason="timing")
    move(database, early, old_backend, "interviewing", "2026-10-01T09:00")
    move(database, early, old_backend, "not_selected", "2026-10-05T09:00")
    move(database, already, new_backend, "contacted", "2026-11-01T09:00")
    with database.connect() as connection:
        found = silver_medalists(connection, new_backend, day("2026-11-25"), POLICY)
    assert [(m.person.first_name, m.reached, m.opportunity_title, m.similar) for m in found] == [
        ("Near", "shortlisted", "Senior Backend Engineer", True),
        ("Other", "offer", "Product Designer", False),
    ]
    assert (found[0].closed_by, found[0].close_reason) == ("ours", "timing")


def test_add_to_role_keeps_existing_stages_and_editing_and_filtering_roles(
    database: Database,
) -> None:
    job = role(database, company="Acme", location="München")
    gil = add_person(database, first_name="Gil", now=LONG_AGO)
    hal = add_person(database, first_name="Hal", now=LONG_AGO)
    move(database, gil, job, "interviewing", "2026-11-02T09:00")
    with database.session() as session:
        assert add_to_role(session, [gil, hal, hal], job, datetime(2026, 11, 3)) == 1
        update_opportunity(
            session,
            job,
            OpportunityFields(title="Platform Engineer", company="Acme", status="on_hold"),
            datetime(2026, 11, 3),
        )
    assert board(database, job, "2026-11-25") == {
        "Hal": ("sourced", 16, "ok"),
        "Gil": ("interviewing", 17, "red"),
    }
    with database.connect() as connection:
        rows = list_opportunities(connection)
    assert [r.title for r in filter_roles(rows, "active", "plat acm")] == ["Platform Engineer"]
    assert filter_roles(rows, "open", "") == []
    assert [r.status for r in filter_roles(rows, "on_hold", "")] == ["on_hold"]


def test_each_move_offers_the_compose_template_that_fits() -> None:
    assert purposes_for_move(None, "sourced") == []
    assert purposes_for_move("sourced", "contacted") == ["outreach"]
    assert purposes_for_move("submitted", "interviewing") == ["timeline"]
    assert purposes_for_move("interviewing", "shortlisted") == ["shortlisted", "check_in"]
    assert purposes_for_move("interviewing", "not_selected") == ["closing", "check_in"]
    assert purposes_for_move("offer", "withdrew") == ["closing_withdrew"]
    assert purposes_for_move("offer", "hired") == ["welcome"]
    # Every purpose a move can offer is one Compose has a starter template for.
    offered = {p for s in STAGES for q in (None, "interviewing") for p in purposes_for_move(q, s)}
    assert offered | {"role_closed"} == OFFERED
    assert set(PURPOSES) >= OFFERED
    assert purpose_label("closing") == "Not selected, door open"
