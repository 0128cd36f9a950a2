"""Terminal output: aligned tables that respect wide characters."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from recruiter_desk.core.wording import count, days_ago

if TYPE_CHECKING:
    from recruiter_desk.core.people import PersonRow


def width(text: str) -> int:
    """Columns a string takes in a terminal: CJK characters take two."""
    if text.isascii():  # most cells: a table of 12k people asked 2.6M characters one by one
        return len(text)
    return len(text) + sum(
        1 for c in text if c > "\x7f" and unicodedata.east_asian_width(c) in "WF"
    )


def clip(text: str, limit: int) -> str:
    if width(text) <= limit:
        return text
    kept = ""
    for char in text:
        if width(kept + char) > limit - 1:
            break
        kept += char
    return kept + "…"


def _pad(text: str, columns: int) -> str:
    return text + " " * (columns - width(text))


def table(
    rows: Sequence[Sequence[str]],
    headers: Sequence[str],
    out: TextIO,
    limits: Sequence[int] | None = None,
) -> None:
    """Aligned columns; every column but the last is clipped to its limit."""
    caps = list(limits or [])
    caps += [40] * (len(headers) - len(caps))
    caps[-1] = 10_000
    clipped = [[clip(v, cap) for v, cap in zip(row, caps, strict=True)] for row in rows]
    widths = [max([width(h), *(width(r[i]) for r in clipped)]) for i, h in enumerate(headers)]
    out.write("  ".join(_pad(h, w) for h, w in zip(headers, widths, strict=True)).rstrip() + "\n")
    for row in clipped:
        out.write("  ".join(_pad(v, w) for v, w in zip(row, widths, strict=True)).rstrip() + "\n")


def people_table(rows: list[PersonRow], out: TextIO) -> None:
    if not rows:
        out.write("No one matches.\n")
        return
    table(
        [
            [
                str(r.id),
                r.full_name,
                r.status.replace("_", "-"),
                days_ago(r.days_since_touch),
                r.company,
                r.title,
            ]
            for r in rows
        ],
        ["ID", "NAME", "STATUS", "LAST TOUCH", "COMPANY", "TITLE"],
        out,
        limits=[7, 28, 14, 14, 28],
    )
    out.write(f"{count(len(rows), 'person')}\n")


class ProgressBar:
    """Long work's progress as one redrawn line on a terminal; nothing when piped."""

    WIDTH = 30

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.enabled = stream.isatty()
        self._shown: tuple[int, str] | None = None

    def update(self, stage: str, fraction: float) -> None:
        if not self.enabled:
            return
        fraction = min(max(fraction, 0.0), 1.0)
        percent = int(fraction * 100)
        if self._shown == (percent, stage):
            return
        self._shown = (percent, stage)
        filled = int(fraction * self.WIDTH)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        self.stream.write(f"\r[{bar}] {percent:3d}%  {stage[:40]:<40}")
        self.stream.flush()

    def finish(self) -> None:
        """Clear the line, so the result is printed where the bar was."""
        if self.enabled and self._shown is not None:
            self.stream.write("\r" + " " * (self.WIDTH + 49) + "\r")
            self.stream.flush()
            self._shown = None
