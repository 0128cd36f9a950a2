"""Python's cyclic garbage collection, kept on the GUI thread.

CPython collects cycles in whichever thread happens to allocate past a threshold. When that
is the database worker (ui/executor.py) and the garbage holds Qt objects (a closed dialog,
a view's lambda-connected wrapper), Qt objects are deleted from a thread that does not own
them, which crashes the process: a benchmark hosting several windows in one process died so,
with the worker collecting inside SQLAlchemy. Automatic collection is therefore switched off
while the window runs, and a timer on the GUI thread collects with CPython's own thresholds.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

# Often enough that garbage never piles up (the young generation holds only what was made
# since the last look), rare enough to cost nothing when idle.
_INTERVAL_MS = 250


class GuiThreadCollector(QObject):
    """Collects garbage cycles on the thread it lives on (the GUI thread) only."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(_INTERVAL_MS)
        self._timer.timeout.connect(self.collect_when_due)
        self._timer.start()

    def collect_when_due(self) -> int:
        """Collect what CPython would have by now; the number of objects found. The young
        generation is looked at whenever anything was allocated since: a worker that
        allocates and frees past the threshold leaves the count low, and the cycles made
        meanwhile would otherwise wait for the next burst."""
        _, second, third = gc.get_threshold()
        allocated, young_runs, middle_runs = gc.get_count()
        if middle_runs > third:
            return gc.collect(2)
        if young_runs > second:
            return gc.collect(1)
        if allocated > 0:
            return gc.collect(0)
        return 0

    def stop(self) -> None:
        """Hand collection back to CPython (as it was before)."""
        self._timer.stop()
        self.setParent(None)  # the application makes a new one if asked again
        if self._was_enabled:
            gc.enable()


def collect_on_gui_thread(app: QObject) -> GuiThreadCollector:
    """The application's collector, made on first use (it lives as long as ``app``)."""
    existing = app.findChild(GuiThreadCollector)
    return existing if isinstance(existing, GuiThreadCollector) else GuiThreadCollector(app)
