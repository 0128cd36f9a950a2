"""Export, log an interaction, settings, and a new article."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QDateTime, QTime, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from recruiter_desk.core.clock import local_zone, utc_now
from recruiter_desk.core.exports import ExportCancelled, ExportResult
from recruiter_desk.core.people import PeopleQuery
from recruiter_desk.core.services import Services
from recruiter_desk.core.vocabulary import DIRECTIONS, INTERACTION_KINDS
from recruiter_desk.core.wording import count
from recruiter_desk.errors import KnownError
from recruiter_desk.settings import Settings
from recruiter_desk.ui.executor import Executor
from recruiter_desk.ui.progress import ProgressRun
from recruiter_desk.ui.style import named

if TYPE_CHECKING:
    from recruiter_desk.core.articles import SavedArticle

EXPORT_CHOICES = (
    ("CSV for Excel / LibreOffice", "csv", "csv"),
    ("Google Contacts CSV", "google", "csv"),
    ("Outlook CSV", "outlook", "csv"),
    ("vCard (phones, mail clients)", "vcard", "vcf"),
    ("Recruiter Desk JSON (everything)", "json", "json"),
    ("Calendar of follow-ups (.ics)", "ics", "ics"),
    ("Tasks of follow-ups (.ics, VTODO)", "todo", "ics"),
)


class ExportDialog(QDialog):
    """Export all, the current filter, or the selection, to a chosen file."""

    export_finished = Signal(object)

    def __init__(
        self,
        services: Services,
        executor: Executor,
        *,
        current: PeopleQuery,
        selection: list[int],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export")
        self._services = services
        self._executor = executor
        self._current = current
        self._selection = selection
        self.run: ProgressRun | None = None
        self.format = named(QComboBox(), "exportFormat")
        for label, value, _ext in EXPORT_CHOICES:
            self.format.addItem(label, value)
        self.vcard_version = named(QComboBox(), "vcardVersion")
        self.vcard_version.addItems(["3.0", "4.0"])
        self.include_do_not_contact = named(
            QCheckBox("Include people marked do-not-contact (marked as such)"),
            "includeDoNotContact",
        )
        self.format.currentIndexChanged.connect(self._format_changed)
        self._format_changed()
        self.scope_all = named(QRadioButton("Everyone"), "scopeAll")
        self.scope_filter = named(
            QRadioButton("The current list (search and filters)"), "scopeFilter"
        )
        self.scope_selection = named(
            QRadioButton(f"The {len(selection)} selected"), "scopeSelection"
        )
        self.scope_selection.setEnabled(bool(selection))
        group = QButtonGroup(self)
        for button in (self.scope_all, self.scope_filter, self.scope_selection):
            group.addButton(button)
        (self.scope_selection if selection else self.scope_filter).setChecked(True)
        form = QFormLayout()
        form.addRow("Format", self.format)
        form.addRow("vCard version", self.vcard_version)
        form.addRow("", self.include_do_not_contact)
        scopes = QVBoxLayout()
        for button in (self.scope_all, self.scope_filter, self.scope_selection):
            scopes.addWidget(button)
        form.addRow("Who", scopes)
        self.result_label = named(QLabel(), "exportResult")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.export_button = named(QPushButton("Export…"), "exportButton")
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button.clicked.connect(self._choose_target)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.result_label)
        layout.addWidget(buttons)

    def _format_changed(self) -> None:
        # The version only means something for vCards; live for CSV it suggests it matters.
        fmt = self.format.currentData()
        self.vcard_version.setEnabled(fmt == "vcard")
        # The spreadsheet CSV and the JSON always hold everyone in the list.
        self.include_do_not_contact.setEnabled(fmt not in ("csv", "json"))

    def query(self) -> PeopleQuery:
        if self.scope_selection.isChecked():
            return PeopleQuery(ids=tuple(self._selection))
        if self.scope_filter.isChecked():
            return self._current
        return PeopleQuery()

    def _choose_target(self) -> None:
        extension = EXPORT_CHOICES[self.format.currentIndex()][2]
        name, _ = QFileDialog.getSaveFileName(
            self, "Export to", str(Path.home() / f"recruiter-desk.{extension}"), f"*.{extension}"
        )
        if name:
            self.export_to(Path(name))

    def export_to(self, target: Path) -> None:
        fmt, query, version = (
            self.format.currentData(),
            self.query(),
            self.vcard_version.currentText(),
        )
        todo = fmt == "todo"
        fmt = "ics" if todo else fmt
        include = self.include_do_not_contact.isChecked()
        self.export_button.setEnabled(False)
        self.run = ProgressRun(
            self,
            self._executor,
            "Exporting…",
            lambda progress, cancelled: self._services.export(
                fmt,
                target,
                query,
                version,
                progress=progress,
                cancelled=cancelled,
                include_do_not_contact=include,
                todo=todo,
            ),
            cancelled_errors=(ExportCancelled,),
        )
        self.run.finished.connect(self._finished)
        self.run.cancelled.connect(lambda: self._ended("Cancelled: no file was written."))
        self.run.failed.connect(lambda error: self._ended(str(error)))

    def _finished(self, result: ExportResult) -> None:
        what = "follow-up" if result.format == "ics" else "person"
        self._ended(f"Exported {count(result.written, what)} to {result.target}.")
        self.export_finished.emit(result)

    def _ended(self, message: str) -> None:
        self.export_button.setEnabled(True)
        self.result_label.setText(message)


class LogInteractionDialog(QDialog):
    """When it happened is read and shown in ``zone``, the recruiter's time zone setting
    (the one days are counted in), not the computer's: the two differ while travelling."""

    def __init__(
        self, person_name: str, parent: QWidget | None = None, *, zone: tzinfo | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("logInteractionDialog")
        self.setWindowTitle(f"Log a touchpoint with {person_name}")
        self._zone = zone if zone is not None else local_zone(None)
        self.kind = named(QComboBox(), "kindCombo")
        self.kind.addItems(list(INTERACTION_KINDS))
        self.direction = named(QComboBox(), "directionCombo")
        self.direction.addItems(list(DIRECTIONS))
        # A naive QDateTime holding the wall-clock time in ``zone``: Qt would otherwise
        # convert it through the system zone.
        self.when = named(QDateTimeEdit(), "whenEdit")
        self.show_time(utc_now())
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.subject = named(QLineEdit(), "subjectEdit")
        form = QFormLayout(self)
        form.addRow("What", self.kind)
        form.addRow("Direction", self.direction)
        form.addRow("When", self.when)
        form.addRow("Subject", self.subject)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def show_time(self, stored: datetime) -> None:
        """Show a stored (naive UTC) time as the wall-clock time in the dialog's zone."""
        wall = stored.replace(tzinfo=UTC).astimezone(self._zone)
        self.when.setDateTime(
            QDateTime(QDate(wall.year, wall.month, wall.day), QTime(wall.hour, wall.minute))
        )

    def occurred_at(self) -> datetime:
        """The chosen time as stored: naive UTC."""
        wall = self.when.dateTime().toPython()
        assert isinstance(wall, datetime)
        moment = wall.replace(tzinfo=self._zone, second=0, microsecond=0)
        return moment.astimezone(UTC).replace(tzinfo=None)


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle("Settings")
        self.default_cadence = self._days(settings.default_cadence_days, "defaultCadence")
        self.active_cadence = self._days(settings.active_cadence_days, "activeCadence")
        self.reply_days = self._days(settings.reply_within_days, "replyWithin")
        self.update_days = self._days(settings.update_every_days, "updateEvery")
        self.cooling_at = named(QDoubleSpinBox(), "coolingAt")
        self.cooling_at.setRange(0.1, 0.99)
        self.cooling_at.setSingleStep(0.05)
        self.cooling_at.setValue(settings.cooling_at)
        self.timezone = named(QLineEdit(settings.timezone or ""), "timezoneEdit")
        self.timezone.setPlaceholderText("system time zone (e.g. Europe/Berlin)")
        self.backups = self._days(settings.backups_daily, "backupsToKeep")
        self.backups.setSuffix(" days")
        # Team mode (docs/team.md): who you are on a shared database, and how far back a
        # teammate's touch is flagged before you write.
        from recruiter_desk.settings import os_user

        self.recruiter = named(QLineEdit(settings.recruiter), "recruiterName")
        self.recruiter.setPlaceholderText(os_user() or "your name")
        self.recruiter.setToolTip(
            "Recorded on every touch, stage change and edit; used from the next start."
        )
        self.teammate_days = self._days(settings.teammate_window_days, "teammateWindow")
        self.teammate_days.setMinimum(0)
        form = QFormLayout(self)
        form.addRow("Keep in touch with everyone every", self.default_cadence)
        form.addRow("…and with people in a process every", self.active_cadence)
        form.addRow("Reply to messages within", self.reply_days)
        form.addRow("Update candidates at least every", self.update_days)
        form.addRow("Show as cooling from (share of cadence)", self.cooling_at)
        form.addRow("Time zone", self.timezone)
        form.addRow("Keep a backup of each of the last", self.backups)
        form.addRow("Your name on a shared database", self.recruiter)
        form.addRow("Flag people a teammate contacted within", self.teammate_days)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self._form = form
        self._base = settings

    def add_row(self, label: str, widget: QWidget) -> None:
        """A row that acts at once rather than on Save (encryption), above the buttons."""
        self._form.insertRow(self._form.rowCount() - 1, label, widget)

    def accept(self) -> None:
        problems = self.settings().problems()
        if problems:
            QMessageBox.warning(self, "Settings", problems[0])
            return
        super().accept()

    @staticmethod
    def _days(value: int, name: str) -> QSpinBox:
        box = named(QSpinBox(), name)
        box.setRange(1, 3650)
        box.setValue(value)
        box.setSuffix(" days")
        return box

    def settings(self) -> Settings:
        from dataclasses import replace

        return replace(
            self._base,
            default_cadence_days=self.default_cadence.value(),
            active_cadence_days=self.active_cadence.value(),
            reply_within_days=self.reply_days.value(),
            update_every_days=self.update_days.value(),
            cooling_at=self.cooling_at.value(),
            timezone=self.timezone.text().strip() or None,
            backups_daily=self.backups.value(),
            recruiter=self.recruiter.text().strip(),
            teammate_window_days=self.teammate_days.value(),
        )


class ArticleDialog(QDialog):
    """Save an article to share later: its address, title and topics (Edit → New article…).

    ``article_added(title)`` once it is saved; the same address twice is refused with a
    sentence, and the dialog stays open to correct it.
    """

    article_added = Signal(str)

    def __init__(
        self,
        services: Services,
        executor: Executor,
        on_error: Callable[[BaseException], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("articleDialog")
        self._on_error = on_error
        self.setWindowTitle("New article")
        self.setMinimumWidth(480)
        self._services = services
        self._executor = executor
        self.url = named(QLineEdit(), "articleUrlEdit")
        self.url.setPlaceholderText("https://…")
        self.title = named(QLineEdit(), "articleTitleEdit")
        self.title.setPlaceholderText("as you would mention it in a message")
        self.topics = named(QLineEdit(), "articleTopicsEdit")
        self.topics.setPlaceholderText("comma separated: rust, hiring, remote work")
        self.problem = named(QLabel(), "articleProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #c62828;")
        self.problem.hide()
        form = QFormLayout(self)
        form.addRow("Address", self.url)
        form.addRow("Title", self.title)
        form.addRow("Topics", self.topics)
        form.addRow("", QLabel("People whose interests meet these topics are who it is for."))
        form.addRow(self.problem)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

    def save(self) -> None:
        url, title = self.url.text().strip(), self.title.text().strip()
        topics = [t.strip() for t in self.topics.text().split(",") if t.strip()]
        if not url:
            self._show_problem("Enter the article's address.")
            return
        self.buttons.setEnabled(False)
        self._executor.submit(
            lambda: self._services.add_article(url, title, topics),
            self._saved,
            self._refused,
        )

    def _saved(self, article: SavedArticle) -> None:
        self.buttons.setEnabled(True)
        self.article_added.emit(article.title)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(error, KnownError):
            self._show_problem(error.message)
        else:
            self._on_error(error)

    def _show_problem(self, message: str) -> None:
        self.problem.setText(message)
        self.problem.show()
