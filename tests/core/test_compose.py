"""Templates, rendering, guards, merges and the files and links messages leave in."""

from __future__ import annotations

import email
import email.policy
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote

import pytest
from sqlalchemy import select

from recruiter_desk.core.compose import (
    MAILTO_LIMIT,
    Composition,
    clipboard_text,
    mailto_url,
    preview,
    queue_drafts,
    record_delivery,
    write_eml,
)
from recruiter_desk.core.opportunities import add_opportunity
from recruiter_desk.core.templates import (
    STARTER_TEMPLATES,
    duplicate_template,
    list_templates,
    render,
    save_template,
    seed_starter_templates,
)
from recruiter_desk.db.models import Interaction, Message, Person
from recruiter_desk.db.session import Database
from recruiter_desk.errors import KnownError
from recruiter_desk.settings import Settings
from tests.conftest import NOW, add_person, table_rows

SETTINGS = Settings(my_name="Inès Laurent", my_addresses=["ines@example.org"])


def drafts_for(database: Database, ids: list[int], composition: Composition) -> list:
    with database.connect() as connection:
        return preview(connection, ids, composition, SETTINGS)


# -- rendering -----------------------------------------------------------------------------


def test_unicode_values_fill_placeholders_and_are_never_interpreted() -> None:
    rendered = render(
        "Hi {first_name}, {company} · {{literal}} {not a field} {",
        {"first_name": "Zoë Ødegård {company}", "company": "東京 Labs"},
    )
    assert rendered.text == "Hi Zoë Ødegård {company}, 東京 Labs · {literal} {not a field} {"
    assert rendered.problems == ()


def test_fallbacks_fill_empty_values_and_missing_ones_are_problems() -> None:
    rendered = render("Hi {first_name|there}, how is {company}?", {"first_name": ""})
    assert rendered.text == "Hi there, how is {company}?"
    assert [(p.kind, p.detail) for p in rendered.problems] == [("missing", "company")]


def test_markers_and_unknown_placeholders_block_and_stay_visible() -> None:
    rendered = render(
        "Loved your talk on [[topic]]. {first_name.__class__} {shoe_size}",
        {"first_name": "Ana"},
    )
    assert rendered.text == "Loved your talk on [[topic]]. {first_name.__class__} {shoe_size}"
    assert [(p.kind, p.detail) for p in rendered.problems] == [
        ("marker", "topic"),
        ("unknown", "first_name.__class__"),
        ("unknown", "shoe_size"),
    ]
    assert "personalise" in rendered.problems[0].message


# -- stored templates ----------------------------------------------------------------------


def test_starter_templates_are_seeded_once_and_deletions_stick(database: Database) -> None:
    with database.connect() as connection:
        assert seed_starter_templates(connection) == len(STARTER_TEMPLATES)
        purposes = {t.purpose for t in list_templates(connection)}
    assert {"connect", "outreach", "update", "check_in", "closing", "article"} <= purposes
    with database.session() as session:
        first = list_templates(session.connection())[0]
        copy_id = duplicate_template(session, first.id)
    with database.connect() as connection:
        names = [t.name for t in list_templates(connection)]
        assert f"{first.name} (copy)" in names
        assert seed_starter_templates(connection) == 0
    with database.session() as session:
        from recruiter_desk.core.templates import delete_template

        delete_template(session, copy_id)
        delete_template(session, first.id)
    with database.connect() as connection:
        seed_starter_templates(connection)
        assert first.name not in [t.name for t in list_templates(connection)]


def test_template_names_are_unique_ignoring_case(database: Database) -> None:
    with database.session() as session:
        save_template(session, None, "Hello", "connect", "Hi", "Body")
    with (
        pytest.raises(KnownError, match="already a template called 'hello'"),
        database.session() as session,
    ):
        save_template(session, None, "hello", "connect", "Hi", "Body")


# -- merges and guards ---------------------------------------------------------------------


