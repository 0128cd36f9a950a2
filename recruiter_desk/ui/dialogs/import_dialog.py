"""Import: pick files, see what was detected, map columns of a generic CSV, check with a
dry run, then import behind a cancellable progress dialog and read every problem.

Signal: ``import_finished(report)`` after a real (not dry) import.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from recruiter_desk.core.imports.csv_formats import MAPPABLE, NOT_IMPORTED, check_mapping
from recruiter_desk.core.imports.model import ImportCancelled, ImportReport
from recruiter_desk.core.imports.service import FORMAT_LABELS
from recruiter_desk.core.services import FileInspection, Services
from recruiter_desk.core.wording import count
from recruiter_desk.errors import KnownError, UsageError
from recruiter_desk.ui.executor import Executor
from recruiter_desk.ui.progress import ProgressRun
from recruiter_desk.ui.style import named

IGNORE = "— not imported —"
# A dry run names who it would add and update; past this many it says how many more.
NAMES_SHOWN = 200


class ImportDialog(QDialog):
    import_finished = Signal(object)

    def __init__(
        self,
        services: Services,
        executor: Executor,
        on_error: object,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle("Import contacts")
        self.resize(720, 560)
        self._services = services
        self._executor = executor
        self._on_error = on_error
        self._paths: list[Path] = []
        self._inspections: list[FileInspection] = []
        self.run: ProgressRun | None = None
        self.last_report: ImportReport | None = None

        self.files_label = named(QLabel("No file chosen yet."), "importFiles")
        self.files_label.setWordWrap(True)
        choose = named(QPushButton("Choose files…"), "chooseFilesButton")
        choose.clicked.connect(self._choose)
        row = QHBoxLayout()
        row.addWidget(self.files_label, 1)
        row.addWidget(choose)

        self.detected = named(QLabel(), "detectedFormat")
        self.mapping_label = QLabel("This CSV needs you to say which column is which:")
        self.mapping = named(QTableWidget(0, 3), "mappingTable")
        self.mapping.setHorizontalHeaderLabels(["Column", "Example", "Imported as"])
        self.mapping.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.mapping.verticalHeader().hide()
        self.summary = named(QPlainTextEdit(), "importSummary")
        self.summary.setReadOnly(True)
        self.summary.setPlaceholderText(
            "LinkedIn (Connections.csv or the export .zip), vCard, Google or Outlook CSV, "
            "any CSV, or a Recruiter Desk JSON export. Check first: nothing is written "
            "until you press Import."
        )

        self.dry_run_button = named(QPushButton("Check (dry run)"), "dryRunButton")
        self.dry_run_button.clicked.connect(lambda: self.start(dry_run=True))
        self.import_button = named(QPushButton("Import"), "importButton")
        self.import_button.clicked.connect(lambda: self.start(dry_run=False))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.dry_run_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.detected)
        layout.addWidget(self.mapping_label)
        layout.addWidget(self.mapping, 1)
        layout.addWidget(self.summary, 2)
        layout.addWidget(buttons)
        self._show_mapping(False)
        self._set_ready(False)

    def _set_ready(self, ready: bool) -> None:
        self.dry_run_button.setEnabled(ready)
        self.import_button.setEnabled(ready)

    def _show_mapping(self, visible: bool) -> None:
        self.mapping_label.setVisible(visible)
        self.mapping.setVisible(visible)

    def _choose(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self,
            "Choose contacts to import",
            str(Path.home()),
            "Contacts (*.csv *.vcf *.vcard *.zip *.json *.txt);;All files (*)",
        )
        if names:
            self.set_files([Path(n) for n in names])

    def set_files(self, paths: list[Path]) -> None:
        self._paths = paths
        self.files_label.setText("\n".join(str(p) for p in paths))
        self.summary.clear()
        self._clear_mapping()
        self.detected.setText("Reading…")
        self._set_ready(False)
        self._executor.submit(
            lambda: self._services.inspect_files(paths), self._inspected, self._inspection_failed
        )

    def _inspected(self, inspections: list[FileInspection]) -> None:
        self._inspections = inspections
        self.detected.setText(
            "\n".join(
                f"{Path(i.name).name}: {FORMAT_LABELS.get(i.format, i.format)}" for i in inspections
            )
        )
        generic = [i for i in inspections if i.format == "csv"]
        self.mapping.setRowCount(0)
        if generic:
            inspection = generic[0]
            self.mapping.setRowCount(len(inspection.columns))
            for row, column in enumerate(inspection.columns):
                self.mapping.setCellWidget(row, 0, QLabel(column))
                self.mapping.setCellWidget(row, 1, QLabel(inspection.examples.get(column, "")))
                combo = QComboBox()
                combo.setObjectName(f"mapping_{row}")
                combo.addItem(IGNORE, None)
                for field in MAPPABLE:
                    combo.addItem(field.replace("_", " "), field)
                combo.setCurrentIndex(max(0, combo.findData(inspection.mapping.get(column))))
                self.mapping.setCellWidget(row, 2, combo)
        self._show_mapping(bool(generic))
        self._set_ready(True)

    def _clear_mapping(self) -> None:
        """Forget the previous file's columns, so they are never applied to another file."""
        self._inspections = []
        self.mapping.setRowCount(0)
        self._show_mapping(False)

    def _inspection_failed(self, error: BaseException) -> None:
        self.detected.setText("")
        self._clear_mapping()
        self._set_ready(False)
        if isinstance(error, KnownError):
            self.summary.setPlainText(str(error))
        else:
            self._on_error(error)  # type: ignore[operator]

    def mapping_choice(self) -> dict[str, str]:
        chosen = {}
        for row in range(self.mapping.rowCount()):
            label = self.mapping.cellWidget(row, 0)
            combo = self.mapping.cellWidget(row, 2)
            if isinstance(label, QLabel) and isinstance(combo, QComboBox):
                # "Not imported" is a choice too: the column's header must not map it anyway.
                chosen[label.text().strip().lower()] = combo.currentData() or NOT_IMPORTED
        return chosen

    def start(self, dry_run: bool) -> None:
        if not self._paths:
            return
        paths, mapping = list(self._paths), self.mapping_choice() or None
        try:
            check_mapping(mapping or {})
        except UsageError as error:
            self.summary.setPlainText(f"{error}\n\nNothing was checked or written.")
            return
        self._set_ready(False)
        title = "Checking…" if dry_run else "Importing…"
        self.run = ProgressRun(
            self,
            self._executor,
            title,
            lambda progress, cancelled: self._services.import_files(
                paths, mapping=mapping, dry_run=dry_run, progress=progress, cancelled=cancelled
            ),
            cancelled_errors=(ImportCancelled,),
        )
        self.run.finished.connect(self._finished)
        self.run.cancelled.connect(self._cancelled)
        self.run.failed.connect(self._failed)

    def _finished(self, report: ImportReport) -> None:
        self._set_ready(True)
        self.last_report = report
        lines = []
        for file in report.files:
            lines.append(
                f"{Path(file.file).name} — {FORMAT_LABELS.get(file.format, file.format)}: "
                f"{file.added} added, {file.updated} updated, {file.unchanged} unchanged, "
                f"{file.skipped} skipped"
                + (f", {file.job_changes} changed jobs" if file.job_changes else "")
            )
            labels = ("Would add", "Would update") if report.dry_run else ("Added", "Updated")
            named = ((file.added_names, file.added), (file.updated_names, file.updated))
            for label, (names, total) in zip(labels, named, strict=True):
                if names:
                    lines.append(f"  {label}: {_names(names, total)}")
            if file.problems:
                lines.append("  Problems:")
                lines.extend(f"    line {p.line}: {p.message}" for p in file.problems)
                if file.problems_unlisted:
                    lines.append(f"    and {count(file.problems_unlisted, 'more problem')}")
            lines.append("")
        lines.append(
            "Dry run: nothing was written. Press Import to do it." if report.dry_run else "Done."
        )
        self.summary.setPlainText("\n".join(lines))
        if not report.dry_run:
            self.import_finished.emit(report)

    def _cancelled(self) -> None:
        self._set_ready(True)
        self.summary.setPlainText("Cancelled: nothing was written.")

    def _failed(self, error: BaseException) -> None:
        self._set_ready(True)
        if isinstance(error, KnownError):
            self.summary.setPlainText(f"{error}\n\nNothing was written.")
        else:
            self._on_error(error)  # type: ignore[operator]


def _names(names: list[str], total: int) -> str:
    shown = ", ".join(names[:NAMES_SHOWN])
    more = total - min(len(names), NAMES_SHOWN)
    return shown + (f" and {more} more" if more > 0 else "")
