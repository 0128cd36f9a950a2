"""Stored warmth inputs stay in step with the exact computation through every write.

Each step is what a recruiter does (the command line through the installed entry function,
or the Services the window calls); after each, every person's stored inputs must equal a
recomputation from scratch, and every reader must list exactly what the exact computation
lists on several as-of days, today's, past ones (before the newest touches and stage
changes) and future ones.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from alembic import command
from sqlalchemy import select

from recruiter_desk.core import warmth_store
from recruiter_desk.core.clock import AsOf, local_zone
from recruiter_desk.core.people import (
    PeopleQuery,
    matching_ids,
    people_statement,
    status_counts,
)
from recruiter_desk.core.services import Services
from recruiter_desk.core.warmth import STATUSES, WarmthPolicy
from recruiter_desk.db import migrate
from recruiter_desk.db.models import Person
from recruiter_desk.db.open import open_database
from recruiter_desk.db.warmth_queue import has_queued
from recruiter_desk.paths import app_paths
from recruiter_desk.settings import Settings
from tests.cli.helpers import run

AS_OF = date(2026, 11, 25)
FIXTURES = Path(__file__).parent.parent / "fixtures" / "imports"
# Paris: days are counted an hour or two off UTC, and daylight saving moves the offset.
SETTINGS = Settings(timezone="Europe/Paris", tag_cadences={"vip": 14, "alumni": 200})
STORED = (
    Person.id,
    Person.warmth_cadence,
    Person.warmth_source,
    Person.warmth_cooling_due,
    Person.warmth_cold_due,
    Person.warmth_moved_at,
)


def _rows(connection, query, as_of, policy, *, use_stored):  # type: ignore[no-untyped-def]
    statement = people_statement(connection, query, as_of, policy, use_stored=use_stored)
    columns = statement.selected_columns
    picked = statement.with_only_columns(
        columns.id, columns.last_touch_day, columns.cadence, columns.days, columns.status
    )
    return [tuple(r) for r in connection.execute(picked)]


def assert_in_step(location: str, settings: Settings, *, settled: bool = True) -> None:
    """Stored inputs equal a recomputation, and readers list what the exact way lists."""
    policy = WarmthPolicy.from_settings(settings)
    zone = local_zone(settings.timezone)
    database = open_database(location, daily_backup=False)
    try:
        with database.engine.connect() as connection:
            transaction = connection.begin()
            if settled:
                assert not has_queued(connection), "a write left people queued"
                assert warmth_store.stored(connection, policy) is not None, "basis differs"
                kept = connection.execute(select(*STORED).order_by(Person.id)).all()
                warmth_store.rebase(connection, policy)
                again = connection.execute(select(*STORED).order_by(Person.id)).all()
                assert kept == again
                assert all(row.warmth_cold_due is not None for row in kept)
            days = [AS_OF, AS_OF - timedelta(days=45), AS_OF - timedelta(days=400)]
            days += [AS_OF + timedelta(days=30), date(2026, 3, 29), date(2026, 10, 25)]
            for day in days:
                as_of = AsOf(day, zone)
                exact = _rows(connection, PeopleQuery(), as_of, policy, use_stored=False)
                assert _rows(connection, PeopleQuery(), as_of, policy, use_stored=True) == exact
                for status in STATUSES:
                    query = PeopleQuery(status=status)
                    wanted = [
                        r[0] for r in _rows(connection, query, as_of, policy, use_stored=False)
                    ]
                    assert matching_ids(connection, query, as_of, policy) == wanted, (day, status)
                for sort in ("last_touch", "status"):
                    for descending in (False, True):
                        query = PeopleQuery(sort=sort, descending=descending, status="cooling")
                        wanted = [
                            r[0] for r in _rows(connection, query, as_of, policy, use_stored=False)
                        ]
                        assert matching_ids(connection, query, as_of, policy) == wanted
                counts = status_counts(connection, as_of, policy)
                assert counts == {s: sum(1 for r in exact if r[-1] == s) for s in STATUSES}
            transaction.rollback()
    finally:
        database.close()


def _settings_file(home: Path, settings: Settings) -> None:
    settings.save(home / "config" / "settings.json")


MBOX = """From ana@example.com Mon Nov 23 09:00:00 2026
From: Ana Lima <ana.lima@example.com>
To: Me <me@example.com>
Subject: Re: the role
Date: Mon, 23 Nov 2026 23:30:00 +0000
Message-ID: <warm-1@example.com>

Sounds good.

"""

ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:warm-meeting-1@example.com
DTSTART:20261203T100000Z
DTEND:20261203T110000Z
SUMMARY:Coffee
ORGANIZER:mailto:me@example.com
ATTENDEE:mailto:ana.lima@example.com
END:VEVENT
END:VCALENDAR
"""