def test_a_merge_to_three_with_one_missing_a_value(database: Database) -> None:
    ids = [
        add_person(
            database,
            first_name="Zoë",
            last_name="Ødegård",
            company="Fjord",
            emails=["zoe@fjord.no"],
        ),
        add_person(
            database, first_name="Łukasz", last_name="Żak", company="", emails=["lz@example.pl"]
        ),
        add_person(
            database, first_name="", last_name="", emails=["someone@example.com"], company="Acme"
        ),
    ]
    composition = Composition(
        subject="Hello {first_name|there}", body="How is {company}?\n\n{my_signature}"
    )
    drafts = drafts_for(database, ids, composition)
    assert [d.subject for d in drafts] == ["Hello Zoë", "Hello Łukasz", "Hello there"]
    assert [d.status for d in drafts] == ["ready", "fix", "ready"]
    assert drafts[0].body == "How is Fjord?\n\nInès Laurent"
    assert "their company" in drafts[1].problems[0] and drafts[1].body.startswith(
        "How is {company}?"
    )
    # Personalising that one message in the preview clears it.
    fixed = Composition(
        subject=composition.subject,
        body=composition.body,
        edits={ids[1]: ("Hello {first_name}", "How are things since you left?")},
    )
    assert [d.status for d in drafts_for(database, ids, fixed)] == ["ready"] * 3


def test_do_not_contact_is_blocked_whatever_is_asked(database: Database) -> None:
    person = add_person(database, first_name="Ana", emails=["ana@x.org"], do_not_contact=True)
    composition = Composition(subject="Hi", body="Hi {first_name}", overrides=frozenset({person}))
    (draft,) = drafts_for(database, [person], composition)
    assert draft.status == "blocked" and "do-not-contact" in (draft.blocked or "")
    with pytest.raises(KnownError, match="do-not-contact"), database.session() as session:
        record_delivery(session, [draft], composition, "clipboard", NOW, SETTINGS)
    with pytest.raises(KnownError, match="do-not-contact"), database.session() as session:
        queue_drafts(session, [draft], composition, NOW, SETTINGS)


def test_work_mode_conflict_needs_a_knowing_override_recorded_on_the_interaction(
    database: Database,
) -> None:
    person = add_person(database, first_name="Rui", emails=["rui@x.pt"], work_modes=["remote"])
    with database.session() as session:
        role = add_opportunity(
            session,
            title="Data Engineer",
            company="Acme",
            work_mode="onsite",
            location="Porto",
            now=NOW,
        ).id
    plain = Composition(
        subject="{opportunity.title}", body="It's {opportunity.work_mode}.", opportunity_id=role
    )
    (draft,) = drafts_for(database, [person], plain)
    assert draft.status == "conflict" and "prefers remote" in (draft.conflict or "")
    assert draft.body == "It's on-site."
    with pytest.raises(KnownError, match="override knowingly"), database.session() as session:
        record_delivery(session, [draft], plain, "mail_client", NOW, SETTINGS)
    knowing = Composition(
        subject=plain.subject, body=plain.body, opportunity_id=role, overrides=frozenset({person})
    )
    (draft,) = drafts_for(database, [person], knowing)
    assert draft.ready
    with database.session() as session:
        record_delivery(session, [draft], knowing, "mail_client", NOW, SETTINGS)
    with database.connect() as connection:
        body, opportunity = connection.execute(
            select(Interaction.body, Interaction.opportunity_id)
        ).one()
    assert opportunity == role
    assert "Sent knowingly despite a work-mode conflict: Rui prefers remote" in body


def test_not_looking_warns_and_no_email_means_copy(database: Database) -> None:
    person = add_person(database, first_name="Mia", openness="not_looking")
    composition = Composition(subject="Hi", body="Hi {first_name}")
    (draft,) = drafts_for(database, [person], composition)
    assert draft.ready
    assert any("not looking" in w for w in draft.warnings)
    assert any("copy the message" in w for w in draft.warnings)
    with pytest.raises(KnownError, match="no email address"), database.session() as session:
        queue_drafts(session, [draft], composition, NOW, SETTINGS)
    assert clipboard_text([draft]) == "Hi Mia"
    with database.session() as session:
        record_delivery(session, [draft], composition, "clipboard", NOW, SETTINGS)
    with database.connect() as connection:
        kind, direction = connection.execute(select(Interaction.kind, Interaction.direction)).one()
        last = connection.execute(select(Person.last_outbound_at)).scalar_one()
    assert (kind, direction, last) == ("message", "outbound", NOW)


# -- mailto and .eml -----------------------------------------------------------------------


def test_mailto_is_percent_encoded_with_crlf_and_long_ones_are_flagged(database: Database) -> None:
    person = add_person(database, first_name="José", emails=["jose+jobs@example.es"])
    composition = Composition(subject="Olá & adeus?", body="Línea 1\nLínea 2 #3")
    (draft,) = drafts_for(database, [person], composition)
    url = mailto_url(draft)
    assert url.startswith("mailto:jose%2Bjobs@example.es?subject=")
    assert " " not in url and "\n" not in url and "#" not in url
    subject = url.split("subject=")[1].split("&body=")[0]
    body = url.split("&body=")[1]
    assert unquote(subject) == "Olá & adeus?"
    assert unquote(body) == "Línea 1\r\nLínea 2 #3"
    assert not draft.mailto_too_long
    long = Composition(subject="x", body="é" * 400)
    (big,) = drafts_for(database, [person], long)
    assert len(mailto_url(big)) > MAILTO_LIMIT and big.mailto_too_long


