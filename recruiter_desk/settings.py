"""Typed user settings, stored as JSON in the config folder. No Qt here.

A settings file is edited by hand as often as by the Settings dialog, so every value is
checked when it is loaded: an impossible one (a cadence of 0 days, a negative window, an
unknown time zone) would otherwise break every list later, far from its cause. Each bad
value becomes one sentence naming the key, and its default is used instead.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from functools import cache
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


@dataclass
class Settings:
    # Cadence: how often a relationship should be touched, in days.
    active_cadence_days: int = 7
    default_cadence_days: int = 90
    tag_cadences: dict[str, int] = field(default_factory=dict)
    # Anti-ghosting windows, in days.
    reply_within_days: int = 2
    update_every_days: int = 7
    # Pipeline: business days in a stage after which a card turns amber, then red.
    stage_limits: dict[str, list[int]] = field(
        default_factory=lambda: {
            "contacted": [3, 7],
            "interested": [3, 7],
            "submitted": [3, 7],
            "interviewing": [3, 7],
            "shortlisted": [3, 7],
            "offer": [2, 5],
        }
    )
    # Warmth thresholds on days-since-touch / cadence.
    cooling_at: float = 0.75
    cold_at: float = 1.0
    # IANA zone for "days since" (None: the system's local zone).
    timezone: str | None = None
    # Automatic backups kept (the rotation is db/backup.Retention): besides today's and
    # yesterday's, the newest of so many days, then weeks, then months.
    backups_daily: int = 12
    backups_weekly: int = 10
    backups_monthly: int = 9
    # Only the *account name* is stored; the password lives in the OS keyring.
    smtp_account: str | None = None

    # -- Compose and the outbox (H8; docs/compose.md) ---------------------------------------
    # The SMTP password is never a setting: it lives in the OS keyring (or, with no usable
    # keyring, only in memory for one run of the app).
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_security: str = "starttls"  # "starttls", "tls", or "none" (a relay on this machine)
    smtp_user: str = ""
    my_name: str = ""
    my_signature: str = ""
    my_addresses: list[str] = field(default_factory=list)
    daily_send_cap: int = 50
    send_spacing_seconds: int = 20
    # -- end of Compose settings -----------------------------------------------------------
    # -- Mail account for sync-mail (H3 imap; docs/mail.md) -------------------------------
    # The IMAP password is never a setting: it lives in the OS keyring.
    imap_host: str = ""
    imap_port: int = 993
    imap_security: str = "tls"  # "tls" (usually port 993) or "starttls" (usually 143)
    imap_user: str = ""
    imap_folders: list[str] = field(default_factory=lambda: ["INBOX", "Sent"])
    # -- end of mail account ---------------------------------------------------------------
    # Privacy (H11): people untouched this many years and in no process are due for review.
    retention_years: int = 3
    # -- Team mode (docs/team.md) -------------------------------------------------------
    # Who you are on a shared database: every touch, stage change and edit is recorded
    # under this name ("" means the name of your account on this computer).
    recruiter: str = ""
    # Writing to someone a teammate contacted within so many days asks you to look first.
    teammate_window_days: int = 7

    @classmethod
    def load(cls, path: Path) -> Settings:
        """The settings in ``path``; problems are logged (see ``load_settings``)."""
        return load_settings(path)[0]

    def problems(self) -> list[str]:
        """What is impossible in these values, one sentence each (empty when all is well)."""
        return checked(asdict(self), where="")[1]

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), indent=2, sort_keys=True), encoding="utf-8")
        tmp.replace(path)


@cache
def os_user() -> str:
    """The name of the account running the app: the recruiter when none is set."""
    import getpass

    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):  # no USER variable and no password entry
        return ""


def recruiter_name(settings: Settings) -> str:
    """Who you are on a shared database: RECRUITER_DESK_RECRUITER (one run, a script), the
    setting, else your account on this computer."""
    import os

    return (
        os.environ.get("RECRUITER_DESK_RECRUITER", "").strip()
        or settings.recruiter.strip()
        or os_user()
    )


def load_settings(path: Path) -> tuple[Settings, list[str]]:
    """The settings in ``path`` and one sentence per value that could not be used.

    Each problem is logged once here; the caller shows it once (a dialog in the window,
    stderr on the command line). A missing file is not a problem: it means the defaults.
    """
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings(), []
    except (OSError, ValueError) as error:
        problems = [f"The settings file {path} cannot be read ({error}); the defaults are used."]
    else:
        if isinstance(raw, dict):
            values, problems = checked(raw, where=f" in {path}")
            return _report(Settings(**values), problems)
        problems = [f"The settings file {path} does not hold settings; the defaults are used."]
    return _report(Settings(), problems)


def _report(settings: Settings, problems: list[str]) -> tuple[Settings, list[str]]:
    for problem in problems:
        log.warning("%s", problem)
    return settings, problems


def _days(at_least: int) -> tuple[Callable[[Any], bool], str]:
    def ok(value: Any) -> bool:
        return isinstance(value, int) and not isinstance(value, bool) and value >= at_least

    return ok, f"a whole number of days, at least {at_least}"


def _known_zone(value: Any) -> bool:
    if value is None:
        return True
    if not isinstance(value, str) or not value.strip():
        return False
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _share(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


_RULES: dict[str, tuple[Callable[[Any], bool], str]] = {
    "active_cadence_days": _days(1),
    "default_cadence_days": _days(1),
    "reply_within_days": _days(1),
    "update_every_days": _days(1),
    "backups_daily": (_days(1)[0], "a whole number, at least 1"),
    "backups_weekly": (_days(0)[0], "a whole number, at least 0"),
    "backups_monthly": (_days(0)[0], "a whole number, at least 0"),
    "cooling_at": (_share, "a number above 0"),
    "cold_at": (_share, "a number above 0"),
    "timezone": (_known_zone, "a known time zone such as Europe/Berlin"),
    "smtp_account": (lambda v: v is None or isinstance(v, str), "an account name"),
    "smtp_port": (lambda v: _days(1)[0](v) and v <= 65535, "a port number from 1 to 65535"),
    "smtp_security": (lambda v: v in ("starttls", "tls", "none"), "starttls, tls or none"),
    "imap_port": (lambda v: _days(1)[0](v) and v <= 65535, "a port number from 1 to 65535"),
    "imap_security": (lambda v: v in ("tls", "starttls"), "tls or starttls"),
    "imap_folders": (
        lambda v: isinstance(v, list) and all(isinstance(f, str) and f.strip() for f in v),
        'a list of folder names (like ["INBOX", "Sent"])',
    ),
    "daily_send_cap": (_days(1)[0], "a whole number, at least 1"),
    "teammate_window_days": _days(0),
    "recruiter": (
        lambda v: isinstance(v, str) and len(v.strip()) <= 100,
        "a name of at most 100 characters",
    ),
    "send_spacing_seconds": (_days(0)[0], "a whole number of seconds, at least 0"),
    "stage_limits": (
        lambda v: (
            isinstance(v, dict)
            and all(
                isinstance(days, list) and len(days) == 2 and all(_days(1)[0](d) for d in days)
                for days in v.values()
            )
        ),
        'stages with two numbers of days each (like {"offer": [2, 5]})',
    ),
}


def _like_default(key: str) -> tuple[Callable[[Any], bool], str]:
    """Keys without a rule of their own only need the default's type (text, a list…)."""
    kind = type(getattr(Settings(), key))
    words = {str: "text", list: "a list", dict: "a mapping", int: "a whole number"}

    def ok(value: Any) -> bool:
        return isinstance(value, kind) and not (kind is int and isinstance(value, bool))

    return ok, words.get(kind, kind.__name__)


