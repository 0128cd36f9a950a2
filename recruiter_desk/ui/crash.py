"""The crash handler: a bug is logged with its traceback and the user is told where."""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from recruiter_desk.paths import app_paths

log = logging.getLogger("recruiter_desk.crash")


def show_crash(error: BaseException, parent: QWidget | None = None) -> None:
    text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    log.error("unexpected error:\n%s", text)
    if QApplication.instance() is None:
        return
    box = QMessageBox(parent)
    box.setObjectName("crashDialog")
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("Recruiter Desk hit a bug")
    box.setText(
        "Something went wrong that should not have. Your data is safe: every change "
        "is saved in one piece or not at all."
    )
    box.setInformativeText(f"The details are in {app_paths().log_file}.")
    box.setDetailedText(text)
    box.exec()


def install() -> None:
    def hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, trace)
            return
        show_crash(error.with_traceback(trace), QApplication.activeWindow())

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            log.error(
                "unexpected error in thread %s:\n%s",
                args.thread,
                "".join(
                    traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback)
                ),
            )

    sys.excepthook = hook
    threading.excepthook = thread_hook
