"""Terminal widths: wide characters take two columns, whatever the shortcut for ASCII."""

from __future__ import annotations

import unicodedata

import pytest

from recruiter_desk.cli.render import clip, width


def _one_by_one(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


@pytest.mark.parametrize(
    "text",
    ["", "Ana Garcia", "Zoë Ünal", "東京 / تل أبيب", "ＡＢ", "ｱｲｳ", "😀 dev", "한국어", "a\u0301"],
)
def test_width_counts_as_each_character_says(text: str) -> None:
    assert width(text) == _one_by_one(text)


def test_a_wide_name_is_clipped_by_columns() -> None:
    assert width("東京都港区六本木") == 16
    assert clip("東京都港区六本木", 7) == "東京都…"
    assert clip("Ana Garcia", 7) == "Ana Ga…"