def checked(raw: dict[str, Any], *, where: str) -> tuple[dict[str, Any], list[str]]:
    """The usable values of ``raw`` (known keys only) and a sentence for each one dropped."""
    defaults = Settings()
    values: dict[str, Any] = {}
    problems: list[str] = []

    def refuse(key: str, value: Any, requirement: str, default: Any) -> None:
        used = (
            "the system's time zone"
            if key == "timezone" and default is None
            else json.dumps(default)
        )
        problems.append(
            f"The setting {key}{where} is {json.dumps(value)}, which is not {requirement}; "
            f"{used} is used instead."
        )

    known = {f.name for f in fields(Settings)}
    for key, value in raw.items():
        if key not in known:
            continue  # a newer version's setting, or a retired one: not an error
        if key == "tag_cadences":
            values[key] = _tag_cadences(value, where, problems)
            continue
        ok, requirement = _RULES.get(key) or _like_default(key)
        if ok(value):
            values[key] = float(value) if key in ("cooling_at", "cold_at") else value
        else:
            refuse(key, value, requirement, getattr(defaults, key))
    cooling = values.get("cooling_at", defaults.cooling_at)
    cold = values.get("cold_at", defaults.cold_at)
    if cooling >= cold:
        # The two only make sense together; fall back to both defaults.
        problems.append(
            f"The setting cooling_at{where} ({cooling}) must be below cold_at ({cold}); "
            f"{defaults.cooling_at} and {defaults.cold_at} are used instead."
        )
        values["cooling_at"], values["cold_at"] = defaults.cooling_at, defaults.cold_at
    return values, problems


def _tag_cadences(value: Any, where: str, problems: list[str]) -> dict[str, int]:
    if not isinstance(value, dict):
        problems.append(
            f"The setting tag_cadences{where} is {json.dumps(value)}, which is not a list of "
            'tags with their days (like {"vip": 30}); no tag cadences are used.'
        )
        return {}
    ok, requirement = _days(1)
    kept = {}
    for tag, days in value.items():
        if ok(days):
            kept[str(tag)] = days
        else:
            problems.append(
                f"The setting tag_cadences{where} gives {tag!r} {json.dumps(days)}, which is not "
                f"{requirement}; that tag has no cadence of its own."
            )
    return kept
