"""Long work on the executor behind a cancellable progress dialog.

The task gets ``progress(stage, fraction)`` and ``cancelled()`` callables; progress reports
cross to the GUI thread through a queued signal, so the dialog never blocks the work.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from recruiter_desk.ui.executor import CancelToken, Executor

MINIMUM_WIDTH = 420

Task = Callable[[Callable[[str, float], None], Callable[[], bool]], Any]


class _Reporter(QObject):
    """Carries progress from the worker: the latest report waits in a slot guarded by a
    lock, and only an argument-less signal crosses threads (see ``executor._Bridge``)."""

    wake = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._latest: tuple[str, float] | None = None

    def report(self, stage: str, fraction: float) -> None:
        with self._lock:
            first = self._latest is None
            self._latest = (stage, fraction)
        if first:
            self.wake.emit()

    def take(self) -> tuple[str, float] | None:
        with self._lock:
            latest, self._latest = self._latest, None
        return latest


class ProgressRun(QObject):
    """One run; ``finished(result)`` or ``cancelled()`` or ``failed(error)`` fires once."""

    finished = Signal(object)
    cancelled = Signal()
    failed = Signal(object)

    def __init__(
        self,
        parent: QWidget,
        executor: Executor,
        title: str,
        task: Task,
        cancelled_errors: tuple[type[BaseException], ...] = (),
    ) -> None:
        super().__init__(parent)
        # Cancelled by the dialog's button, or by the window closing.
        self.token = CancelToken(parent=executor.closing)
        self.fractions: list[float] = []
        self._cancelled_errors = cancelled_errors
        self.dialog = QProgressDialog(title, "Cancel", 0, 1000, parent)
        self.dialog.setObjectName("progressDialog")
        self.dialog.setWindowTitle(title)
        # Wide enough for the title bar to show the whole title beside its buttons.
        self.dialog.setMinimumWidth(
            max(MINIMUM_WIDTH, self.dialog.fontMetrics().horizontalAdvance(title) + 200)
        )
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(300)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self.token.cancel)
        self._reporter = _Reporter()
        self._reporter.wake.connect(self._update, Qt.ConnectionType.QueuedConnection)
        reporter = self._reporter
        executor.submit(
            lambda: task(reporter.report, self.token),
            self._done,
            self._failed,
        )

    @Slot()
    def _update(self) -> None:
        latest = self._reporter.take()
        if latest is None:
            return
        stage, fraction = latest
        self.fractions.append(fraction)
        if not self.token():
            self.dialog.setLabelText(stage)
            self.dialog.setValue(int(max(0.0, min(1.0, fraction)) * 1000))

    def _close(self) -> None:
        # QProgressDialog emits "canceled" when it closes; that is not the user cancelling.
        self.dialog.canceled.disconnect(self.token.cancel)
        self.dialog.close()

    def _done(self, result: Any) -> None:
        self._close()
        if result is None or self.token():
            self.cancelled.emit()
        else:
            self.finished.emit(result)

    def _failed(self, error: BaseException) -> None:
        self._close()
        if isinstance(error, self._cancelled_errors):
            self.cancelled.emit()
        else:
            self.failed.emit(error)
