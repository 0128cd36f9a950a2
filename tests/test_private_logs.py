"""The log file holds no one's personal data above DEBUG, no secret, and is private."""

from __future__ import annotations

import logging
import sqlite3
import stat
from pathlib import Path

import pytest

from recruiter_desk.app import main
from recruiter_desk.db.engine import display_location
from recruiter_desk.db.open import open_database
from recruiter_desk.paths import app_paths


def test_an_unexpected_database_error_logs_no_names_or_emails(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    open_database(str(db_path), daily_backup=False).close()
    with sqlite3.connect(db_path) as connection:
        # A constraint the app does not expect: its error carries the row being written.
        connection.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON person_emails "
            "BEGIN SELECT RAISE(ABORT, 'refused by a trigger'); END"
        )
    connection.close()
    code = main(
        [
            "--db",
            str(db_path),
            "add-person",
            "--first",
            "Zebulon",
            "--last",
            "Quixote",
            "--email",
            "zeb.private@quix.example",
        ]
    )
    assert code == 1
    assert "unexpected error" in capsys.readouterr().err
    log_file = app_paths().log_file
    text = log_file.read_text()
    assert "ERROR" in text and "refused by a trigger" in text
    for secret in ("Zebulon", "Quixote", "zeb.private", "quix.example"):
        assert secret not in text
    assert stat.S_IMODE(log_file.stat().st_mode) == 0o600


def test_rotated_log_files_are_private_too(tmp_path: Path) -> None:
    from recruiter_desk.app import PrivateRotatingFileHandler

    handler = PrivateRotatingFileHandler(tmp_path / "app.log", maxBytes=200, backupCount=2)
    logger = logging.getLogger("tests.rotation")
    logger.addHandler(handler)
    try:
        for index in range(20):
            logger.warning("line %d of the log, long enough to rotate soon", index)
    finally:
        logger.removeHandler(handler)
        handler.close()
    files = sorted(tmp_path.iterdir())
    assert len(files) == 3
    assert {stat.S_IMODE(f.stat().st_mode) for f in files} == {0o600}


def test_a_password_in_the_url_query_is_masked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = "postgresql://recruiter@127.0.0.1:1/desk?sslmode=disable&password=s3cret-pw"
    shown = display_location(url)
    assert "s3cret-pw" not in shown and "password=***" in shown
    assert "s3cret-pw" not in display_location(url.replace("password", "sslpassword"))
    main(["--db", url, "people"])
    captured = capsys.readouterr()
    assert "s3cret-pw" not in captured.err + captured.out
    log_file = app_paths().log_file
    assert not log_file.exists() or "s3cret-pw" not in log_file.read_text()
