"""Text made safe for line-based formats (vCard, iCalendar): one kind of line break, no
other control characters.

A bare CR is a line break to many address books, so a note holding
``\\rEMAIL:someone@evil.example`` would become an extra property of the card; the same goes
for the Unicode line separators some parsers honour. Every line break becomes ``\\n`` (which
the format then escapes) and every other control character is dropped.
"""

from __future__ import annotations

import re

_LINE_BREAKS = re.compile(r"\r\n|[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")


def one_kind_of_line_break(value: str) -> str:
    """``value`` with every line break as ``\\n`` and no other control character but tab."""
    return _CONTROLS.sub("", _LINE_BREAKS.sub("\n", value))
