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
    # An object of our own: its count moves on every Python version. True and None are
    # immortal from Python 3.12, so their counts stay put whatever the binding does.
    payload = object()
    payload_before, true_before = sys.getrefcount(payload), sys.getrefcount(True)
    for _ in range(5000):
        emitter.happened.emit()
        emitter.carried.emit(payload)
    assert len(received) == 10_000
    received.clear()
    # A leak costs one reference per emit: thousands.
    assert sys.getrefcount(payload) == payload_before
    if sys.version_info < (3, 12):
        # PySide6 6.12.0's emit() returned True without a reference: 3.11 aborts on it.
        assert abs(sys.getrefcount(True) - true_before) < 100
