"""The window's actions read only what they need (issue 15) and show what they showed
before: the person panel in one read, the counts after a one-person change without
counting everyone, Today and the timeline read once after a touch, a person's timeline
without everyone's first. On the fixed network of tests/core/test_today_timeline.py."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from recruiter_desk.core.privacy import describe_basis
from recruiter_desk.core.services import Counts, CountShare, PersonPanelView, Services
from recruiter_desk.core.today import Today
from recruiter_desk.db.open import open_database
from recruiter_desk.ui.main_window import MainWindow
from recruiter_desk.ui.views.today_view import SHOWN_PER_SECTION, STALE_AFTER_IDLE_MS, TodayView
from tests.core.test_today_timeline import Network
from tests.ui import test_today_timeline_window as day_views

# The fixed network, its window and the pinned clock, as tests/ui/test_today_timeline_window.py
# makes them.
pinned_clock = day_views.pinned_clock
open_on = day_views.open_on
network_file = day_views.network_file
network = day_views.network
window = day_views.window
fill_log_dialog = day_views.fill_log_dialog


def calls_of(
    monkeypatch: pytest.MonkeyPatch, name: str, only: Services | None = None
) -> list[tuple[Any, ...]]:
    """Every call of ``Services.<name>`` from now on (on ``only``, when given), by its
    arguments."""
    seen: list[tuple[Any, ...]] = []
    original = getattr(Services, name)

    def counted(self: Services, *args: Any, **kwargs: Any) -> Any:
        if only is None or self is only:
            seen.append(args)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Services, name, counted)
    return seen


def people_ids(network: Network) -> list[int]:
    return [network.ana, network.dora, network.carl, network.cleo, network.fred, network.omar]


def test_the_panels_one_read_gives_what_the_separate_reads_gave(
    window: MainWindow, network: Network
) -> None:
    services = window.services
    for person_id in people_ids(network):
        assert services.person_panel(person_id) == PersonPanelView(
            fields=services.person_fields(person_id),
            card=services.person_card(person_id),
            history=services.recent_interactions(person_id),
            latest_mail=services.latest_mail(person_id),
            lawful_basis=services.lawful_basis(person_id),
        )


def test_selecting_a_person_fills_the_whole_panel_from_one_read(
    qtbot: QtBot, window: MainWindow, network: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = calls_of(monkeypatch, "person_panel")
    window.show_people()
    panel = window.people_view.panel
    window.people_view.select_person(network.ana)
    qtbot.waitUntil(lambda: panel.name_shown(network.ana) is not None, timeout=5000)
    assert reads == [(network.ana,)]
    services = window.services
    card = services.person_card(network.ana)
    assert panel.heading.text() == "Ana Test"
    assert card.warmth.sentence in panel.warmth.text()
    assert panel.owed.isVisible()
    assert panel.owed.text().startswith("You owe Ana Test a reply")
    history = [panel.history.item(i).text() for i in range(panel.history.count())]
    assert history == services.recent_interactions(network.ana)
    mail = services.latest_mail(network.ana)
    assert panel.latest_mail.isVisible() is (mail is not None)
    basis = describe_basis(services.lawful_basis(network.ana))
    assert panel.lawful_basis.label.text() == basis[0].upper() + basis[1:]
    assert panel.first_name.text() == "Ana" and panel.first_name.isEnabled()


def counted_afresh(path: Path, window: MainWindow) -> str:
    """The status bar's text from counting everyone, in a Services of its own."""
    database = open_database(str(path), daily_backup=False)
    try:
        counts = Services(database, window.services.settings, window.services.paths).counts()
    finally:
        database.close()
    return f"{counts.people:,} people  ·  {counts.cold:,} cold  ·  {counts.owed:,} owed a message"


