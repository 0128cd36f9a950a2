"""The ASCII shortcut of the letter fold gives exactly what the full fold gives."""

from __future__ import annotations

import unicodedata

from recruiter_desk.folding import _LETTERS, fold


def full_fold(value: str) -> str:
    letters = unicodedata.normalize("NFKC", value).translate(_LETTERS)
    decomposed = unicodedata.normalize("NFKD", letters)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def test_ascii_and_other_text_fold_as_before() -> None:
    samples = [
        "Ana.Lima+work@Example.COM",
        "Senior Site Reliability Engineer",
        "O'Brien-Smith, Jr. (VP) 1/2 ~ `x`",
        "",
        "\t tabs\nand lines\x7f",
        "Søren Łukasz Æbelø",
        "José Núñez",
        "ﬁne ｆｕｌｌｗｉｄｔｈ",
        "李明",
    ]
    for value in samples:
        assert fold(value) == full_fold(value), value
