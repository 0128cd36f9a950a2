"""Can the window open here? Checked before QApplication exists, because when Qt cannot
load its platform plugin it aborts the process (exit 134, a core dump) with a message that
often blames the wrong library.

No Qt import: the check reads the environment, finds the plugin file, and asks the dynamic
linker for the libraries the X11 plugin links against (docs/architecture.md).
"""

from __future__ import annotations

import ctypes.util
import importlib.util
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

# Platform plugins that need no display at all.
HEADLESS_PLATFORMS = frozenset(
    {"offscreen", "minimal", "minimalegl", "vnc", "linuxfb", "eglfs", "vkkhrdisplay"}
)

# What Qt's X11 plugin (libqxcb + libQt6XcbQpa) links against beyond libxcb itself, which
# a minimal install often lacks: (linker name, Debian/Ubuntu package, Fedora package).
XCB_LIBRARIES = (
    ("xcb-cursor", "libxcb-cursor0", "xcb-util-cursor"),
    ("xcb-icccm", "libxcb-icccm4", "xcb-util-wm"),
    ("xcb-keysyms", "libxcb-keysyms1", "xcb-util-keysyms"),
    ("xcb-image", "libxcb-image0", "xcb-util-image"),
    ("xcb-render-util", "libxcb-render-util0", "xcb-util-renderutil"),
    ("xcb-util", "libxcb-util1", "xcb-util"),
    ("xkbcommon-x11", "libxkbcommon-x11-0", "libxkbcommon-x11"),
    ("xcb-xkb", "libxcb-xkb1", "libxcb"),
    ("xcb-shape", "libxcb-shape0", "libxcb"),
    ("xcb-randr", "libxcb-randr0", "libxcb"),
    ("xcb-sync", "libxcb-sync1", "libxcb"),
    ("xcb-xfixes", "libxcb-xfixes0", "libxcb"),
    ("X11-xcb", "libx11-xcb1", "libX11-xcb"),
    ("EGL", "libegl1", "libglvnd-egl"),
    ("GL", "libgl1", "libglvnd-glx"),
    ("fontconfig", "libfontconfig1", "fontconfig"),
    ("dbus-1", "libdbus-1-3", "dbus-libs"),
)

NO_DISPLAY_HINT = "the command line (recruiter-desk --help) works without a display."


def _plugin_folder() -> Path | None:
    spec = importlib.util.find_spec("PySide6")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "Qt" / "plugins" / "platforms"


@dataclass(frozen=True)
class Environment:
    """What the check looks at; tests pass a made-up one."""

    variables: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    system: str = sys.platform
    find_library: Callable[[str], str | None] = ctypes.util.find_library
    plugins: Path | None = field(default_factory=_plugin_folder)


def _packages(missing: list[tuple[str, str, str]]) -> str:
    debian = " ".join(dict.fromkeys(m[1] for m in missing))
    fedora = " ".join(dict.fromkeys(m[2] for m in missing))
    return f"sudo apt install {debian} (Debian/Ubuntu) or sudo dnf install {fedora} (Fedora)"


def display_problem(environment: Environment | None = None) -> str | None:
    """One sentence saying why the window cannot open here, or None when it can."""
    env = environment or Environment()
    if not env.system.startswith("linux"):
        return None  # Windows and macOS always have their platform plugin and a display
    variables = env.variables
    # QT_QPA_PLATFORM may list fallbacks ("wayland;xcb") and carry options ("vnc:size=…").
    wanted = [
        p.split(":", 1)[0].strip()
        for p in variables.get("QT_QPA_PLATFORM", "").split(";")
        if p.strip()
    ]
    if wanted and wanted[0] in HEADLESS_PLATFORMS:
        return _plugin_missing(env, wanted[0])
    if variables.get("WAYLAND_DISPLAY") and (not wanted or wanted[0].startswith("wayland")):
        return _plugin_missing(env, "wayland")
    if wanted and wanted[0].startswith("wayland"):
        return (
            "Cannot open the window: QT_QPA_PLATFORM asks for Wayland but WAYLAND_DISPLAY is "
            f"not set (no Wayland session here); {NO_DISPLAY_HINT}"
        )
    if not variables.get("DISPLAY"):
        return (
            "Cannot open the window: there is no display (neither DISPLAY nor "
            "WAYLAND_DISPLAY is set, as over SSH without X forwarding); " + NO_DISPLAY_HINT
        )
    plugin = _plugin_missing(env, "xcb")
    if plugin:
        return plugin
    missing = [lib for lib in XCB_LIBRARIES if env.find_library(lib[0]) is None]
    if missing:
        names = ", ".join(f"lib{m[0]}" for m in missing)
        return (
            f"Cannot open the window: Qt's X11 plugin needs {names}, missing here — install "
            f"them with {_packages(missing)}; meanwhile {NO_DISPLAY_HINT}"
        )
    return None


def _plugin_missing(env: Environment, name: str) -> str | None:
    if env.plugins is None:
        return None  # a frozen bundle keeps its plugins elsewhere: let Qt find them
    if (env.plugins / f"libq{name}.so").is_file():
        return None
    return (
        f"Cannot open the window: Qt's {name} platform plugin is not installed "
        f"(no {env.plugins / f'libq{name}.so'}); reinstall PySide6, and meanwhile "
        + NO_DISPLAY_HINT
    )
