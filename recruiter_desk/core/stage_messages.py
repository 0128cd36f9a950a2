"""The message each pipeline move calls for, and its text until Compose's templates exist.

Every stage change is a message (docs/rules.md, "never ghost"): moving someone offers the
fitting one first and the other sensible ones after it. The texts live here, and only here,
so that Compose's templates can replace them in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

# purpose -> (what the recruiter sees in a menu, subject, body). Placeholders: {first_name},
# {role}, {company} ("" when unknown), {at_company} (" at Acme" or "").
TEXTS: dict[str, tuple[str, str, str]] = {
    "outreach": (
        "Outreach",
        "{role}{at_company}",
        "Hi {first_name},\n\nI'm looking for a {role}{at_company} and thought of you. "
        "Would you be open to a short call this week to hear more? If the timing is wrong, "
        "just say so, no hard feelings.\n\nBest regards",
    ),
    "next_steps": (
        "Next steps",
        "Next steps for {role}",
        "Hi {first_name},\n\nThanks for your interest in the {role} role{at_company}. "
        "Here is what happens next: I'll share your profile with the team and come back "
        "to you within a few days, whatever the answer.\n\nBest regards",
    ),
    "submitted": (
        "Profile shared",
        "Your profile is with the team: {role}",
        "Hi {first_name},\n\nI've shared your profile with the team for the {role} role"
        "{at_company}. I'll let you know as soon as I hear back, and at the latest by the "
        "end of next week.\n\nBest regards",
    ),
    "timeline": (
        "Interview timeline",
        "Interviews for {role}: the timeline",
        "Hi {first_name},\n\nGreat news: the team{at_company} would like to interview you "
        "for the {role} role. Here is how it will go and when you can expect to hear "
        "from me after each step. Tell me which times suit you.\n\nBest regards",
    ),
    "check_in": (
        "How did it go?",
        "How did the interview go?",
        "Hi {first_name},\n\nHow did the interview for the {role} role go? I'd love to "
        "hear your impressions before I speak with the team, and I'll pass on their "
        "feedback as soon as I have it.\n\nBest regards",
    ),
    "shortlisted": (
        "Shortlisted",
        "You're on the shortlist for {role}",
        "Hi {first_name},\n\nYou are on the shortlist for the {role} role{at_company}. "
        "The team will decide shortly; I'll call you as soon as I know.\n\nBest regards",
    ),
    "offer": (
        "Offer",
        "An offer for {role}",
        "Hi {first_name},\n\nI'm delighted to tell you that the team{at_company} wants "
        "to make you an offer for the {role} role. When can we talk it through?\n\n"
        "Best regards",
    ),
    "welcome": (
        "Congratulations",
        "Congratulations on your new role",
        "Hi {first_name},\n\nCongratulations on joining as {role}{at_company}! It was a "
        "pleasure working with you. Let's stay in touch.\n\nBest regards",
    ),
    "closing": (
        "Closing message",
        "{role}: the decision",
        "Hi {first_name},\n\nThank you for the time you put into the {role} process"
        "{at_company}. I'm sorry to tell you the team has decided not to move forward. "
        "I'd rather tell you plainly than leave you waiting. I'd like to stay in touch and "
        "will reach out when something fits you better.\n\nBest regards",
    ),
    "closing_withdrew": (
        "Closing message",
        "{role}: thank you",
        "Hi {first_name},\n\nThanks for letting me know, and for your openness throughout "
        "the {role} process. I understand and wish you the best. I'd like to stay in "
        "touch; I'll check in from time to time.\n\nBest regards",
    ),
    "role_closed": (
        "Role closed",
        "{role}: the role is closed",
        "Hi {first_name},\n\nI wanted you to hear it from me: the {role} role{at_company} "
        "is now closed. Thank you for your time and interest. I'd like to stay in touch "
        "and will think of you for the next role that fits.\n\nBest regards",
    ),
}

# The message that fits a move to each stage (None: no message needed, e.g. only sourced).
FOR_STAGE: dict[str, str | None] = {
    "sourced": None,
    "contacted": "outreach",
    "interested": "next_steps",
    "submitted": "submitted",
    "interviewing": "timeline",
    "shortlisted": "shortlisted",
    "offer": "offer",
    "hired": "welcome",
    "not_selected": "closing",
    "withdrew": "closing_withdrew",
}


@dataclass(frozen=True)
class StageMessage:
    purpose: str
    label: str
    subject: str
    body: str


def purposes_for_move(previous: str | None, stage: str) -> list[str]:
    """The messages a move offers, the fitting one first; after an interview, the check-in."""
    purposes: list[str] = []
    fitting = FOR_STAGE.get(stage)
    if fitting:
        purposes.append(fitting)
    if previous == "interviewing" and stage != "interviewing":
        purposes.append("check_in")
    return purposes


def render(purpose: str, first_name: str, role: str, company: str) -> StageMessage:
    label, subject, body = TEXTS[purpose]
    values = {
        "first_name": first_name or "there",
        "role": role,
        "company": company,
        "at_company": f" at {company}" if company else "",
    }
    return StageMessage(purpose, label, subject.format(**values), body.format(**values))
