"""A German desktop locale for a test, as QApplication would set it from the desktop."""

from __future__ import annotations

import _strptime
import calendar
import locale
from collections.abc import Iterator
from contextlib import contextmanager

GERMAN_LOCALES = ("de_DE.UTF-8", "de_DE.utf8", "de_DE", "de_AT.UTF-8", "de_CH.UTF-8")
_GERMAN_ABBR = ["", "Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov",
                "Dez"]  # fmt: skip
_GERMAN_FULL = ["", "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
                "September", "Oktober", "November", "Dezember"]  # fmt: skip


@contextmanager
def german_month_names() -> Iterator[str]:
    """German month names for everything that asks the locale; yields which way it was done.

    The real locale when the machine has one. Otherwise Python's strptime is given the
    German month table directly, which is exactly what a German locale changes for it,
    so the test fails on locale-dependent parsing on any machine.
    """
    previous = locale.setlocale(locale.LC_ALL)
    for name in GERMAN_LOCALES:
        try:
            locale.setlocale(locale.LC_ALL, name)
        except locale.Error:
            continue
        try:
            yield f"locale {name}"
        finally:
            locale.setlocale(locale.LC_ALL, previous)
            _reset_strptime()
        return
    saved = (calendar.month_abbr, calendar.month_name)
    calendar.month_abbr, calendar.month_name = _GERMAN_ABBR, _GERMAN_FULL  # type: ignore[assignment]
    _reset_strptime()
    try:
        yield "simulated German month names (no German locale is installed)"
    finally:
        calendar.month_abbr, calendar.month_name = saved  # type: ignore[assignment]
        _reset_strptime()


def _reset_strptime() -> None:
    """strptime caches the month names it read from the locale; read them again."""
    with _strptime._cache_lock:  # type: ignore[attr-defined]
        _strptime._TimeRE_cache = _strptime.TimeRE()  # type: ignore[attr-defined]
        _strptime._regex_cache.clear()  # type: ignore[attr-defined]
