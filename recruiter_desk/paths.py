"""Where the app keeps its files.

Everything lives in the platformdirs folders unless ``RECRUITER_DESK_HOME`` points at one
folder (tests and portable installs), and the database can be chosen with ``--db`` or
``RECRUITER_DESK_DB``.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "recruiter-desk"
DEFAULT_DB_FILENAME = "recruiter-desk.sqlite3"


@dataclass(frozen=True)
class AppPaths:
    data_dir: Path
    config_dir: Path
    log_dir: Path

    @property
    def default_database(self) -> Path:
        return self.data_dir / DEFAULT_DB_FILENAME

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.json"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "recruiter-desk.log"


def app_paths() -> AppPaths:
    home = os.environ.get("RECRUITER_DESK_HOME")
    if home:
        root = Path(home).expanduser()
        return AppPaths(root / "data", root / "config", root / "logs")
    return AppPaths(
        Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
    )


def ensure_private_dir(path: Path) -> Path:
    """Create a folder only the user can read: it holds personal data about other people."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    # Not ours to change on e.g. a shared mount; the database file itself is still 0600.
    with contextlib.suppress(OSError):
        path.chmod(0o700)
    return path


def database_location(cli_value: str | None) -> str:
    """The database the user chose: ``--db``, else ``RECRUITER_DESK_DB``, else the default file."""
    chosen = cli_value or os.environ.get("RECRUITER_DESK_DB")
    if chosen:
        return chosen
    paths = app_paths()
    ensure_private_dir(paths.data_dir)
    return str(paths.default_database)
