"""What a wheel ships: every package of the source tree, and the icons."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_source_package_is_listed_for_the_wheel() -> None:
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    on_disk = {
        ".".join(folder.relative_to(ROOT).parts)
        for folder in (ROOT / "recruiter_desk").rglob("*")
        if folder.is_dir() and any(folder.glob("*.py")) and "__pycache__" not in folder.parts
    } | {"recruiter_desk", "recruiter_desk.resources"}
    assert listed == on_disk


def test_icons_are_found(qapp: object) -> None:
    from recruiter_desk.ui.style import RESOURCES, icon

    assert (RESOURCES / "icons" / "recruiter-desk.svg").is_file()
    assert not icon("people").isNull()
