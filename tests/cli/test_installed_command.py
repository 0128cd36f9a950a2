"""The installed ``recruiter-desk`` command, end to end in its own process.

Everything else about the command line is tested in process (tests/cli/helpers.py); these
prove that the console script, its exit statuses and the window start really work.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.helpers import run

SCRIPT = Path(sys.executable).with_name("recruiter-desk")


def _run(*args: str, home: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "RECRUITER_DESK_HOME": str(home), "TZ": "UTC", **env}
    environment.pop("RECRUITER_DESK_DB", None)
    return subprocess.run(
        [str(SCRIPT), *args], capture_output=True, text=True, env=environment, timeout=60
    )


@pytest.fixture
def script() -> Path:
    if not SCRIPT.exists():
        pytest.skip("the recruiter-desk script is not installed (pip install -e .)")
    return SCRIPT


def test_the_installed_command_runs_and_exits_with_its_status(script: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "desk.sqlite3")
    home = tmp_path / "home"
    made = _run("--db", db, "demo", "--people", "12", "--as-of", "2026-11-25", home=home)
    assert made.returncode == 0 and "12 people" in made.stdout, made.stderr
    people = json.loads(_run("--db", db, "people", "--json", home=home).stdout)
    assert len(people) == 12
    missing = _run("--db", str(tmp_path / "no" / "x.sqlite3"), "people", home=home)
    assert missing.returncode == 1
    assert missing.stderr.startswith("recruiter-desk: Cannot open the database")
    usage = _run("people", "--status", "lukewarm", home=home)
    assert usage.returncode == 2 and "invalid choice: 'lukewarm'" in usage.stderr


def test_help_and_version_load_no_database_code() -> None:
    code = (
        "import sys\n"
        "from recruiter_desk.app import main\n"
        "for args in (['--version'], ['--help']):\n"
        "    try:\n"
        "        main(args)\n"
        "    except SystemExit as exit_:\n"
        "        assert exit_.code == 0, exit_.code\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'PySide6')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert "recruiter-desk 0." in result.stdout
    assert "COMMAND" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_no_command_opens_the_window(script: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "x.sqlite3")
    home = tmp_path / "home"
    run("--db", db, "demo", "--people", "30", home=home)  # in process: only the window is tested
    shown = _run(
        "--db", db, home=home, RECRUITER_DESK_EXIT_WHEN_SHOWN="1", QT_QPA_PLATFORM="offscreen"
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("shown ")


def test_a_command_on_a_file_loads_no_postgresql_code(tmp_path: Path) -> None:
    """Naming a PostgreSQL option anywhere in the models loads that dialect (35 ms) into
    every command on a plain file; only a team database needs it."""
    db = str(tmp_path / "x.sqlite3")
    run("--db", db, "demo", "--people", "30", "--as-of", "2026-11-25", home=tmp_path / "home")
    code = (
        "import sys\n"
        "from recruiter_desk.app import main\n"
        f"status = main(['--db', {db!r}, 'today', '--as-of', '2026-11-25'])\n"
        "print(status, sorted(m for m in sys.modules if 'postgresql' in m or 'psycopg' in m))\n"
    )
    environment = {**os.environ, "RECRUITER_DESK_HOME": str(tmp_path / "home")}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environment, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "Today, " in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "0 []"
