"""Which message each pipeline move calls for, as a Compose template purpose.

Every stage change is a message ("never ghost"): moving someone offers the fitting
template first and the other sensible ones after it. The texts themselves are Compose's
templates (core/templates.py), which the recruiter can edit; this module only decides
which purpose fits which move.
"""

from __future__ import annotations

from recruiter_desk.core.templates import STARTER_TEMPLATES

# The template purpose that fits a move to each stage (None: no message, e.g. only sourced).
FOR_STAGE: dict[str, str | None] = {
    "sourced": None,
    "contacted": "outreach",
    "interested": "next_steps",
    "submitted": "submitted",
    "interviewing": "timeline",
    "shortlisted": "shortlisted",
    "offer": "offer",
    "hired": "welcome",
    "not_selected": "closing",  # the candid closing message; the follow-up keeps in touch
    "withdrew": "closing_withdrew",
}
# Every purpose the pipeline offers: a move's, the check-in after an interview, a role's end.
OFFERED: frozenset[str] = frozenset(
    {p for p in FOR_STAGE.values() if p} | {"check_in", "role_closed"}
)

# What a purpose is called where the recruiter picks one: the starter template's name.
LABELS: dict[str, str] = {purpose: name for name, purpose, _s, _b in STARTER_TEMPLATES}


def purposes_for_move(previous: str | None, stage: str) -> list[str]:
    """The messages a move offers, the fitting one first; after an interview, the check-in."""
    purposes: list[str] = []
    fitting = FOR_STAGE.get(stage)
    if fitting:
        purposes.append(fitting)
    if previous == "interviewing" and stage != "interviewing":
        purposes.append("check_in")
    return purposes


def purpose_label(purpose: str) -> str:
    return LABELS.get(purpose, purpose.replace("_", " ").capitalize())
