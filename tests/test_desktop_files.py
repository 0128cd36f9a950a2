"""Desktop integration files pass the validators distributions run (desktop-file-utils and
appstream, Debian packages; .ci/run installs them when it can), and the icons exist."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

PACKAGING = Path(__file__).resolve().parents[1] / "packaging"
DESKTOP = PACKAGING / "recruiter-desk.desktop"
METAINFO = PACKAGING / "io.github.recruiterdesk.RecruiterDesk.metainfo.xml"


def _tool(name: str, package: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (apt-get install {package})")
    return found


def test_desktop_file_validates() -> None:
    tool = _tool("desktop-file-validate", "desktop-file-utils")
    result = subprocess.run([tool, str(DESKTOP)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_appstream_metainfo_validates() -> None:
    tool = _tool("appstreamcli", "appstream")
    result = subprocess.run(
        [tool, "validate", "--no-net", str(METAINFO)], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_icons_in_every_size_match_the_desktop_file() -> None:
    entry = dict(line.split("=", 1) for line in DESKTOP.read_text().splitlines() if "=" in line)
    name = entry["Icon"]
    icons = PACKAGING / "icons" / "hicolor"
    assert (icons / "scalable" / "apps" / f"{name}.svg").is_file()
    for size in (16, 22, 24, 32, 48, 64, 128, 256, 512):
        png = icons / f"{size}x{size}" / "apps" / f"{name}.png"
        header = png.read_bytes()[:24]
        assert header[:8] == b"\x89PNG\r\n\x1a\n", png
        width, height = int.from_bytes(header[16:20]), int.from_bytes(header[20:24])
        assert (width, height) == (size, size), png
