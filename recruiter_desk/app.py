"""Composition root: arguments, paths, logging, then the command or the window."""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
import os
import re
import sys
import threading
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from recruiter_desk.paths import app_paths, ensure_private_dir

if TYPE_CHECKING:
    from pathlib import Path

    from recruiter_desk.core.services import Services
    from recruiter_desk.db.backup import OpenInWindow, Retention, WindowAlreadyOpen
    from recruiter_desk.db.session import Database
    from recruiter_desk.errors import KnownError
    from recruiter_desk.ui.main_window import MainWindow

log = logging.getLogger("recruiter_desk")


# Names and emails of other people must not reach the log above DEBUG: SQL parameters
# (hidden by the engine too, in case another engine or library prints them) and addresses.
_SQL_PARAMETERS = re.compile(r"\[parameters: [^\n]*")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def redact(text: str) -> str:
    """``text`` without SQL parameters, email addresses or URL secrets."""
    from recruiter_desk.errors import mask_secrets

    text = _SQL_PARAMETERS.sub("[parameters hidden]", text)
    return _EMAIL.sub("<email>", mask_secrets(text))


class PrivateLogFilter(logging.Filter):
    """Strips personal data from every record above DEBUG, traceback included."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno <= logging.DEBUG:
            return True
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose files are created readable by the user alone (0600)."""

    def _open(self) -> Any:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with contextlib.suppress(OSError):
            os.fchmod(fd, 0o600)  # a log file left by an older version
        return open(fd, self.mode, encoding=self.encoding, errors=self.errors)


class TerminalNotices(logging.Handler):
    """Shows on stderr the few log records meant for the user (``extra={"notice": True}``)."""

    def emit(self, record: logging.LogRecord) -> None:
        if getattr(record, "notice", False):
            print(f"recruiter-desk: {record.getMessage()}", file=sys.stderr)


def configure_logging(*, terminal_notices: bool = False) -> None:
    """Log to a private rotating file in the log folder; to the terminal only notices.

    Personal data is only logged at DEBUG, which is off unless RECRUITER_DESK_DEBUG is set.
    """
    paths = app_paths()
    for existing in list(log.handlers):
        if getattr(existing, "_recruiter_desk", False):
            if getattr(existing, "baseFilename", None) == os.path.abspath(paths.log_file):
                break
            log.removeHandler(existing)  # the log folder moved (RECRUITER_DESK_HOME)
            existing.close()
    else:
        try:
            ensure_private_dir(paths.log_dir)
            handler: logging.Handler = PrivateRotatingFileHandler(
                paths.log_file, maxBytes=2_000_000, backupCount=3, encoding="utf-8"
            )
        except OSError:
            handler = logging.NullHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler.addFilter(PrivateLogFilter())
        handler._recruiter_desk = True  # type: ignore[attr-defined]
        log.addHandler(handler)
    if terminal_notices and not any(isinstance(h, TerminalNotices) for h in log.handlers):
        log.addHandler(TerminalNotices(logging.WARNING))
    log.setLevel(logging.DEBUG if os.environ.get("RECRUITER_DESK_DEBUG") else logging.INFO)
    log.propagate = False


