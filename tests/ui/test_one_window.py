"""One window per database: a second start brings the first window to the front and ends."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from recruiter_desk import app
from recruiter_desk.db.backup import OpenInWindow, WindowAlreadyOpen, open_in_a_window
from recruiter_desk.ui.single_window import server_name
from tests.ui.conftest import OpenWindow


def test_a_second_start_brings_the_first_window_forward_and_ends(
    qtbot: QtBot, open_window: OpenWindow, demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = open_window()
    first.showMinimized()
    qtbot.waitUntil(first.isMinimized)
    assert Path(f"{demo_path}-window.lock").exists()

    assert app.run_gui(str(demo_path)) == 0

    assert not first.isMinimized()
    assert "its window was brought to the front" in capsys.readouterr().out
    # The first window still owns the database.
    with pytest.raises(WindowAlreadyOpen, match="already open in another window"):
        OpenInWindow(demo_path).claim()


def test_closing_the_window_lets_another_open_the_database(
    qtbot: QtBot, open_window: OpenWindow, demo_path: Path
) -> None:
    first = open_window()
    first.close()
    assert not open_in_a_window(demo_path)
    second = open_window()
    assert second.window_server is not None and open_in_a_window(demo_path)


_HOLD_THE_LOCK = """
import sys
from pathlib import Path
from recruiter_desk.db.backup import OpenInWindow
held = OpenInWindow(Path(sys.argv[1]))
held.claim()
print("held", flush=True)
sys.stdin.readline()
"""


def test_the_lock_of_a_window_that_crashed_is_taken_over(
    qtbot: QtBot, open_window: OpenWindow, demo_path: Path
) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD_THE_LOCK, str(demo_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdin is not None
    assert holder.stdout.readline().strip() == "held"
    with pytest.raises(WindowAlreadyOpen):
        OpenInWindow(demo_path).claim()
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=30)
    holder.stdin.close()
    holder.stdout.close()
    assert Path(f"{demo_path}-window.lock").exists()  # left behind, and no longer held

    window = open_window()
    assert window.window_server is not None and open_in_a_window(demo_path)


def _start_window(path: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    window = subprocess.Popen(
        [sys.executable, "-m", "recruiter_desk", "--db", str(path)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    socket = Path(tempfile.gettempdir()) / server_name(path)
    # Waiting for another process to take its lock and listen: no event to wait on.
    while not (open_in_a_window(path) and socket.exists()):
        assert window.poll() is None, window.communicate()[1]
        assert time.monotonic() < deadline, "the first window never opened"
        time.sleep(0.05)
    return window


def _second_start(path: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "recruiter_desk", "--db", str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_two_app_processes_on_one_database(demo_path: Path, app_home: Path) -> None:
    """End to end: two real starts of the app; then the first is killed, and its stale
    lock and socket are taken over by the next window."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "RECRUITER_DESK_HOME": str(app_home)}
    log_file = app_home / "logs" / "recruiter-desk.log"
    first = _start_window(demo_path, env)
    try:
        second = _second_start(demo_path, env)
        assert second.returncode == 0, second.stderr
        assert "its window was brought to the front" in second.stdout
        assert first.poll() is None  # the first window is still open
        assert "brought to the front" in log_file.read_text(encoding="utf-8")
    finally:
        first.send_signal(signal.SIGKILL)
        first.communicate(timeout=30)

    again = _start_window(demo_path, env)
    try:
        second = _second_start(demo_path, env)
        assert second.returncode == 0, second.stderr
        assert "its window was brought to the front" in second.stdout
    finally:
        again.send_signal(signal.SIGKILL)
        again.communicate(timeout=30)
