"""Opening the window where it cannot open: one sentence and exit 1, never a core dump.
The check runs in process on made-up environments."""

from __future__ import annotations

from pathlib import Path

import pytest

from recruiter_desk.ui import display_check
from recruiter_desk.ui.display_check import Environment, display_problem
from tests.cli.helpers import run


@pytest.fixture
def plugins(tmp_path: Path) -> Path:
    folder = tmp_path / "platforms"
    folder.mkdir()
    for name in ("xcb", "wayland", "offscreen"):
        (folder / f"libq{name}.so").touch()
    return folder


def everything(_name: str) -> str:
    return "lib.so"


def without(*names: str):  # type: ignore[no-untyped-def]
    return lambda name: None if name in names else "lib.so"


def test_over_ssh_without_a_display(plugins: Path) -> None:
    problem = display_problem(Environment({}, "linux", everything, plugins))
    assert problem is not None and "no display" in problem
    assert "command line" in problem and problem.count(".") <= 2  # one sentence


def test_missing_xcb_libraries_are_named_with_their_packages(plugins: Path) -> None:
    env = Environment({"DISPLAY": ":0"}, "linux", without("xcb-icccm", "xcb-keysyms"), plugins)
    problem = display_problem(env)
    assert problem is not None
    assert "libxcb-icccm, libxcb-keysyms" in problem and "libxcb-cursor," not in problem
    assert "sudo apt install libxcb-icccm4 libxcb-keysyms1 (Debian/Ubuntu)" in problem
    assert "sudo dnf install xcb-util-wm xcb-util-keysyms (Fedora)" in problem
    assert "command line" in problem


def test_a_working_display_or_headless_platform_passes(plugins: Path) -> None:
    assert display_problem(Environment({"DISPLAY": ":0"}, "linux", everything, plugins)) is None
    no_xcb = without("xcb-cursor")
    wayland = Environment({"WAYLAND_DISPLAY": "wayland-0"}, "linux", no_xcb, plugins)
    assert display_problem(wayland) is None
    offscreen = Environment({"QT_QPA_PLATFORM": "offscreen"}, "linux", no_xcb, plugins)
    assert display_problem(offscreen) is None
    assert display_problem(Environment({}, "darwin", without("xcb-cursor"), None)) is None
    wayland_only = Environment({"QT_QPA_PLATFORM": "wayland"}, "linux", everything, plugins)
    assert "WAYLAND_DISPLAY" in (display_problem(wayland_only) or "")
    (plugins / "libqxcb.so").unlink()
    assert "xcb platform plugin" in (
        display_problem(Environment({"DISPLAY": ":0"}, "linux", everything, plugins)) or ""
    )


def test_the_entry_point_says_it_and_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(display_check.sys, "platform", "linux")
    monkeypatch.setattr(display_check, "Environment", lambda: Environment({}, "linux"))
    result = run("--db", str(tmp_path / "x.sqlite3"), home=tmp_path / "home", check_ok=False)
    assert result.returncode == 1
    assert result.stderr.startswith("recruiter-desk: Cannot open the window: there is no display")
    assert result.stderr.count("\n") == 1


def test_readme_installs_every_library_the_check_asks_for() -> None:
    """The README's first block installs what the check would otherwise report missing."""
    from recruiter_desk.ui.display_check import XCB_LIBRARIES

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    block = readme.split("```sh\n", 1)[1].split("\n```", 1)[0].splitlines()
    assert block[0].split()[:4] == ["sudo", "apt-get", "install", "-y"]
    assert set(block[0].split()[4:]) == {"python3-venv", *(lib[1] for lib in XCB_LIBRARIES)}
    assert block[1].startswith("python3 -m venv .venv && .venv/bin/pip install -e . && ")
    fedora = readme.split("sudo dnf install -y ", 1)[1].split("`", 1)[0].split()
    assert set(fedora) == {"python3", *(lib[2] for lib in XCB_LIBRARIES)}
