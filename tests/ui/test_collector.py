"""Garbage cycles are collected on the GUI thread, never on the database worker: a cycle
holding Qt objects deleted from the worker crashes the process (ui/collector.py)."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from recruiter_desk.ui.collector import GuiThreadCollector, collect_on_gui_thread


class _Cycle:
    """Garbage only a cycle collection frees; says on which thread that happened."""

    freed_on: list[str]

    def __init__(self, freed_on: list[str]) -> None:
        self.freed_on = freed_on
        self.itself = self

    def __del__(self) -> None:
        self.freed_on.append(threading.current_thread().name)


def _allocate_on_a_worker() -> None:
    """What the database worker does all day: allocate container objects (past every
    collection threshold CPython has)."""

    def allocate() -> None:
        kept = [{"row": i} for i in range(50_000)]
        del kept

    worker = threading.Thread(target=allocate, name="database worker")
    worker.start()
    worker.join()


@pytest.fixture
def collector(qapp: QApplication) -> Iterator[GuiThreadCollector]:
    made = collect_on_gui_thread(qapp)
    yield made
    made.stop()
    made.deleteLater()


def test_without_it_the_worker_collects_the_gui_threads_garbage() -> None:
    # The hazard itself, so the test below can fail: CPython collects where it allocates.
    gc.collect()
    assert gc.isenabled()
    freed_on: list[str] = []
    _Cycle(freed_on)
    _allocate_on_a_worker()
    assert freed_on == ["database worker"]


def test_cycles_are_collected_on_the_gui_thread(
    qtbot: QtBot, collector: GuiThreadCollector
) -> None:
    gc.collect()
    freed_on: list[str] = []
    _Cycle(freed_on)
    _allocate_on_a_worker()
    assert freed_on == []  # the worker allocated past every threshold, and collected nothing
    qtbot.waitUntil(lambda: freed_on != [], timeout=5000)
    assert freed_on == [threading.main_thread().name]


def test_the_application_has_one_collector(
    qapp: QApplication, collector: GuiThreadCollector
) -> None:
    assert collect_on_gui_thread(qapp) is collector
    assert not gc.isenabled()
    collector.stop()
    assert gc.isenabled()


def test_a_long_job_on_the_worker_leaves_its_cycles_to_the_gui_thread(
    qtbot: QtBot, collector: GuiThreadCollector
) -> None:
    """An import in the window runs on the worker and frees each part's cycles as it goes
    (core/bulk.collect_young): there, that is left to the GUI thread's collector."""
    from recruiter_desk.core.bulk import collect_young, gc_paused

    gc.collect()
    freed_on: list[str] = []

    def one_part() -> None:
        with gc_paused():
            _Cycle(freed_on)
            collect_young()

    worker = threading.Thread(target=one_part, name="database worker")
    worker.start()
    worker.join()
    assert freed_on == []
    qtbot.waitUntil(lambda: freed_on != [], timeout=5000)
    assert freed_on == [threading.main_thread().name]
    # On the main thread (the command line) it frees them at once.
    with gc_paused():
        _Cycle(freed_on)
        collect_young()
    assert freed_on == [threading.main_thread().name] * 2
