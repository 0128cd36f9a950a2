"""Cancelling a conversion halfway through the copy leaves the database as it was."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from recruiter_desk.db import encryption

HEX_KEY = "5a" * 32


def test_cancelled_while_copying(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(encryption, "_keyring_key", lambda: encryption._raw(HEX_KEY))
    path = tmp_path / "desk.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE people (id INTEGER PRIMARY KEY, notes TEXT)")
    connection.executemany("INSERT INTO people (notes) VALUES (?)", [("x" * 300,)] * 5000)
    connection.commit()
    connection.close()
    asked: list[bool] = []
    stages: list[tuple[str, float]] = []

    def cancelled() -> bool:
        asked.append(True)
        return len(asked) > 1  # the check before starting, then within the copy

    with pytest.raises(encryption.ConversionCancelled):
        encryption.convert(
            path, True, progress=lambda s, f: stages.append((s, f)), cancelled=cancelled
        )
    assert len(asked) == 2 and stages[-1][0] == "Copying the database…"
    assert not encryption.is_encrypted(path)
    assert sqlite3.connect(path).execute("SELECT count(*) FROM people").fetchone() == (5000,)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["desk.sqlite3"]
