"""Typed user settings, stored as JSON in the config folder. No Qt here."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field, fields
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
    backups_to_keep: int = 10
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

    @classmethod
    def load(cls, path: Path) -> Settings:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as exc:
            log.warning("settings file %s unreadable (%s); using defaults", path, exc)
            return cls()
        known = {f.name for f in fields(cls)}
        values: dict[str, Any] = {k: v for k, v in raw.items() if k in known}
        try:
            return cls(**values)
        except TypeError:
            return cls()

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), indent=2, sort_keys=True), encoding="utf-8")
        tmp.replace(path)
