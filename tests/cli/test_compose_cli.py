"""``templates``, ``compose``, ``outbox`` and ``send`` as a recruiter runs them, on SQLite and
PostgreSQL (the ``backend`` fixture)."""

from __future__ import annotations

import email
import email.policy
import json
from pathlib import Path

from sqlalchemy import text

from recruiter_desk.core import outbox
from recruiter_desk.db.open import open_database
from recruiter_desk.settings import Settings
from tests.cli.helpers import run
from tests.mail_server import PASSWORD, Mailbox, MemoryKeyring


def setup(tmp_path: Path, location: str, port: int = 25) -> tuple[list[str], Path, list[str]]:
    """A database with three people (one without an email) and the recruiter's settings."""
    home = tmp_path / "home"
    db = ["--db", location]
    Settings(
        my_name="Inès Laurent",
        my_addresses=["ines@example.org"],
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_security="none",
        smtp_user="me",
        send_spacing_seconds=0,
    ).save(home / "config" / "settings.json")
    people = [
        ("--first", "Zoë", "--last", "Ødegård", "--email", "zoe@fjord.no"),
        ("--first", "Łukasz", "--last", "Żak", "--email", "lz@example.pl"),
        ("--first", "Mia", "--last", "Ng"),
    ]
    for values in people:
        run(*db, "add-person", *values, home=home)
    return db, home, ["1", "2", "3"]


def test_templates_lists_the_starter_set(tmp_path: Path, db_location: str) -> None:
    db, home, _ = setup(tmp_path, db_location)
    templates = json.loads(run(*db, "templates", "--json", home=home).stdout)
    assert {"id", "name", "purpose", "subject", "body"} == set(templates[0])
    names = [t["name"] for t in templates]
    assert "First connection (no role)" in names and "Not selected, door open" in names
    assert "First connection (no role)" in run(*db, "templates", home=home).stdout


def test_compose_print_shows_each_message_and_its_problems(
    tmp_path: Path, db_location: str
) -> None:
    db, home, ids = setup(tmp_path, db_location)
    drafts = json.loads(
        run(*db, "compose", "Stay in touch", "--to", *ids, "--print", "--json", home=home).stdout
    )
    assert [d["status"] for d in drafts] == ["ready", "ready", "ready"]
    assert drafts[0]["subject"] == "Checking in, Zoë"
    assert "How are things at work?" in drafts[0]["body"]  # the fallback for no company
    assert any("no email address" in w for w in drafts[2]["warnings"])
    text = run(*db, "compose", "Article share", "--to", "1", "--print", home=home).stdout
    assert "fix" in text and "personalise" in text


def test_compose_eml_writes_drafts_and_logs_them(tmp_path: Path, db_location: str) -> None:
    db, home, _ = setup(tmp_path, db_location)
    out = tmp_path / "drafts"
    out.mkdir()
    result = run(
        *db, "compose", "Stay in touch", "--to", "1", "lukasz zak", "--eml", str(out), home=home
    )
    assert "Saved 2 draft messages" in result.stdout
    files = sorted(out.glob("*.eml"))
    parsed = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert parsed["X-Unsent"] == "1" and parsed["Subject"] == "Checking in, Zoë"
    database = open_database(db[1], daily_backup=False)
    try:
        with database.connect() as connection:
            logged = [
                tuple(row)
                for row in connection.execute(
                    text(
                        "SELECT person_id, kind, direction, subject FROM interactions "
                        "ORDER BY person_id"
                    )
                )
            ]
    finally:
        database.close()
    assert logged == [
        (1, "email", "outbound", "Checking in, Zoë"),
        (2, "email", "outbound", "Checking in, Łukasz"),
    ]


def test_compose_refuses_what_is_not_ready(tmp_path: Path, db_location: str) -> None:
    db, home, _ = setup(tmp_path, db_location)
    out = tmp_path / "drafts"
    out.mkdir()
    failed = run(
        *db, "compose", "Article share", "--to", "1", "--eml", str(out), home=home, check_ok=False
    )
    assert failed.returncode == 1 and "Nothing was saved" in failed.stderr
    assert list(out.iterdir()) == []
    no_email = run(
        *db, "compose", "Stay in touch", "--to", "3", "--queue", home=home, check_ok=False
    )
    assert no_email.returncode == 1 and "Mia Ng has no email address" in no_email.stderr


def test_queue_outbox_and_send_through_a_real_server(
    tmp_path: Path, db_location: str, mailbox: tuple[Mailbox, int], memory_keyring: MemoryKeyring
) -> None:
    box, port = mailbox
    db, home, _ = setup(tmp_path, db_location, port)
    memory_keyring.set_password(outbox.KEYRING_SERVICE, "me@127.0.0.1", PASSWORD)
    assert (
        "Queued 2 messages"
        in run(*db, "compose", "Stay in touch", "--to", "1", "2", "--queue", home=home).stdout
    )
    queued = json.loads(run(*db, "outbox", "--json", home=home).stdout)
    assert [q["state"] for q in queued] == ["queued", "queued"]
    assert [q["to"] for q in queued] == ["zoe@fjord.no", "lz@example.pl"]
    dry = run(*db, "send", "--dry-run", home=home).stdout
    assert "would send: zoe@fjord.no: Checking in, Zoë" in dry and box.arrived == []
    assert "2 sent." in run(*db, "send", home=home).stdout
    assert len(box.arrived) == 2
    assert "The outbox is empty." in run(*db, "outbox", home=home).stdout
    sent = json.loads(run(*db, "outbox", "--all", "--json", home=home).stdout)
    assert [s["state"] for s in sent] == ["sent", "sent"]
    assert "0 sent." in run(*db, "send", home=home).stdout
    assert len(box.arrived) == 2
