"""The People view: the whole network in a lazy table, search-as-you-type, filters,
bulk actions, and the person panel beside it.

Signals: ``selection_changed(ids)``; ``export_requested(query)`` for "Export selection";
``people_changed()`` after any edit, so counts elsewhere refresh.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, QPoint, QSettings, Qt, QTimer, Signal, Slot
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
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from recruiter_desk.core import wording
from recruiter_desk.core.people import PeopleQuery
from recruiter_desk.core.services import Services
from recruiter_desk.core.trash import DeletedPeople
from recruiter_desk.ui.executor import Executor
from recruiter_desk.ui.models.people_model import COLUMNS, PeopleTableModel
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
    undo_available = Signal(str)

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
        for column, width in enumerate((170, 100, 100, 170, 190, 110, 110, 120)):
            self.table.setColumnWidth(column, width)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.panel = PersonPanel(services, executor, self)
        self.panel.person_saved.connect(self._person_saved)
        self.panel.open_person.connect(self.select_person)

        self.splitter = named(QSplitter(Qt.Orientation.Horizontal), "peopleSplitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.panel)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([720, 400])

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.count_label)
        layout.addWidget(self.splitter, 1)
        self._pending_selection: int | None = None

    def _combo(self, name: str, choices: tuple[tuple[str, object], ...]) -> QComboBox:
        combo = named(QComboBox(), name)
        for label, value in choices:
            combo.addItem(label, value)
        combo.currentIndexChanged.connect(self.apply_filters)
        return combo

    # -- loading -------------------------------------------------------------------------

    def load(self) -> None:
        """Fill the list, then the filter choices (called once the database is open)."""
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
        elif self.panel.person_id is not None and self.model.row_of(self.panel.person_id) is None:
            self.panel.clear()

    # -- selection -----------------------------------------------------------------------

    def selected_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.model.person_id(r) for r in rows]

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        ids = self.selected_ids()
        self.selection_changed.emit(ids)
        if len(ids) == 1:
            self.panel.show_person(ids[0])

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
        self.panel.show_person(person_id)

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
        self.table.clearSelection()
        self.panel.new_person()

    def _person_saved(self, person_id: int) -> None:
        self._pending_selection = person_id
        self.refresh()
        self.reload_filter_choices()
        self.people_changed.emit()

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
            self.panel.show_person(self.panel.person_id)

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

    def save_layout(self, settings: QSettings) -> None:
        settings.setValue("people/header", self.table.horizontalHeader().saveState())
        settings.setValue("people/splitter", self.splitter.saveState())

    def restore_layout(self, settings: QSettings) -> None:
        header = settings.value("people/header")
        if header is not None:
            self.table.horizontalHeader().restoreState(header)
        splitter = settings.value("people/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
