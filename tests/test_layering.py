"""The domain and storage layers load without Qt; CI runs exactly the README's command."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_core_and_db_do_not_load_pyside6() -> None:
    modules = sorted(
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for package in ("core", "db", "cli")
        for path in (ROOT / "recruiter_desk" / package).rglob("*.py")
        if "migrations" not in path.parts and path.name != "__init__.py"
    )
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.startswith('PySide6')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
    assert len(modules) > 10


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = re.findall(r"^```(?:sh|bash)?\n(.+?)\n```", readme, flags=re.M | re.S)
    test_command = next(c for c in commands if "pytest" in c)
    assert test_command.strip() in ci


def test_import_contracts_hold() -> None:
    """import-linter checks the layers and the Qt/SQL bans declared in pyproject.toml."""
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout
    assert result.stdout.count(" KEPT") >= 3