def test_eml_files_parse_back_with_the_right_headers(database: Database, tmp_path: Path) -> None:
    ids = [
        add_person(database, first_name="Zoë", last_name="Ødegård", emails=["zoe@fjord.no"]),
        add_person(database, first_name="Ana", last_name="Silva", emails=["ana@x.pt"]),
    ]
    composition = Composition(
        subject="Olá {first_name} — café?", body="Hi {first_name},\n\nçava ✓\n"
    )
    drafts = drafts_for(database, ids, composition)
    paths = write_eml(drafts, tmp_path, SETTINGS, datetime(2026, 11, 25, 9, 30))
    assert len(paths) == 2
    parsed = email.message_from_bytes(paths[0].read_bytes(), policy=email.policy.default)
    assert parsed["X-Unsent"] == "1"
    assert parsed["Subject"] == "Olá Zoë — café?"
    assert parsed["To"].addresses[0].display_name == "Zoë Ødegård"
    assert parsed["To"].addresses[0].addr_spec == "zoe@fjord.no"
    assert parsed["From"].addresses[0].display_name == "Inès Laurent"
    assert parsed["Message-ID"].endswith("@example.org>")
    assert parsed["Date"].datetime.isoformat() == "2026-11-25T09:30:00+00:00"
    assert parsed.get_content_charset() == "utf-8"
    assert parsed.get_content().replace("\r\n", "\n") == "Hi Zoë,\n\nçava ✓\n"
    raw = paths[0].read_bytes()
    assert raw.isascii()  # every header and the body encoded for transport
    assert b"\r\nSubject: " in raw and b"\n" not in raw.replace(b"\r\n", b"")


def test_queueing_writes_one_message_each_and_no_touch_yet(database: Database) -> None:
    ids = [add_person(database, first_name=f"P{i}", emails=[f"p{i}@x.org"]) for i in range(3)]
    composition = Composition(subject="Hi {first_name}", body="Hello")
    drafts = drafts_for(database, ids, composition)
    with database.session() as session:
        assert queue_drafts(session, drafts, composition, NOW, SETTINGS) == 3
    with database.connect() as connection:
        rows = connection.execute(
            select(Message.state, Message.message_id, Message.to_address)
        ).all()
        touches = connection.execute(select(Interaction.id)).all()
    assert [r.state for r in rows] == ["queued"] * 3
    assert len({r.message_id for r in rows}) == 3
    assert touches == []


def test_undoing_a_delete_brings_back_the_queue_and_the_record(database: Database) -> None:
    from recruiter_desk.core.trash import delete_people, restore_people

    person = add_person(database, first_name="Ana", emails=["ana@x.org"])
    composition = Composition(subject="Hi", body="Hi {first_name}")
    (draft,) = drafts_for(database, [person], composition)
    with database.session() as session:
        record_delivery(session, [draft], composition, "clipboard", NOW, SETTINGS)
        queue_drafts(session, [draft], composition, NOW, SETTINGS)
    before = table_rows(database)
    deleted = delete_people(database, [person])
    with database.connect() as connection:
        assert connection.execute(select(Message.id)).all() == []
    restore_people(database, deleted)
    assert table_rows(database) == before


def test_every_message_a_pipeline_move_offers_has_a_starter_template(
    database: Database, tmp_path: Path
) -> None:
    from recruiter_desk.core.services import Services
    from recruiter_desk.core.stage_messages import OFFERED
    from recruiter_desk.paths import app_paths

    services = Services(database, SETTINGS, app_paths())
    purposes = {t.purpose for t in services.templates()}
    assert purposes >= OFFERED
    person = add_person(database, first_name="Ana", emails=["ana@x.org"])
    with database.session() as session:
        role = add_opportunity(session, title="Data Engineer", company="Acme", now=NOW).id
    draft = services.draft_for_purpose(person, "closing_withdrew", role)
    assert draft is not None and draft.ready
    assert draft.subject == "Data Engineer: thank you"
    assert draft.body.startswith("Hi Ana,") and draft.body.endswith("Inès Laurent")
    assert services.draft_for_purpose(person, "no such purpose") is None
