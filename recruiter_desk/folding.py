"""Letter folding: the one fold behind search, same-person keys and name order.

It lives below every layer because the search index (``db``) and the identity rules
(``core``) must fold alike; ``recruiter_desk.core.identity`` is where the rest of the code
takes it from. See docs/rules.md, "Identity".
"""

from __future__ import annotations

import unicodedata

# Letters that are not "a letter plus an accent", so Unicode decomposition leaves them
# alone; a recruiter types Soren for Søren and expects Ø with the O's. PostgreSQL's copy of
# the fold is generated from this table (db/interaction_search.py).
LETTERS: dict[str, str] = {
    "ø": "o",
    "Ø": "o",
    "ł": "l",
    "Ł": "l",
    "đ": "d",
    "Đ": "d",
    "ð": "d",
    "Ð": "d",
    "þ": "th",
    "Þ": "th",
    "ß": "ss",
    "æ": "ae",
    "Æ": "ae",
    "œ": "oe",
    "Œ": "oe",
    "ı": "i",
    "ħ": "h",
    "Ħ": "h",
}
_LETTERS = str.maketrans(LETTERS)


def fold(value: str) -> str:
    """Lower case without accents: ``Søren Łukasz Æbelø`` → ``soren lukasz aebelo``."""
    if value.isascii():
        # Nothing to normalise, translate or strip: most emails, titles and notes. The
        # character-by-character path below cost 3 s of the 100k demo's search index.
        return value.casefold()
    letters = unicodedata.normalize("NFKC", value).translate(_LETTERS)
    decomposed = unicodedata.normalize("NFKD", letters)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
