"""Render the app icon's PNG sizes from its SVG (run again after changing the SVG):

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/render_icons.py

Writes packaging/icons/hicolor/NxN/apps/recruiter-desk.png, the layout desktops look
icons up in (freedesktop icon theme spec); the files are committed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "resources" / "icons" / "recruiter-desk.svg"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def target(size: int) -> Path:
    return (
        ROOT / "packaging" / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "recruiter-desk.png"
    )


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        print(f"Cannot read {SOURCE} as SVG.", file=sys.stderr)
        return 1
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        path = target(size)
        path.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(path)):
            print(f"Cannot write {path}.", file=sys.stderr)
            return 1
    scalable = ROOT / "packaging" / "icons" / "hicolor" / "scalable" / "apps" / "recruiter-desk.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    scalable.write_bytes(SOURCE.read_bytes())
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
