"""Composing messages: one template merged for many people, guarded, delivered, logged.

A *draft* is one recipient's message with everything that stands in its way. Guards
(docs/compose.md): do-not-contact people cannot be messaged; a role whose work mode conflicts
with the person's preference is refused unless the recruiter overrides it knowingly (the
override is written on the interaction); people not looking get a warning; people with no
email address can only get a copied message (a LinkedIn message, say).

Every delivery writes one ``messages`` row and one outbound interaction per recipient in one
transaction, so warmth, Today and the owed list move at once. The outbox is in
``core/outbox.py``: queued messages become interactions when they are actually sent.
"""

from __future__ import annotations

import email.policy
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from recruiter_desk.core.clock import AsOf
from recruiter_desk.core.identity import display_name, first_email
from recruiter_desk.core.matching import conflicts, load_opportunity
from recruiter_desk.core.opportunities import OpportunitySummary
from recruiter_desk.core.records import log_interaction
from recruiter_desk.core.templates import render
from recruiter_desk.core.vocabulary import WORK_MODE_BITS, WORK_MODE_WORDS, bits_to_work_modes
from recruiter_desk.db.models import Article, Message, Person
from recruiter_desk.errors import KnownError, NotFoundError, UsageError
from recruiter_desk.settings import Settings

# Mail clients truncate longer mailto: links (DESIGN interop notes): offer an .eml instead.
MAILTO_LIMIT = 2000
CHANNELS = ("clipboard", "mail_client", "eml", "outbox")


@dataclass(frozen=True)
class Recipient:
    person_id: int
    name: str
    first_name: str
    last_name: str
    company: str
    title: str
    location: str
    email: str | None
    do_not_contact: bool
    openness: str
    work_modes: int


@dataclass(frozen=True)
class ArticleInfo:
    id: int
    title: str
    url: str


@dataclass(frozen=True)
class Draft:
    """One recipient's message and what stands in its way."""

    person_id: int
    name: str
    to: str | None
    subject: str
    body: str
    problems: tuple[str, ...]
    blocked: str | None
    conflict: str | None
    overridden: bool
    warnings: tuple[str, ...]
    # The teammate who was in touch with them lately (docs/team.md), else None.
    teammate: str | None = None

    @property
    def status(self) -> str:
        """``ready``, ``blocked`` (do-not-contact), ``conflict`` (needs a knowing override)
        or ``fix`` (placeholders or markers left)."""
        if self.blocked:
            return "blocked"
        if self.conflict and not self.overridden:
            return "conflict"
        if self.problems:
            return "fix"
        return "ready"

    @property
    def ready(self) -> bool:
        return self.status == "ready"

    @property
    def override_note(self) -> str:
        if not (self.conflict and self.overridden):
            return ""
        return f"Sent knowingly despite a work-mode conflict: {self.conflict}."

    @property
    def mailto_too_long(self) -> bool:
        return len(mailto_url(self)) > MAILTO_LIMIT

    def to_json(self) -> dict[str, object]:
        return {
            "person_id": self.person_id,
            "name": self.name,
            "to": self.to,
            "subject": self.subject,
            "body": self.body,
            "status": self.status,
            "problems": list(self.problems),
            "blocked": self.blocked,
            "conflict": self.conflict,
            "overridden": self.overridden,
            "warnings": list(self.warnings),
            "teammate": self.teammate,
        }


@dataclass(frozen=True)
class Composition:
    """What the recruiter set up: the text, the role, the article and the overrides."""

    subject: str
    body: str
    template_id: int | None = None
    opportunity_id: int | None = None
    article_id: int | None = None
    # Per person: their own edited subject and body (personalised in the preview).
    edits: Mapping[int, tuple[str, str]] | None = None
    # People whose work-mode conflict the recruiter overrides knowingly.
    overrides: frozenset[int] = frozenset()


# -- loading -------------------------------------------------------------------------------


