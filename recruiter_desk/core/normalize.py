"""Normal forms used to recognise the same person across files and edits."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

_SPACES = re.compile(r"\s+")


def clean(value: str | None) -> str:
    """Trimmed text with runs of white space folded to one space."""
    if not value:
        return ""
    return _SPACES.sub(" ", str(value)).strip()


def email_key(address: str) -> str:
    return clean(address).lower()


def linkedin_key(url: str | None) -> str | None:
    """``https://www.linkedin.com/in/Ana/?trk=x`` and ``linkedin.com/in/ana`` are the same key."""
    value = clean(url)
    if not value:
        return None
    if "://" not in value:
        value = "https://" + value
    parts = urlsplit(value)
    host = parts.netloc.lower()
    for prefix in ("www.", "m.", "mobile."):
        if host.startswith(prefix):
            host = host[len(prefix) :]
    path = parts.path.rstrip("/").lower()
    if not host:
        return None
    return f"{host}{path}"


def _plain(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def name_key(first_name: str, last_name: str, company: str) -> str:
    """Full name plus company, accent- and case-insensitive; empty when there is no name."""
    name = clean(f"{first_name} {last_name}")
    if not name:
        return ""
    return f"{_plain(name)}|{_plain(clean(company))}"


def tag(value: str) -> str:
    return clean(value).lower()


def display_name(first_name: str, last_name: str, emails: list[str], person_id: int) -> str:
    """What to call someone: their name, else their first email, else their number."""
    return f"{first_name} {last_name}".strip() or (emails[0] if emails else f"#{person_id}")


def sort_key(first_name: str, last_name: str) -> str:
    """How people are ordered by name: surname (or the only name) first, accents and case
    ignored, so Álvaro files with the A's."""
    surname = clean(last_name) or clean(first_name)
    return f"{_plain(surname)}\x1f{_plain(clean(first_name))}"
