"""The people table: holds ids in display order, fetches rows a page at a time.

Sorting, filtering and search run in SQL (see ``core.people``); this model never sees more
than the pages on screen, so 100k people open instantly. Pages arrive from the executor;
until then a row shows an ellipsis.
"""

from __future__ import annotations

from collections import OrderedDict
from concurrent.futures import Future
from dataclasses import replace
from functools import partial
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont

from recruiter_desk.core.people import PeopleQuery, PersonRow, needs_warmth
from recruiter_desk.core.services import Services
from recruiter_desk.core.wording import days_ago
from recruiter_desk.ui.executor import Executor
from recruiter_desk.ui.style import status_colour

PAGE_SIZE = 50
MAX_CACHED_PAGES = 120
PERSON_ID_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_ROLE = Qt.ItemDataRole.UserRole + 2

# (header, sort key in core.people or None when the column cannot be sorted), in the
# order a recruiter scans a row: who, how warm, since when, then where they work.
COLUMNS: tuple[tuple[str, str | None], ...] = (
    ("Name", "name"),
    ("Status", "status"),
    ("Last touch", "last_touch"),
    ("Company", "company"),
    ("Title", "title"),
    ("Location", "location"),
    ("Work modes", None),
    ("Tags", None),
)
NAME, STATUS, LAST_TOUCH, COMPANY, TITLE, LOCATION, WORK_MODES, TAGS = range(len(COLUMNS))
STATUS_TEXT = {
    "warm": "warm",
    "cooling": "cooling",
    "cold": "cold",
    "do_not_contact": "do not contact",
}
WORK_MODE_TEXT = {"remote": "Remote", "hybrid": "Hybrid", "onsite": "On-site"}

Index = QModelIndex | QPersistentModelIndex