def load_recipients(connection: Connection, person_ids: Sequence[int]) -> list[Recipient]:
    """The people to write to, in the order given, each once; unknown ids are an error."""
    ids = list(dict.fromkeys(person_ids))
    found: dict[int, Recipient] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for row in connection.execute(
            select(
                Person.id,
                Person.first_name,
                Person.last_name,
                Person.company,
                Person.title,
                Person.location,
                Person.do_not_contact,
                Person.openness,
                Person.work_modes,
                first_email(Person.id).label("email"),
            ).where(Person.id.in_(chunk))
        ):
            found[row.id] = Recipient(
                person_id=row.id,
                name=display_name(row.first_name, row.last_name, [row.email or ""], row.id),
                first_name=row.first_name,
                last_name=row.last_name,
                company=row.company,
                title=row.title,
                location=row.location,
                email=row.email,
                do_not_contact=bool(row.do_not_contact),
                openness=row.openness,
                work_modes=row.work_modes or 0,
            )
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFoundError(f"There is no person with id {missing[0]}.")
    return [found[i] for i in ids]


def load_article(connection: Connection, article_id: int) -> ArticleInfo:
    row = connection.execute(
        select(Article.id, Article.title, Article.url).where(Article.id == article_id)
    ).first()
    if row is None:
        raise NotFoundError(f"There is no article with id {article_id}.")
    return ArticleInfo(row.id, row.title, row.url)


# -- preview -------------------------------------------------------------------------------


def shared_values(
    settings: Settings, opportunity: OpportunitySummary | None, article: ArticleInfo | None
) -> dict[str, str]:
    """The values every recipient of one composition shares."""
    values = {
        "my_name": settings.my_name.strip(),
        "my_signature": settings.my_signature.strip() or settings.my_name.strip(),
    }
    if opportunity is not None:
        values["opportunity.title"] = opportunity.title
        values["opportunity.company"] = opportunity.company
        values["opportunity.work_mode"] = WORK_MODE_WORDS.get(opportunity.work_mode or "", "")
        values["opportunity.location"] = opportunity.location
    if article is not None:
        values["article.title"] = article.title
        values["article.url"] = article.url
    return values


def person_values(recipient: Recipient) -> dict[str, str]:
    return {
        "first_name": recipient.first_name,
        "last_name": recipient.last_name,
        "full_name": f"{recipient.first_name} {recipient.last_name}".strip(),
        "company": recipient.company,
        "title": recipient.title,
        "location": recipient.location,
    }


def draft_for(
    recipient: Recipient,
    composition: Composition,
    shared: Mapping[str, str],
    opportunity: OpportunitySummary | None,
) -> Draft:
    values = {**shared, **person_values(recipient)}
    subject_text, body_text = (composition.edits or {}).get(
        recipient.person_id, (composition.subject, composition.body)
    )
    subject = render(subject_text, values)
    body = render(body_text, values)
    problems = [p.message for p in dict.fromkeys((*subject.problems, *body.problems))]
    conflict = None
    role_bit = WORK_MODE_BITS.get(opportunity.work_mode or "", 0) if opportunity else 0
    if opportunity is not None and conflicts(recipient.work_modes, role_bit):
        prefers = " or ".join(WORK_MODE_WORDS[m] for m in bits_to_work_modes(recipient.work_modes))
        conflict = (
            f"{recipient.name} prefers {prefers}; {opportunity.title} is "
            f"{WORK_MODE_WORDS.get(opportunity.work_mode or '', opportunity.work_mode)}"
        )
    warnings = []
    if recipient.openness == "not_looking":
        warnings.append(f"{recipient.name} said they are not looking")
    if not recipient.email:
        warnings.append("no email address: copy the message (for LinkedIn, say)")
    return Draft(
        person_id=recipient.person_id,
        name=recipient.name,
        to=recipient.email,
        # A subject is one header line whatever a value held.
        subject=" ".join(subject.text.split()),
        body=body.text,
        problems=tuple(problems),
        blocked=(
            f"{recipient.name} is marked do-not-contact: no message can go to them"
            if recipient.do_not_contact
            else None
        ),
        conflict=conflict,
        overridden=recipient.person_id in composition.overrides,
        warnings=tuple(warnings),
    )


