"""Spin boxes and combo boxes inside a scrolling form ignore the wheel until focused.

Qt lets a wheel over any spin box or combo box change its value, so scrolling a long form
silently rewrote whatever field passed under the pointer (a person's cadence, their
openness). Guarded fields only take the wheel once clicked or tabbed into; before that
the wheel scrolls the form around them.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QWidget


class _WheelGuard(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Wheel
            and isinstance(watched, QWidget)
            and not watched.hasFocus()
        ):
            # Ignored and filtered: Qt then offers the wheel to the parents (the scroll area).
            event.ignore()
            return True
        return False


def guard_wheel(container: QWidget) -> None:
    """Guard every spin box and combo box under ``container``."""
    guard = _WheelGuard(container)
    for widget in container.findChildren(QWidget):
        if isinstance(widget, QAbstractSpinBox | QComboBox):
            # Wheel focus would defeat the guard: the first wheel would focus the field.
            widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            widget.installEventFilter(guard)
