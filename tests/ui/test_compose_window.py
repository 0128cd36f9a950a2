"""The Compose view, driven as a recruiter drives it: recipients from another view, each
one's message and problems, guards, personalising, deliveries that log."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
)
from pytestqt.qtbot import QtBot

from recruiter_desk.core.records import PersonFields
from recruiter_desk.ui.main_window import MainWindow
from recruiter_desk.ui.views.compose_view import ComposeView
from tests.mail_server import PASSWORD, Mailbox, MemoryKeyring
from tests.ui.conftest import OpenWindow


def people(window: MainWindow) -> list[int]:
    """Three recipients to write to: one with no company, one do-not-contact, and one
    who only works remotely (the role below is on-site)."""
    services = window.services
    return [
        services.save_person(
            None, PersonFields(first_name="Zoë", last_name="Ødegård", emails=["zoe@fjord.no"])
        ),
        services.save_person(
            None,
            PersonFields(
                first_name="Rui", emails=["rui@x.pt"], company="Acme", do_not_contact=True
            ),
        ),
        services.save_person(
            None,
            PersonFields(
                first_name="Ana", emails=["ana@x.pt"], company="Beta", work_modes=["remote"]
            ),
        ),
    ]


def open_compose(
    qtbot: QtBot, window: MainWindow, ids: list[int], template: str, **kw: object
) -> ComposeView:
    window.services.settings = replace(
        window.services.settings, my_name="Inès", my_addresses=["ines@example.org"]
    )
    window.compose_to(ids, template, **kw)  # type: ignore[arg-type]
    view = window.compose_view
    qtbot.waitUntil(lambda: len(view.drafts) == len(ids) and bool(view.templates), timeout=5000)
    qtbot.waitUntil(lambda: view.name_edit.text() != "", timeout=5000)
    statuses(qtbot, view)
    return view


def statuses(qtbot: QtBot, view: ComposeView) -> list[str]:
    qtbot.wait(1)
    qtbot.waitUntil(lambda: not view._debounce.isActive(), timeout=5000)
    qtbot.waitUntil(lambda: not view._executor.is_busy, timeout=5000)
    return [d.status for d in view.drafts]


def test_compose_is_in_the_sidebar_and_shows_each_recipient(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window()
    ids = people(window)
    view = open_compose(qtbot, window, ids, "keep_warm")
    assert window.stack.currentWidget() is view
    assert window.sidebar.currentItem().text() == "Compose"
    assert view.name_edit.text() == "Stay in touch"
    listing = view.findChild(QListWidget, "recipientList")
    texts = [listing.item(i).text() for i in range(listing.count())]
    assert texts[0] == "✓  Zoë Ødegård  ·  ready"
    assert listing.item(0).toolTip() == "zoe@fjord.no"
    assert "do not contact" in texts[1]
    # The fallback filled Zoë's missing company; her message is ready.
    body = view.findChild(QPlainTextEdit, "previewBody").toPlainText()
    assert "How are things at work?" in body and body.endswith("Inès")
    assert view.findChild(QPushButton, "copyButton").isEnabled()
    listing.setCurrentRow(1)
    problems = view.findChild(QLabel, "problemsLabel").text()
    assert "do-not-contact" in problems
    assert not view.findChild(QPushButton, "copyButton").isEnabled()


def test_work_mode_conflict_is_refused_until_overridden_knowingly(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window()
    ids = people(window)
    from recruiter_desk.core.clock import utc_now
    from recruiter_desk.core.opportunities import add_opportunity

    with window.services.database.session() as session:
        role = add_opportunity(
            session,
            title="Site Lead",
            company="Acme",
            work_mode="onsite",
            location="Porto",
            now=utc_now(),
        ).id
    view = open_compose(qtbot, window, [ids[2]], "Stay in touch")
    view.load()
    window.compose_to([ids[2]], "Stay in touch", role)
    qtbot.waitUntil(lambda: view.opportunity_combo.currentData() == role, timeout=5000)
    assert statuses(qtbot, view) == ["conflict"]
    override = view.findChild(QCheckBox, "overrideCheck")
    assert override.isVisible() and "prefers remote" in view.problems_label.text()
    override.setChecked(True)
    assert statuses(qtbot, view) == ["ready"]
    view.confirm_sent = lambda _what: True  # type: ignore[method-assign]
    view.findChild(QPushButton, "copyButton").click()
    qtbot.waitUntil(lambda: "Logged 1 message" in getattr(view, "last_message", ""), timeout=5000)
    assert QGuiApplication.clipboard().text().startswith("Hi Ana,")
    assert window.services.recent_interactions(ids[2])[0].endswith("Checking in, Ana")


def test_markers_block_until_personalised_in_the_preview(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window()
    ids = people(window)
    view = open_compose(qtbot, window, [ids[0], ids[2]], "First connection (no role)")
    assert statuses(qtbot, view) == ["fix", "fix"]
    assert "personalise" in view.problems_label.text()
    assert not view.queue_button.isEnabled()
    # Personalise Zoë's message only: the marker is replaced in her preview.
    body = view.preview_body.toPlainText().replace(
        "[[your field, e.g. data engineering in Lisbon]]", "data engineering in Oslo"
    )
    view.preview_body.setPlainText(body)
    assert statuses(qtbot, view) == ["ready", "fix"]
    assert "(edited for them)" in view.to_label.text()
    view.queue_button.click()
    qtbot.waitUntil(lambda: "Queued 1 message" in getattr(view, "last_message", ""), timeout=5000)
    assert "1 not ready was left out" in view.last_message
    qtbot.waitUntil(lambda: view.outbox_label.text().startswith("Outbox: 1 waiting"), timeout=5000)
    (queued,) = window.services.outbox()
    assert queued.to_address == "zoe@fjord.no"


def test_templates_are_added_duplicated_and_deleted(
    qtbot: QtBot, open_window: OpenWindow, monkeypatch: object
) -> None:
    from PySide6.QtWidgets import QMessageBox

    window = open_window()
    view = open_compose(qtbot, window, people(window)[:1], "Stay in touch")
    count = len(view.templates)
    view.new_button.click()
    view.name_edit.setText("Coffee?")
    view.subject_edit.setText("Coffee, {first_name}?")
    view.save_button.click()
    qtbot.waitUntil(lambda: len(view.templates) == count + 1, timeout=5000)
    assert view.name_edit.text() == "Coffee?"
    view.duplicate_button.click()
    qtbot.waitUntil(lambda: len(view.templates) == count + 2, timeout=5000)
    assert view.name_edit.text() == "Coffee? (copy)"
    monkeypatch.setattr(  # type: ignore[attr-defined]
        QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Yes
    )
    view.delete_button.click()
    qtbot.waitUntil(lambda: len(view.templates) == count + 1, timeout=5000)
    names = [view.template_list.item(i).text() for i in range(view.template_list.count())]
    assert "Coffee? (copy)" not in names and "Coffee?" in names
    assert view.template_list.item(0).data(Qt.ItemDataRole.DisplayRole)


def test_write_to_everyone_the_people_list_shows(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window()
    ids = people(window)
    window.people_view.refresh()
    window.people_view.search_box.setText("Ødegård")
    qtbot.waitUntil(lambda: window.people_view.model.rowCount() == 1, timeout=5000)
    window.compose_to_list()
    qtbot.waitUntil(lambda: window.compose_view.recipients == [ids[0]], timeout=5000)
    assert window.stack.currentWidget() is window.compose_view


def test_an_article_to_share_arrives_with_its_template(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window()
    ids = people(window)
    article = window.services.compose_choices().articles[0]
    view = open_compose(qtbot, window, [ids[0]], "article")
    window.compose_to([ids[0]], "article", None, article[0])
    qtbot.waitUntil(lambda: view.article_combo.currentData() == article[0], timeout=5000)
    statuses(qtbot, view)
    assert view.name_edit.text() == "Article share"
    assert view.preview_subject.text().endswith(article[1])


def test_send_now_delivers_the_outbox_and_test_connection_reports(
    qtbot: QtBot,
    open_window: OpenWindow,
    mailbox: tuple[Mailbox, int],
    memory_keyring: MemoryKeyring,
) -> None:
    box, port = mailbox
    window = open_window()
    ids = people(window)
    view = open_compose(qtbot, window, [ids[0], ids[2]], "Stay in touch")
    window.services.settings = replace(
        window.services.settings,
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_security="none",
        smtp_user="me",
        send_spacing_seconds=0,
    )
    asked: list[str] = []
    view.ask_password = lambda prompt: asked.append(prompt) or PASSWORD  # type: ignore[method-assign]
    dialog = view.edit_account()
    assert dialog.findChild(QLineEdit, "smtpHost").text() == "127.0.0.1"
    dialog.findChild(QPushButton, "testConnectionButton").click()
    qtbot.waitUntil(lambda: dialog.result_label.text().startswith("Connected"), timeout=5000)
    assert len(asked) == 1  # then kept in the keyring
    dialog.close()
    view.queue_button.click()
    qtbot.waitUntil(lambda: view.outbox_label.text() == "Outbox: 2 waiting", timeout=5000)
    view.send_button.click()
    qtbot.waitUntil(lambda: len(box.arrived) == 2, timeout=10000)
    qtbot.waitUntil(lambda: view.outbox_label.text() == "Outbox: empty", timeout=5000)
    qtbot.waitUntil(lambda: view.send_button.text() == "Send now", timeout=5000)
    assert len(asked) == 1
    assert window.services.recent_interactions(ids[0])[0].endswith("Checking in, Zoë")