def create_main_window(
    database: str,
    *,
    synchronous: bool = False,
    use_local_copy: Callable[[str], bool] | None = None,
    claim: OpenInWindow | None = None,
) -> MainWindow:
    """The main window on ``database`` (a path or URL), loaded and ready to show.

    Needs an existing QApplication. ``synchronous`` runs database work on the GUI thread
    at the next event-loop turn instead of the worker thread (tests). When a team
    database's server cannot be reached, ``use_local_copy(sentence)`` is asked whether to
    open its last local copy read-only (a question box when not given). ``claim`` is the
    window's hold on the database file when already taken; else it is taken here, and
    ``WindowAlreadyOpen`` raised when another window has the database.
    """
    from recruiter_desk.core.maintenance import claim_window
    from recruiter_desk.core.services import Services
    from recruiter_desk.db.open import open_database
    from recruiter_desk.settings import load_settings
    from recruiter_desk.ui.executor import Executor, SyncExecutor

    paths = app_paths()
    settings, problems = load_settings(paths.settings_file)
    # The daily backup copies the whole file: it runs on the worker, after the window shows.
    from recruiter_desk.db.backup import Retention

    retention = Retention.from_settings(settings)
    from recruiter_desk.errors import ServerUnreachable
    from recruiter_desk.settings import recruiter_name

    read_only: str | None = None
    # Before the file is opened: a second window must not migrate it or ask for its key.
    claim = claim or claim_window(database)
    from recruiter_desk.core.warmth import WarmthPolicy
    from recruiter_desk.core.warmth_store import settler

    try:
        opened = open_database(
            database,
            retention=retention,
            daily_backup=False,
            recruiter=recruiter_name(settings),
            # An upgrade settles the stored warmth inputs under these settings.
            settlers=[settler(lambda: WarmthPolicy.from_settings(settings))],
        )
    except ServerUnreachable as error:
        opened, read_only = _local_copy_instead(database, error, use_local_copy or _ask_offline)
    except BaseException:
        if claim is not None:
            claim.release()
        raise
    services = Services(opened, settings, paths)
    services.mark_open_in_window(claim)
    holder: list[MainWindow] = []

    def on_error(error: BaseException) -> None:
        if holder:
            holder[0].report_error(error)
        else:  # pragma: no cover - only before the window exists
            log.error("error before the window was ready: %s", error)

    runner = SyncExecutor if synchronous else Executor
    executor = runner(on_error, interrupt=services.interrupt)
    # The first screen is read on the worker while the widgets are built here (its SQL
    # leaves the interpreter free): launch waits for that one query and for nothing else.
    from recruiter_desk.ui.views.today_view import read_first_screen

    executor.submit(
        lambda: read_first_screen(services),
        lambda today: holder[0].first_screen_arrived(today) if holder else None,
    )
    from recruiter_desk.ui.main_window import MainWindow

    window = MainWindow(services, executor)
    executor.setParent(window)
    holder.append(window)
    window.start()
    if claim is not None:
        # A second start keeps asking for 15 s: answering can wait for the first screen.
        database_file = claim.database_file
        window.after_first_screen(lambda: window.listen_for_second_starts(database_file))
    if problems:
        window.warn_about_settings(problems)

    # Its own thread, once the first screen is painted: copying a large file must not
    # hold up that screen, nor the list behind it.
    def start_backup() -> None:
        backup_thread = threading.Thread(
            target=_daily_backup,
            args=(opened.location, retention),
            name="recruiter-desk-backup",
            daemon=True,  # quitting does not wait for it: an unfinished copy is discarded
        )
        backup_thread.start()
        window.background_threads.append(backup_thread)

    window.after_first_screen(start_backup)
    if not synchronous:
        # The window as used (tests build views when they use them, as before).
        window.prepare_views_when_idle()
    if read_only is not None:
        _mark_read_only(window, read_only)
    elif not opened.is_sqlite:
        # Team mode: the local copy to read when the server is away, refreshed once the
        # first screen is up (its own connections; it never blocks the window's work).
        copy_thread = threading.Thread(
            target=_keep_local_copy, args=(services,), name="recruiter-desk-local-copy"
        )
        copy_thread.start()
        window.background_threads.append(copy_thread)
    return window


def _keep_local_copy(services: Services) -> None:
    from recruiter_desk.errors import KnownError

    try:
        services.keep_local_copy()
    except KnownError as error:
        log.warning("The local copy of the team database was not refreshed: %s", error)


def _local_copy_instead(
    location: str, error: KnownError, use: Callable[[str], bool]
) -> tuple[Database, str]:
    """The server is unreachable: its last local copy, read-only, if the recruiter wants it
    (docs/team.md, "Offline"); else the error, in one sentence."""
    from recruiter_desk.core.team import last_local_copy, when_taken

    copy, unreachable = last_local_copy(app_paths().data_dir, location, error)
    shown = f"{unreachable}; your local copy of {when_taken(copy.taken)} can be opened, read-only."
    if not use(shown):
        copy.close()
        raise error
    return copy, f"Read-only: your local copy of {when_taken(copy.taken)} (the server is away)"


