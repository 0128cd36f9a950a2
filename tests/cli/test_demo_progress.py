"""``demo`` shows a progress bar on a terminal and nothing when its output is piped."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from recruiter_desk.app import main


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_progress_bar_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    db = tmp_path / "desk.sqlite3"
    assert main(["--db", str(db), "demo", "--people", "50", "--as-of", "2026-11-25"]) == 0
    drawn = terminal.getvalue()
    assert "[" + "#" * 30 + "] 100%" in drawn
    assert "Inventing and writing people" in drawn and "Indexing" in drawn
    assert drawn.endswith("\r")  # the line is cleared for the summary


def test_no_progress_bar_when_piped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "desk.sqlite3"
    assert main(["--db", str(db), "demo", "--people", "50", "--as-of", "2026-11-25"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert "50 people" in captured.out