def test_the_counts_follow_one_person_changes_as_counting_everyone_would(
    qtbot: QtBot,
    window: MainWindow,
    network: Network,
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    qtbot.waitUntil(lambda: window._counts is not None, timeout=5000)
    assert window._counts != Counts(0, 0, 0)
    full_counts = calls_of(monkeypatch, "counts", window.services)
    window.show_people()
    panel = window.people_view.panel

    def settled() -> None:
        expected = counted_afresh(db_path, window)
        qtbot.waitUntil(
            lambda: not window.executor.is_busy and window.counts_label.text() == expected,
            timeout=5000,
        )

    def log(person_id: int, direction: str, subject: str) -> None:
        fill_log_dialog(monkeypatch, "email", direction, subject, "2026-11-25T09:00:00")
        window.log_interaction(person_id)
        qtbot.waitUntil(lambda: not window.executor.is_busy, timeout=5000)

    before = window.counts_label.text()
    log(network.cleo, "outbound", "Catching up")  # cold → warm
    settled()
    assert window.counts_label.text() != before
    log(network.ana, "outbound", "Re: About the role?")  # owed → answered
    settled()
    log(network.omar, "inbound", "A question")  # now owed a reply
    settled()
    # A save that makes someone cold: a cadence far shorter than their last touch.
    window.people_view.select_person(network.carl)
    qtbot.waitUntil(lambda: panel.name_shown(network.carl) is not None, timeout=5000)
    panel.cadence.setValue(1)
    panel.save()
    qtbot.waitUntil(lambda: panel.name_shown(network.carl) is not None, timeout=5000)
    settled()
    before = window.counts_label.text()
    qtbot.wait(50)  # nothing else comes to change it
    assert window.counts_label.text() == before
    assert full_counts == []  # each change was counted alone


def test_a_count_of_everyone_between_a_write_and_its_change_is_not_added_twice(
    window: MainWindow, network: Network
) -> None:
    services = window.services
    services.log_interaction(network.cleo, "email", "outbound", "Hello", datetime(2026, 11, 25, 9))
    counts = services.counts()  # the touch is in it
    assert services.touch_change(network.cleo) is None  # so: count again, not add
    services.log_interaction(network.cleo, "email", "outbound", "Again", datetime(2026, 11, 25, 10))
    change = services.touch_change(network.cleo)
    assert change is not None and counts.plus(change.counts) == services.counts()


def test_the_panel_read_after_a_touch_gives_the_change_without_reading_the_person_again(
    window: MainWindow, network: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = window.services
    services.log_interaction(network.cleo, "email", "outbound", "Hello", datetime(2026, 11, 25, 9))
    alone = services.touch_change(network.cleo)
    services.log_interaction(network.cleo, "email", "outbound", "Again", datetime(2026, 11, 25, 10))
    services.person_panel(network.cleo)  # what the window reads first after a touch
    parts = calls_of(monkeypatch, "_part")
    change = services.touch_change(network.cleo)
    assert parts == []  # what the panel read is used
    assert alone is not None and change is not None
    assert change.after == alone.after and change.counts == CountShare(0, 0, 0)  # warm already
    # A write after the panel read: its part is out of date, read again.
    services.log_interaction(network.cleo, "email", "outbound", "More", datetime(2026, 11, 25, 11))
    services.person_panel(network.cleo)
    services.log_interaction(network.cleo, "call", "inbound", "Back", datetime(2026, 11, 25, 12))
    parts.clear()
    assert services.touch_change(network.cleo) is not None
    assert len(parts) == 1


def read_afresh(window: MainWindow) -> Today:
    """Today as the view reads it, in full (what the splice must equal, or be replaced by),
    read aside from the Services calls the tests count."""
    from recruiter_desk.core.today import today

    services = window.services
    with services.database.connect() as connection:
        return today(
            connection,
            services.as_of(),
            services.settings,
            services.policy,
            limit=SHOWN_PER_SECTION,
        )


def shown_rows(view: TodayView) -> list[tuple[str, str]]:
    return [(row.text(0), row.text(1)) for row in view._rows()]


def test_a_touch_logged_on_today_is_spliced_in_then_read_in_full_in_the_background(
    qtbot: QtBot, window: MainWindow, network: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import Qt

    view = window.today_view
    qtbot.waitUntil(lambda: not window.executor.is_busy, timeout=5000)
    assert window.sidebar.item(0).text() == "Today  2"  # Ana's reply, Fred's follow-up
    reads = calls_of(monkeypatch, "today")
    parts = calls_of(monkeypatch, "touch_change")
    view.tree.setCurrentItem(next(r for r in view._rows() if r.text(0) == "Ana Test"))
    fill_log_dialog(monkeypatch, "email", "outbound", "Re: About the role?", "2026-11-25T09:00:00")
    view.setFocus()
    qtbot.keyClick(view.tree, Qt.Key.Key_L)
    # Her reply is gone at once, and the counts with it: from her part, not a full read.
    qtbot.waitUntil(lambda: view.items_in("owed") == [], timeout=5000)
    assert reads == [] and parts == [(network.ana,)]
    assert window.sidebar.item(0).text() == "Today  1"
    assert "owed" not in view.summary.text()
    assert view.today == read_afresh(window)  # what a full read gives (an exact splice)
    assert view.selected_item() is not None  # the next item to work on
    selected, painted = view.selected_item(), shown_rows(view)
    # Then the whole queue in the background, once, which changes nothing on screen.
    qtbot.waitUntil(lambda: len(reads) == 1 and not window.executor.is_busy, timeout=5000)
    assert shown_rows(view) == painted and view.selected_item() == selected
    assert window.sidebar.item(0).text() == "Today  1"
    qtbot.wait(STALE_AFTER_IDLE_MS * 2)
    assert len(reads) == 1


def test_a_follow_up_done_on_today_is_spliced_out_without_counting_everyone(
    qtbot: QtBot, window: MainWindow, network: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = window.today_view
    qtbot.waitUntil(lambda: not window.executor.is_busy, timeout=5000)
    counted = window.counts_label.text()
    reads = calls_of(monkeypatch, "today")
    counts = calls_of(monkeypatch, "counts")
    view.tree.setCurrentItem(next(r for r in view._rows() if r.text(0) == "Fred Test"))
    view.done_selected()
    qtbot.waitUntil(lambda: view.items_in("follow_ups") == [], timeout=5000)
    assert reads == [] and counts == []
    assert window.sidebar.item(0).text() == "Today  1"  # Ana's reply
    assert view.today == read_afresh(window)
    assert window.counts_label.text() == counted  # Fred was warm and owed nothing
    qtbot.waitUntil(lambda: len(reads) == 1 and not window.executor.is_busy, timeout=5000)
    assert counts == []


def test_a_queue_read_between_a_write_and_its_splice_is_not_changed_by_it_again(
    qtbot: QtBot, window: MainWindow, network: Network
) -> None:
    view = window.today_view
    qtbot.waitUntil(lambda: not window.executor.is_busy, timeout=5000)
    assert view.today is not None and view.today.totals["follow_ups"] == 1
    view.tree.setCurrentItem(next(r for r in view._rows() if r.text(0) == "Fred Test"))
    view.done_selected()  # the write is on its way...
    view.load()  # ...and a full read after it (People changed, Today shown again)
    qtbot.waitUntil(lambda: not window.executor.is_busy, timeout=5000)
    # That read has the follow-up done: its splice must not take it off a second time.
    assert view.today == read_afresh(window)
    assert view.today.totals["follow_ups"] == 0
    assert window.sidebar.item(0).text() == "Today  1"  # Ana's reply
    assert "-1" not in view.summary.text()


def test_a_touch_on_a_cold_person_drops_them_at_once_and_the_full_read_completes_today(
    qtbot: QtBot, window: MainWindow, network: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = window.today_view
    qtbot.waitUntil(lambda: not window.executor.is_busy, timeout=5000)
    assert [i.person_id for i in view.items_in("cold")] == [network.cleo]
    reads = calls_of(monkeypatch, "today")
    view.tree.setCurrentItem(next(r for r in view._rows() if r.text(0) == "Cleo Test"))
    fill_log_dialog(monkeypatch, "call", "outbound", "Catching up", "2026-11-25T09:00:00")
    view.log_selected()
    # Gone cold is chosen among everyone: her place is known to be empty, not who takes
    # it; she is gone at once, and the full read in the background says the rest.
    qtbot.waitUntil(lambda: view.items_in("cold") == [], timeout=5000)
    assert reads == []
    qtbot.waitUntil(lambda: len(reads) == 1 and not window.executor.is_busy, timeout=5000)
    assert view.today == read_afresh(window)
    assert [i.person_id for i in view.items_in("cold")] == []


def test_a_touch_in_people_splices_the_hidden_today_after_the_panel_list_and_counts(
    qtbot: QtBot, window: MainWindow, network: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.show_people()
    qtbot.waitUntil(lambda: not window.executor.is_busy, timeout=5000)
    model = window.people_view.model
    order: list[str] = []
    for name in ("person_panel", "people_ids", "people_rows", "touch_change", "counts", "today"):
        original = getattr(Services, name)

        def traced(
            self: Services, *args: Any, _o: Any = original, _n: str = name, **kw: Any
        ) -> Any:
            order.append(_n)
            return _o(self, *args, **kw)

        monkeypatch.setattr(Services, name, traced)
    fill_log_dialog(monkeypatch, "email", "outbound", "Re: About the role?", "2026-11-25T09:00:00")
    window.log_interaction(network.ana)
    # Today is not on screen: her part of it is spliced in with the counts, from one read.
    qtbot.waitUntil(lambda: window.today_view.items_in("owed") == [], timeout=5000)
    # The list by name cannot change with a touch: her row alone is read again.
    assert order == ["person_panel", "people_rows", "touch_change"]
    row = model.row(model.row_of(network.ana) or 0)
    assert row is not None and row.id == network.ana and row.last_touch == date(2026, 11, 25)
    assert window.sidebar.item(0).text() == "Today  1"
    assert window.today_view.today == read_afresh(window)
    # The full read comes once the worker has rested; shown after it, not read again.
    qtbot.waitUntil(lambda: "today" in order and not window.executor.is_busy, timeout=5000)
    window.show_view("Today")
    qtbot.wait(STALE_AFTER_IDLE_MS * 2)
    assert order.count("today") == 1 and "counts" not in order


def test_ctrl_t_reads_that_persons_timeline_and_not_everyones_first(
    qtbot: QtBot, window: MainWindow, network: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = calls_of(monkeypatch, "timeline_page")
    names = calls_of(monkeypatch, "person_name")
    window.show_people()
    panel = window.people_view.panel
    window.people_view.select_person(network.ana)
    qtbot.waitUntil(lambda: panel.name_shown(network.ana) is not None, timeout=5000)
    assert window._timeline_view is None  # its first use
    window.timeline_of_selection()
    view = window.timeline_view
    assert window.stack.currentWidget() is view
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=5000)
    qtbot.waitUntil(lambda: not window.executor.is_busy, timeout=5000)
    assert view.scope.text() == "Ana Test"
    assert [args[0].person_id for args in pages] == [network.ana]
    assert names == []  # the panel's name was used
    entries = [view.model.entry(row) for row in range(view.model.rowCount())]
    assert {e.person_id for e in entries if e is not None} == {network.ana}


def test_the_timeline_from_today_names_the_person_and_reads_only_theirs(
    qtbot: QtBot, window: MainWindow, network: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = calls_of(monkeypatch, "timeline_page")
    view = window.today_view
    view.tree.setCurrentItem(next(r for r in view._rows() if r.text(0) == "Ana Test"))
    view.timeline_selected()
    timeline = window.timeline_view
    qtbot.waitUntil(lambda: timeline.model.rowCount() > 0, timeout=5000)
    qtbot.waitUntil(lambda: not window.executor.is_busy, timeout=5000)
    assert timeline.scope.text() == "Ana Test"
    assert [args[0].person_id for args in pages] == [network.ana]


def test_a_touch_logged_on_a_timeline_reads_it_again_once(
    qtbot: QtBot, window: MainWindow, network: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.open_timeline(network.ana)
    timeline = window.timeline_view
    qtbot.waitUntil(lambda: timeline.model.rowCount() > 0, timeout=5000)
    qtbot.waitUntil(lambda: not window.executor.is_busy, timeout=5000)
    shown = timeline.model.rowCount()
    pages = calls_of(monkeypatch, "timeline_page")
    fill_log_dialog(monkeypatch, "call", "outbound", "Rang her", "2026-11-25T10:00:00")
    timeline.log_selected()
    qtbot.waitUntil(lambda: timeline.model.rowCount() == shown + 1, timeout=5000)
    qtbot.waitUntil(lambda: not window.executor.is_busy, timeout=5000)
    assert len(pages) == 1


def test_views_built_ahead_read_nothing_until_shown_and_then_show_as_before(
    qtbot: QtBot, window: MainWindow, network: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    qtbot.waitUntil(lambda: not window.executor.is_busy, timeout=5000)
    pages = calls_of(monkeypatch, "timeline_page")
    templates = calls_of(monkeypatch, "templates")
    roles = calls_of(monkeypatch, "opportunities")
    window.prepare_views_when_idle()
    qtbot.waitUntil(lambda: not window._views_to_prepare, timeout=5000)
    assert window._timeline_view is not None and window._compose_view is not None
    assert window.opportunities_view is not None
    assert window.stack.currentWidget() is window.today_view  # nothing else was shown
    assert (pages, templates, roles) == ([], [], [])  # and nothing read
    window.sidebar.setCurrentRow(window._sidebar_row("Timeline"))
    assert window.stack.currentWidget() is window.timeline_view
    qtbot.waitUntil(lambda: window.timeline_view.model.rowCount() > 0, timeout=5000)
    assert [args[0].person_id for args in pages] == [None]  # everyone's, as before
    window.sidebar.setCurrentItem(window.compose_item)
    assert window.stack.currentWidget() is window.compose_view
    qtbot.waitUntil(lambda: bool(window.compose_view.templates), timeout=5000)
    window.sidebar.setCurrentItem(window.opportunities_item)
    assert window.stack.currentWidget() is window.opportunities_view
    qtbot.waitUntil(lambda: len(roles) == 1 and not window.executor.is_busy, timeout=5000)


def test_today_changed_while_hidden_is_read_when_shown_if_the_worker_never_rested(
    qtbot: QtBot, window: MainWindow, network: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.show_people()
    qtbot.waitUntil(lambda: not window.executor.is_busy, timeout=5000)
    reads = calls_of(monkeypatch, "today")
    monkeypatch.setattr(type(window.executor), "is_busy", property(lambda _self: True))
    window.refresh_day_views()
    qtbot.wait(100)  # the worker "never rests": the hidden queue waits
    assert reads == []
    window.show_view("Today")
    qtbot.waitUntil(lambda: len(reads) == 1, timeout=5000)


def test_the_timelines_open_follow_ups_are_the_first_of_the_whole_list(
    window: MainWindow, network: Network
) -> None:
    from datetime import date

    from recruiter_desk.core.followups import add_follow_up, list_follow_ups
    from recruiter_desk.core.timeline import upcoming_follow_ups

    services = window.services
    with services.database.session() as session:
        # Eight more, due on days before and after Fred's, two on the same day.
        for index, person_id in enumerate([*people_ids(network), network.sam, network.fred]):
            due = date(2026, 11, 20 + index % 6)
            add_follow_up(session, person_id, due, f"Reason {index}", datetime(2026, 11, 19))
    with services.database.connect() as connection:
        everyone = list_follow_ups(connection, services.as_of())
        assert len(everyone) == 9
        for limit in (1, 2, 5):
            assert (
                upcoming_follow_ups(connection, services.as_of(), limit=limit) == (everyone[:limit])
            )
        fred = list_follow_ups(connection, services.as_of(), person_id=network.fred)
        assert upcoming_follow_ups(connection, services.as_of(), network.fred) == fred[:5]


def test_a_touch_in_a_list_filtered_by_warmth_reads_the_list_again(
    qtbot: QtBot, window: MainWindow, network: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = window.people_view
    window.show_people()
    view.status_filter.setCurrentIndex(view.status_filter.findData("cold"))
    view.apply_filters()
    qtbot.waitUntil(
        lambda: network.cleo in view.model.ids and not window.executor.is_busy, timeout=5000
    )
    lists = calls_of(monkeypatch, "people_ids")
    fill_log_dialog(monkeypatch, "call", "outbound", "Catching up", "2026-11-25T09:00:00")
    window.log_interaction(network.cleo)
    # Warm now: out of the Cold list, which only the list read again can say.
    qtbot.waitUntil(lambda: network.cleo not in view.model.ids, timeout=5000)
    assert len(lists) == 1


def save_in_panel(qtbot: QtBot, window: MainWindow, person_id: int, **values: str) -> None:
    """Open ``person_id`` in People, type ``values`` into the panel's fields, save, and wait
    for everything after the save."""
    panel = window.people_view.panel
    window.people_view.select_person(person_id)
    qtbot.waitUntil(lambda: panel.name_shown(person_id) is not None, timeout=5000)
    for field, text in values.items():
        getattr(panel, field).setText(text)
    panel.save()
    qtbot.waitUntil(
        lambda: not panel.has_unsaved_edits() and not window.executor.is_busy, timeout=5000
    )


def test_a_save_that_moves_nobody_reads_that_row_alone_and_one_that_does_the_list(
    qtbot: QtBot, window: MainWindow, network: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.show_people()
    view = window.people_view
    model = view.model
    qtbot.waitUntil(lambda: not window.executor.is_busy, timeout=5000)
    lists = calls_of(monkeypatch, "people_ids")
    tags = calls_of(monkeypatch, "tags")
    # By name, a new title moves nobody: her row shows it, the list is not read again.
    save_in_panel(qtbot, window, network.ana, title="Head of Data")
    row = model.row(model.row_of(network.ana) or 0)
    assert row is not None and row.id == network.ana and row.title == "Head of Data"
    assert lists == [] and tags == []
    # A new surname moves her in the order: the whole list, with her in her new place.
    save_in_panel(qtbot, window, network.ana, last_name="Zzyzx")
    assert len(lists) == 1
    assert model.ids[-1] == network.ana
    # Sorted by title, the title is what orders the list.
    view.table.sortByColumn(model_column(model, "Title"), Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: model.query.sort == "title" and not window.executor.is_busy)
    lists.clear()
    save_in_panel(qtbot, window, network.ana, title="Aaa")
    assert len(lists) == 1
    assert model.ids == window.services.people_ids(model.query)  # the list as read afresh
    # A new tag is a new choice in the tag filter; filtering by it, taking it off her
    # takes her out of the list.
    save_in_panel(qtbot, window, network.ana, tags="vip")
    assert len(tags) == 1 and view.tag_filter.findData("vip") >= 0
    view.tag_filter.setCurrentIndex(view.tag_filter.findData("vip"))
    view.apply_filters()
    qtbot.waitUntil(lambda: model.ids == [network.ana] and not window.executor.is_busy)
    save_in_panel(qtbot, window, network.ana, tags="")
    assert model.ids == []


def model_column(model: Any, title: str) -> int:
    from PySide6.QtCore import Qt as QtCore

    return next(
        c
        for c in range(model.columnCount())
        if model.headerData(c, QtCore.Orientation.Horizontal) == title
    )


def test_todays_background_read_waits_for_a_rest_after_the_last_work(
    qtbot: QtBot, window: MainWindow, network: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    view = window.today_view
    qtbot.waitUntil(lambda: not window.executor.is_busy, timeout=5000)
    reads = calls_of(monkeypatch, "today")
    view._stale = True
    # A rest asked for earlier ends while the worker has just worked: not yet.
    view._idle_since = time.monotonic() - STALE_AFTER_IDLE_MS / 1000 / 2
    view._load_if_stale()
    qtbot.waitUntil(lambda: not window.executor.is_busy, timeout=5000)
    assert reads == []
    view._idle_since = time.monotonic() - STALE_AFTER_IDLE_MS / 1000 * 2
    view._load_if_stale()
    qtbot.waitUntil(lambda: len(reads) == 1, timeout=5000)


def test_a_touch_deleted_and_restored_on_the_timeline_is_spliced_in_and_out(
    qtbot: QtBot, window: MainWindow, network: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    qtbot.waitUntil(lambda: window._counts is not None, timeout=5000)
    window.open_timeline(network.ana)
    timeline, today = window.timeline_view, window.today_view
    model = timeline.model
    qtbot.waitUntil(lambda: model.rowCount() == 2 and not window.executor.is_busy, timeout=5000)
    owed_before = window.counts_label.text()
    reads = calls_of(monkeypatch, "today")
    counts = calls_of(monkeypatch, "counts")
    timeline.list.setCurrentIndex(model.index(0, 0))
    assert model.entry(0).subject == "About the role?"
    timeline.delete_selected(confirm=False)
    # Without her message nobody is owed a reply: from her part, not a full read.
    qtbot.waitUntil(lambda: today.items_in("owed") == [], timeout=5000)
    assert reads == [] and counts == []
    assert window.sidebar.item(0).text() == "Today  1"
    assert window.counts_label.text().endswith("0 owed a message")
    assert today.today == read_afresh(window)
    timeline.undo_delete()
    qtbot.waitUntil(lambda: len(today.items_in("owed")) == 1, timeout=5000)
    assert counts == [] and window.counts_label.text() == owed_before
    assert window.sidebar.item(0).text() == "Today  2"
    qtbot.waitUntil(lambda: not window.executor.is_busy, timeout=5000)
    assert today.today == read_afresh(window)


def test_todays_repaints_after_a_touch_keep_the_scroll_position_and_the_next_row(
    qtbot: QtBot, window: MainWindow, network: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = window.today_view
    qtbot.waitUntil(lambda: not window.executor.is_busy, timeout=5000)
    view.tree.setFixedHeight(90)  # a few rows on screen: the list scrolls
    qtbot.waitUntil(lambda: view.tree.verticalScrollBar().maximum() > 2, timeout=5000)
    reads = calls_of(monkeypatch, "today")
    rows = [r for r in view._rows() if r.text(0) in ("Fred Test", "Cleo Test")]
    view.tree.setCurrentItem(rows[0])  # Fred's follow-up, then Cleo gone cold after it
    bar = view.tree.verticalScrollBar()
    bar.setValue(1)
    fill_log_dialog(monkeypatch, "email", "outbound", "Hello", "2026-11-25T09:00:00")
    view.log_selected()
    qtbot.waitUntil(lambda: not window.executor.is_busy and len(reads) == 1, timeout=5000)
    # Fred's follow-up stays (a touch does not do it): his row, where it was, selected.
    assert bar.value() == 1
    selected = view.selected_item()
    assert selected is not None and selected.person_id == network.fred
