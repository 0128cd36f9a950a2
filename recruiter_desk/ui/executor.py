"""One serialized worker for everything that touches the database from the GUI.

Work runs on a single background thread, one task at a time (SQLite has one writer, and
ordering keeps reads after the writes they depend on); results come back on the GUI thread
through a queued signal. Tasks receive plain values and return frozen dataclasses, never
live ORM objects. ``SyncExecutor`` runs tasks on the next turn of the event loop instead,
so tests are deterministic without threads.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, wait
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

log = logging.getLogger(__name__)

Done = Callable[[Any], object]
Failed = Callable[[BaseException], object]


class _Bridge(QObject):
    """Lives on the GUI thread. The worker only emits ``wake`` (no arguments): handing
    Python objects to a queued signal from a non-Qt thread corrupted reference counts in
    PySide6, so finished tasks wait in a thread-safe queue instead."""

    wake = Signal()


class Executor(QObject):
    """Runs ``task()`` off the GUI thread and calls ``done(result)`` or ``failed(error)`` on it.

    ``failed`` defaults to the application's error handler (``on_error``).
    """

    busy_changed = Signal(bool)

    def __init__(
        self,
        on_error: Failed,
        parent: QObject | None = None,
        *,
        interrupt: Callable[[int | None], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._on_error = on_error
        # Stops the statements running on one thread, or on all (None): Services.interrupt.
        self.interrupt = interrupt
        # A daemon thread, not a ThreadPoolExecutor: the pool's threads are joined when the
        # interpreter exits, so quitting waited for whatever query was running.
        self._tasks: queue.SimpleQueue[tuple[Future[Any], Callable[[], Any]] | None] = (
            queue.SimpleQueue()
        )
        self._worker: threading.Thread | None = None
        self._current: Future[Any] | None = None
        self._current_lock = threading.Lock()
        self._stopped: set[Future[Any]] = set()
        self._finished: queue.SimpleQueue[tuple[Future[Any], Done | None, Failed | None]] = (
            queue.SimpleQueue()
        )
        self._bridge = _Bridge()
        self._bridge.wake.connect(self._drain, Qt.ConnectionType.QueuedConnection)
        self._pending = 0
        self._closed = False
        self.closing = CancelToken()
        self._running: set[Future[Any]] = set()
        self._running_lock = threading.Lock()
        self._yielding: tuple[Future[Any], Callable[[], object]] | None = None

    def submit(
        self, task: Callable[[], Any], done: Done | None = None, failed: Failed | None = None
    ) -> Future[Any] | None:
        """Queue ``task``; its future, for ``stop`` (None once closed)."""
        if self._closed:
            return None
        self._give_way()
        self._task_started()
        future: Future[Any] = Future()
        with self._running_lock:
            self._running.add(future)
        future.add_done_callback(lambda f: self._finished_on_worker(f, done, failed))
        if self._worker is None:
            self._worker = threading.Thread(
                target=self._work, name="recruiter-desk-db", daemon=True
            )
            self._worker.start()
        self._tasks.put((future, task))
        return future

    def submit_yielding(
        self,
        task: Callable[[], Any],
        done: Done,
        dropped: Callable[[], object],
        failed: Failed | None = None,
    ) -> None:
        """Queue ``task`` as work nobody waits for (Today read again after a touch was
        spliced in): the next ``submit`` stops it, queued or running, and ``dropped()`` is
        called on the GUI thread instead of ``done``, so that it can be asked again later.
        What the recruiter asks for never waits behind it."""
        future = self.submit(task, done, failed)  # which stops a yielding task before it
        if future is not None:
            self._yielding = (future, dropped)

    def _give_way(self) -> None:
        if self._yielding is None:
            return
        future, dropped = self._yielding
        self._yielding = None
        if future.done():
            return  # its result is on its way
        self.stop(future)
        dropped()

    def _work(self) -> None:
        while True:
            item = self._tasks.get()
            if item is None:
                return
            future, task = item
            with self._current_lock:
                if not future.set_running_or_notify_cancel():
                    continue  # dropped by shutdown or stop
                self._current = future
            try:
                result = task()
            except BaseException as error:
                future.set_exception(error)
            else:
                future.set_result(result)
            finally:
                with self._current_lock:
                    self._current = None

    def stop(self, future: Future[Any] | None) -> None:
        """Drop a task no longer wanted (a list a newer keystroke replaces): cancelled if
        still queued, its statement interrupted if running. Its callbacks are not called."""
        if future is None:
            return
        # Under the lock the worker cannot move on to the next task meanwhile, so the
        # interrupt reaches this task's statement and no other.
        with self._current_lock:
            if future.cancel():
                return
            if future is not self._current or self.interrupt is None:
                return
            self._stopped.add(future)
        self._interrupt_while_running(future)

    def _interrupt_while_running(self, future: Future[Any]) -> None:
        # Again until it ends: SQLite forgets an interrupt that falls between statements.
        with self._current_lock:
            if future is not self._current or self.interrupt is None or self._worker is None:
                return
            self.interrupt(self._worker.ident)
        QTimer.singleShot(20, lambda: self._interrupt_while_running(future))

    def _finished_on_worker(
        self, future: Future[Any], done: Done | None, failed: Failed | None
    ) -> None:
        with self._running_lock:
            self._running.discard(future)
        self._finished.put((future, done, failed))
        self._bridge.wake.emit()

    @Slot()
    def _drain(self) -> None:
        while True:
            try:
                future, done, failed = self._finished.get_nowait()
            except queue.Empty:
                return
            self._deliver(future, done, failed)

    def report_error(self, error: BaseException) -> None:
        """Hand an error a ``failed`` callback does not handle itself to the window's
        error report (the dialog every unhandled task failure gets)."""
        self._on_error(error)

    def _task_started(self) -> None:
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)

    def _task_ended(self) -> None:
        self._pending -= 1
        if self._pending == 0:
            self.busy_changed.emit(False)

    def _deliver(self, future: Future[Any], done: Done | None, failed: Failed | None) -> None:
        self._task_ended()
        if future in self._stopped:
            self._stopped.discard(future)
            return  # interrupted on purpose (stop): no result, no error to show
        if self._closed or future.cancelled():
            return
        error = future.exception()
        if error is not None:
            (failed or self._on_error)(error)
        elif done is not None:
            done(future.result())

    def shutdown(self, timeout: float = 0.15) -> bool:
        """Drop the queued tasks, ask the running one to stop, wait at most ``timeout``
        seconds for it; whether the worker is idle (called on window close).

        Long tasks watch ``closing`` through their cancel token (``CancelToken(parent=
        executor.closing)``) and stop at their next check, rolling back; the statement
        running is interrupted (``interrupt``), which rolls its transaction back. A task
        that does not stop in time is left behind: the window closes anyway, and the
        process ends without waiting for it (SQLite keeps the file whole, as after a kill).
        """
        self._closed = True
        self.closing.cancel()
        while True:
            try:
                item = self._tasks.get_nowait()
            except queue.Empty:
                break
            if item is not None:
                item[0].cancel()
        self._tasks.put(None)
        with self._running_lock:
            running = [f for f in self._running if not f.done()]
        deadline = time.monotonic() + timeout
        still_running = set(running)
        while still_running:
            if self.interrupt is not None:
                # A long read (the counts, a search) stops at once; a write rolls back.
                # Again and again: SQLite forgets an interrupt that falls between two
                # statements of a task.
                self.interrupt(None)
            left = deadline - time.monotonic()
            if left <= 0:
                break
            _done, still_running = wait(still_running, timeout=min(left, 0.01))
        if still_running:
            log.info("closing while a database task is still running")
        return not still_running

    @property
    def is_busy(self) -> bool:
        return self._pending > 0


class SyncExecutor(Executor):
    """Runs each task on the GUI thread at the next event-loop turn (tests, benchmarks)."""

    def __init__(
        self,
        on_error: Failed,
        parent: QObject | None = None,
        *,
        interrupt: Callable[[int | None], None] | None = None,
    ) -> None:
        QObject.__init__(self, parent)
        self._on_error = on_error
        self.interrupt = interrupt
        self._pending = 0
        self._closed = False
        self.closing = CancelToken()

    def submit(
        self, task: Callable[[], Any], done: Done | None = None, failed: Failed | None = None
    ) -> Future[Any] | None:
        if self._closed:
            return None
        self._task_started()

        def run() -> None:
            self._task_ended()
            if self._closed:
                return
            try:
                result = task()
            except Exception as error:  # delivered like the threaded executor does
                (failed or self._on_error)(error)
                return
            if done is not None:
                done(result)

        QTimer.singleShot(0, run)
        return None

    def submit_yielding(
        self,
        task: Callable[[], Any],
        done: Done,
        dropped: Callable[[], object],
        failed: Failed | None = None,
    ) -> None:
        """Run whole, like any task here: nothing runs beside it to give way to."""
        self.submit(task, done, failed)

    def stop(self, future: Future[Any] | None) -> None:
        """Tasks run whole here (the next event-loop turn): nothing to stop."""

    def shutdown(self, timeout: float = 0.15) -> bool:
        self._closed = True
        self.closing.cancel()
        return True


class CancelToken:
    """Passed into long tasks; the progress dialog's Cancel sets it, and so does closing
    the window when the token has the executor's ``closing`` token as its parent."""

    def __init__(self, parent: CancelToken | None = None) -> None:
        self._event = threading.Event()
        self._parent = parent

    def cancel(self) -> None:
        self._event.set()

    def __call__(self) -> bool:
        return self._event.is_set() or (self._parent is not None and self._parent())