def preview(
    connection: Connection,
    person_ids: Sequence[int],
    composition: Composition,
    settings: Settings,
    day: AsOf | None = None,
) -> list[Draft]:
    """Every recipient's message, rendered, with its problems; nothing is written."""
    opportunity = (
        load_opportunity(connection, composition.opportunity_id)
        if composition.opportunity_id is not None
        else None
    )
    article = (
        load_article(connection, composition.article_id)
        if composition.article_id is not None
        else None
    )
    shared = shared_values(settings, opportunity, article)
    drafts = [
        draft_for(r, composition, shared, opportunity)
        for r in load_recipients(connection, person_ids)
    ]
    return _with_teammates(connection, drafts, settings, day)


def _with_teammates(
    connection: Connection, drafts: list[Draft], settings: Settings, day: AsOf | None
) -> list[Draft]:
    """Team mode: a recipient a teammate was in touch with lately carries that sentence
    first among its warnings (core/team.py)."""
    from dataclasses import replace

    from recruiter_desk.core.clock import as_of, local_zone
    from recruiter_desk.core.team import teammate_contacts

    when = day or as_of(None, local_zone(settings.timezone))
    found = teammate_contacts(
        connection, [d.person_id for d in drafts], when, settings.teammate_window_days
    )
    return [
        replace(
            d,
            warnings=(found[d.person_id].sentence, *d.warnings),
            teammate=found[d.person_id].recruiter,
        )
        if d.person_id in found
        else d
        for d in drafts
    ]


def problems_of(drafts: Iterable[Draft]) -> list[str]:
    """One line per recipient that cannot go as it is, naming them."""
    lines = []
    for d in drafts:
        if d.blocked:
            lines.append(d.blocked)
        elif d.conflict and not d.overridden:
            lines.append(f"{d.conflict}: override knowingly to send it anyway")
        lines.extend(f"{d.name}: {p}" for p in d.problems)
    return lines


# -- delivery ------------------------------------------------------------------------------


def mailto_url(draft: Draft) -> str:
    """A ``mailto:`` link (RFC 6068): UTF-8 percent-encoded, line breaks as CRLF."""

    def encode(text: str) -> str:
        return quote(text.replace("\r\n", "\n").replace("\n", "\r\n"), safe="")

    address = quote(draft.to or "", safe="@")
    return f"mailto:{address}?subject={encode(draft.subject)}&body={encode(draft.body)}"


def clipboard_text(drafts: Sequence[Draft]) -> str:
    """What Copy puts on the clipboard: the body alone for one person (a LinkedIn message
    has no subject), each message under its recipient's name for several."""
    if len(drafts) == 1:
        return drafts[0].body
    return "\n\n".join(f"--- {d.name} ---\n{d.subject}\n\n{d.body}" for d in drafts)


def sender(settings: Settings) -> str | None:
    addresses = [a.strip() for a in settings.my_addresses if a.strip()]
    if not addresses:
        return None
    return (
        formataddr((settings.my_name.strip(), addresses[0])) if settings.my_name else addresses[0]
    )


def new_message_id(settings: Settings) -> str:
    addresses = [a.strip() for a in settings.my_addresses if "@" in a]
    domain = addresses[0].rsplit("@", 1)[1] if addresses else "recruiter-desk.invalid"
    return make_msgid("rd", domain=domain)


def build_email(
    draft: Draft,
    settings: Settings,
    message_id: str,
    at: datetime,
    *,
    draft_flag: bool = False,
) -> EmailMessage:
    """An RFC 5322 message; ``draft_flag`` adds ``X-Unsent: 1`` so mail clients open the
    .eml as a draft to send rather than a received mail."""
    message = EmailMessage()
    origin = sender(settings)
    if origin:
        message["From"] = origin
    message["To"] = formataddr((draft.name, draft.to)) if draft.to else ""
    message["Subject"] = draft.subject
    message["Date"] = format_datetime(at.replace(tzinfo=UTC) if at.tzinfo is None else at)
    message["Message-ID"] = message_id
    if draft_flag:
        message["X-Unsent"] = "1"
    # Quoted-printable keeps every line 7-bit: 8-bit bodies still trip some relays.
    if draft.body.isascii():
        message.set_content(draft.body)
    else:
        message.set_content(draft.body, cte="quoted-printable")
    return message


