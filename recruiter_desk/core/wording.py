"""How counts, articles and days read, the same in the command line and the window.

Every sentence that says "1 person", "an update" or "3 weeks ago" takes it from here, so
the two fronts cannot drift apart (docs/rules.md, "Wording").
"""

from __future__ import annotations

from datetime import date

# Nouns whose plural is not the noun plus "s".
_PLURALS = {
    "person": "people",
    "candidacy": "candidacies",
    "opportunity": "opportunities",
    "reply": "replies",
    "match": "matches",
    "follow-up": "follow-ups",
}

# Words whose article the first letter gets wrong ("an hour", "a user").
_AN_EXCEPTIONS = ("hour", "honest", "honour", "heir")
_A_EXCEPTIONS = ("user", "use", "unique", "univers", "one", "once", "eu", "ur")


def plural(noun: str, count: int) -> str:
    """The noun as it reads after ``count``: ``person`` for 1, ``people`` otherwise."""
    if count == 1:
        return noun
    return _PLURALS.get(noun, noun + "s")


def count(number: int, noun: str) -> str:
    """``1 person``, ``2 people``, ``1,204 pairs``."""
    return f"{number:,} {plural(noun, number)}"


def article(phrase: str) -> str:
    """The phrase with ``a`` or ``an`` in front: ``an update``, ``a closing message``."""
    word = phrase.lstrip().lower()
    if word.startswith(_AN_EXCEPTIONS):
        return f"an {phrase}"
    if word.startswith(_A_EXCEPTIONS):
        return f"a {phrase}"
    return f"{'an' if word[:1] in 'aeiou' and word else 'a'} {phrase}"


def days_ago(days: int) -> str:
    """How long ago something was, as a recruiter says it: ``yesterday``, ``3 weeks ago``.

    Up to two weeks in days, then weeks up to two months, then months up to two years.
    Something dated in the future reads as today: its touch is not late.
    """
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 14:
        return f"{days} days ago"
    if days < 60:
        return f"{days // 7} weeks ago"
    if days < 730:
        return f"{days // 30} months ago"
    return f"{days // 365} years ago"


def days_ago_exactly(days: int) -> str:
    """``yesterday``, ``200 days ago``: for sentences that set the days against a cadence
    in days, where "6 months ago" would hide how far past it someone is."""
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{days} days ago"


def since(day: date, today: date) -> str:
    """``days_ago`` of a calendar date seen from ``today``."""
    return days_ago((today - day).days)


def waiting(days: int) -> str:
    """How long someone has waited: ``since today``, ``for 1 day``, ``for 3 days``."""
    return "since today" if days <= 0 else f"for {count(days, 'day')}"
