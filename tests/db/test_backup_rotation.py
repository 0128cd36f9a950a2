"""Backups rotate the way Anki's do: exactly as many days, weeks and months as configured."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from recruiter_desk.db import backup
from recruiter_desk.db.backup import Retention


def _fake_backups(database_file: Path, moments: list[datetime]) -> None:
    folder = backup.backup_dir_for(database_file)
    folder.mkdir(parents=True, exist_ok=True)
    for moment in moments:
        name = f"{database_file.stem}-{moment:%Y%m%d-%H%M%S}-periodic{backup.BACKUP_SUFFIX}"
        (folder / name).write_bytes(b"x")


def test_rotation_keeps_exactly_the_configured_days_weeks_and_months(tmp_path: Path) -> None:
    database_file = tmp_path / "desk.sqlite3"
    now = datetime(2026, 11, 25, 18)
    # Two backups a day, at 9:00 and 15:00, for 400 days up to today.
    moments = [
        datetime.combine(now.date() - timedelta(days=back), datetime.min.time()).replace(hour=h)
        for back in range(400)
        for h in (9, 15)
    ]
    _fake_backups(database_file, moments)

    backup.rotate(database_file, Retention(daily=3, weekly=2, monthly=2), now)

    kept = [entry.taken_at for entry in backup.list_backups(database_file)]
    newest_first = sorted(kept, reverse=True)
    # Everything of today and yesterday stays.
    assert newest_first[:4] == [
        datetime(2026, 11, 25, 15),
        datetime(2026, 11, 25, 9),
        datetime(2026, 11, 24, 15),
        datetime(2026, 11, 24, 9),
    ]
    older = newest_first[4:]
    # Then the newest of each of 3 days, of 2 weeks and of 2 months, and nothing else.
    assert older == [
        datetime(2026, 11, 23, 15),  # daily (Monday of week 48)
        datetime(2026, 11, 22, 15),  # daily (Sunday, week 47)
        datetime(2026, 11, 21, 15),  # daily
        datetime(2026, 11, 15, 15),  # weekly: week 46
        datetime(2026, 11, 8, 15),  # weekly: week 45
        datetime(2026, 10, 31, 15),  # monthly: October
        datetime(2026, 9, 30, 15),  # monthly: September
    ]
    # Rotating again with the same clock removes nothing more.
    backup.rotate(database_file, Retention(daily=3, weekly=2, monthly=2), now)
    assert len(backup.list_backups(database_file)) == 11


def test_default_retention_is_anki_s_12_10_9(tmp_path: Path) -> None:
    database_file = tmp_path / "desk.sqlite3"
    now = datetime(2026, 11, 25, 18)
    start = date(2026, 11, 25)
    _fake_backups(
        database_file,
        [
            datetime.combine(start - timedelta(days=back), datetime.min.time())
            for back in range(800)
        ],
    )
    backup.rotate(database_file, Retention(), now)
    assert len(backup.list_backups(database_file)) == 2 + 12 + 10 + 9


def test_retention_comes_from_checked_settings() -> None:
    from recruiter_desk.settings import Settings, checked

    values, problems = checked(
        {"backups_daily": 5, "backups_weekly": -1, "backups_monthly": 0}, where=""
    )
    assert Retention.from_settings(Settings(**values)) == Retention(daily=5, weekly=10, monthly=0)
    assert problems == [
        "The setting backups_weekly is -1, which is not a whole number, at least 0; "
        "10 is used instead."
    ]