def eml_name(draft: Draft) -> str:
    safe = "".join(c if c.isalnum() else "-" for c in draft.name).strip("-") or "message"
    return f"{draft.person_id}-{safe[:60]}.eml"


def write_eml(
    drafts: Sequence[Draft], folder: Path, settings: Settings, at: datetime
) -> list[Path]:
    """One draft .eml per recipient in ``folder``."""
    _require_ready(drafts, "save")
    if not folder.is_dir():
        raise UsageError(f"The folder {folder} does not exist.")
    written = []
    for draft in drafts:
        path = folder / eml_name(draft)
        message = build_email(draft, settings, new_message_id(settings), at, draft_flag=True)
        # RFC 5322 lines end in CRLF, on disk too.
        path.write_bytes(message.as_bytes(policy=email.policy.SMTP))
        written.append(path)
    return written


def _require_ready(drafts: Sequence[Draft], verb: str) -> None:
    if not drafts:
        raise UsageError("There is no one to write to.")
    stuck = [d for d in drafts if not d.ready]
    if stuck:
        lines = problems_of(stuck[:1])
        raise KnownError(
            f"Nothing was {verb}d: {lines[0] if lines else stuck[0].name + ' is not ready'}."
            + (f" ({len(stuck) - 1} more not ready.)" if len(stuck) > 1 else "")
        )


def record_delivery(
    session: Session,
    drafts: Sequence[Draft],
    composition: Composition,
    channel: str,
    at: datetime,
    settings: Settings,
) -> int:
    """Log what the recruiter sent by hand (copied, mail client, .eml): one message row
    and one outbound interaction per recipient, in the caller's transaction."""
    if channel not in ("clipboard", "mail_client", "eml"):
        raise UsageError(f"Unknown delivery {channel!r}.")
    _require_ready(drafts, "record")
    for draft in drafts:
        interaction = log_interaction(
            session,
            draft.person_id,
            kind=interaction_kind(composition.article_id, channel, draft.to),
            direction="outbound",
            occurred_at=at,
            subject=draft.subject,
            body=interaction_body(draft.body, draft.override_note),
            opportunity_id=composition.opportunity_id,
            now=at,
        )
        session.add(_message_row(draft, composition, channel, "sent", at, settings, interaction.id))
    session.flush()
    return len(drafts)


def queue_drafts(
    session: Session,
    drafts: Sequence[Draft],
    composition: Composition,
    at: datetime,
    settings: Settings,
) -> int:
    """Put the messages in the outbox; they become interactions when they are sent."""
    _require_ready(drafts, "queue")
    without = [d for d in drafts if not d.to]
    if without:
        raise KnownError(
            f"Nothing was queued: {without[0].name} has no email address; copy their "
            "message instead."
        )
    session.add_all(
        _message_row(d, composition, "outbox", "queued", at, settings, None) for d in drafts
    )
    session.flush()
    return len(drafts)


def interaction_kind(article_id: int | None, channel: str, address: str | None) -> str:
    if article_id is not None:
        return "article"
    if channel == "clipboard" and not address:
        return "message"
    return "email"


def interaction_body(body: str, override_note: str) -> str:
    return f"{body}\n\n[{override_note}]" if override_note else body


def _message_row(
    draft: Draft,
    composition: Composition,
    channel: str,
    state: str,
    at: datetime,
    settings: Settings,
    interaction_id: int | None,
) -> Message:
    return Message(
        message_id=new_message_id(settings),
        person_id=draft.person_id,
        template_id=composition.template_id,
        opportunity_id=composition.opportunity_id,
        article_id=composition.article_id,
        interaction_id=interaction_id,
        channel=channel,
        state=state,
        to_address=draft.to or "",
        subject=draft.subject,
        body=draft.body,
        override_note=draft.override_note,
        attempts=0,
        last_error="",
        created_at=at,
        attempted_at=at if state == "sent" else None,
        sent_at=at if state == "sent" else None,
    )
