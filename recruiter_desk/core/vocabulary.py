"""The domain's vocabularies: stages, interaction kinds, directions, openness, work modes.

Plain constants with no dependencies, so the storage layer, the rules and both fronts share
one spelling of each (docs/rules.md describes what they mean).
"""

from __future__ import annotations

STAGES: tuple[str, ...] = (
    "sourced",
    "contacted",
    "interested",
    "submitted",
    "interviewing",
    "shortlisted",
    "offer",
    "hired",
    "not_selected",
    "withdrew",
)
ACTIVE_STAGES: tuple[str, ...] = STAGES[1:7]
CLOSED_STAGES: tuple[str, ...] = ("hired", "not_selected", "withdrew")
CLOSING_OWED_STAGES: tuple[str, ...] = ("not_selected", "withdrew")

INTERACTION_KINDS: tuple[str, ...] = ("email", "call", "meeting", "message", "article", "note")
DIRECTIONS: tuple[str, ...] = ("outbound", "inbound", "internal")
OPENNESS: tuple[str, ...] = ("active", "open", "not_looking")
OPPORTUNITY_STATUSES: tuple[str, ...] = ("open", "on_hold", "filled", "closed")
# A person's warmth status (docs/rules.md, "Warmth"; computed in core/warmth.py).
WARMTH_STATUSES: tuple[str, ...] = ("warm", "cooling", "cold", "do_not_contact")

# Why a candidacy ended as not_selected or withdrew: whose choice, and the reason.
CLOSED_BY: tuple[str, ...] = ("theirs", "ours")
CLOSE_REASONS: tuple[str, ...] = (
    "compensation",
    "work_mode_or_location",
    "role_fit",
    "timing",
    "role_closed",
    "other",
)

# Work modes are a bitmask so "does this role conflict with the person?" is one AND in SQL.
WORK_MODE_BITS: dict[str, int] = {"remote": 1, "hybrid": 2, "onsite": 4}


def work_modes_to_bits(modes: list[str] | tuple[str, ...] | set[str]) -> int:
    bits = 0
    for mode in modes:
        bits |= WORK_MODE_BITS[mode]
    return bits


_MODES_BY_BITS: tuple[tuple[str, ...], ...] = tuple(
    tuple(mode for mode, bit in WORK_MODE_BITS.items() if bits & bit) for bits in range(8)
)


def bits_to_work_modes(bits: int) -> list[str]:
    return list(_MODES_BY_BITS[bits & 7])


# How a work mode reads inside a sentence ("it's on-site in Porto").
WORK_MODE_WORDS: dict[str, str] = {"remote": "remote", "hybrid": "hybrid", "onsite": "on-site"}
