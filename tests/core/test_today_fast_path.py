"""Today read through indexes and candidates is exactly Today read from everyone.

Today's quick path (core/today.py) reads each section's candidates only: the owed replies
of people awaiting one (a partial index) with a count instead of a list, the coolest of
each cadence through the stored cold moments, snoozes and job changes through partial
indexes, follow-ups counted. ``today(..., exact=True)`` is the plain statement of the rules:
everyone read, everything listed, then cut. On a seeded network with what makes the
sections differ (tag and personal cadences, a zone off UTC, do-not-contact people, snoozes
with reasons, job changes, touches planned after the day, people queued by a write not yet
settled, settings the stored inputs were not worked out with), both must give the same
Today on days before, at and after the newest touches, for short and long sections.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from recruiter_desk.core import today as today_module
from recruiter_desk.core.clock import AsOf, local_zone
from recruiter_desk.core.services import Services
from recruiter_desk.core.today import today
from recruiter_desk.core.warmth import WarmthPolicy
from recruiter_desk.db.open import open_database
from recruiter_desk.paths import app_paths
from recruiter_desk.settings import Settings
from tests.cli.helpers import run

AS_OF = date(2026, 11, 25)
FIXTURES = Path(__file__).parent.parent / "fixtures" / "imports"
SETTINGS = Settings(timezone="Europe/Paris", tag_cadences={"vip": 14, "alumni": 200})
DAYS = (
    AS_OF,
    AS_OF - timedelta(days=3),
    AS_OF - timedelta(days=45),
    AS_OF - timedelta(days=400),
    AS_OF + timedelta(days=30),
    date(2026, 3, 29),  # daylight saving starts in Paris
)


def _both_ways(
    location: str, settings: Settings, days: tuple[date, ...] = DAYS, *, queue_some: bool = False
) -> int:
    """Today both ways on every day, limit and pool of coolest; how many comparisons had
    more owed and due than shown, and full cold and not-answering sections."""
    policy = WarmthPolicy.from_settings(settings)
    zone = local_zone(settings.timezone)
    database = open_database(location, daily_backup=False)
    full = 0
    try:
        with database.engine.connect() as connection:
            transaction = connection.begin()
            if queue_some:  # a write's queue not yet settled: those are read the exact way
                connection.execute(
                    text("INSERT INTO warmth_queue (id) SELECT id FROM people WHERE id % 7 = 0")
                )
            for day in days:
                as_of = AsOf(day, zone)
                for considered in (3, 200):
                    today_module.COOLEST_CONSIDERED = considered
                    for limit in (1, 50):
                        quick = today(connection, as_of, settings, policy, limit=limit)
                        exact = today(connection, as_of, settings, policy, limit=limit, exact=True)
                        assert quick == exact, (day, considered, limit)
                        counted = ("owed", "follow_ups")  # more than shown: counts
                        full += all(quick.totals[s] > limit for s in counted) and all(
                            len(quick.items(s)) == limit for s in ("cold", "not_answering")
                        )
            transaction.rollback()
    finally:
        database.close()
    return full


def test_the_quick_today_is_the_exact_today(
    tmp_path: Path, db_location: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(today_module, "COOLEST_CONSIDERED", today_module.COOLEST_CONSIDERED)
    home = tmp_path / "home"

    def cli(*args: str) -> str:
        return run("--db", db_location, *args, home=home).stdout

    cli("demo", "--people", "400", "--as-of", AS_OF.isoformat())
    # Settings the stored inputs were not worked out with: every reader the exact way.
    SETTINGS.save(home / "config" / "settings.json")
    assert _both_ways(db_location, SETTINGS, DAYS[:1]) > 0

    # The next write works them out again; then everything that makes sections differ.
    cli("add-person", "--first", "Vi", "--last", "Pe", "--tag", "vip", "--cadence", "3")
    cli("add-person", "--first", "Al", "--last", "Um", "--tag", "alumni", "--do-not-contact")
    for name in ("linkedin_connections.csv", "linkedin_connections_later.csv"):
        cli("import", str(FIXTURES / name))  # the later export changes some jobs
    for person in ("11", "12", "13"):
        cli("snooze", person, "5", "--as-of", (AS_OF - timedelta(days=7)).isoformat())
    cli("snooze", "14", "4", "--as-of", (AS_OF - timedelta(days=4)).isoformat(), "--reason", "x")
    cli("log", "15", "--kind", "meeting", "--direction", "outbound", "--at", "2026-12-02T10:00")
    cli("log", "16", "--kind", "email", "--direction", "inbound", "--at", "2026-11-24T23:45")
    cli("log", "17", "--kind", "email", "--direction", "inbound", "--at", "2026-11-25T22:30")
    database = open_database(db_location, daily_backup=False)
    services = Services(database, SETTINGS, app_paths())
    try:
        for person_id in (18, 19, 20, 21):
            fields = services.person_fields(person_id)
            services.save_person(person_id, replace(fields, do_not_contact=True, version=None))
        fields = services.person_fields(22)
        services.save_person(22, replace(fields, cadence_days=9, tags=["vip"], version=None))
    finally:
        database.close()

    assert _both_ways(db_location, SETTINGS) > 0
    assert _both_ways(db_location, SETTINGS, DAYS[:2], queue_some=True) > 0
