"""Composition root: arguments, paths, logging, then the command or the window."""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

from recruiter_desk.paths import app_paths, ensure_private_dir

if TYPE_CHECKING:
    from recruiter_desk.ui.main_window import MainWindow

log = logging.getLogger("recruiter_desk")


def configure_logging() -> None:
    """Log to a rotating file in the log folder; never to the terminal.

    Personal data is only logged at DEBUG, which is off unless RECRUITER_DESK_DEBUG is set.
    """
    if any(getattr(h, "_recruiter_desk", False) for h in log.handlers):
        return
    paths = app_paths()
    try:
        ensure_private_dir(paths.log_dir)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            paths.log_file, maxBytes=2_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler._recruiter_desk = True  # type: ignore[attr-defined]
    log.addHandler(handler)
    log.setLevel(logging.DEBUG if os.environ.get("RECRUITER_DESK_DEBUG") else logging.INFO)
    log.propagate = False


def create_main_window(database: str, *, synchronous: bool = False) -> MainWindow:
    """The main window on ``database`` (a path or URL), loaded and ready to show.

    Needs an existing QApplication. ``synchronous`` runs database work on the GUI thread
    at the next event-loop turn instead of the worker thread (tests).
    """
    from recruiter_desk.core.services import Services
    from recruiter_desk.db.open import open_database
    from recruiter_desk.settings import Settings
    from recruiter_desk.ui.executor import Executor, SyncExecutor
    from recruiter_desk.ui.main_window import MainWindow

    paths = app_paths()
    settings = Settings.load(paths.settings_file)
    # The daily backup copies the whole file: it runs on the worker, after the window shows.
    opened = open_database(database, backups_to_keep=settings.backups_to_keep, daily_backup=False)
    services = Services(opened, settings, paths)
    services.mark_open_in_window()
    holder: list[MainWindow] = []

    def on_error(error: BaseException) -> None:
        if holder:
            holder[0].report_error(error)
        else:  # pragma: no cover - only before the window exists
            log.error("error before the window was ready: %s", error)

    executor = SyncExecutor(on_error) if synchronous else Executor(on_error)
    window = MainWindow(services, executor)
    executor.setParent(window)
    holder.append(window)
    window.start()
    # Its own thread: copying a large file must not hold up the list behind it.
    backup_thread = threading.Thread(
        target=_daily_backup,
        args=(opened.location, settings.backups_to_keep),
        name="recruiter-desk-backup",
    )
    backup_thread.start()
    window.background_threads.append(backup_thread)
    return window


def _daily_backup(location: str, keep: int) -> None:
    from datetime import datetime

    from recruiter_desk.db import backup
    from recruiter_desk.db.engine import sqlite_path
    from recruiter_desk.errors import KnownError

    file = sqlite_path(location)
    now = datetime.now()
    try:
        if file is not None and file.exists() and not backup.has_backup_from(file, now):
            backup.automatic_backup(file, "daily", keep, now)
    except KnownError as error:
        log.warning("daily backup skipped: %s", error)


def run_gui(location: str) -> int:
    from PySide6.QtWidgets import QApplication

    from recruiter_desk.errors import KnownError
    from recruiter_desk.ui import crash
    from recruiter_desk.ui.style import apply_palette, icon

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Recruiter Desk")
    app.setOrganizationName("recruiter-desk")
    app.setDesktopFileName("recruiter-desk")
    apply_palette(app)
    app.setWindowIcon(icon("recruiter-desk"))
    crash.install()
    try:
        window = create_main_window(location)
    except KnownError as error:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(None, "Recruiter Desk", error.message)
        print(f"recruiter-desk: {error}", file=sys.stderr)
        return 1
    window.show()
    if os.environ.get("RECRUITER_DESK_EXIT_WHEN_SHOWN"):
        # Benchmarks: report when the window and the first rows are on screen, then quit.
        _exit_when_list_painted(window)
    return int(app.exec())


def _exit_when_list_painted(window: MainWindow) -> None:
    import time

    from PySide6.QtWidgets import QApplication

    model = window.people_view.model
    done: list[bool] = []

    # Woken by the model, not by polling: a polling GUI thread would keep taking the GIL
    # from the worker and slow down exactly what is being measured.
    def check(*_args: object) -> None:
        if done or not model.rowCount():
            return
        if model.is_fully_loaded(0, min(model.rowCount(), 30) - 1):
            done.append(True)
            window.repaint()
            print(f"shown {time.time():.6f}", flush=True)
            QApplication.quit()

    model.dataChanged.connect(check)
    model.modelReset.connect(check)


def _window_only(argv: Sequence[str]) -> tuple[bool, str | None]:
    """Whether the arguments just open the window (at most ``--db``), and which database.

    Opening the window then skips importing the command line and every engine behind it.
    """
    import argparse

    quick = argparse.ArgumentParser(add_help=False)
    quick.add_argument("--db")
    try:
        known, rest = quick.parse_known_args(list(argv))
    except SystemExit:  # a malformed --db: let the full parser explain
        return False, None
    return not rest, known.db


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    window_only, db = _window_only(arguments)
    if not window_only:
        from recruiter_desk import cli

        args = cli.build_parser().parse_args(arguments)
        configure_logging()
        if args.command is not None:
            return cli.run(args)
        db = args.db
    configure_logging()
    from recruiter_desk.paths import database_location

    try:
        location = database_location(db)
    except OSError as error:
        print(f"recruiter-desk: cannot create the data folder: {error}", file=sys.stderr)
        return 1
    return run_gui(location)