def _ask_offline(sentence: str) -> bool:
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox()
    box.setObjectName("offlineBox")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Recruiter Desk")
    box.setText(sentence)
    open_copy = box.addButton("Open read-only copy", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(open_copy)
    box.exec()
    return box.clickedButton() is open_copy


def _mark_read_only(window: MainWindow, notice: str) -> None:
    from PySide6.QtWidgets import QLabel

    label = QLabel(notice)
    label.setObjectName("readOnlyNotice")
    label.setStyleSheet("color: #b71c1c; font-weight: 600;")
    window.statusBar().insertWidget(0, label)
    window.setWindowTitle(f"{window.windowTitle()} — read-only copy")


def _daily_backup(location: str, keep: Retention) -> None:
    from datetime import datetime

    from recruiter_desk.db.engine import sqlite_path
    from recruiter_desk.db.open import daily

    file = sqlite_path(location)
    now = datetime.now()
    if file is not None and file.exists():
        daily(file, keep, now)


def run_gui(location: str) -> int:
    # Without a display Qt aborts the process (a core dump): say what is missing instead.
    problem = _display_problem()
    if problem:
        print(f"recruiter-desk: {problem}", file=sys.stderr)
        return 1
    from PySide6.QtWidgets import QApplication

    from recruiter_desk.errors import KnownError
    from recruiter_desk.ui import crash
    from recruiter_desk.ui.collector import collect_on_gui_thread
    from recruiter_desk.ui.style import apply_palette, icon

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    from recruiter_desk.core.maintenance import claim_window
    from recruiter_desk.db.backup import WindowAlreadyOpen

    try:
        claim = claim_window(location)
    except WindowAlreadyOpen as refused:
        return _send_to_the_open_window(refused)
    app.setApplicationName("Recruiter Desk")
    app.setOrganizationName("recruiter-desk")
    app.setDesktopFileName("recruiter-desk")
    apply_palette(app)
    app.setWindowIcon(icon("recruiter-desk"))
    crash.install()
    collect_on_gui_thread(app)
    _ask_passphrases_in_a_dialog()
    try:
        window = create_main_window(location, claim=claim)
    except KnownError as error:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(None, "Recruiter Desk", error.message)
        print(f"recruiter-desk: {error}", file=sys.stderr)
        return 1
    window.show()
    if os.environ.get("RECRUITER_DESK_EXIT_WHEN_SHOWN"):
        # Benchmarks: report when the window and the first rows are on screen, then quit.
        _exit_when_list_painted(window)
    code = int(app.exec())
    _leave_now(code)
    return code


def _leave_now(code: int) -> None:
    """End the process without tearing Qt and the interpreter down, which took a third of
    a second after the window had closed. The window has saved its layout and released
    the database by now; a task still running on a daemon thread is left, as quitting
    promises (docs/architecture.md, "The executor"). Other threads (the team database's
    local copy) are waited for, as usual."""
    others = [t for t in threading.enumerate() if t is not threading.main_thread()]
    if any(t.is_alive() and not t.daemon for t in others):
        return
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _send_to_the_open_window(refused: WindowAlreadyOpen) -> int:
    """A second start on an open database brings the first window forward and ends."""
    from recruiter_desk.ui.single_window import ask_to_come_forward

    if ask_to_come_forward(refused.database_file):
        print(
            f"Recruiter Desk already has {refused.database_file} open; "
            "its window was brought to the front."
        )
        return 0
    print(
        f"recruiter-desk: {refused} It did not answer; close it, or end its process.",
        file=sys.stderr,
    )
    return 1


def _ask_passphrases_in_a_dialog() -> None:
    """An encrypted database with no usable keyring asks for its passphrase in a dialog."""
    from recruiter_desk.db import encryption

    def ask(path: Path, new: bool) -> str | None:
        from PySide6.QtWidgets import QInputDialog, QLineEdit

        prompt = "New passphrase for" if new else "Passphrase for"
        text, ok = QInputDialog.getText(
            None, "Recruiter Desk", f"{prompt} {path.name}:", QLineEdit.EchoMode.Password
        )
        return text if ok and text else None

    encryption.ask_passphrase = ask


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
            print(f"shown {time.time():.6f} {time.process_time():.3f}", flush=True)
            QApplication.quit()

    model.dataChanged.connect(check)
    model.modelReset.connect(check)

    # The window opens on Today when the network is not empty: that is the first screen.
    def today_shown(*_args: object) -> None:
        if not done:
            done.append(True)
            window.repaint()
            print(f"shown {time.time():.6f} {time.process_time():.3f}", flush=True)
            QApplication.quit()

    window.today_view.today_loaded.connect(today_shown)


def run_smoke_test() -> int:
    """Open the window offscreen on a temporary demo database, show every sidebar view,
    close: exit 0 when each showed, 1 (with what failed) otherwise. Checks an install or a
    bundle without a display and without touching the user's data."""
    import tempfile

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="recruiter-desk-smoke-") as folder:
        saved_home = os.environ.get("RECRUITER_DESK_HOME")
        os.environ["RECRUITER_DESK_HOME"] = folder  # settings, logs and backups stay in it
        try:
            return _smoke_test_in(Path(folder), date(2026, 11, 25))
        finally:
            if saved_home is None:
                os.environ.pop("RECRUITER_DESK_HOME", None)
            else:
                os.environ["RECRUITER_DESK_HOME"] = saved_home


