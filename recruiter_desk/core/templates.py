"""Message templates: the stored set, and the tiny language they are written in.

A template is plain text with three things in it (docs/compose.md):

- ``{first_name}``, ``{opportunity.title}`` … a placeholder, filled from the recipient, the
  role, the article or the recruiter's own settings;
- ``{first_name|there}`` a placeholder with a fallback, used when the value is empty
  (Gem added "token fallbacks" after empty fields produced "Hi ,");
- ``[[a line about their talk]]`` a personalise-me marker: the message cannot go out
  until it has been replaced (Greenhouse pauses a step marked for personalisation).

``{{`` and ``}}`` write literal braces. Rendering runs no code: this module parses the text
itself and never hands user text to ``str.format`` (OpenCATS sent ``%CANDFULLNAME%``
literally; ``str.format`` on user text would also let ``{0.__class__}`` reach objects).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Connection, func, insert, select
from sqlalchemy.orm import Session

from recruiter_desk.core.normalize import clean
from recruiter_desk.db.models import MetaValue, Template
from recruiter_desk.errors import KnownError, NotFoundError, UsageError

# Every placeholder a template may use, with what it stands for (the Compose view lists them).
PLACEHOLDERS: dict[str, str] = {
    "first_name": "their first name",
    "last_name": "their last name",
    "full_name": "their name",
    "company": "their company",
    "title": "their job title",
    "location": "where they are",
    "opportunity.title": "the role",
    "opportunity.company": "the hiring company",
    "opportunity.work_mode": "remote, hybrid or on-site",
    "opportunity.location": "where the role is",
    "article.title": "the article's title",
    "article.url": "the article's address",
    "my_name": "your name (Settings)",
    "my_signature": "your signature (Settings; else your name)",
}

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?")


@dataclass(frozen=True)
class Problem:
    """Why a rendered message cannot go out as it is."""

    kind: str  # "unknown" | "missing" | "marker"
    detail: str  # the placeholder name or the marker's text

    @property
    def message(self) -> str:
        if self.kind == "unknown":
            return f"{{{self.detail}}} is not a placeholder Recruiter Desk knows"
        if self.kind == "missing" and self.detail.startswith("my_"):
            return f"{{{self.detail}}} is empty: set your name and signature in Settings"
        if self.kind == "missing":
            what = PLACEHOLDERS.get(self.detail, self.detail)
            return f"no value for {what}: write it in, or use a fallback like {{{self.detail}|…}}"
        return f"personalise: [[{self.detail}]]"


@dataclass(frozen=True)
class Rendered:
    text: str
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class _Field:
    name: str
    fallback: str | None
    source: str


@dataclass(frozen=True)
class _Marker:
    text: str
    source: str


_Piece = str | _Field | _Marker


def parse(text: str) -> list[_Piece]:
    """Split template text into literal strings, placeholders and markers.

    Braces that do not hold a placeholder name (``{ }``, JSON, an unclosed ``{``) stay
    literal text, so pasting code or a smiley never breaks a template.
    """
    pieces: list[_Piece] = []
    literal: list[str] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if text.startswith("{{", i) or text.startswith("}}", i):
            literal.append(char)
            i += 2
            continue
        if char == "{":
            end = text.find("}", i + 1)
            inner = text[i + 1 : end] if end != -1 else ""
            name, bar, fallback = inner.partition("|")
            if end != -1 and "\n" not in inner and _NAME.fullmatch(name.strip()):
                pieces.append("".join(literal))
                literal = []
                pieces.append(_Field(name.strip(), fallback if bar else None, text[i : end + 1]))
                i = end + 1
                continue
        elif text.startswith("[[", i):
            end = text.find("]]", i + 2)
            if end != -1:
                pieces.append("".join(literal))
                literal = []
                pieces.append(_Marker(text[i + 2 : end].strip(), text[i : end + 2]))
                i = end + 2
                continue
        literal.append(char)
        i += 1
    pieces.append("".join(literal))
    return [p for p in pieces if p != ""]


def render(text: str, values: Mapping[str, str]) -> Rendered:
    """Fill ``text`` from ``values``. What cannot be filled stays as written, so the
    recruiter sees where it is, and is reported as a problem."""
    out: list[str] = []
    problems: list[Problem] = []
    for piece in parse(text):
        if isinstance(piece, str):
            out.append(piece)
        elif isinstance(piece, _Marker):
            out.append(piece.source)
            problems.append(Problem("marker", piece.text))
        elif piece.name not in PLACEHOLDERS:
            out.append(piece.source)
            problems.append(Problem("unknown", piece.name))
        else:
            value = values.get(piece.name, "")
            if value:
                out.append(value)
            elif piece.fallback is not None:
                out.append(piece.fallback)
            else:
                out.append(piece.source)
                problems.append(Problem("missing", piece.name))
    return Rendered("".join(out), tuple(dict.fromkeys(problems)))


# -- the stored templates ------------------------------------------------------------------


@dataclass(frozen=True)
class TemplateRow:
    id: int
    name: str
    purpose: str
    subject: str
    body: str

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "purpose": self.purpose,
            "subject": self.subject,
            "body": self.body,
        }


# Purposes, in the order a relationship meets them (core/pipeline.py maps stages onto some).
PURPOSES: tuple[str, ...] = (
    "connect",
    "outreach",
    "next_steps",
    "submitted",
    "update",
    "timeline",
    "check_in",
    "shortlisted",
    "offer",
    "welcome",
    "closing",
    "closing_withdrew",
    "keep_warm",
    "article",
    "role_closed",
)

# Written the way the best recruiters write: a person to a person, honest about what this is.
STARTER_TEMPLATES: tuple[tuple[str, str, str, str], ...] = (
    (
        "First connection (no role)",
        "connect",
        "Hello from {my_name}",
        "Hi {first_name|there},\n\n"
        "I'm {my_name}, a recruiter working in [[your field, e.g. data engineering in Lisbon]]. "
        "This isn't about a specific role: I'd simply like to stay in touch, learn what you "
        "care about, and only ever bring you things that genuinely fit.\n\n"
        "If you're happy to, tell me what a good next step would look like for you, whenever "
        "that is. Or just say hello back.\n\n"
        "{my_signature}",
    ),
    (
        "Opportunity outreach",
        "outreach",
        "{opportunity.title} at {opportunity.company} ({opportunity.work_mode})",
        "Hi {first_name|there},\n\n"
        "I'm working on a role that made me think of you: {opportunity.title} at "
        "{opportunity.company}. It's {opportunity.work_mode}, "
        "{opportunity.location|location open}.\n\n"
        "[[One honest sentence on why you thought of them]]\n\n"
        "No pressure at all. If the timing or the role isn't right, say so and I'll keep "
        "it in mind for what you'd rather hear about.\n\n"
        "{my_signature}",
    ),
    (
        "Next steps",
        "next_steps",
        "Next steps for {opportunity.title}",
        "Hi {first_name|there},\n\n"
        "Thank you for your interest in {opportunity.title} at {opportunity.company}. Here is "
        "what happens next: [[the next step, and when they will hear from you]].\n\n"
        "Whatever the answer, you'll hear it from me.\n\n"
        "{my_signature}",
    ),
    (
        "Profile shared",
        "submitted",
        "Your profile is with {opportunity.company}",
        "Hi {first_name|there},\n\n"
        "I've shared your profile with the team at {opportunity.company} for "
        "{opportunity.title}. I'll let you know as soon as I hear back, and by "
        "[[a date]] at the latest, even if there is no news yet.\n\n"
        "{my_signature}",
    ),
    (
        "Interview timeline",
        "timeline",
        "Interviews for {opportunity.title}: the timeline",
        "Hi {first_name|there},\n\n"
        "Good news: {opportunity.company} would like to interview you for "
        "{opportunity.title}. Here is how it will go: [[the steps, who you'll meet, and "
        "roughly when]].\n\n"
        "I'll check in after each step. Tell me which times suit you, and ask me anything.\n\n"
        "{my_signature}",
    ),
    (
        "An offer",
        "offer",
        "An offer for {opportunity.title}",
        "Hi {first_name|there},\n\n"
        "I'm delighted to tell you that {opportunity.company} wants to make you an offer for "
        "{opportunity.title}. When can we talk it through? Take the time you need; I'm "
        "here for every question.\n\n"
        "{my_signature}",
    ),
    (
        "Congratulations",
        "welcome",
        "Congratulations, {first_name|and welcome}!",
        "Hi {first_name|there},\n\n"
        "Congratulations on joining {opportunity.company} as {opportunity.title}! It was a "
        "real pleasure working with you. Let's stay in touch, and tell me how the first "
        "weeks go.\n\n"
        "{my_signature}",
    ),
    (
        "Withdrew, with thanks",
        "closing_withdrew",
        "{opportunity.title}: thank you",
        "Hi {first_name|there},\n\n"
        "Thank you for letting me know, and for your openness throughout the "
        "{opportunity.title} process. I understand, and I wish you the best with what you "
        "choose. I'd like to stay in touch; I'll check in from time to time.\n\n"
        "{my_signature}",
    ),
    (
        "Timeline update",
        "update",
        "{opportunity.title}: where things stand",
        "Hi {first_name|there},\n\n"
        "A quick update on {opportunity.title} at {opportunity.company}: "
        "[[what has happened since we last spoke]].\n\n"
        "Next: [[what happens next, and by when]]. I'll write again then, even if the "
        "news is only that there is no news.\n\n"
        "{my_signature}",
    ),
    (
        "After the interview",
        "check_in",
        "How did the interview go?",
        "Hi {first_name|there},\n\n"
        "How did the interview with {opportunity.company} go? I'd love to hear how it felt "
        "from your side: what you liked, what you didn't, and anything that surprised you.\n\n"
        "Your feedback helps me, and it helps me give the team an honest picture. I'll pass "
        "on theirs as soon as I have it.\n\n"
        "{my_signature}",
    ),
    (
        "Shortlisted",
        "shortlisted",
        "Good news on {opportunity.title}",
        "Hi {first_name|there},\n\n"
        "Good news: {opportunity.company} has put you on the shortlist for "
        "{opportunity.title}. [[What happens next, and when]].\n\n"
        "If anything has changed on your side, timing, other processes, doubts, tell me "
        "now and we'll handle it together.\n\n"
        "{my_signature}",
    ),
    (
        "Not selected, door open",
        "closing",
        "{opportunity.title}: the decision",
        "Hi {first_name|there},\n\n"
        "I wanted you to hear this from me: {opportunity.company} has decided not to go "
        "ahead with your application for {opportunity.title}. The honest reason, as they "
        "gave it: [[the reason, in plain words]].\n\n"
        "Thank you for the time and care you put into the process. This isn't goodbye: I'd "
        "like to stay in touch and bring you the next role that truly fits.\n\n"
        "{my_signature}",
    ),
    (
        "Stay in touch",
        "keep_warm",
        "Checking in, {first_name|no agenda}",
        "Hi {first_name|there},\n\n"
        "It's been a while, so I wanted to check in. How are things at {company|work}? "
        "Anything you're looking for next, or something I could help with?\n\n"
        "No agenda, just keeping in touch.\n\n"
        "{my_signature}",
    ),
    (
        "Article share",
        "article",
        "This made me think of you: {article.title}",
        "Hi {first_name|there},\n\n"
        "I read this and thought of you: {article.title}\n{article.url}\n\n"
        "[[Why it made you think of them]]\n\n"
        "{my_signature}",
    ),
    (
        "Role closed",
        "role_closed",
        "{opportunity.title} is now closed",
        "Hi {first_name|there},\n\n"
        "A short note so you're not left wondering: the {opportunity.title} role at "
        "{opportunity.company} is now closed. [[How it closed, if you can say]].\n\n"
        "Thank you for your interest. I'll keep you in mind for what comes next, and you're "
        "always welcome to tell me what you're looking for.\n\n"
        "{my_signature}",
    ),
)

_SEEDED_KEY = "starter_templates_seeded"


def seed_starter_templates(connection: Connection) -> int:
    """Add the starter set once per database; a recruiter who deletes one keeps it deleted.

    A template already there under the same name (an import, the demo) is left alone.
    """
    if connection.execute(select(MetaValue.value).where(MetaValue.key == _SEEDED_KEY)).first():
        return 0
    present = set(connection.execute(select(Template.name)).scalars())
    rows = [
        {"name": name, "purpose": purpose, "subject": subject, "body": body}
        for name, purpose, subject, body in STARTER_TEMPLATES
        if name not in present
    ]
    if rows:
        connection.execute(insert(Template), rows)
    connection.execute(insert(MetaValue), [{"key": _SEEDED_KEY, "value": "1"}])
    return len(rows)


def list_templates(connection: Connection) -> list[TemplateRow]:
    rows = connection.execute(
        select(Template.id, Template.name, Template.purpose, Template.subject, Template.body)
    ).all()
    order = {purpose: i for i, purpose in enumerate(PURPOSES)}
    return sorted(
        (TemplateRow(*row) for row in rows),
        key=lambda t: (order.get(t.purpose, len(order)), t.name.casefold(), t.id),
    )


def find_template(connection: Connection, key: str | int) -> TemplateRow:
    """A template by id, or by name (ignoring case)."""
    statement = select(
        Template.id, Template.name, Template.purpose, Template.subject, Template.body
    )
    text = str(key).strip()
    if text.isdigit():
        row = connection.execute(statement.where(Template.id == int(text))).first()
    else:
        row = connection.execute(statement.where(func.lower(Template.name) == text.lower())).first()
    if row is None:
        raise NotFoundError(f"There is no template {text!r}; `templates` lists them.")
    return TemplateRow(*row)


def save_template(
    session: Session,
    template_id: int | None,
    name: str,
    purpose: str,
    subject: str,
    body: str,
) -> int:
    """Create (``template_id`` None) or change a template; names are unique."""
    title = clean(name)
    if not title:
        raise UsageError("A template needs a name.")
    if "\n" in subject:
        raise UsageError("A template's subject must fit on one line.")
    clash = session.scalars(
        select(Template.id).where(func.lower(Template.name) == title.lower())
    ).first()
    if clash is not None and clash != template_id:
        raise KnownError(f"There is already a template called {title!r}.")
    if template_id is None:
        template = Template(name=title)
        session.add(template)
    else:
        found = session.get(Template, template_id)
        if found is None:
            raise NotFoundError(f"There is no template with id {template_id}.")
        template = found
    template.name = title
    template.purpose = clean(purpose)
    template.subject = subject.strip()
    template.body = body
    session.flush()
    return template.id


def duplicate_template(session: Session, template_id: int) -> int:
    original = session.get(Template, template_id)
    if original is None:
        raise NotFoundError(f"There is no template with id {template_id}.")
    names = set(session.scalars(select(Template.name)))
    copy_name = f"{original.name} (copy)"
    number = 2
    while copy_name in names:
        copy_name = f"{original.name} (copy {number})"
        number += 1
    return save_template(
        session, None, copy_name, original.purpose, original.subject, original.body
    )


def delete_template(session: Session, template_id: int) -> None:
    template = session.get(Template, template_id)
    if template is None:
        raise NotFoundError(f"There is no template with id {template_id}.")
    session.delete(template)
