"""The main window: sidebar of views, menus and shortcuts, status bar, persisted layout."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from functools import partial
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer, QUrl, Slot
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from recruiter_desk import __version__
from recruiter_desk.core.services import Counts, Services, TouchChange
from recruiter_desk.errors import KnownError
from recruiter_desk.ui.executor import Executor
from recruiter_desk.ui.progress import ProgressRun
from recruiter_desk.ui.style import icon, named
from recruiter_desk.ui.views.people_view import PeopleView
from recruiter_desk.ui.views.today_view import TodayView
from recruiter_desk.ui.widgets.welcome import WelcomePanel

if TYPE_CHECKING:
    # Dialogs are imported when first opened: the import and export engines they pull in
    # cost a tenth of a second that the first screen does not need.
    from recruiter_desk.core.today import Today
    from recruiter_desk.ui.dialogs.calendar_dialog import CalendarImportDialog
    from recruiter_desk.ui.dialogs.copy_to_dialog import CopyToDialog
    from recruiter_desk.ui.dialogs.duplicates_dialog import DuplicatesDialog
    from recruiter_desk.ui.dialogs.import_dialog import ImportDialog
    from recruiter_desk.ui.dialogs.mail_account_dialog import MailAccountDialog, MailSync
    from recruiter_desk.ui.dialogs.mail_dialog import MailImportDialog
    from recruiter_desk.ui.dialogs.retention_dialog import RetentionDialog
    from recruiter_desk.ui.dialogs.small_dialogs import (
        ArticleDialog,
        ExportDialog,
        SettingsDialog,
    )
    from recruiter_desk.ui.single_window import WindowServer
    from recruiter_desk.ui.views.compose_view import ComposeView
    from recruiter_desk.ui.views.opportunities_view import OpportunitiesView
    from recruiter_desk.ui.views.timeline_view import TimelineView

log = logging.getLogger(__name__)

# Quitting never waits longer than this for running work (it is asked to stop first).
QUIT_WAIT_S = 0.15
# Views made on first use are built ahead this long after a quiet moment (see
# MainWindow.prepare_views_when_idle).
PREPARE_AFTER_MS = 300


class MainWindow(QMainWindow):
    def __init__(self, services: Services, executor: Executor) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("Recruiter Desk")
        self.setWindowIcon(icon("recruiter-desk"))
        self.services = services
        self.executor = executor
        self.dialogs: dict[str, QWidget] = {}
        self.mail_sync: MailSync | None = None  # File → Sync mail (H3 imap), made on first use
        self.background_threads: list[threading.Thread] = []
        self._after_first_screen: list[Callable[[], None]] = []
        self.layout_settings = QSettings(
            str(services.paths.config_dir / "window.ini"), QSettings.Format.IniFormat
        )

        self.people_view = PeopleView(services, executor, self)
        self.people_view.people_changed.connect(self.refresh_counts)
        self.people_view.person_changed.connect(self.after_one_person_changed)
        self.people_view.export_requested.connect(self._export_with)
        self.people_view.undo_available.connect(self._undo_changed)
        self.people_view.panel.log_requested.connect(self.log_interaction)
        self.people_view.panel.compose_started.connect(self._compose_started)
        self.people_view.panel.address_copied.connect(self._address_copied)
        self.people_view.import_requested.connect(self.open_import)
        self.welcome = WelcomePanel(self)
        self.welcome.import_chosen.connect(self.open_import)
        self.welcome.demo_chosen.connect(self.load_demo)
        self.welcome.empty_chosen.connect(self.show_people)

        self.sidebar = named(QListWidget(), "sidebar")
        self.sidebar.setFixedWidth(120)
        people_item = QListWidgetItem(icon("people"), "People")
        people_item.setData(Qt.ItemDataRole.UserRole, "People")
        self.sidebar.addItem(people_item)
        self.stack = named(QStackedWidget(), "viewStack")
        self.stack.addWidget(self.people_view)
        self.stack.addWidget(self.welcome)
        # -- Compose (H8): one sidebar entry and the compose_to entry below --------------
        # Built on first use (the compose_view property): its imports and widgets cost more
        # than launch can spare before Today's first rows.
        self._compose_view: ComposeView | None = None
        self.compose_item = QListWidgetItem(icon("compose"), "Compose")
        self.sidebar.addItem(self.compose_item)
        # -- end of Compose ----------------------------------------------------------------
        self.sidebar_views: dict[str, QWidget] = {"People": self.people_view}
        self._add_day_views()
        self.sidebar.currentRowChanged.connect(self._switch_view)
        # -- Opportunities (H7): built on first use, so start-up does not pay for it --------
        self.opportunities_view: OpportunitiesView | None = None
        self.opportunities_item = QListWidgetItem(icon("opportunities"), "Opportunities")
        self.sidebar.addItem(self.opportunities_item)
        self.sidebar.currentItemChanged.connect(self._show_opportunities_if_chosen)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.sidebar)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.counts_label = named(QLabel(), "statusCounts")
        # Its own label: as a status message it wiped out whatever the bar was saying.
        self.busy_label = named(QLabel(), "busyLabel")
        self.statusBar().addPermanentWidget(self.busy_label)
        self.statusBar().addPermanentWidget(self.counts_label)
        self.executor.busy_changed.connect(self._busy)
        self._build_menus()
        self.resize(1280, 800)
        geometry = self.layout_settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        self.people_view.restore_layout(self.layout_settings)

    # -- menus ---------------------------------------------------------------------------

    def _action(
        self,
        text: str,
        slot: object,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        name: str | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if name:
            action.setObjectName(name)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        file.addAction(
            self._action(
                "&Save person", self.save_person, QKeySequence.StandardKey.Save, "saveAction"
            )
        )
        file.addSeparator()
        file.addAction(self._action("&Import…", self.open_import, "Ctrl+I", "importAction"))
        # Mail (H9): File → Import mail…
        file.addAction(
            self._action("Import &mail…", self.open_mail_import, None, "importMailAction")
        )
        # Mail account (H3 imap): File → Sync mail
        file.addAction(self._action("S&ync mail", self.sync_mail, None, "syncMailAction"))
        # Calendar (H4): File → Import calendar…
        file.addAction(
            self._action(
                "Import &calendar…", self.open_calendar_import, None, "importCalendarAction"
            )
        )
        file.addAction(self._action("&Export…", self.open_export, "Ctrl+E", "exportAction"))
        file.addSeparator()
        file.addAction(self._action("&Backup", self.backup, "Ctrl+B", "backupAction"))
        file.addAction(self._action("&Restore…", self.restore, None, "restoreAction"))
        # Team (issue 17): File → Copy to team database…
        file.addAction(
            self._action("Copy to &team database…", self.open_copy_to, None, "copyToAction")
        )
        file.addSeparator()
        file.addAction(
            self._action("&Quit", self.close, QKeySequence.StandardKey.Quit, "quitAction")
        )
        edit = bar.addMenu("&Edit")
        edit.addAction(self._action("&New person", self.new_person, "Ctrl+N", "newPersonAction"))
        edit.addAction(self._action("New &article…", self.new_article, None, "newArticleAction"))
        self.delete_action = self._action(
            "&Delete", self.delete_selection, QKeySequence.StandardKey.Delete, "deleteAction"
        )
        edit.addAction(self.delete_action)
        self.undo_action = self._action(
            "&Undo", self.undo, QKeySequence.StandardKey.Undo, "undoAction"
        )
        self.undo_action.setEnabled(False)
        edit.addAction(self.undo_action)
        edit.addSeparator()
        edit.addAction(
            self._action("Find &duplicates…", self.find_duplicates, None, "duplicatesAction")
        )
        # Privacy (H7 trust): the retention review, with erasing everyone past it
        edit.addAction(
            self._action("&Retention review…", self.open_retention, None, "retentionAction")
        )
        edit.addAction(
            self._action(
                "&Settings…",
                self.open_settings,
                QKeySequence.StandardKey.Preferences,
                "settingsAction",
            )
        )
        # Mail account (H3 imap): Edit → Mail account…
        edit.addAction(
            self._action("&Mail account…", self.open_mail_account, None, "mailAccountAction")
        )
        # Compose (H8)
        edit.addAction(
            self._action(
                "&Write to selection…", self.compose_to_selection, "Ctrl+M", "composeAction"
            )
        )
        edit.addAction(
            self._action(
                "Write to everyone &listed…", self.compose_to_list, None, "composeListAction"
            )
        )
        view = bar.addMenu("&View")
        view.addAction(
            self._action(
                "&Timeline of the selected person",
                self.timeline_of_selection,
                "Ctrl+T",
                "personTimelineAction",
            )
        )
        view.addAction(
            self._action("&Find", self.focus_search, QKeySequence.StandardKey.Find, "findAction")
        )
        view.addAction(
            self._action(
                "&Refresh", self.refresh, QKeySequence.StandardKey.Refresh, "refreshAction"
            )
        )
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self._action("&About Recruiter Desk", self.about, None, "aboutAction"))
        help_menu.addAction(
            self._action("Open &log folder", self.open_log_folder, None, "logFolderAction")
        )

    # -- start ---------------------------------------------------------------------------

    def start(self) -> None:
        """Show the window's shell on Today while its first screen is read.

        ``create_main_window`` asked the worker for the first screen (``read_first_screen``)
        before building the window; it arrives in ``first_screen_arrived``. Nothing else is
        read before that screen is painted: the People list, the counts, the filter choices
        and the daily backup wait for it (docs/architecture.md, "Launch").
        """
        self._first_screen_pending = True
        self.show_view("Today")
        self.today_view.show_reading()

    def first_screen_arrived(self, today: Today | None) -> None:
        """Today's queue, or the welcome panel on an empty network (``None``)."""
        self._first_screen_pending = False
        if today is None:
            self.stack.setCurrentWidget(self.welcome)
            painted: QWidget = self.welcome
        else:
            self._notified = True  # said once the rest is read, below
            self.today_view.show_today(today)
            painted = self.today_view.tree.viewport()
        self._after_painted(painted, partial(self._read_the_rest, today))

    def _after_painted(self, widget: QWidget, then: Callable[[], None]) -> None:
        """Call ``then`` once ``widget`` has been painted (at the next event-loop turn when
        the window is hidden): work started earlier would take the CPU from that paint."""
        if not widget.isVisible():
            QTimer.singleShot(0, then)
            return
        # The window itself watches (eventFilter): a helper QObject parented to the widget
        # and holding it made a reference cycle that crashed PySide when collected.
        self._paint_target = widget
        self._after_paint = then
        widget.installEventFilter(self)
        # In case no paint comes (a window opened minimized).
        QTimer.singleShot(300, self, self._painted)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._paint_target and event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, self, self._painted)  # after this paint, not inside it
        return super().eventFilter(watched, event)

    def _painted(self) -> None:
        then, self._after_paint = self._after_paint, None
        if self._paint_target is not None:
            self._paint_target.removeEventFilter(self)
            self._paint_target = None
        if then is not None:
            then()

    _paint_target: QWidget | None = None
    _after_paint: Callable[[], None] | None = None

    def _read_the_rest(self, today: Today | None) -> None:
        self.people_view.load()
        self.refresh_counts()
        for task in self._after_first_screen:
            task()
        self._after_first_screen.clear()
        self._first_screen_done = True
        if today is not None:
            self._notify(today)

    # -- views built ahead (H5 select) ---------------------------------------------------

    def prepare_views_when_idle(self) -> None:
        """Once the first screen and what follows it are read, build the views made on
        first use (Timeline, Compose, Opportunities), one per quiet moment: their first
        click then only reads their data (building one took 0.1-0.4 s at first click).
        Launch does not wait for them; the recruiter's own clicks go first."""
        self._views_to_prepare = (
            lambda: self.timeline_view,
            lambda: self.compose_view,
            self._built_opportunities_view,
        )
        self.after_first_screen(lambda: QTimer.singleShot(PREPARE_AFTER_MS, self._prepare_one))

    def _prepare_one(self) -> None:
        if not self._views_to_prepare or not self.isVisible():
            return
        if self.executor.is_busy or QApplication.mouseButtons() != Qt.MouseButton.NoButton:
            QTimer.singleShot(PREPARE_AFTER_MS, self._prepare_one)  # busy: a moment later
            return
        build, *rest = self._views_to_prepare
        self._views_to_prepare = tuple(rest)
        build()
        QTimer.singleShot(PREPARE_AFTER_MS, self._prepare_one)

    _views_to_prepare: tuple[Callable[[], object], ...] = ()

    def after_first_screen(self, task: Callable[[], None]) -> None:
        """Run ``task`` once the first screen is painted (the daily backup waits for it)."""
        if self._first_screen_done:
            task()
        else:
            self._after_first_screen.append(task)

    _first_screen_pending = False
    _first_screen_done = False

    @Slot()
    def show_people(self) -> None:
        self.show_view("People")

    def show_view(self, name: str) -> None:
        """Show a sidebar view by its label, keeping the sidebar's selection in step."""
        self.stack.setCurrentWidget(self._sidebar_view(name))
        self.sidebar.blockSignals(True)
        self.sidebar.setCurrentRow(self._sidebar_row(name))
        self.sidebar.blockSignals(False)
        self._view_shown(name)

    def _sidebar_row(self, name: str) -> int:
        for row in range(self.sidebar.count()):
            item = self.sidebar.item(row)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == name:
                return row
        return 0

    def _switch_view(self, row: int) -> None:
        item = self.sidebar.item(row)
        name = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if (
            name in (*self.sidebar_views, "Timeline")
            and self.stack.currentWidget() is not self.welcome
        ):
            self.stack.setCurrentWidget(self._sidebar_view(name))
            self._view_shown(name)
        elif row == self.sidebar.row(self.compose_item):  # Compose (H8)
            self.show_compose()

    # -- Compose (H8) --------------------------------------------------------------------

    @property
    def compose_view(self) -> ComposeView:
        if self._compose_view is None:
            from recruiter_desk.ui.views.compose_view import ComposeView

            view = ComposeView(self.services, self.executor, self)
            view.messages_logged.connect(self._compose_logged)
            view.settings_changed.connect(self.apply_settings)
            view.messages_logged.connect(self.refresh_day_views)
            self.stack.addWidget(view)
            self._compose_view = view
        return self._compose_view

    def show_compose(self) -> None:
        if not self.compose_view.templates:
            self.compose_view.load()
        self.sidebar.setCurrentItem(self.compose_item)
        self.stack.setCurrentWidget(self.compose_view)

    def compose_to(
        self,
        person_ids: list[int],
        template: int | str | None = None,
        opportunity_id: int | None = None,
        article_id: int | None = None,
    ) -> None:
        """Open Compose writing to these people. Any view may call this: a People
        selection, a Today section, an opportunity's stage or matches. ``template`` is a
        template's id, name or purpose (``"closing"``, core/pipeline.py's MESSAGE_FOR_STAGE)."""
        self.show_compose()
        self.compose_view.compose_to(person_ids, template, opportunity_id, article_id)

    def compose_to_selection(self) -> None:
        self.compose_to(self.people_view.selected_ids())

    def compose_to_list(self) -> None:
        """Everyone the People list shows now (its search and filters)."""
        query = self.people_view.current_query()
        self.executor.submit(lambda: self.services.people_ids(query), self.compose_to)

    def _compose_logged(self) -> None:
        self.people_view.refresh()
        self.refresh_counts()

    # -- end of Compose ------------------------------------------------------------------

    # -- Opportunities (H7) ---------------------------------------------------------------

    def _show_opportunities_if_chosen(self, item: QListWidgetItem | None) -> None:
        if item is not self.opportunities_item:
            return
        view = self._built_opportunities_view()
        self.stack.setCurrentWidget(view)
        view.load()

    def _built_opportunities_view(self) -> OpportunitiesView:
        if self.opportunities_view is None:
            from recruiter_desk.ui.views.opportunities_view import OpportunitiesView

            self.opportunities_view = OpportunitiesView(self.services, self.executor, self)
            self.opportunities_view.pipeline_changed.connect(self.refresh_counts)
            self.opportunities_view.pipeline_changed.connect(self.refresh_day_views)  # H6
            self.opportunities_view.compose_requested.connect(self.compose_to)
            self.stack.addWidget(self.opportunities_view)
        return self.opportunities_view

    # -- status --------------------------------------------------------------------------

    @Slot()
    def refresh_counts(self) -> None:
        self.executor.submit(self.services.counts, self._show_counts)

    _counts: Counts | None = None

    def _show_counts(self, counts: Counts) -> None:
        self._counts = counts
        self.counts_label.setText(
            f"{counts.people:,} people  ·  {counts.cold:,} cold  ·  {counts.owed:,} owed a message"
        )

    def _busy(self, busy: bool) -> None:
        self.busy_label.setText("Working…" if busy else "")

    # -- actions -------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.show_people()
        self.people_view.search_box.setFocus()
        self.people_view.search_box.selectAll()

    def refresh(self) -> None:
        """Everything shown read again: what the command line wrote meanwhile appears."""
        self.people_view.refresh()
        self.refresh_counts()
        self.refresh_day_views()

    def new_person(self) -> None:
        self.show_people()
        self.people_view.new_person()

    def save_person(self) -> None:
        panel = self.people_view.panel
        if panel.is_editing and panel.has_unsaved_edits():
            panel.save()

    def new_article(self) -> ArticleDialog:
        from recruiter_desk.ui.dialogs.small_dialogs import ArticleDialog

        dialog = ArticleDialog(self.services, self.executor, self.report_error, self)
        dialog.article_added.connect(self._article_added)
        self.dialogs["article"] = dialog
        dialog.show()
        return dialog

    def _article_added(self, title: str) -> None:
        self.statusBar().showMessage(f"Saved the article “{title}”.", 8000)

    def warn_about_settings(self, problems: list[str]) -> None:
        """Say once, after the window shows, which settings were not usable (and what is
        used instead); the list works meanwhile on the defaults."""
        box = QMessageBox(self)
        box.setObjectName("settingsProblemsBox")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Settings")
        box.setText("Some settings could not be used, so their defaults are.")
        box.setInformativeText("\n\n".join(problems))
        self.dialogs["settings-problems"] = box
        QTimer.singleShot(0, box.open)

    def delete_selection(self) -> None:
        if self.stack.currentWidget() is self.people_view:
            self.people_view.delete_selection()

    def undo(self) -> None:
        self.people_view.undo()

    def _undo_changed(self, text: str) -> None:
        self.undo_action.setEnabled(self.people_view.can_undo())
        self.undo_action.setText(text or "&Undo")
        if text:
            self.statusBar().showMessage(
                f"Deleted. {text.replace('Undo', 'Ctrl+Z to undo')}.", 8000
            )

    def open_import(self) -> ImportDialog:
        from recruiter_desk.ui.dialogs.import_dialog import ImportDialog

        dialog = ImportDialog(self.services, self.executor, self.report_error, self)
        dialog.import_finished.connect(self._imported)
        self.dialogs["import"] = dialog
        dialog.show()
        return dialog

    def _imported(self, _report: object = None) -> None:
        self.show_people()
        self.people_view.refresh()
        self.people_view.reload_filter_choices()
        self.refresh_counts()
        self.refresh_day_views()  # Today and Timeline (H6): job changes, imports

    # -- mail (H9) ---------------------------------------------------------------------------

    def open_mail_import(self) -> MailImportDialog:
        from recruiter_desk.ui.dialogs.mail_dialog import MailImportDialog

        dialog = MailImportDialog(self.services, self.executor, self.report_error, self)
        dialog.mail_imported.connect(self._imported)
        self.dialogs["mail"] = dialog
        dialog.show()
        return dialog

    # -- end of mail -------------------------------------------------------------------------

    # -- mail account (H3 imap): Edit → Mail account…, File → Sync mail ----------------------

    def open_mail_account(self) -> MailAccountDialog:
        from recruiter_desk.ui.dialogs.mail_account_dialog import MailAccountDialog

        dialog = MailAccountDialog(self.services, self.executor, self.report_error, self)
        dialog.account_saved.connect(self.apply_settings)
        self.dialogs["mail-account"] = dialog
        dialog.show()
        return dialog

    # -- team (issue 17): File → Copy to team database… ------------------------------------

    def open_copy_to(self) -> CopyToDialog:
        from recruiter_desk.ui.dialogs.copy_to_dialog import CopyToDialog

        dialog = CopyToDialog(self.services, self.executor, self.report_error, self)
        self.dialogs["copy-to"] = dialog
        dialog.show()
        return dialog

    def sync_mail(self) -> None:
        from recruiter_desk.ui.dialogs.mail_account_dialog import MailSync

        if self.mail_sync is None:
            self.mail_sync = MailSync(self, self.services, self.executor, self.report_error)
            self.mail_sync.synced.connect(self._imported)
            self.mail_sync.said.connect(self._say_for_a_while)
        self.mail_sync.start()

    def _say_for_a_while(self, sentence: str) -> None:
        self.statusBar().showMessage(sentence, 30000)

    # -- end of mail account -----------------------------------------------------------------

    # -- calendar (H4) -----------------------------------------------------------------------

    def open_calendar_import(self) -> CalendarImportDialog:
        from recruiter_desk.ui.dialogs.calendar_dialog import CalendarImportDialog

        dialog = CalendarImportDialog(self.services, self.executor, self.report_error, self)
        dialog.mail_imported.connect(self._imported)
        self.dialogs["calendar"] = dialog
        dialog.show()
        return dialog

    # -- end of calendar ---------------------------------------------------------------------

    def open_export(self) -> ExportDialog:
        return self._export_with(None)

    def _export_with(self, query: object) -> ExportDialog:
        from recruiter_desk.ui.dialogs.small_dialogs import ExportDialog

        selection = self.people_view.selected_ids()
        dialog = ExportDialog(
            self.services,
            self.executor,
            current=self.people_view.current_query(),
            selection=selection,
            parent=self,
        )
        if query is not None and selection:
            dialog.scope_selection.setChecked(True)
        self.dialogs["export"] = dialog
        dialog.show()
        return dialog

    def load_demo(self) -> None:
        run = ProgressRun(
            self,
            self.executor,
            "Creating a demo network…",
            lambda progress, cancelled: self.services.demo(progress=progress, cancelled=cancelled),
        )
        run.finished.connect(lambda _summary: self._imported(None))
        run.failed.connect(self.report_error)
        self.dialogs["demo"] = run.dialog

    def backup(self) -> None:
        self.executor.submit(
            self.services.backup,
            lambda path: self.statusBar().showMessage(f"Backed up to {path}", 10000),
        )

    def restore(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Restore a backup", str(Path.home()), "Backups (*.sqlite3 *.db);;All files (*)"
        )
        if not name:
            return
        answer = QMessageBox.question(
            self,
            "Restore",
            f"Replace everything in Recruiter Desk with {name}? The current "
            "database is kept as a backup first.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.restore_from(Path(name))

    def restore_from(self, path: Path) -> None:
        self.executor.submit(lambda: self.services.restore(path), self._restored)

    def _restored(self, _result: object) -> None:
        self.statusBar().showMessage("Restored the backup", 10000)
        self._imported(None)

    def find_duplicates(self) -> DuplicatesDialog:
        from recruiter_desk.ui.dialogs.duplicates_dialog import DuplicatesDialog

        dialog = DuplicatesDialog(self.services, self.executor, self)
        dialog.merged.connect(self._imported)
        self.dialogs["duplicates"] = dialog
        dialog.show()
        return dialog

    def open_retention(self) -> RetentionDialog:
        from recruiter_desk.ui.dialogs.retention_dialog import RetentionDialog

        dialog = RetentionDialog(self.services, self.executor, self.report_error, self)
        dialog.people_erased.connect(self.refresh)
        self.dialogs["retention"] = dialog
        dialog.show()
        return dialog

    def open_settings(self) -> None:
        dialog = self.settings_dialog()
        if dialog.exec():
            self.apply_settings(dialog.settings())

    def settings_dialog(self) -> SettingsDialog:
        from recruiter_desk.ui.dialogs.small_dialogs import SettingsDialog
        from recruiter_desk.ui.widgets.encryption_row import EncryptionRow

        dialog = SettingsDialog(self.services.settings, self)
        # Encryption (H7 trust): acts at once, not on Save
        encryption = EncryptionRow(self.services, self.executor, self.report_error, dialog)
        encryption.converted.connect(self.refresh)
        dialog.add_row("Encryption at rest", encryption)
        self.dialogs["settings"] = dialog
        return dialog

    def apply_settings(self, settings: object) -> None:
        from recruiter_desk.settings import Settings

        assert isinstance(settings, Settings)
        self.services.settings = settings
        settings.save(self.services.paths.settings_file)
        # Stored warmth inputs follow new cadences or thresholds, then everything is read
        # once: reading before that would read everyone the slow exact way, then again.
        self.executor.submit(
            self.services.apply_warmth_settings, lambda _done: self.refresh(), self.report_error
        )

    def log_interaction(self, person_id: int) -> None:
        from recruiter_desk.ui.dialogs.small_dialogs import LogInteractionDialog

        dialog = LogInteractionDialog(
            self.people_view.panel.heading.text(), self, zone=self.services.as_of().zone
        )
        self.dialogs["log"] = dialog
        if not dialog.exec():
            return
        kind, direction = dialog.kind.currentText(), dialog.direction.currentText()
        subject, when = dialog.subject.text(), dialog.occurred_at()
        self.executor.submit(
            lambda: self.services.log_interaction(person_id, kind, direction, subject, when),
            lambda _r: self._logged(person_id),
        )

    def _compose_started(self, _person_id: int) -> None:
        # The app cannot see whether the mail was sent; the recruiter logs it when it was.
        self.statusBar().showMessage(
            "Opened your mail client. Once it is sent, log it with Log interaction…", 10000
        )

    def _address_copied(self, address: str) -> None:
        self.statusBar().showMessage(f"Copied {address}. Once it is sent, log it.", 10000)

    def _logged(self, person_id: int) -> None:
        # What the recruiter looks at first: the panel, then the list and the counts.
        self.people_view.panel.show_person(person_id, keep_edits=True)
        self.people_view.refresh_person(person_id)
        self.after_one_person_changed(person_id)
        if self._timeline_view is not None:
            self._timeline_view.refresh()

    def about(self) -> None:
        QMessageBox.about(self, "About Recruiter Desk", self.about_text())

    def about_text(self) -> str:
        """What a bug report needs: versions and where the data is (package, H10)."""
        import platform

        from PySide6 import __version__ as pyside_version
        from PySide6.QtCore import qVersion

        return (
            f"<h3>Recruiter Desk {__version__}</h3><p>Your whole network, kept warm. "
            "Offline, yours, and honest with every candidate.</p>"
            f"<p>Database: {escape(self.services.database.display_location)}<br>"
            f"Qt {qVersion()} (PySide6 {pyside_version}), Python {platform.python_version()}</p>"
        )

    def open_log_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.services.paths.log_dir)))

    # -- Today and Timeline (H6) ---------------------------------------------------------

    def _add_day_views(self) -> None:
        """Today (first in the sidebar; the window opens on it) and Timeline (after People)."""
        self.today_view = TodayView(self.services, self.executor, self)
        # Timeline is built when first shown (the timeline_view property).
        self._timeline_view: TimelineView | None = None
        self._notified = False
        self._tray: object = None
        today_item = QListWidgetItem(icon("today"), "Today")
        today_item.setData(Qt.ItemDataRole.UserRole, "Today")
        self.sidebar.insertItem(0, today_item)
        timeline_item = QListWidgetItem(icon("timeline"), "Timeline")
        timeline_item.setData(Qt.ItemDataRole.UserRole, "Timeline")
        self.sidebar.insertItem(self._sidebar_row("People") + 1, timeline_item)
        self.sidebar_views["Today"] = self.today_view
        self.stack.addWidget(self.today_view)
        self.today_view.touch_logged.connect(self._touched_from_day_views)
        self.today_view.person_requested.connect(self.open_person)
        self.today_view.timeline_requested.connect(self.open_timeline)
        self.today_view.compose_requested.connect(self._compose_from_today)
        self.today_view.today_loaded.connect(self._today_loaded)
        self.people_view.people_changed.connect(self.today_view.load)

    @property
    def timeline_view(self) -> TimelineView:
        if self._timeline_view is None:
            from recruiter_desk.ui.views.timeline_view import TimelineView

            view = TimelineView(self.services, self.executor, self)
            view.touch_logged.connect(self._touched_from_day_views)
            view.person_requested.connect(self.open_person)
            self.stack.addWidget(view)
            self.sidebar_views["Timeline"] = view
            self._timeline_view = view
        return self._timeline_view

    def _sidebar_view(self, name: str) -> QWidget:
        return self.timeline_view if name == "Timeline" else self.sidebar_views[name]

    def _compose_from_today(self, person_id: int, purpose: str, opportunity_id: int) -> None:
        self.compose_to([person_id], purpose or None, opportunity_id or None)

    def timeline_of_selection(self) -> None:
        selected = self.people_view.selected_ids()
        self.open_timeline(selected[0] if selected else None)

    def _view_shown(self, name: str) -> None:
        if name == "Today" and self.today_view.today is None:
            if not self._first_screen_pending:
                self.today_view.load()
        elif name == "Timeline":
            self.timeline_view.load()
        elif name == "People":
            self.people_view.load()  # at once when chosen before the first screen is up

    def open_person(self, person_id: int) -> None:
        self.show_people()
        self.people_view.select_person(person_id)

    def open_timeline(self, person_id: int | None = None) -> None:
        """The timeline of one person (or everyone's, without one)."""
        if person_id is None:
            self.show_view("Timeline")
            self.timeline_view.show_all()
            return
        # The name on the panel saves a round trip; the scope is set before the view
        # shows, which would otherwise read everyone's feed on first use.
        known = self.people_view.panel.name_shown(person_id)
        self.timeline_view.show_person(person_id, known)
        self.show_view("Timeline")

    def _touched_from_day_views(self, person_id: int) -> None:
        # The view the touch was logged on first (Today or the timeline: both on screen).
        self.after_one_person_changed(person_id)
        if self._timeline_view is not None:
            self._timeline_view.refresh()
        self.people_view.refresh_person(person_id)
        if self.people_view.panel.person_id == person_id:
            self.people_view.panel.show_person(person_id)

    # -- after a touch (H1 touch): Today and the counts from the person's part ------------

    def after_one_person_changed(self, person_id: int) -> None:
        """Today, its sidebar count and the status bar's counts after a touch, a snooze or
        a save of one person: from one read of that person (Services.touch_change), the
        whole queue read again later in the background; everything counted and read again
        where the change is not known."""
        self.executor.submit(
            lambda: self.services.touch_change(person_id), self._apply_one_person_change
        )

    def _apply_one_person_change(self, change: TouchChange | None) -> None:
        if change is None or self._counts is None:
            self.refresh_counts()
        else:
            self._show_counts(self._counts.plus(change.counts))
        if change is None:
            self.today_view.load_soon()
        else:
            self.today_view.splice(change)

    @Slot()
    def refresh_day_views(self) -> None:
        """Today and the timeline again, after anything that changes what they show
        (Today at once when on screen, else once the worker is free: TodayView.load_soon)."""
        self.today_view.load_soon()
        if self._timeline_view is not None:
            self._timeline_view.refresh()

    def _today_loaded(self, today: object) -> None:
        from recruiter_desk.core.today import Today

        assert isinstance(today, Today)
        row = self._sidebar_row("Today")
        item = self.sidebar.item(row)
        if item is not None:
            due = today.due_count
            item.setText(f"Today  {due:,}" if due else "Today")
            item.setToolTip(
                f"{today.totals.get('owed', 0):,} owed a message, "
                f"{today.totals.get('follow_ups', 0):,} follow-ups due"
            )
        if not self._notified:
            self._notified = True
            # People may not be painted yet (the window opened on Today): count now.
            self.refresh_counts()
            self._notify(today)

    def _notify(self, today: object) -> None:
        """On start, say how many are owed or due, through the tray where there is one."""
        from PySide6.QtWidgets import QSystemTrayIcon

        from recruiter_desk.core.today import Today
        from recruiter_desk.core.wording import count

        assert isinstance(today, Today)
        owed, due = today.totals.get("owed", 0), today.totals.get("follow_ups", 0)
        if not (owed or due) or not QSystemTrayIcon.isSystemTrayAvailable():
            return
        tray = QSystemTrayIcon(self.windowIcon(), self)
        tray.setObjectName("trayIcon")
        tray.activated.connect(self._tray_activated)
        tray.show()
        parts = []
        if owed:
            parts.append(f"{count(owed, 'message')} owed")
        if due:
            parts.append(f"{count(due, 'follow-up')} due")
        tray.showMessage("Recruiter Desk — Today", " and ".join(parts) + ".")
        self._tray = tray

    def _tray_activated(self, _reason: object) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()
        self.show_view("Today")

    # -- errors --------------------------------------------------------------------------

    # -- one window per database (H7 trust): a second start brings this one forward ------

    def listen_for_second_starts(self, database_file: Path) -> None:
        from recruiter_desk.ui.single_window import WindowServer

        self.window_server = WindowServer(database_file, self)
        self.window_server.come_forward.connect(self.come_forward)
        self.window_server.listen()

    @Slot()
    def come_forward(self) -> None:
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def report_error(self, error: BaseException) -> None:
        """Expected problems get a plain dialog; bugs go to the crash handler."""
        if isinstance(error, KnownError):
            QMessageBox.warning(self, "Recruiter Desk", error.message)
            return
        from recruiter_desk.ui.crash import show_crash

        show_crash(error, self)

    # -- closing -------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        panel = self.people_view.panel
        if not self._closing and panel.has_unsaved_edits():
            # Saving is a database task: close once it is done (the panel calls back).
            event.ignore()
            panel.leave(self._close_after_leaving)
            return
        self.layout_settings.setValue("window/geometry", self.saveGeometry())
        self.people_view.save_layout(self.layout_settings)
        self.layout_settings.sync()
        # Whatever runs is asked to stop (long tasks check the executor's closing token and
        # roll back), and the window closes within QUIT_WAIT_S even if it has not yet.
        started = time.monotonic()
        idle = self.executor.shutdown(timeout=QUIT_WAIT_S)
        for thread in self.background_threads:
            # The daily backup copies a file; it may finish after the window is gone.
            thread.join(max(0.0, QUIT_WAIT_S - (time.monotonic() - started)))
        if self.window_server is not None:
            self.window_server.close()
        # Another window may open the database now, even while a task still winds down.
        self.services.release_window()
        if idle:
            self.services.close()
        event.accept()

    _closing = False
    window_server: WindowServer | None = None

    def _close_after_leaving(self) -> None:
        self._closing = True
        self.close()

    def keyPressEvent(self, event: object) -> None:
        from PySide6.QtGui import QKeyEvent

        if isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape:
            self.people_view.search_box.clear()
            return
        super().keyPressEvent(event)  # type: ignore[arg-type]