def test_stored_warmth_follows_every_write(tmp_path: Path, db_location: str) -> None:
    home = tmp_path / "home"
    db = ["--db", db_location]

    def cli(*args: str) -> str:
        return run(*db, *args, home=home).stdout

    cli("demo", "--people", "60", "--as-of", AS_OF.isoformat())
    assert_in_step(db_location, Settings())

    # Settings with tag cadences and a zone: the next write recomputes everyone.
    _settings_file(home, SETTINGS)
    assert_in_step(db_location, SETTINGS, settled=False)  # readers exact meanwhile
    cli("add-person", "--first", "Ana", "--last", "Lima", "--email", "ana.lima@example.com")
    assert_in_step(db_location, SETTINGS)

    cli("add-person", "--first", "Vi", "--last", "Pe", "--tag", "vip", "--cadence", "3")
    cli("add-person", "--first", "Al", "--last", "Um", "--tag", "alumni", "--tag", "vip")
    assert_in_step(db_location, SETTINGS)

    # Imports of every kind, the interchange JSON among them.
    for name in ("linkedin_connections.csv", "contacts_v40.vcf", "google_contacts.csv"):
        cli("import", str(FIXTURES / name))
    assert_in_step(db_location, SETTINGS)
    exported = tmp_path / "network.json"
    cli("export", "--format", "json", "-o", str(exported))
    document = json.loads(exported.read_text())
    cli("import", str(exported))
    assert_in_step(db_location, SETTINGS)
    cli("import", str(FIXTURES / "linkedin_connections_later.csv"))
    assert_in_step(db_location, SETTINGS)
    batches = json.loads(cli("imports", "--json"))
    cli("undo-import", str(batches[0]["id"]))
    assert_in_step(db_location, SETTINGS)

    # Touches: logged (one near midnight, one next week), mail and calendar.
    cli("log", "1", "--kind", "call", "--at", "2026-11-24T23:45")
    cli("log", "2", "--kind", "meeting", "--at", "2026-12-02T10:00")
    cli("log", "3", "--kind", "note", "--at", "2026-11-24")
    assert_in_step(db_location, SETTINGS)
    mbox = tmp_path / "mail.mbox"
    mbox.write_text(MBOX)
    cli("import-mail", str(mbox), "--me", "me@example.com")
    ics = tmp_path / "meetings.ics"
    ics.write_text(ICS)
    cli("import-calendar", str(ics), "--me", "me@example.com", "--as-of", AS_OF.isoformat())
    assert_in_step(db_location, SETTINGS)

    # Stage changes move cadences to the active one and back.
    opportunity = cli("add-opportunity", "Glassblower", "--company", "Acme")
    assert opportunity
    cli("stage", "4", "1", "contacted", "--at", "2026-11-10")
    cli("stage", "5", "1", "interviewing", "--at", "2026-11-20")
    cli("stage", "5", "1", "not_selected", "--at", "2026-11-22", "--reason", "timing")
    assert_in_step(db_location, SETTINGS)

    cli("snooze", "6", "30", "--as-of", AS_OF.isoformat())
    cli("edit", "7", "--set", "company=Elsewhere")
    cli("forget", "8")
    assert_in_step(db_location, SETTINGS)

    database = open_database(db_location, daily_backup=False)
    services = Services(database, SETTINGS, app_paths())
    try:
        fields = services.person_fields(9)
        services.save_person(9, replace(fields, cadence_days=5, tags=["alumni"], version=None))
        services.save_person(None, replace(fields, first_name="New", cadence_days=None, tags=[]))
        services.change_tag([10, 11, 12], "vip", True)
        services.set_cadence([13, 14], 21)
        services.set_cadence([13], None)
        services.change_tag([10], "vip", False)
        assert_in_step(db_location, SETTINGS)
        merged = services.merge(15, 16)
        assert_in_step(db_location, SETTINGS)
        services.undo_merges([merged])
        assert_in_step(db_location, SETTINGS)
        deleted = services.delete_people([17, 18])
        assert_in_step(db_location, SETTINGS)
        services.restore_people(deleted)
        assert_in_step(db_location, SETTINGS)
        services.log_interaction(
            19, "email", "outbound", "hello", AsOf(AS_OF, local_zone("UTC")).end_utc
        )
        assert_in_step(db_location, SETTINGS)
        # A settings change made in the window.
        services.settings = replace(SETTINGS, default_cadence_days=45, cooling_at=0.6)
        services.apply_warmth_settings()
        assert_in_step(db_location, services.settings)
    finally:
        database.close()
    assert document["people"]

    # A copy holds the same stored inputs, in step.
    copy = tmp_path / "copy.sqlite3"
    later = replace(SETTINGS, default_cadence_days=45, cooling_at=0.6)
    _settings_file(home, later)
    cli("copy-to", str(copy))
    assert_in_step(str(copy), later)

    # The migration: back to the schema before it, and up again on the next open.
    database = open_database(db_location, daily_backup=False)
    try:
        config = migrate.alembic_config()
        with database.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0012_interaction_search_pg")
    finally:
        database.close()
    # Opening migrates, and settles everyone under the settings in force as part of the
    # upgrade: the first read already uses stored inputs, none waits for a write.
    listed = cli("people", "--json")
    database = open_database(db_location, daily_backup=False)
    try:
        with database.connect() as connection:
            assert not has_queued(connection)
            assert warmth_store.stored(connection, WarmthPolicy.from_settings(later))
    finally:
        database.close()
    assert_in_step(db_location, later)
    assert cli("people", "--json") == listed
    cli("log", "20", "--kind", "email", "--direction", "inbound", "--at", "2026-11-01")
    assert_in_step(db_location, later)