class PeopleTableModel(QAbstractTableModel):
    """Signals: ``list_loaded(count)`` after a query's ids arrive; ``first_rows_shown(n)``
    when a new list's first page is shown ahead of them; ``first_page_shown()`` once, when
    the first rows have arrived after start (other work can queue after it)."""

    list_loaded = Signal(int)
    first_page_shown = Signal()
    first_rows_shown = Signal(int)  # a list's first page, ahead of the whole list

    def __init__(
        self, services: Services, executor: Executor, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._executor = executor
        self._query = PeopleQuery()
        self._ids: list[int] = []
        self._pages: OrderedDict[int, list[PersonRow]] = OrderedDict()
        self._requested: set[int] = set()
        self._wanted: set[int] = set()
        self._generation = 0
        self._list_version = 0
        self._rows_version = 0
        # Until start(), sorting and filter changes (restoring the header, enabling sorting)
        # only record the query: each would otherwise run a 100k-row query at launch.
        self._started = False
        self._in_flight: PeopleQuery | None = None
        self._reading: list[Future[Any] | None] = []
        self._partial = False  # the first page alone is shown (_first_page_arrived)
        self._first_page_seen = False
        self._bold = QFont()
        self._bold.setBold(True)
        # Page requests made while painting are batched and sent after the paint.
        self._request_timer = QTimer(self)
        self._request_timer.setSingleShot(True)
        self._request_timer.setInterval(0)
        self._request_timer.timeout.connect(self._request_wanted)

    # -- queries -------------------------------------------------------------------------

    @property
    def query(self) -> PeopleQuery:
        return self._query

    @property
    def started(self) -> bool:
        return self._started

    def start(self, query: PeopleQuery) -> None:
        self._started = True
        self.set_query(query)

    def set_query(self, query: PeopleQuery, *, force: bool = False) -> None:
        if not self._started:
            self._query = query
            return
        if query == self._in_flight and not force:
            return  # that very list is already on its way
        # The list being read for an older keystroke is not wanted any more.
        for task in self._reading:
            self._executor.stop(task)
        new_list = query != self._query
        self._query = query
        self._in_flight = query
        self._generation += 1
        generation = self._generation
        self._reading = []
        if new_list:
            # The first page first: a one-letter search matches 70k people at 100k, and
            # the whole list in order takes several times as long as its first page.
            self._reading.append(
                self._executor.submit(
                    lambda: self._services.people_first_page(query, PAGE_SIZE),
                    lambda first: self._first_page_arrived(generation, first),
                    partial(self._failed, generation),
                )
            )
        self._reading.append(
            self._executor.submit(
                lambda: self._services.people_ids(query),
                lambda ids: self._ids_arrived(generation, ids),
                partial(self._failed, generation),
            )
        )

    def refresh(self) -> None:
        self.set_query(self._query, force=True)

    def refresh_person(self, person_id: int) -> None:
        """After a touch or a snooze of one person: the list again where that can move
        people in it (``needs_warmth``), else only their row (the list's 100k ids read
        again cost 20 ms at 100k, and the model reset repaints every row)."""
        if needs_warmth(self._query) or self._in_flight is not None or self._partial:
            self.refresh()
            return
        row = self.row_of(person_id)
        if row is None or row // PAGE_SIZE not in self._pages:
            return  # not in the list, or not read yet: it is read when scrolled to
        generation = self._list_version
        self._executor.submit(
            lambda: self._services.people_rows([person_id]),
            partial(self._person_arrived, generation, row, person_id),
        )

    def _person_arrived(
        self, generation: int, row: int, person_id: int, rows: list[PersonRow]
    ) -> None:
        page = self._pages.get(row // PAGE_SIZE)
        offset = row % PAGE_SIZE
        if generation != self._list_version or page is None or offset >= len(page):
            return
        if page[offset].id != person_id:
            return
        if rows:
            page[offset] = rows[0]
        self._rows_version += 1
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation == self._generation:
            self._in_flight = None
            self._executor.report_error(error)

    def _first_page_arrived(
        self, generation: int, first: tuple[list[int], list[PersonRow]] | None
    ) -> None:
        """Shown until the whole list arrives: the same first rows, in the same order."""
        if generation != self._generation or first is None:
            return
        ids, rows = first
        self.beginResetModel()
        self._ids = ids
        self._list_version += 1
        self._pages.clear()
        self._requested.clear()
        self._wanted.clear()
        if ids:
            self._pages[0] = rows
        self._partial = True
        self.endResetModel()
        self.first_rows_shown.emit(len(ids))
        if ids and not self._first_page_seen:
            self._first_page_seen = True
            self.first_page_shown.emit()

    def _ids_arrived(self, generation: int, ids: list[int]) -> None:
        if generation != self._generation:
            return  # a newer query (the next keystroke) is on its way
        self._in_flight = None
        self._reading = []
        shown = len(self._ids)
        if self._partial and ids[:shown] == self._ids:
            # The rows on screen stay; the rest of the list is added below them.
            self._partial = False
            if len(ids) > shown:
                self.beginInsertRows(QModelIndex(), shown, len(ids) - 1)
                self._ids = ids
                self.endInsertRows()
        else:
            self._partial = False
            self.beginResetModel()
            self._ids = ids
            self._list_version += 1
            self._pages.clear()
            self._requested.clear()
            self._wanted.clear()
            self.endResetModel()
        self.list_loaded.emit(len(ids))
        if not ids and not self._first_page_seen:
            self._first_page_seen = True  # nothing to show: nothing to wait for
            self.first_page_shown.emit()

    # -- pages ---------------------------------------------------------------------------

    def row(self, index: int) -> PersonRow | None:
        page = index // PAGE_SIZE
        rows = self._pages.get(page)
        if rows is None:
            if page not in self._requested:
                self._wanted.add(page)
                self._request_timer.start()
            return None
        self._pages.move_to_end(page)
        offset = index % PAGE_SIZE
        return rows[offset] if offset < len(rows) else None

    def _request_wanted(self) -> None:
        # The list version, not the query generation: a query can be on its way while the
        # old ids are still shown, and a page of those old ids must not land in the new list.
        generation = self._list_version
        for page in sorted(self._wanted):
            if page in self._requested:
                continue
            self._requested.add(page)
            ids = self._ids[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
            self._executor.submit(
                partial(self._services.people_rows, ids),
                partial(self._page_arrived, generation, page),
            )
        self._wanted.clear()

    def _page_arrived(self, generation: int, page: int, rows: list[PersonRow]) -> None:
        if generation != self._list_version:
            return
        self._pages[page] = rows
        self._rows_version += 1
        self._requested.discard(page)
        while len(self._pages) > MAX_CACHED_PAGES:
            evicted, _ = self._pages.popitem(last=False)
            self._requested.discard(evicted)
        first = page * PAGE_SIZE
        last = min(len(self._ids), first + PAGE_SIZE) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))
        if not self._first_page_seen:
            self._first_page_seen = True
            self.first_page_shown.emit()

    def is_fully_loaded(self, first: int, last: int) -> bool:
        return all(p in self._pages for p in range(first // PAGE_SIZE, last // PAGE_SIZE + 1))

    def person_id(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, person_id: int) -> int | None:
        try:
            return self._ids.index(person_id)
        except ValueError:
            return None

    @property
    def list_version(self) -> int:
        """Goes up each time a new list of ids replaces the one shown."""
        return self._list_version

    @property
    def rows_version(self) -> int:
        """Goes up each time rows read arrive (a page, or one person's row again)."""
        return self._rows_version

    @property
    def ids(self) -> list[int]:
        return list(self._ids)

    # -- Qt model API --------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        if role == Qt.ItemDataRole.InitialSortOrderRole:
            # A first click on Status answers "who is coldest?": the highest warmth ratio
            # first. Every other column starts A to Z (Last touch: longest ago first).
            return (
                Qt.SortOrder.DescendingOrder if section == STATUS else Qt.SortOrder.AscendingOrder
            )
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if role == PERSON_ID_ROLE:
            return self._ids[index.row()]
        person = self.row(index.row())
        column = index.column()
        if person is None:
            if role == Qt.ItemDataRole.DisplayRole and column == 0:
                return "…"
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(person, column)
        if role == STATUS_ROLE:
            return person.status
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == LAST_TOUCH and person.last_touch:
                return (
                    f"{person.last_touch:%A %d %B %Y} — {person.days_since_touch} days; "
                    f"you aim for every {person.cadence_days} days"
                )
            if column == STATUS:
                return {
                    "warm": "In touch recently enough",
                    "cooling": "Due for a touch soon",
                    "cold": "Past the cadence: reach out",
                    "do_not_contact": "Do not contact",
                }[person.status]
            return None
        if role == Qt.ItemDataRole.ForegroundRole and column == STATUS:
            return QColor(status_colour(person.status))
        if role == Qt.ItemDataRole.FontRole and column == STATUS and person.status == "cold":
            return self._bold
        return None

    @staticmethod
    def _display(person: PersonRow, column: int) -> str:
        if column == NAME:
            return person.full_name
        if column == STATUS:
            return "● " + STATUS_TEXT[person.status]
        if column == LAST_TOUCH:
            return days_ago(person.days_since_touch) if person.last_touch else ""
        if column == COMPANY:
            return person.company
        if column == TITLE:
            return person.title
        if column == LOCATION:
            return person.location
        if column == WORK_MODES:
            return ", ".join(WORK_MODE_TEXT[m] for m in person.work_modes)
        if column == TAGS:
            return ", ".join(person.tags)
        return ""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column][1] if 0 <= column < len(COLUMNS) else None
        if key is None:
            return
        self.set_query(
            replace(self._query, sort=key, descending=order == Qt.SortOrder.DescendingOrder)
        )
