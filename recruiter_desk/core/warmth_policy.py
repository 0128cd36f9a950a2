"""The warmth policy: cadences and thresholds from the settings (docs/rules.md, "Warmth").

Kept apart from ``core/warmth.py`` (which builds the SQL) so the plain-sqlite3 read path of
the command line (``core/quick_read.py``) can read it without importing SQLAlchemy.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from recruiter_desk.settings import Settings

# The defaults are the settings' own: a policy built without settings behaves like a fresh
# install, and no number is written twice.
_DEFAULTS = Settings()


@dataclass(frozen=True)
class WarmthPolicy:
    active_cadence_days: int = _DEFAULTS.active_cadence_days
    default_cadence_days: int = _DEFAULTS.default_cadence_days
    cooling_at: float = _DEFAULTS.cooling_at
    cold_at: float = _DEFAULTS.cold_at
    tag_cadences: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings: Settings) -> WarmthPolicy:
        return cls(
            active_cadence_days=settings.active_cadence_days,
            default_cadence_days=settings.default_cadence_days,
            cooling_at=settings.cooling_at,
            cold_at=settings.cold_at,
            tag_cadences={k.lower(): int(v) for k, v in settings.tag_cadences.items()},
        )
