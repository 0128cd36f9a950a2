"""The Opportunities view driven as a recruiter drives it: create a role, add people, move
them with the message each move offers, skip one, end the role, find matches."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import shiboken6
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QDialogButtonBox, QWidget
from pytestqt.qtbot import QtBot

from recruiter_desk.core.clock import AsOf
from recruiter_desk.core.pipeline import PipelineCard
from recruiter_desk.core.records import PersonFields
from recruiter_desk.ui.main_window import MainWindow
from recruiter_desk.ui.views.opportunities_view import OpportunitiesView
from recruiter_desk.ui.views.pipeline_dialogs import MessageOfferDialog, PeopleChoiceDialog
from tests.ui.conftest import OpenWindow


def open_view(qtbot: QtBot, window: MainWindow) -> OpportunitiesView:
    window.sidebar.setCurrentItem(window.opportunities_item)
    view = window.opportunities_view
    assert view is not None
    assert window.findChild(QWidget, "opportunitiesView") is view
    qtbot.waitUntil(lambda: bool(view.roles), timeout=5000)
    return view


def person(window: MainWindow, first: str, last: str, **values: object) -> int:
    fields = PersonFields(first_name=first, last_name=last, **values)  # type: ignore[arg-type]
    return window.services.save_person(None, fields)


def dialog(qtbot: QtBot, view: OpportunitiesView, name: str) -> QWidget:
    def shown() -> bool:
        return (
            view.dialog is not None
            and shiboken6.isValid(view.dialog)
            and view.dialog.objectName() == name
            and view.dialog.isVisible()
        )

    qtbot.waitUntil(shown, timeout=5000)
    assert view.dialog is not None
    return view.dialog


def card(view: OpportunitiesView, name: str) -> PipelineCard | None:
    cards = view.pipeline.cards if view.pipeline else []
    return next((c for c in cards if c.name == name), None)


def settled(qtbot: QtBot, view: OpportunitiesView, name: str, stage: str) -> PipelineCard:
    qtbot.waitUntil(lambda: (found := card(view, name)) is not None and found.stage == stage)
    qtbot.waitUntil(lambda: not view._executor.is_busy)
    found = card(view, name)
    assert found is not None
    return found


def compose_ready(window: MainWindow, role_id: int) -> bool:
    compose = window.compose_view
    return (
        bool(compose.templates)
        and compose.template_list.currentRow() >= 0
        and compose.opportunity_combo.currentData() == role_id
    )


def make_role(qtbot: QtBot, view: OpportunitiesView, title: str, mode: str = "remote") -> None:
    qtbot.mouseClick(view.new_button, Qt.MouseButton.LeftButton)
    editor = dialog(qtbot, view, "roleDialog")
    editor.title.setText(title)  # type: ignore[attr-defined]
    editor.company.setText("Acme")  # type: ignore[attr-defined]
    editor.work_mode.setCurrentIndex(editor.work_mode.findData(mode))  # type: ignore[attr-defined]
    editor.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: view.current_role() is not None and view.current_role().title == title)
    qtbot.waitUntil(lambda: view.pipeline is not None and view.pipeline.opportunity.title == title)


def test_create_role_add_people_move_through_every_stage_with_the_fitting_message(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window()
    ana = person(window, "Ana", "Glassford", title="Glassblower", emails=["ana@example.com"])
    person(window, "Otto", "Onsite", title="Glassblower", work_modes=["onsite"])
    view = open_view(qtbot, window)
    make_role(qtbot, view, "Glassblower")

    # Find matches: Ana fits; Otto, who only works on site, is left out with the reason.
    qtbot.mouseClick(view.matches_button, Qt.MouseButton.LeftButton)
    matches = dialog(qtbot, view, "matchesDialog")
    assert isinstance(matches, PeopleChoiceDialog)
    texts = [matches.list.item(i).text() for i in range(matches.list.count())]
    assert any(t.startswith("Ana Glassford — Glassblower") for t in texts)
    assert "Otto Onsite — prefers another work mode" in texts
    row = next(i for i, t in enumerate(texts) if t.startswith("Ana Glassford"))
    matches.list.item(row).setCheckState(Qt.CheckState.Checked)
    qtbot.mouseClick(matches.action_button, Qt.MouseButton.LeftButton)
    settled(qtbot, view, "Ana Glassford", "sourced")
    role_id = view.pipeline.opportunity.id  # type: ignore[union-attr]

    expected = {
        "contacted": "outreach",
        "interested": "next_steps",
        "submitted": "submitted",
        "interviewing": "timeline",
        "shortlisted": "shortlisted",
        "offer": "offer",
        "hired": "welcome",
    }
    for stage, purpose in expected.items():
        view.board.select_card(card(view, "Ana Glassford").candidacy_id)  # type: ignore[union-attr]
        qtbot.keyClick(
            view.board.lists[card(view, "Ana Glassford").stage],  # type: ignore[union-attr]
            Qt.Key.Key_Right,
            Qt.KeyboardModifier.ControlModifier,
        )
        offer = dialog(qtbot, view, "messageOfferDialog")
        assert isinstance(offer, MessageOfferDialog)
        assert offer.purpose.currentData() == purpose, stage
        if stage == "shortlisted":
            assert offer.purpose.itemData(1) == "check_in"  # after an interview
        settled(qtbot, view, "Ana Glassford", stage)
        assert card(view, "Ana Glassford").owed == "update" or stage == "hired"  # type: ignore[union-attr]
        if stage == "interested":
            # Skipping is allowed; the owed list (and the card's badge) remembers.
            qtbot.mouseClick(offer.skip_button, Qt.MouseButton.LeftButton)
            assert window.stack.currentWidget() is view
            continue
        # Writing opens Compose with the template, the person and the role filled in.
        qtbot.mouseClick(offer.write_button, Qt.MouseButton.LeftButton)
        compose = window.compose_view
        assert window.stack.currentWidget() is compose
        qtbot.waitUntil(lambda: compose_ready(window, role_id))
        assert compose.recipients == [ana]
        assert compose.templates[compose.template_list.currentRow()].purpose == purpose
        # Compose records the message once it goes out; then nobody owes Ana anything.
        window.services.log_interaction(ana, "email", "outbound", "sent", datetime.utcnow())
        window.sidebar.setCurrentItem(window.opportunities_item)
        assert window.stack.currentWidget() is view
        qtbot.waitUntil(lambda: not view._executor.is_busy)
        assert card(view, "Ana Glassford").owed is None  # type: ignore[union-attr]


def test_dropping_a_card_on_not_selected_asks_why_and_offers_the_closing_message(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window()
    bo = person(window, "Bo", "Brewer", emails=["bo@example.com"])
    view = open_view(qtbot, window)
    make_role(qtbot, view, "Glassblower")
    role_id = view.current_role().id  # type: ignore[union-attr]
    window.services.move_candidacy(bo, role_id, "interviewing")
    view.load()
    bo_card = settled(qtbot, view, "Bo Brewer", "interviewing")

    source = view.board.lists["interviewing"]
    target = view.board.lists["not_selected"]
    data = source.drag_data(0)
    drop = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.MoveAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    target.dropEvent(drop)
    reason = dialog(qtbot, view, "closingReasonDialog")
    assert reason.closed_by.currentData() == "ours"  # type: ignore[attr-defined]
    assert not reason.ok_button.isEnabled()  # type: ignore[attr-defined]
    reason.reason.setCurrentIndex(reason.reason.findData("role_fit"))  # type: ignore[attr-defined]
    assert reason.ok_button.isEnabled()  # type: ignore[attr-defined]
    reason.accept()  # type: ignore[attr-defined]
    offer = dialog(qtbot, view, "messageOfferDialog")
    assert [offer.purpose.itemData(i) for i in range(2)] == ["closing", "check_in"]  # type: ignore[attr-defined]
    assert "stay-in-touch follow-up" in offer.headline.text()  # type: ignore[attr-defined]
    closed = settled(qtbot, view, "Bo Brewer", "not_selected")
    assert closed.candidacy_id == bo_card.candidacy_id
    assert (closed.closed_by, closed.close_reason, closed.owed) == ("ours", "role_fit", "closing")
    assert "our choice: role fit" in window.services.person_card(bo).candidacies[0]
    # The closing reason filters the closed columns.
    view.reason_filter.setCurrentIndex(view.reason_filter.findData("compensation"))
    assert target.count() == 0
    view.reason_filter.setCurrentIndex(view.reason_filter.findData("role_fit"))
    assert [c.name for c in target.cards()] == ["Bo Brewer"]


def test_days_in_stage_colour_at_the_limits_with_a_fixed_clock(
    qtbot: QtBot, open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window()
    services = window.services
    cy = person(window, "Cy", "Cutter")
    di = person(window, "Di", "Dyer")
    role_id = services.save_opportunity(None, _fields("Glass cutter"))
    with services.database.session() as session:
        from recruiter_desk.core.pipeline import move_stage

        for who, when in ((cy, datetime(2026, 11, 16, 9)), (di, datetime(2026, 11, 19, 9))):
            move_stage(
                session, who, role_id, "contacted", when, services.as_of().zone, services.policy
            )
    fixed = services.as_of(date(2026, 11, 25))
    monkeypatch.setattr(services, "as_of", lambda day=None: AsOf(day or fixed.day, fixed.zone))
    view = open_view(qtbot, window)
    view.select_role(role_id)
    qtbot.waitUntil(lambda: view.pipeline is not None and view.pipeline.opportunity.id == role_id)
    cards = {c.name: (c.days_in_stage, c.level) for c in view.board.lists["contacted"].cards()}
    assert cards == {"Cy Cutter": (7, "red"), "Di Dyer": (4, "amber")}
    assert "1&nbsp;late" in view.board.headers["contacted"].text()
    tip = view.board.lists["contacted"].tooltip(0)
    assert "7 days in Contacted" in tip and "red from 7 days" in tip


def test_closing_a_role_lists_everyone_still_active_and_offers_each_the_closing_message(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window()
    ed = person(window, "Ed", "Etcher", emails=["ed@example.com"])
    fay = person(window, "Fay", "Fuser")
    gil = person(window, "Gil", "Gaffer")
    view = open_view(qtbot, window)
    make_role(qtbot, view, "Glassblower")
    role_id = view.current_role().id  # type: ignore[union-attr]
    window.services.move_candidacy(ed, role_id, "interviewing")
    window.services.move_candidacy(fay, role_id, "offer")
    window.services.add_to_role([gil], role_id)
    view.load()
    settled(qtbot, view, "Fay Fuser", "offer")

    qtbot.mouseClick(view.close_button, Qt.MouseButton.LeftButton)
    confirm = dialog(qtbot, view, "endRoleDialog")
    assert "2 still in process" in confirm.intro.text()  # type: ignore[attr-defined]
    assert "Ed Etcher (interviewing)" in confirm.intro.text()  # type: ignore[attr-defined]
    qtbot.mouseClick(confirm.action_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    closing = dialog(qtbot, view, "closingMessagesDialog")
    assert isinstance(closing, PeopleChoiceDialog)
    listed = [closing.list.item(i).text() for i in range(closing.list.count())]
    assert listed == ["Ed Etcher — was interviewing", "Fay Fuser — was offer (no email address)"]
    assert closing.checked_ids() == [ed, fay]
    # Everyone is ticked: one click writes the closing message to all of them in Compose.
    qtbot.mouseClick(closing.action_button, Qt.MouseButton.LeftButton)
    compose = window.compose_view
    assert window.stack.currentWidget() is compose
    qtbot.waitUntil(lambda: compose_ready(window, role_id))
    assert compose.recipients == [ed, fay]
    assert compose.templates[compose.template_list.currentRow()].purpose == "role_closed"
    window.services.log_interaction(ed, "email", "outbound", "closed", datetime.utcnow())
    window.sidebar.setCurrentItem(window.opportunities_item)
    qtbot.waitUntil(
        lambda: (c := card(view, "Fay Fuser")) is not None and c.stage == "not_selected"
    )
    qtbot.waitUntil(lambda: card(view, "Ed Etcher").owed is None)  # type: ignore[union-attr]
    assert card(view, "Fay Fuser").owed == "closing"  # type: ignore[union-attr]
    assert card(view, "Gil Gaffer").stage == "sourced"  # type: ignore[union-attr]
    assert not view.close_button.isEnabled()


def test_silver_medalists_come_first_and_people_can_be_added_from_a_people_selection(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window()
    services = window.services
    hal = person(window, "Hal", "Hopeful", title="Glassblower")
    ivy = person(window, "Ivy", "Insider", title="Glassblower")
    old = services.save_opportunity(None, _fields("Senior Glassblower"))
    services.move_candidacy(hal, old, "offer")
    services.move_candidacy(hal, old, "not_selected", "timing", "ours")
    view = open_view(qtbot, window)
    make_role(qtbot, view, "Glassblower")
    new = view.current_role().id  # type: ignore[union-attr]
    qtbot.mouseClick(view.matches_button, Qt.MouseButton.LeftButton)
    matches = dialog(qtbot, view, "matchesDialog")
    texts = [matches.list.item(i).text() for i in range(matches.list.count())]  # type: ignore[attr-defined]
    assert texts[0].startswith("Came close before (1)")
    assert texts[1].startswith("★ Hal Hopeful — reached offer for Senior Glassblower")
    assert "our choice: timing" in texts[1]
    assert not any(t.startswith("Hal Hopeful") for t in texts[2:])
    matches.close()  # type: ignore[attr-defined]

    # People → select Ivy → Actions → Add to role…
    window.show_people()
    window.people_view.select_person(ivy)
    qtbot.waitUntil(lambda: window.people_view.selected_ids() == [ivy])
    window.people_view.add_selection_to_role()
    from recruiter_desk.ui.views.pipeline_dialogs import AddToRoleDialog

    qtbot.waitUntil(lambda: window.people_view.findChild(AddToRoleDialog) is not None)
    chooser = window.people_view.findChild(AddToRoleDialog)
    chooser.role.setCurrentIndex(chooser.role.findData(new))
    chooser.accept()
    qtbot.waitUntil(lambda: not window.executor.is_busy)
    assert [c.person_id for c in services.pipeline(new).cards] == [ivy]


def _fields(title: str):  # type: ignore[no-untyped-def]
    from recruiter_desk.core.opportunities import OpportunityFields

    return OpportunityFields(title=title, company="Acme", work_mode="remote")


def test_roles_filter_by_status_and_search(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window()
    view = open_view(qtbot, window)
    everyone = len(view.roles)
    view.status_filter.setCurrentIndex(view.status_filter.findData("all"))
    assert view.model.rowCount() == everyone
    first = view.roles[0]
    view.search_box.setText(first.title.split()[-1][:4])
    assert 0 < view.model.rowCount() <= everyone
    assert all(
        first.title.split()[-1][:4].lower() in f"{r.title} {r.company} {r.location}".lower()
        for r in view.model.rows
    )
    view.search_box.setText("zzzz-nothing")
    assert view.model.rowCount() == 0
    assert view.empty_board.isVisibleTo(view)
