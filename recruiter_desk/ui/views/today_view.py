"""Today: the recruiter's queue for the day, one section per reason, each item with its
"why now" and one-key actions (L log a touch, E email, S snooze, Enter open the person,
D done and R reschedule on follow-ups, T the person's timeline).

Signals: ``person_requested(id)`` to open someone in People; ``compose_requested(id,
purpose, opportunity)`` to write to them in Compose; ``timeline_requested(id)``;
``touch_logged(id)`` after anything that changes what Today, People and the counts show;
``today_loaded(today)`` each time the queue arrives.
"""

from __future__ import annotations

import time
from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from recruiter_desk.core.services import Services, TouchChange
from recruiter_desk.core.timeline import long_day
from recruiter_desk.core.today import (
    SECTION_TITLES,
    SECTIONS,
    Today,
    TodayItem,
    splice,
)
from recruiter_desk.core.wording import count
from recruiter_desk.ui.executor import Executor
from recruiter_desk.ui.style import named

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
# A day's queue, not a report: the first few of each section (the heading says how many
# there are; the owed command and the People filters list them all).
SHOWN_PER_SECTION = 12
SECTION_HINTS = {
    "owed": "Never ghost: answer, update or close.",
    "follow_ups": "Promises you made to yourself.",
    "cold": "Past their cadence: a short note keeps the door open.",
    "not_answering": "Several messages with no reply: wait for them rather than nudging again.",
    "snoozes_ending": "You asked to be reminded.",
    "job_changes": "Found by your latest LinkedIn import.",
    "articles": "Something useful to send, to people who have gone quiet.",
}


# How long the worker must have been idle before a queue changed while hidden is read
# again: the People list asks for the rows it paints a moment after its ids arrive, and
# those rows come first.
STALE_AFTER_IDLE_MS = 250


def read_first_screen(services: Services) -> Today | None:
    """What the window opens on: Today's queue, or None on an empty network (the welcome
    panel). One task, read while the window is being built (app.create_main_window)."""
    if services.is_empty():
        return None
    return services.today(limit=SHOWN_PER_SECTION)


def log_touch(
    parent: QWidget,
    services: Services,
    executor: Executor,
    person_id: int,
    name: str,
    done: object,
) -> None:
    """Ask for a touchpoint with the shared Log interaction dialog and record it."""
    from recruiter_desk.ui.dialogs.small_dialogs import LogInteractionDialog

    dialog = LogInteractionDialog(name, parent, zone=services.as_of().zone)
    if not dialog.exec():
        return
    kind, direction = dialog.kind.currentText(), dialog.direction.currentText()
    subject, when = dialog.subject.text(), dialog.occurred_at()
    executor.submit(
        lambda: services.log_interaction(person_id, kind, direction, subject, when),
        lambda _r: done(person_id),  # type: ignore[operator]
    )


