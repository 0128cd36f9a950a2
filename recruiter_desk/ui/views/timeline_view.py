"""Timeline: every touchpoint, newest first, for the whole network, one person or one
opportunity, with the upcoming follow-ups above it.

Filters (kind, direction, dates, text) narrow the feed in SQL; entries load a page at a
time as the list scrolls. Ctrl+L logs a touch with the shared Log interaction dialog;
entries can be edited (Enter) and deleted (Delete), and a delete can be undone (Ctrl+Z).

Signals: ``touch_logged(person_id)`` after a log, edit, delete or undo, so Today, People
and the counts refresh; ``person_requested(id)`` to open someone in People.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from html import escape

from PySide6.QtCore import QDate, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from recruiter_desk.core.followups import FollowUpRow
from recruiter_desk.core.opportunities import PersonCard
from recruiter_desk.core.services import Services
from recruiter_desk.core.timeline import (
    ENTRY_KINDS,
    InteractionDraft,
    TimelineEntry,
    TimelineQuery,
    short_day,
)
from recruiter_desk.core.vocabulary import DIRECTIONS
from recruiter_desk.ui.delegates.timeline_delegate import KIND_TEXT, TimelineDelegate
from recruiter_desk.ui.executor import Executor
from recruiter_desk.ui.models.timeline_model import TimelineModel
from recruiter_desk.ui.style import named
from recruiter_desk.ui.views.today_view import log_touch

SEARCH_DEBOUNCE_MS = 250
DIRECTION_LABELS = {"outbound": "You → them", "inbound": "Them → you", "internal": "Internal"}


class TimelineView(QWidget):
    touch_logged = Signal(int)
    person_requested = Signal(int)

    def __init__(
        self, services: Services, executor: Executor, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("timelineView")
        self._services = services
        self._executor = executor
        self._scope_name = ""
        self._deleted: InteractionDraft | None = None
        self._started = False
        self._stale = False  # changed while hidden: read again when shown

        self.scope = named(QLabel("Everyone"), "timelineScope")
        font = self.scope.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.scope.setFont(font)
        self.all_button = named(QToolButton(), "timelineShowAll")
        self.all_button.setText("Show everyone")
        self.all_button.clicked.connect(self.show_all)
        self.kind_filter = named(QComboBox(), "timelineKindFilter")
        self.kind_filter.addItem("Any kind", None)
        for kind in ENTRY_KINDS:
            self.kind_filter.addItem(KIND_TEXT.get(kind, kind), kind)
        self.direction_filter = named(QComboBox(), "timelineDirectionFilter")
        self.direction_filter.addItem("Any direction", None)
        for direction in DIRECTIONS:
            self.direction_filter.addItem(DIRECTION_LABELS[direction], direction)
        self.since_check = named(QCheckBox("From"), "timelineSinceCheck")
        self.since = named(QDateEdit(), "timelineSince")
        self.until_check = named(QCheckBox("to"), "timelineUntilCheck")
        self.until = named(QDateEdit(), "timelineUntil")
        today = services.as_of().day
        for check, edit in ((self.since_check, self.since), (self.until_check, self.until)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(_qdate(today))
            edit.setEnabled(False)
            check.toggled.connect(edit.setEnabled)
            check.toggled.connect(self._filters_changed)
            edit.dateChanged.connect(self._filters_changed)
        self.search_box = named(QLineEdit(), "timelineSearch")
        self.search_box.setPlaceholderText("Search subjects and text (word beginnings)…")
        self.search_box.setClearButtonEnabled(True)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._filters_changed)
        self.search_box.textChanged.connect(self._debounce.start)
        self.kind_filter.currentIndexChanged.connect(self._filters_changed)
        self.direction_filter.currentIndexChanged.connect(self._filters_changed)

        # For one person: how warm, and what they are owed (the rules' own sentences).
        self.about = named(QLabel(""), "timelineAbout")
        self.about.setWordWrap(True)
        self.about.setVisible(False)
        self.upcoming = named(QLabel(""), "timelineUpcoming")
        self.upcoming.setWordWrap(True)
        self.upcoming.setTextFormat(Qt.TextFormat.RichText)

        self.model = TimelineModel(services, executor, self)
        self.model.page_loaded.connect(self._page_loaded)
        self.list = named(QListView(), "timelineList")
        self.list.setModel(self.model)
        self.list.setItemDelegate(TimelineDelegate(self.list))
        self.list.setUniformItemSizes(True)  # see ui/delegates/timeline_delegate.py
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setSpacing(1)
        self.list.activated.connect(self._activated)
        self.list.selectionModel().currentChanged.connect(self._current_changed)
        self.count_label = named(QLabel(""), "timelineCount")

        self.log_button = named(QPushButton("Log interaction… (Ctrl+L)"), "timelineLogButton")
        self.edit_button = named(QPushButton("Edit… (Enter)"), "timelineEditButton")
        self.delete_button = named(QPushButton("Delete"), "timelineDeleteButton")
        self.undo_button = named(QPushButton("Undo delete (Ctrl+Z)"), "timelineUndoButton")
        self.open_button = named(QPushButton("Open person"), "timelineOpenButton")
        self.log_button.clicked.connect(self.log_selected)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.undo_button.clicked.connect(self.undo_delete)
        self.open_button.clicked.connect(self.open_selected)
        self.undo_button.setVisible(False)
        for key, slot in (
            ("Ctrl+L", self.log_selected),
            (QKeySequence.StandardKey.Delete, self.delete_selected),
            (QKeySequence.StandardKey.Undo, self.undo_delete),
        ):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

        top = QHBoxLayout()
        top.addWidget(self.scope)
        top.addWidget(self.all_button)
        top.addStretch(1)
        top.addWidget(self.count_label)
        filters = QHBoxLayout()
        filters.addWidget(self.search_box, 2)
        filters.addWidget(self.kind_filter)
        filters.addWidget(self.direction_filter)
        filters.addWidget(self.since_check)
        filters.addWidget(self.since)
        filters.addWidget(self.until_check)
        filters.addWidget(self.until)
        actions = QHBoxLayout()
        for button in (
            self.log_button,
            self.edit_button,
            self.delete_button,
            self.undo_button,
            self.open_button,
        ):
            actions.addWidget(button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.about)
        layout.addWidget(self.upcoming)
        layout.addWidget(self.list, 1)
        layout.addLayout(actions)
        self._scope = TimelineQuery()
        self._update_buttons()
        self.all_button.setVisible(False)

    # -- scope and filters ---------------------------------------------------------------

    def load(self) -> None:
        """Load the feed the first time the view is shown (later: refresh())."""
        if not self._started:
            self._started = True
            self._apply()

    def show_all(self) -> None:
        self._set_scope(TimelineQuery(), "Everyone")

    def show_person(self, person_id: int, name: str | None = None) -> None:
        # Started: showing the view meanwhile must not read everyone's feed first.
        self._started = True
        if name is None:
            self._executor.submit(
                lambda: self._services.person_name(person_id),
                lambda found: self.show_person(person_id, found),
            )
            return
        self._set_scope(TimelineQuery(person_id=person_id), name)

    def show_opportunity(self, opportunity_id: int, title: str) -> None:
        self._set_scope(TimelineQuery(opportunity_id=opportunity_id), f"Role: {title}")

    def _set_scope(self, scope: TimelineQuery, name: str) -> None:
        self._scope = scope
        self._scope_name = name
        self.scope.setText(name)
        self.all_button.setVisible(scope != TimelineQuery())
        self._started = True
        self._apply()

    def current_query(self) -> TimelineQuery:
        since = self.since.date().toPython() if self.since_check.isChecked() else None
        until = self.until.date().toPython() if self.until_check.isChecked() else None
        assert since is None or isinstance(since, date)
        assert until is None or isinstance(until, date)
        if since and until and since > until:
            since, until = until, since
        return replace(
            self._scope,
            kind=self.kind_filter.currentData(),
            direction=self.direction_filter.currentData(),
            since=since,
            until=until,
            text=self.search_box.text().strip() or None,
        )

    def _filters_changed(self) -> None:
        if self._started:
            self._apply()

    def _apply(self) -> None:
        self._stale = False
        self.count_label.setText("Loading…")
        self.model.set_query(self.current_query())
        person_id = self._scope.person_id
        self.about.setVisible(person_id is not None)
        if person_id is not None:
            self._executor.submit(lambda: self._services.person_card(person_id), self._show_about)
        if self._scope.opportunity_id is None:
            self._executor.submit(
                lambda: self._services.upcoming_follow_ups(person_id), self._show_upcoming
            )
        else:
            self.upcoming.setText("")

    def refresh(self) -> None:
        """The feed again after a change: at once when on screen, else when next shown
        (a hidden feed read after each touch delayed the views the recruiter looks at)."""
        if not self._started:
            return
        if self.isVisible():
            self._apply()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._apply()

    def _show_about(self, card: PersonCard) -> None:
        if card.person.id != self._scope.person_id:
            return  # the scope changed meanwhile
        lines = [card.warmth.sentence, *(o.describe(self._services.as_of()) for o in card.owed)]
        self.about.setText("  ·  ".join(lines))

    def _show_upcoming(self, rows: list[FollowUpRow]) -> None:
        if not rows:
            self.upcoming.setText("No follow-ups planned.")
            return
        today = self._services.as_of().day
        lines = []
        for row in rows:
            late = (today - row.due_on).days
            when = (
                f"overdue since {short_day(row.due_on)}"
                if late > 0
                else "due today"
                if late == 0
                else f"due {short_day(row.due_on)}"
            )
            who = "" if self._scope.person_id else f"<b>{escape(row.full_name)}</b>: "
            lines.append(f"• {who}{escape(row.reason or 'follow up')} — {when}")
        self.upcoming.setText("<b>Open follow-ups</b>, oldest first<br>" + "<br>".join(lines))

    def _page_loaded(self, count: int) -> None:
        more = "" if self.model.is_complete else "+"
        self.count_label.setText(
            "Nothing here yet" if count == 0 else f"{count:,}{more} entries, newest first"
        )
        if self.list.currentIndex().row() < 0 and count:
            self.list.setCurrentIndex(self.model.index(0, 0))

    # -- entries -------------------------------------------------------------------------

    def selected_entry(self) -> TimelineEntry | None:
        return self.model.entry(self.list.currentIndex().row())

    def _current_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_buttons()

    def _update_buttons(self) -> None:
        entry = self.selected_entry()
        editable = entry is not None and entry.editable
        self.edit_button.setEnabled(editable)
        self.delete_button.setEnabled(editable)
        self.open_button.setEnabled(entry is not None and entry.person_id is not None)
        self.log_button.setEnabled(self._log_target() is not None)

    def _log_target(self) -> tuple[int, str] | None:
        if self._scope.person_id is not None:
            return self._scope.person_id, self._scope_name
        entry = self.selected_entry()
        if entry is not None and entry.person_id is not None:
            return entry.person_id, entry.person_name
        return None

    def _activated(self, _index: QModelIndex) -> None:
        self.edit_selected()

    def log_selected(self) -> None:
        target = self._log_target()
        if target is None:
            return
        log_touch(self, self._services, self._executor, target[0], target[1], self._changed)

    def open_selected(self) -> None:
        entry = self.selected_entry()
        if entry is not None and entry.person_id is not None:
            self.person_requested.emit(entry.person_id)

    def edit_selected(self) -> None:
        entry = self.selected_entry()
        if entry is None or not entry.editable:
            return
        self._executor.submit(
            lambda: self._services.read_interaction(entry.id),
            lambda draft: self._edit(entry, draft),
        )

    def _edit(self, entry: TimelineEntry, draft: InteractionDraft) -> None:
        from recruiter_desk.ui.dialogs.small_dialogs import LogInteractionDialog

        dialog = LogInteractionDialog(entry.person_name, self, zone=self._services.as_of().zone)
        dialog.setWindowTitle(f"Edit a touchpoint with {entry.person_name}")
        dialog.kind.setCurrentText(draft.kind)
        dialog.direction.setCurrentText(draft.direction)
        dialog.show_time(draft.occurred_at)
        dialog.subject.setText(draft.subject)
        if not dialog.exec():
            return
        values = replace(
            draft,
            kind=dialog.kind.currentText(),
            direction=dialog.direction.currentText(),
            occurred_at=dialog.occurred_at(),
            subject=dialog.subject.text(),
        )
        self._executor.submit(
            lambda: self._services.update_interaction(entry.id, values),
            lambda _r: self._changed(draft.person_id),
        )

    def delete_selected(self, confirm: bool = True) -> None:
        entry = self.selected_entry()
        if entry is None or not entry.editable:
            return
        if confirm:
            answer = QMessageBox.question(
                self,
                "Delete",
                f"Delete this {KIND_TEXT.get(entry.kind, entry.kind).lower()} with "
                f"{entry.person_name}? Ctrl+Z brings it back.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._executor.submit(
            lambda: self._services.delete_interaction(entry.id), self._deleted_one
        )

    def _deleted_one(self, draft: InteractionDraft) -> None:
        self._deleted = draft
        self.undo_button.setVisible(True)
        self._changed(draft.person_id)

    def undo_delete(self) -> None:
        draft = self._deleted
        if draft is None:
            return
        self._deleted = None
        self.undo_button.setVisible(False)
        self._executor.submit(
            lambda: self._services.restore_interaction(draft),
            lambda _id: self._changed(draft.person_id),
        )

    @property
    def can_undo(self) -> bool:
        return self._deleted is not None

    def _changed(self, person_id: int) -> None:
        # The window refreshes the feed, Today and People (MainWindow._touched_from_day_views).
        self.touch_logged.emit(person_id)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)