def _smoke_test_in(folder: Path, day: date) -> int:
    from PySide6.QtWidgets import QApplication

    from recruiter_desk.core.demo import generate_demo
    from recruiter_desk.db.engine import postgresql_driver
    from recruiter_desk.db.open import open_database

    problem = _display_problem()
    if problem:
        print(f"recruiter-desk: {problem}", file=sys.stderr)
        return 1
    location = str(folder / "smoke.sqlite3")
    database = open_database(location, daily_backup=False)
    generate_demo(database, people=60, seed=3, as_of=day)
    database.close()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = create_main_window(location, synchronous=True)
    window.show()
    shown: list[str] = []
    for row in range(window.sidebar.count()):
        window.sidebar.setCurrentRow(row)
        for _ in range(3):  # synchronous database work runs at the next event-loop turns
            app.processEvents()
        current = window.stack.currentWidget()
        if current is not None and current.isVisible() and current.objectName():
            shown.append(current.objectName())
    window.close()
    app.processEvents()
    expected = window.sidebar.count()
    if len(set(shown)) != expected:
        print(
            f"recruiter-desk: smoke test failed: {len(set(shown))} of {expected} views showed "
            f"({', '.join(shown) or 'none'}).",
            file=sys.stderr,
        )
        return 1
    # A team database needs SQLAlchemy's postgresql dialect, psycopg and its libpq.
    driver = postgresql_driver()
    print(f"Smoke test passed: {', '.join(shown)} shown and the window closed; {driver}.")
    return 0


def _display_problem() -> str | None:
    from recruiter_desk.ui.display_check import display_problem

    return display_problem()


# A command's first collection threshold (CPython's is 700 new objects): at 700, importing
# what a command needs collected about 200 times, each pass walking more of what the
# imports had made, 35 ms of a 0.6 s `today`. At this one the imports collect a few times,
# and a long command (an import, the 1M demo) still collects often enough to stay small.
_COMMAND_COLLECTION_THRESHOLD = 20_000


def _skip_exit_collection() -> None:
    """Leave every object alive now out of the collections Python makes as it exits.

    Those walk every object the imports made (SQLAlchemy's, the models'): 30 ms of a
    0.6 s `today`, for nothing, since by now the command has closed its database and
    files, and the process is about to end. Exit handlers and stream flushing still run.
    """
    import gc

    gc.freeze()


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


def console() -> int:
    """The installed ``recruiter-desk`` command and ``python -m recruiter_desk``."""
    return main(quick_exit=True)


def main(argv: Sequence[str] | None = None, *, quick_exit: bool = False) -> int:
    """The window, or the command the arguments name; its exit status.

    ``quick_exit``: the process ends right after a command, so its last cycle collection is
    skipped (docs/architecture.md, "Start-up and exit"). Calls in process leave it off."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments == ["--smoke-test"]:
        configure_logging()
        return run_smoke_test()
    window_only, db = _window_only(arguments)
    if not window_only:
        import gc

        thresholds = gc.get_threshold()
        if quick_exit:
            gc.set_threshold(_COMMAND_COLLECTION_THRESHOLD, *thresholds[1:])
        from recruiter_desk import cli

        args = cli.build_parser().parse_args(arguments)
        configure_logging(terminal_notices=args.command is not None)
        if args.command is not None:
            status = cli.run(args)
            if quick_exit:
                _skip_exit_collection()
            return status
        gc.set_threshold(*thresholds)  # the window: ui/collector.py collects as CPython would
        db = args.db
    configure_logging()
    from recruiter_desk.paths import database_location

    try:
        location = database_location(db)
    except OSError as error:
        print(f"recruiter-desk: cannot create the data folder: {error}", file=sys.stderr)
        return 1
    return run_gui(location)
