"""The timeline as a lazy list: entries arrive a page at a time from the executor.

The view asks for more (``canFetchMore``/``fetchMore``) as it scrolls near the end; each
page is keyset-paged in SQL (``core.timeline``), so the model only ever holds what was
scrolled past. A new query bumps the generation and late pages of the old one are dropped.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from recruiter_desk.core.services import Services
from recruiter_desk.core.timeline import (
    PAGE_SIZE,
    Cursor,
    TimelineEntry,
    TimelinePage,
    TimelineQuery,
    day_heading,
    long_day,
    short_day,
)
from recruiter_desk.ui.executor import Executor

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
# The group heading drawn above an entry ("Today", "Yesterday", a date), or "" inside a group.
HEADING_ROLE = Qt.ItemDataRole.UserRole + 2
# When, as the card shows it: the time, with the day in groups that span several days.
WHEN_ROLE = Qt.ItemDataRole.UserRole + 3
SPANNING_GROUPS = ("Coming up", "This week")

Index = QModelIndex | QPersistentModelIndex


class TimelineModel(QAbstractListModel):
    """Signals: ``page_loaded(count)`` after each page arrives (count: entries held)."""

    page_loaded = Signal(int)

    def __init__(
        self, services: Services, executor: Executor, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._executor = executor
        self._query = TimelineQuery()
        self._entries: list[TimelineEntry] = []
        self._headings: list[str] = []
        self._groups: list[str] = []
        self._next: Cursor | None = None
        self._done = True
        self._loading = False
        self._generation = 0
        self._today = date.today()

    @property
    def query(self) -> TimelineQuery:
        return self._query

    def set_query(self, query: TimelineQuery) -> None:
        """Start over with another query (or the same one after a change)."""
        self._query = query
        self._generation += 1
        self.beginResetModel()
        self._entries = []
        self._headings = []
        self._groups = []
        self._next = None
        self._done = False
        self._loading = False
        self.endResetModel()
        self._today = self._services.as_of().day
        self._request()

    def refresh(self) -> None:
        self.set_query(self._query)

    def _request(self) -> None:
        if self._loading or self._done:
            return
        self._loading = True
        generation, query, after = self._generation, self._query, self._next
        self._executor.submit(
            lambda: self._services.timeline_page(query, after, PAGE_SIZE),
            lambda page: self._page_arrived(generation, page),
        )

    def _page_arrived(self, generation: int, page: TimelinePage) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self._next = page.next
        self._done = page.next is None
        if page.entries:
            first = len(self._entries)
            previous = self._headings[-1] if self._headings else None
            # Headings are kept per row, in step with the entries.
            headings = []
            for entry in page.entries:
                heading = day_heading(entry.day, self._today)
                headings.append(heading if heading != previous else "")
                self._groups.append(heading)
                previous = heading
            self.beginInsertRows(QModelIndex(), first, first + len(page.entries) - 1)
            self._entries.extend(page.entries)
            self._headings.extend(headings)
            self.endInsertRows()
        self.page_loaded.emit(len(self._entries))

    @property
    def is_loading(self) -> bool:
        return self._loading

    @property
    def is_complete(self) -> bool:
        return self._done and not self._loading

    def entry(self, row: int) -> TimelineEntry | None:
        return self._entries[row] if 0 <= row < len(self._entries) else None

    def heading(self, row: int) -> str:
        return self._headings[row] if 0 <= row < len(self._headings) else ""

    # -- Qt model API --------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._done

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not parent.isValid():
            self._request()

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        entry = self.entry(index.row()) if index.isValid() else None
        if entry is None:
            return None
        if role == ENTRY_ROLE:
            return entry
        if role == HEADING_ROLE:
            return self._headings[index.row()]
        if role == WHEN_ROLE:
            if self._groups[index.row()] in SPANNING_GROUPS:
                return f"{short_day(entry.day)}  {entry.time}"
            return entry.time
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            who = entry.person_name or "Recruiter Desk"
            by = f" ({entry.by})" if entry.by else ""
            return f"{entry.kind} {entry.direction}: {who} — {entry.subject}{by}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{long_day(entry.day)}, {entry.time}"
        return None
