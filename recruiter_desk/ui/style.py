"""Palettes (light and dark, following the system), warmth colours and icons."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QApplication

_W = TypeVar("_W", bound=QObject)

# resources/ at the top of a checkout (editable install), or recruiter_desk/resources in a
# wheel (pyproject.toml maps one onto the other).
_PACKAGE = Path(__file__).resolve().parents[1]
RESOURCES = next(
    (p for p in (_PACKAGE.parent / "resources", _PACKAGE / "resources") if (p / "icons").is_dir()),
    _PACKAGE / "resources",
)

_LIGHT = {"warm": "#2e7d32", "cooling": "#b26a00", "cold": "#1565c0", "do_not_contact": "#757575"}
_DARK = {"warm": "#81c784", "cooling": "#ffb74d", "cold": "#64b5f6", "do_not_contact": "#9e9e9e"}


def is_dark() -> bool:
    app = QGuiApplication.instance()
    if app is None:
        return False
    scheme = QGuiApplication.styleHints().colorScheme()
    return scheme == Qt.ColorScheme.Dark


def status_colour(status: str) -> str:
    return (_DARK if is_dark() else _LIGHT).get(status, "#757575")


def icon(name: str) -> QIcon:
    path = RESOURCES / "icons" / f"{name}.svg"
    return QIcon(str(path)) if path.exists() else QIcon()


def apply_palette(app: QApplication) -> None:
    """Fusion everywhere (the same look on every platform), dark when the system is."""
    app.setStyle("Fusion")
    if not is_dark():
        app.setPalette(app.style().standardPalette())
        return
    palette = QPalette()
    base, window, text = QColor("#1e1f22"), QColor("#2b2d30"), QColor("#dfe1e5")
    palette.setColor(QPalette.ColorRole.Window, window)
    palette.setColor(QPalette.ColorRole.WindowText, text)
    palette.setColor(QPalette.ColorRole.Base, base)
    palette.setColor(QPalette.ColorRole.AlternateBase, QColor("#26282b"))
    palette.setColor(QPalette.ColorRole.Text, text)
    palette.setColor(QPalette.ColorRole.Button, window)
    palette.setColor(QPalette.ColorRole.ButtonText, text)
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#3574f0"))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.ToolTipBase, window)
    palette.setColor(QPalette.ColorRole.ToolTipText, text)
    palette.setColor(QPalette.ColorRole.PlaceholderText, QColor("#8c8f94"))
    app.setPalette(palette)


def named(widget: _W, name: str) -> _W:
    """Give a widget the stable objectName tests and accessibility tools find it by."""
    widget.setObjectName(name)
    return widget