class SnoozeDialog(QDialog):
    """Until when, and why: the reason comes back on Today when the snooze ends."""

    def __init__(
        self,
        name: str,
        today: date,
        parent: QWidget | None = None,
        *,
        default_days: int = 30,
        reschedule: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("rescheduleDialog" if reschedule else "snoozeDialog")
        self._today = today
        self.until = named(QDateEdit(), "snoozeUntil")
        self.until.setCalendarPopup(True)
        self.until.setMinimumDate(_qdate(today + timedelta(days=1)))
        self.until.setDate(_qdate(today + timedelta(days=default_days)))
        self.reason = named(QLineEdit(), "snoozeReason")
        self.reason.setPlaceholderText("e.g. not before March: shares vest")
        form = QFormLayout(self)
        if reschedule:
            self.setWindowTitle(f"Reschedule the follow-up with {name}")
            form.addRow("New due date", self.until)
        else:
            self.setWindowTitle(f"Snooze {name}")
            form.addRow(QLabel(f"Keep {name} off the cold list until a day, and say why."))
            form.addRow("Until", self.until)
            form.addRow("Reason", self.reason)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def days(self) -> int:
        chosen = self.until.date().toPython()
        assert isinstance(chosen, date)
        return max(1, (chosen - self._today).days)


class TodayView(QWidget):
    person_requested = Signal(int)
    timeline_requested = Signal(int)
    touch_logged = Signal(int)
    today_loaded = Signal(object)
    compose_requested = Signal(int, str, int)  # person, template purpose or "", role or 0

    def __init__(self, services: Services, executor: Executor, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("todayView")
        self._services = services
        self._executor = executor
        self.today: Today | None = None
        self._loading = False
        self._again = False
        self._stale = False  # a full read is due, once the worker is free
        # A clock of the changes heard of: the first one not on screen (read, not spliced).
        self._tick = 0
        self._behind_since: int | None = None
        # Services.writes when the queue on screen was read: a person's part may be spliced
        # into it only if it was read before their writes (TouchChange.since).
        self._read_writes = 0
        self._idle_since = time.monotonic()
        executor.busy_changed.connect(self._worker_busy)

        self.title = named(QLabel("Today"), "todayTitle")
        title_font = QFont(self.title.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.5)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.summary = named(QLabel(""), "todaySummary")
        self.summary.setWordWrap(True)

        self.tree = named(QTreeWidget(), "todayList")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Who", "Why now"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 230)
        header.setStretchLastSection(True)
        self.tree.itemSelectionChanged.connect(self._selection_changed)
        self.tree.itemActivated.connect(self._activated)

        self.log_button = named(QPushButton("Log touch… (L)"), "todayLogButton")
        self.email_button = named(QPushButton("Write… (E)"), "todayEmailButton")
        self.snooze_button = named(QPushButton("Snooze… (S)"), "todaySnoozeButton")
        self.open_button = named(QPushButton("Open person (Enter)"), "todayOpenButton")
        self.timeline_button = named(QPushButton("Timeline (T)"), "todayTimelineButton")
        self.done_button = named(QPushButton("Done (D)"), "todayDoneButton")
        self.reschedule_button = named(QPushButton("Reschedule… (R)"), "todayRescheduleButton")
        self.log_button.clicked.connect(self.log_selected)
        self.email_button.clicked.connect(self.email_selected)
        self.snooze_button.clicked.connect(self.snooze_selected)
        self.open_button.clicked.connect(self.open_selected)
        self.timeline_button.clicked.connect(self.timeline_selected)
        self.done_button.clicked.connect(self.done_selected)
        self.reschedule_button.clicked.connect(self.reschedule_selected)
        actions = QHBoxLayout()
        for button in (
            self.log_button,
            self.email_button,
            self.snooze_button,
            self.open_button,
            self.timeline_button,
            self.done_button,
            self.reschedule_button,
        ):
            actions.addWidget(button)
        actions.addStretch(1)
        keys = (
            ("L", self.log_selected),
            ("Ctrl+L", self.log_selected),
            ("E", self.email_selected),
            ("S", self.snooze_selected),
            ("T", self.timeline_selected),
            ("D", self.done_selected),
            ("R", self.reschedule_selected),
        )
        for key, slot in keys:
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addLayout(actions)
        self._selection_changed()

    # -- loading -------------------------------------------------------------------------

    def load_soon(self) -> None:
        """Read the queue again after a change: at once when on screen; else once the
        worker is free (the panel, list and counts on screen are read first: the queue
        takes most of a second at 100k people), or when shown, whichever comes first."""
        self._tick += 1
        if self._behind_since is None:
            self._behind_since = self._tick
        if self.isVisible():
            self.load()
        else:
            self._stale = True

    def _worker_busy(self, busy: bool) -> None:
        if not busy:
            self._idle_since = time.monotonic()
            if self._stale:
                # A moment later: the list asks for the rows it paints once its ids are in.
                QTimer.singleShot(STALE_AFTER_IDLE_MS, self._load_if_stale)

    def _load_if_stale(self) -> None:
        if not self._stale or self._executor.is_busy:
            return
        rested_ms = (time.monotonic() - self._idle_since) * 1000
        if rested_ms < STALE_AFTER_IDLE_MS:
            # The worker worked since this was asked: a rest of its own, from its end.
            QTimer.singleShot(int(STALE_AFTER_IDLE_MS - rested_ms) + 1, self._load_if_stale)
            return
        # Nobody waits for it (the change is on screen, or Today is not): it gives way to
        # whatever the recruiter asks next, and is asked again after.
        self.load(background=True)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # A splice is on screen already: its full read may wait for the worker to rest.
        if self._stale and self._behind_since is not None:
            self.load()

    def load(self, *, background: bool = False) -> None:
        self._stale = False
        if self._loading:
            # The queue on its way may predate the change: ask again once it arrives.
            self._again = True
            return
        self._loading = True
        self._again = False
        asked = self._tick

        def read() -> tuple[int, Today]:
            # On the worker, where writes run too, one task at a time: no write comes
            # between the count and the read.
            return self._services.writes, self._services.today(limit=SHOWN_PER_SECTION)

        def show(read: tuple[int, Today]) -> None:
            self._read_writes, today = read
            self._show(today, asked)

        if background:
            self._executor.submit_yielding(read, show, self._gave_way, self._failed)
        else:
            self._executor.submit(read, show, self._failed)

    def _gave_way(self) -> None:
        self._loading = False
        if self._again:
            # After the task that made this read give way: called as it is submitted, a
            # read submitted now would run before it.
            QTimer.singleShot(0, self.load)
        else:
            self._stale = True  # again once the worker rests

    def splice(self, change: TouchChange) -> None:
        """After a one-person write: their part of the queue on screen replaced at once
        (core/today.py splice), then the whole queue read again in the background, for
        what one person's read cannot know (who moves up into a place they left)."""
        if self.today is None or self._behind_since is not None:
            self.load_soon()  # what is on screen misses a change: not the queue before
            return
        if self._read_writes > change.since or self.today.as_of != change.after.as_of:
            # Read after some of these writes (they would be counted twice), or on
            # another day: the whole queue instead.
            self.load_soon()
            return
        self._paint(splice(self.today, change.before, change.after, SHOWN_PER_SECTION).today)
        self._stale = True
        if not self._executor.is_busy:
            self._worker_busy(False)

    def show_reading(self) -> None:
        """The shell at launch, until the first queue arrives."""
        if self.today is None:
            self.summary.setText("Reading today's queue…")

    def show_today(self, today: Today) -> None:
        """Show a queue read elsewhere: the window's first screen, the worker's first task,
        before any write (Services.writes 0)."""
        self._read_writes = 0
        self._show(today, self._tick)

    def _failed(self, error: BaseException) -> None:
        self._loading = False
        raise error

    def _show(self, today: Today, asked: int) -> None:
        """A full read asked when the clock of changes read ``asked``."""
        self._loading = False
        if self._again:
            self.load()
        # Newer than any splice on screen: one worker runs the tasks in the order they
        # were asked and their answers arrive in that order, so this read ran after the
        # read of the part spliced in, hence after its write.
        if self._behind_since is not None and asked >= self._behind_since:
            self._behind_since = None
        if today == self.today:
            self.today_loaded.emit(today)  # the same queue: nothing to repaint
            return
        self._paint(today)

    def _paint(self, today: Today) -> None:
        """Show ``today`` in place of what is shown, keeping the row selected (or the
        place of one gone) and the scroll position."""
        selected = self.selected_item()
        current = self.tree.currentItem()
        selected_row = self.tree.indexOfTopLevelItem(current) if current is not None else 0
        scrolled = self.tree.verticalScrollBar().value()
        self.today = today
        self.title.setText(f"Today — {long_day(today.as_of)}")
        self.summary.setText(self._summary(today))
        self.tree.setUpdatesEnabled(False)
        self.tree.clear()
        bold = QFont(self.tree.font())
        bold.setBold(True)
        restore: QTreeWidgetItem | None = None
        for section in SECTIONS:
            items = today.items(section)
            if not items:
                continue
            total = today.totals.get(section, len(items))
            count = f"{total:,}" if total == len(items) else f"{len(items)} of {total:,}"
            header = QTreeWidgetItem(
                [f"{SECTION_TITLES[section]}  ({count})", SECTION_HINTS[section]]
            )
            header.setFlags(Qt.ItemFlag.ItemIsEnabled)
            header.setFont(0, bold)
            header.setFirstColumnSpanned(False)
            header.setForeground(1, self.palette().placeholderText())
            for column in (0, 1):
                header.setBackground(column, self.palette().midlight())
            self.tree.addTopLevelItem(header)
            for item in items:
                row = QTreeWidgetItem([item.full_name, item.why])
                row.setData(0, ITEM_ROLE, item)
                row.setToolTip(1, item.why)
                self.tree.addTopLevelItem(row)
                if selected is not None and _same(selected, item):
                    restore = row
        if self.tree.topLevelItemCount() == 0:
            empty = QTreeWidgetItem(["Nothing due today", "Everyone is answered and warm."])
            empty.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(empty)
        self.tree.doItemsLayout()  # the scroll range of the new rows, to scroll back
        if restore is not None:
            self.tree.setCurrentItem(restore)
        else:
            self._select_from(selected_row)
        self.tree.verticalScrollBar().setValue(scrolled)
        self.tree.setUpdatesEnabled(True)
        self.today_loaded.emit(today)

    @staticmethod
    def _summary(today: Today) -> str:
        parts = []
        totals = today.totals
        if totals.get("owed"):
            owed = (
                f"{count(totals['owed'], 'message')} owed to {count(today.owed_people, 'person')}"
            )
            parts.append(owed)
        if totals.get("follow_ups"):
            parts.append(f"{count(totals['follow_ups'], 'follow-up')} due")
        if totals.get("snoozes_ending"):
            parts.append(f"{count(totals['snoozes_ending'], 'snooze')} ending")
        if totals.get("job_changes"):
            parts.append(f"{count(totals['job_changes'], 'job change')}")
        if not parts:
            return "Nothing owed or due. A good day to share an article or warm up a cold contact."
        return "  ·  ".join(parts) + ". Work down the list; each line says why it is due now."

    def _select_from(self, index: int) -> None:
        """The first item at or after row ``index`` (where the one done was: the next one
        to work on), else the first."""
        rows = self._rows()
        for row in rows[max(index, 0) :] + rows:
            if row.data(0, ITEM_ROLE) is not None:
                self.tree.setCurrentItem(row)
                return

    def _rows(self) -> list[QTreeWidgetItem]:
        count = self.tree.topLevelItemCount()
        return [r for r in (self.tree.topLevelItem(i) for i in range(count)) if r is not None]

    def items_in(self, section: str) -> list[TodayItem]:
        """What the view lists under a section (what a recruiter sees, for tests too)."""
        found = []
        for row in self._rows():
            item = row.data(0, ITEM_ROLE)
            if isinstance(item, TodayItem) and item.section == section:
                found.append(item)
        return found

    # -- actions -------------------------------------------------------------------------

    def selected_item(self) -> TodayItem | None:
        current = self.tree.currentItem()
        item = current.data(0, ITEM_ROLE) if current is not None else None
        return item if isinstance(item, TodayItem) else None

    def _selection_changed(self) -> None:
        item = self.selected_item()
        for button in (
            self.log_button,
            self.email_button,
            self.snooze_button,
            self.open_button,
            self.timeline_button,
        ):
            button.setEnabled(item is not None)
        is_follow_up = item is not None and item.follow_up_id is not None
        self.done_button.setEnabled(is_follow_up)
        self.reschedule_button.setEnabled(is_follow_up)

    def _activated(self, row: QTreeWidgetItem, _column: int) -> None:
        if isinstance(row.data(0, ITEM_ROLE), TodayItem):
            self.open_selected()

    def log_selected(self) -> None:
        item = self.selected_item()
        if item is not None:
            log_touch(
                self, self._services, self._executor, item.person_id, item.full_name, self._changed
            )

    def email_selected(self) -> None:
        """Write to them in Compose, with the template that fits why they are listed."""
        item = self.selected_item()
        if item is not None:
            self.compose_requested.emit(
                item.person_id, item.template or "", item.opportunity_id or 0
            )

    def snooze_selected(self) -> None:
        item = self.selected_item()
        if item is None:
            return
        day = self._services.as_of().day
        dialog = SnoozeDialog(item.full_name, day, self)
        if not dialog.exec():
            return
        days, reason = dialog.days(), dialog.reason.text()
        self._executor.submit(
            lambda: self._services.snooze(item.person_id, days, reason),
            lambda _until: self._changed(item.person_id),
        )

    def open_selected(self) -> None:
        item = self.selected_item()
        if item is not None:
            self.person_requested.emit(item.person_id)

    def timeline_selected(self) -> None:
        item = self.selected_item()
        if item is not None:
            self.timeline_requested.emit(item.person_id)

    def done_selected(self) -> None:
        item = self.selected_item()
        if item is None or item.follow_up_id is None:
            return
        follow_up_id = item.follow_up_id
        self._executor.submit(
            lambda: self._services.complete_follow_up(follow_up_id),
            lambda _r: self._changed(item.person_id),
        )

    def reschedule_selected(self) -> None:
        item = self.selected_item()
        if item is None or item.follow_up_id is None:
            return
        day = self._services.as_of().day
        dialog = SnoozeDialog(item.full_name, day, self, default_days=7, reschedule=True)
        if not dialog.exec():
            return
        due = day + timedelta(days=dialog.days())
        follow_up_id = item.follow_up_id
        self._executor.submit(
            lambda: self._services.reschedule_follow_up(follow_up_id, due),
            lambda _r: self._changed(item.person_id),
        )

    def _changed(self, person_id: int) -> None:
        # The window splices the person's part in (MainWindow.after_one_person_changed).
        self.touch_logged.emit(person_id)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _same(a: TodayItem, b: TodayItem) -> bool:
    return (a.section, a.person_id, a.follow_up_id, a.article_id) == (
        b.section,
        b.person_id,
        b.follow_up_id,
        b.article_id,
    )
