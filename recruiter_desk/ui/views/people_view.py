"""The People view: the whole network in a lazy table, search-as-you-type, filters,
bulk actions, and the person panel beside it.

Signals: ``selection_changed(ids)``; ``export_requested(query)`` for "Export selection";
``people_changed()`` after an edit of several people, ``person_changed(id)`` after one
person was saved, so counts elsewhere refresh.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QObject,
    QPoint,
    QSettings,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from recruiter_desk.core import wording
from recruiter_desk.core.people import PeopleQuery, saved_fields_move
from recruiter_desk.core.services import Services
from recruiter_desk.core.trash import DeletedPeople
from recruiter_desk.ui.executor import Executor
from recruiter_desk.ui.models.people_model import COLUMNS, PAGE_SIZE, PeopleTableModel
from recruiter_desk.ui.style import named
from recruiter_desk.ui.widgets.person_panel import PersonPanel

if TYPE_CHECKING:
    from recruiter_desk.core.imports.service import BatchRow

SEARCH_DEBOUNCE_MS = 150
STATUS_FILTERS = (
    ("Any status", None),
    ("Warm", "warm"),
    ("Cooling", "cooling"),
    ("Cold", "cold"),
    ("Do not contact", "do_not_contact"),
)
APPLICANT_FILTERS = (("Everyone", None), ("Applicants", True), ("Never applied", False))
# Name, status, last touch, company, title, location, work modes, tags (the last stretches).
COLUMN_WIDTHS = (132, 72, 104, 106, 120, 84, 80, 56)
# The list and the panel, side by side, in a 1280-pixel window.
SPLIT = (770, 350)
MODE_FILTERS = (
    ("Any work mode", None),
    ("Remote", "remote"),
    ("Hybrid", "hybrid"),
    ("On-site", "onsite"),
)


class PeopleView(QWidget):
    selection_changed = Signal(list)
    export_requested = Signal(object)
    people_changed = Signal()
    person_changed = Signal(int)
    undo_available = Signal(str)
    import_requested = Signal()

    def __init__(
        self, services: Services, executor: Executor, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("peopleView")
        self._services = services
        self._executor = executor
        self._undo: list[DeletedPeople] = []

        self.search_box = named(QLineEdit(), "searchBox")
        self.search_box.setPlaceholderText("Search names, emails, companies, titles, tags, notes…")
        self.search_box.setClearButtonEnabled(True)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.apply_filters)
        self.search_box.textChanged.connect(self._debounce.start)
        self.search_box.installEventFilter(self)
        self._focus_list_when_loaded = False

        self.status_filter = self._combo("statusFilter", STATUS_FILTERS)
        self.applicant_filter = self._combo("applicantFilter", APPLICANT_FILTERS)
        self.mode_filter = self._combo("workModeFilter", MODE_FILTERS)
        self.tag_filter = named(QComboBox(), "tagFilter")
        self.tag_filter.addItem("Any tag", None)
        self.tag_filter.currentIndexChanged.connect(self.apply_filters)
        self.batch_filter = named(QComboBox(), "batchFilter")
        self.batch_filter.addItem("Any import", None)
        self.batch_filter.currentIndexChanged.connect(self.apply_filters)
        self.changed_jobs = named(QCheckBox("Changed jobs"), "changedJobsFilter")
        self.changed_jobs.toggled.connect(self.apply_filters)

        self.count_label = named(QLabel(), "peopleCount")
        self.actions_button = named(QToolButton(), "bulkActionsButton")
        self.actions_button.setText("Actions")
        self.actions_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.actions_button.setMenu(self._bulk_menu())

        filters = QHBoxLayout()
        filters.addWidget(self.search_box, 3)
        for widget in (
            self.status_filter,
            self.tag_filter,
            self.applicant_filter,
            self.mode_filter,
            self.batch_filter,
            self.changed_jobs,
        ):
            filters.addWidget(widget)
        filters.addWidget(self.actions_button)

        self.model = PeopleTableModel(services, executor, self)
        self.model.list_loaded.connect(self._list_loaded)
        self.model.first_rows_shown.connect(self._first_rows_shown)
        self.table = named(QTableView(), "peopleTable")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setShowGrid(False)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setMinimumSectionSize(48)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        # Widths that fit all eight columns beside the panel in a 1280-pixel window; long
        # values are elided (the tooltip and the panel hold them whole).
        for column, width in enumerate(COLUMN_WIDTHS):
            self.table.setColumnWidth(column, width)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.installEventFilter(self)

        self.empty_state = self._build_empty_state()
        self.list_stack = named(QStackedWidget(), "peopleListStack")
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.empty_state)

        self.panel = PersonPanel(services, executor, self)
        self.panel.person_saved.connect(self._person_saved)
        self.panel.open_person.connect(self.select_person)

        self.splitter = named(QSplitter(Qt.Orientation.Horizontal), "peopleSplitter")
        self.splitter.addWidget(self.list_stack)
        self.splitter.addWidget(self.panel)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([SPLIT[0], SPLIT[1]])

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.count_label)
        layout.addWidget(self.splitter, 1)
        self._pending_selection: int | None = None
        self._follow_panel = False
        self._reselecting = False

    def _build_empty_state(self) -> QWidget:
        """What an empty list says: how to add people, or that the filters hide everyone."""
        page = named(QWidget(), "peopleEmptyState")
        self.empty_title = named(QLabel(), "emptyStateTitle")
        self.empty_text = named(QLabel(), "emptyStateText")
        self.empty_text.setWordWrap(True)
        self.empty_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_add = named(QPushButton("Add a person  (Ctrl+N)"), "emptyAddButton")
        self.empty_add.clicked.connect(self.new_person)
        self.empty_import = named(QPushButton("Import a file…  (Ctrl+I)"), "emptyImportButton")
        self.empty_import.clicked.connect(self.import_requested)
        self.empty_clear = named(QPushButton("Clear search and filters"), "emptyClearButton")
        self.empty_clear.clicked.connect(self.clear_filters)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(self.empty_title, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.empty_text)
        for button in (self.empty_add, self.empty_import, self.empty_clear):
            button.setMinimumWidth(260)
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        return page

    def _show_empty_state(self, count: int) -> None:
        if count:
            self.list_stack.setCurrentWidget(self.table)
            return
        filtered = self.current_query() != replace(
            PeopleQuery(), sort=self.model.query.sort, descending=self.model.query.descending
        )
        if filtered:
            self.empty_title.setText("<h3>No one matches</h3>")
            self.empty_text.setText("Nobody in your network matches this search and these filters.")
        else:
            self.empty_title.setText("<h3>No one here yet</h3>")
            self.empty_text.setText(
                "Add the people you know by hand, or import them: a LinkedIn connections "
                "export, vCards, Google or Outlook contacts, any CSV."
            )
        self.empty_add.setVisible(not filtered)
        self.empty_import.setVisible(not filtered)
        self.empty_clear.setVisible(filtered)
        self.list_stack.setCurrentWidget(self.empty_state)

    # -- keyboard ------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        key = event.key()
        if watched is self.search_box and key in (
            Qt.Key.Key_Down,
            Qt.Key.Key_Return,
            Qt.Key.Key_Enter,
        ):
            self.focus_list()
            return True
        if watched is self.table:
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and len(self.selected_ids()) == 1:
                self.panel.focus_fields()  # open them: straight into their fields
                return True
            current = self.table.currentIndex()
            if key == Qt.Key.Key_Up and (not current.isValid() or current.row() == 0):
                self.search_box.setFocus()
                return True
        return False

    def focus_list(self) -> None:
        """From the search box into the results: the first one selected (and opened)."""
        if self._debounce.isActive():
            # The list on screen is for an older text: go there once the new one is in.
            self._focus_list_when_loaded = True
            self.apply_filters()
            return
        if self.model.rowCount() == 0:
            return
        self.table.setFocus()
        if not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)
        self.table.setCurrentIndex(
            self.table.selectionModel().selectedRows()[0]
            if self.table.selectionModel().hasSelection()
            else self.model.index(0, 0)
        )

    def _combo(self, name: str, choices: tuple[tuple[str, object], ...]) -> QComboBox:
        combo = named(QComboBox(), name)
        for label, value in choices:
            combo.addItem(label, value)
        combo.currentIndexChanged.connect(self.apply_filters)
        return combo

    # -- loading -------------------------------------------------------------------------

    def load(self) -> None:
        """Fill the list, then the filter choices (once: after the window's first screen,
        or when People is chosen before that)."""
        if self.model.started:
            return
        # The filter choices wait for the first rows: the recruiter sees those first.
        self.model.first_page_shown.connect(self.reload_filter_choices)
        self.model.start(self.current_query())

    def reload_filter_choices(self) -> None:
        self._executor.submit(
            lambda: (self._services.tags(), self._services.batches()), self._fill_choices
        )

    def _fill_choices(self, loaded: tuple[list[str], list[BatchRow]]) -> None:
        tags, batches = loaded
        for combo, items in (
            (self.tag_filter, [(t, t) for t in tags]),
            (
                self.batch_filter,
                [
                    (
                        f"Import {b.id}: {b.source.rsplit('/', 1)[-1]} ({b.started_at:%Y-%m-%d})",
                        b.id,
                    )
                    for b in batches
                ],
            ),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for label, value in items:
                combo.addItem(label, value)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.blockSignals(False)

    def current_query(self) -> PeopleQuery:
        header = self.table.horizontalHeader()
        column = header.sortIndicatorSection()
        sort = COLUMNS[column][1] if 0 <= column < len(COLUMNS) else None
        return PeopleQuery(
            search=self.search_box.text().strip() or None,
            status=self.status_filter.currentData(),
            tag=self.tag_filter.currentData(),
            applicant=self.applicant_filter.currentData(),
            work_mode=self.mode_filter.currentData(),
            changed_jobs=self.changed_jobs.isChecked(),
            import_batch=self.batch_filter.currentData(),
            sort=sort or "name",
            descending=header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder,
        )

    @Slot()
    def apply_filters(self) -> None:
        self._debounce.stop()
        self.model.set_query(self.current_query(), force=True)

    def refresh(self) -> None:
        self.model.refresh()

    def refresh_person(self, person_id: int) -> None:
        """After a touch of one person: their row, or the list where it can move them."""
        self.model.refresh_person(person_id)

    def _first_rows_shown(self, count: int) -> None:
        # A page that is not full is the whole list; else the count comes with the rest.
        if count < PAGE_SIZE:
            self._list_loaded(count)
        else:
            self.count_label.setText("Counting…")

    def _list_loaded(self, count: int) -> None:
        # A new search or filter starts at the top, not where the old list was scrolled to.
        self.table.scrollToTop()
        filtered = self.current_query() != replace(
            PeopleQuery(), sort=self.model.query.sort, descending=self.model.query.descending
        )
        self.count_label.setText(wording.count(count, "person") + (" match" if filtered else ""))
        if self._pending_selection is not None:
            target, self._pending_selection = self._pending_selection, None
            self.select_person(target)
        elif self.panel.person_id is not None:
            # The person being worked on stays open even when the list no longer shows
            # them (a touch just made them warm under the Cold filter, a search moved on).
            row = self._select_row_of(self.panel.person_id)
            if self._follow_panel and row is not None:
                self.table.scrollTo(self.model.index(row, 0))
        self._follow_panel = False
        self._show_empty_state(count)
        if self._focus_list_when_loaded:
            self._focus_list_when_loaded = False
            self.focus_list()

    # -- selection -----------------------------------------------------------------------

    def selected_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.model.person_id(r) for r in rows]

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        if self._reselecting:
            return
        ids = self.selected_ids()
        self.selection_changed.emit(ids)
        if len(ids) == 1 and ids[0] != self.panel.person_id:
            self._open(ids[0])

    def _open(self, person_id: int) -> None:
        """Show ``person_id`` in the panel, unless the recruiter keeps unsaved edits."""
        if not self.panel.leave(partial(self.panel.show_person, person_id)):
            self._select_row_of(self.panel.person_id)

    def _select_row_of(self, person_id: int | None) -> int | None:
        """Put the selection on ``person_id`` (or nowhere) without opening anyone; the row."""
        self._reselecting = True
        try:
            row = None if person_id is None else self.model.row_of(person_id)
            if row is None:
                self.table.clearSelection()
            else:
                self.table.selectRow(row)
        finally:
            self._reselecting = False
        return row

    @Slot(int)
    def select_person(self, person_id: int) -> None:
        row = self.model.row_of(person_id)
        if row is None:
            # Not in the filtered list: clear the filters, then select it once loaded.
            self._pending_selection = person_id
            self.clear_filters()
            return
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        if self.panel.person_id != person_id:
            self._open(person_id)

    def clear_filters(self) -> None:
        for combo in (
            self.status_filter,
            self.tag_filter,
            self.applicant_filter,
            self.mode_filter,
            self.batch_filter,
        ):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.changed_jobs.blockSignals(True)
        self.changed_jobs.setChecked(False)
        self.changed_jobs.blockSignals(False)
        self.search_box.blockSignals(True)
        self.search_box.clear()
        self.search_box.blockSignals(False)
        self.apply_filters()

    def new_person(self) -> None:
        if self.panel.leave(self.panel.new_person):
            self._select_row_of(None)

    def _person_saved(self, person_id: int) -> None:
        changed = self.panel.saved_changes
        if changed is None or saved_fields_move(self.model.query, changed):
            # Once the list is back, find whoever the panel shows now (the saved person,
            # or the one chosen while saving), wherever the list put them.
            self._follow_panel = True
            self.refresh()
        else:
            self.refresh_person(person_id)  # nobody moves: their row alone
        if changed is None or "tags" in changed:
            self.reload_filter_choices()
        self.person_changed.emit(person_id)

    # -- bulk actions --------------------------------------------------------------------

    def _bulk_menu(self) -> QMenu:
        menu = QMenu(self)
        menu.addAction("Add tag…", self.add_tag_to_selection)
        menu.addAction("Remove tag…", self.remove_tag_from_selection)
        menu.addAction("Set cadence…", self.set_cadence_of_selection)
        menu.addAction("Add to role…", self.add_selection_to_role)
        menu.addSeparator()
        menu.addAction("Export selection…", self._export_selection)
        menu.addSeparator()
        menu.addAction("Delete", self.delete_selection)
        return menu

    def _context_menu(self, position: QPoint) -> None:
        if self.selected_ids():
            self._bulk_menu().exec(self.table.viewport().mapToGlobal(position))

    def _require_selection(self) -> list[int]:
        ids = self.selected_ids()
        if not ids:
            QMessageBox.information(self, "Nothing selected", "Select one or more people first.")
        return ids

    def add_tag_to_selection(self, tag: str | None = None) -> None:
        self._change_tag(tag, add=True)

    def remove_tag_from_selection(self, tag: str | None = None) -> None:
        self._change_tag(tag, add=False)

    def _change_tag(self, tag: str | None, add: bool) -> None:
        ids = self._require_selection()
        if not ids:
            return
        if tag is None:
            verb = "Add a tag to" if add else "Remove a tag from"
            tag, ok = QInputDialog.getText(self, "Tag", f"{verb} {len(ids)} people:")
            if not ok or not tag.strip():
                return
        label = tag
        self._executor.submit(
            lambda: self._services.change_tag(ids, label, add), lambda _n: self._after_bulk_change()
        )

    def set_cadence_of_selection(self, days: int | None = None) -> None:
        ids = self._require_selection()
        if not ids:
            return
        if days is None:
            days, ok = QInputDialog.getInt(
                self,
                "Cadence",
                f"Touch these {len(ids)} people every … days (0 for the default):",
                30,
                0,
                3650,
            )
            if not ok:
                return
        chosen = days or None
        self._executor.submit(
            lambda: self._services.set_cadence(ids, chosen), lambda _n: self._after_bulk_change()
        )

    def _after_bulk_change(self) -> None:
        self.refresh()
        self.reload_filter_choices()
        self.people_changed.emit()
        if self.panel.person_id is not None:
            self.panel.show_person(self.panel.person_id, keep_edits=True)

    def add_selection_to_role(self) -> None:
        # The Opportunities view owns this dialog; loaded on first use.
        from recruiter_desk.ui.views.opportunities_view import add_to_role

        if ids := self._require_selection():
            add_to_role(self._services, self._executor, ids, self)

    def _export_selection(self) -> None:
        ids = self._require_selection()
        if ids:
            self.export_requested.emit(PeopleQuery(ids=tuple(ids)))

    def delete_selection(self, confirm: bool = True) -> None:
        ids = self._require_selection()
        if not ids:
            return
        if confirm:
            answer = QMessageBox.question(
                self,
                "Delete",
                f"Delete {wording.count(len(ids), 'person')} and their "
                "history? You can undo this with Edit → Undo (Ctrl+Z).",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._executor.submit(lambda: self._services.delete_people(ids), self._deleted)

    def _deleted(self, deleted: DeletedPeople) -> None:
        self._undo.append(deleted)
        self.panel.clear()
        self.refresh()
        self.people_changed.emit()
        self.undo_available.emit(f"Undo delete of {wording.count(deleted.count, 'person')}")

    def can_undo(self) -> bool:
        return bool(self._undo)

    def undo(self) -> None:
        if not self._undo:
            return
        deleted = self._undo.pop()
        self._executor.submit(
            lambda: self._services.restore_people(deleted), lambda _n: self._restored(deleted)
        )

    def _restored(self, deleted: DeletedPeople) -> None:
        self._pending_selection = deleted.person_ids[0]
        self.refresh()
        self.people_changed.emit()
        self.undo_available.emit("")

    # -- layout persistence --------------------------------------------------------------

    # Version 2: the widths that fit 1280 pixels; layouts saved before are left behind
    # rather than bringing back the horizontal scroll bar.
    HEADER_KEY, SPLITTER_KEY = "people/header2", "people/splitter2"

    def save_layout(self, settings: QSettings) -> None:
        settings.setValue(self.HEADER_KEY, self.table.horizontalHeader().saveState())
        settings.setValue(self.SPLITTER_KEY, self.splitter.saveState())

    def restore_layout(self, settings: QSettings) -> None:
        header = settings.value(self.HEADER_KEY)
        if header is not None:
            self.table.horizontalHeader().restoreState(header)
        splitter = settings.value(self.SPLITTER_KEY)
        if splitter is not None:
            self.splitter.restoreState(splitter)
