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


def test_work_nobody_waits_for_gives_way_to_the_next_task(qtbot: QtBot) -> None:
    errors: list[BaseException] = []
    executor = Executor(errors.append)
    release = threading.Event()
    ran: list[str] = []
    dropped: list[str] = []
    executor.submit(lambda: release.wait(5) and ran.append("write"))
    # Queued behind the write, nobody waiting for it (Today read again after a splice).
    executor.submit_yielding(
        lambda: ran.append("background"), ran.append, lambda: dropped.append("background")
    )
    executor.submit(lambda: ran.append("asked for"))  # what the recruiter asks next
    assert dropped == ["background"]  # at once, on the GUI thread
    release.set()
    qtbot.waitUntil(lambda: not executor.is_busy, timeout=5000)
    assert ran == ["write", "asked for"] and errors == []
    # Asked again with nothing after it, it runs and its result arrives.
    results: list[str] = []
    executor.submit_yielding(lambda: "read", results.append, lambda: dropped.append("again"))
    qtbot.waitUntil(lambda: results == ["read"], timeout=5000)
    executor.submit(lambda: None)  # after it ended: nothing to drop
    qtbot.waitUntil(lambda: not executor.is_busy, timeout=5000)
    assert dropped == ["background"]
    executor.shutdown()
