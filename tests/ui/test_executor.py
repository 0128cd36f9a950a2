"""The threaded executor: work runs off the GUI thread, results arrive on it, in order."""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from recruiter_desk.ui.executor import Executor


def test_tasks_run_in_order_off_the_gui_thread(qtbot: QtBot) -> None:
    errors: list[BaseException] = []
    executor = Executor(errors.append)
    gui = threading.get_ident()
    results: list[tuple[int, bool, bool]] = []
    for number in range(5):
        executor.submit(
            lambda n=number: (n, threading.get_ident() != gui),
            lambda result: results.append((*result, threading.get_ident() == gui)),
        )
    executor.submit(lambda: 1 / 0)
    qtbot.waitUntil(lambda: len(results) == 5 and bool(errors), timeout=5000)
    assert results == [(n, True, True) for n in range(5)]
    assert isinstance(errors[0], ZeroDivisionError)
    assert not executor.is_busy
    executor.shutdown()
