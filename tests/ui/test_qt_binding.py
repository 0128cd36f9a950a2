"""The Qt binding must not leak references on the calls the app makes all the time."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from pytestqt.qtbot import QtBot


class _Emitter(QObject):
    happened = Signal()
    carried = Signal(object)


def test_emitting_signals_keeps_reference_counts(qtbot: QtBot) -> None:
    emitter = _Emitter()
    received: list[object] = []
    emitter.happened.connect(lambda: received.append(None))
    emitter.carried.connect(received.append)
    true_before, none_before = sys.getrefcount(True), sys.getrefcount(None)
    for _ in range(5000):
        emitter.happened.emit()
        emitter.carried.emit(None)
    assert len(received) == 10_000
    received.clear()
    # A leak costs one reference per emit: thousands. Allow for unrelated noise.
    assert abs(sys.getrefcount(True) - true_before) < 100
    assert abs(sys.getrefcount(None) - none_before) < 100
