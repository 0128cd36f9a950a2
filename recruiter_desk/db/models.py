"""The whole schema, as SQLAlchemy 2 typed models.

Times are stored as naive UTC datetimes; calendar dates (``connected_on``, ``due_on``) as
dates. ``Person.last_*_at`` are denormalised copies of the newest interaction of each kind,
kept in step by ``recruiter_desk.db.touch`` on every write, so warmth for 100k people needs
no scan of a million interactions.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from recruiter_desk.db.team import acting_recruiter

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# Rows of these tables come back with their ids through Undo (core/trash.py): SQLite's
# default max(rowid) + 1 would have given a deleted person's id to the next one added.
NEVER_REUSE_IDS: dict[str, Any] = {"sqlite_autoincrement": True}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[str]: JSON}


class Organization(Base):
    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    website: Mapped[str | None] = mapped_column(String(500))
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)


# A person whose newest message in is newer than their newest message out: owed a reply
# once it has waited long enough (core/owed.py repeats it in its queries, as SQLite uses a
# partial index only for a query whose WHERE contains the index's own terms).
AWAITING_REPLY = (
    "last_inbound_at IS NOT NULL"
    " AND (last_outbound_at IS NULL OR last_outbound_at < last_inbound_at)"
)


class Person(Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(200), default="")
    last_name: Mapped[str] = mapped_column(String(200), default="")
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL"), index=True
    )
    company: Mapped[str] = mapped_column(String(300), default="")
    title: Mapped[str] = mapped_column(String(300), default="")
    location: Mapped[str] = mapped_column(String(300), default="")
    linkedin_url: Mapped[str | None] = mapped_column(String(500))
    # Normalised LinkedIn URL (no scheme, www, slash or query): the merge key for imports.
    linkedin_key: Mapped[str | None] = mapped_column(String(500), index=True)
    # Normalised "first last|company": the last-resort merge key.
    name_key: Mapped[str] = mapped_column(String(600), default="", index=True)
    # Surname-first, accent-free: lists sort on an index instead of computing per row.
    sort_key: Mapped[str] = mapped_column(String(600), default="", server_default="")
    links: Mapped[list[str]] = mapped_column(JSON, default=list)
    work_modes: Mapped[int] = mapped_column(Integer, default=0)
    openness: Mapped[str] = mapped_column(String(20), default="open")
    is_applicant: Mapped[bool] = mapped_column(Boolean, default=False)
    do_not_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    cadence_days: Mapped[int | None] = mapped_column(Integer)
    snoozed_until: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(100), default="")
    # Why the recruiter may hold this person's data (core/privacy.py LAWFUL_BASES), since
    # when, and when a consent ends; empty until set.
    lawful_basis: Mapped[str | None] = mapped_column(String(30))
    lawful_basis_on: Mapped[date | None] = mapped_column(Date)
    consent_expires_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    connected_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    job_changed_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_touch_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_inbound_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_outbound_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Stored warmth inputs (core/warmth_store.py): the effective cadence and its source, the
    # moments (epoch seconds) the person turns cooling and cold, and the newest moment
    # they depend on. Kept in step through db/warmth_queue.py.
    warmth_cadence: Mapped[int | None] = mapped_column(Integer)
    warmth_source: Mapped[str | None] = mapped_column(String(120))
    warmth_cooling_due: Mapped[int | None] = mapped_column(BigInteger, index=True)
    warmth_cold_due: Mapped[int | None] = mapped_column(BigInteger, index=True)
    warmth_moved_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    # Team mode (db/team.py): each edit of the person's fields adds one to ``version`` and
    # records who made it, so a save based on an older version is refused, never silent.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    updated_by: Mapped[str] = mapped_column(String(100), default="", server_default="")

    emails: Mapped[list[PersonEmail]] = relationship(
        cascade="all, delete-orphan", order_by="PersonEmail.position", passive_deletes=True
    )
    phones: Mapped[list[PersonPhone]] = relationship(
        cascade="all, delete-orphan", order_by="PersonPhone.position", passive_deletes=True
    )
    tags: Mapped[list[PersonTag]] = relationship(
        cascade="all, delete-orphan", order_by="PersonTag.tag", passive_deletes=True
    )
    interests: Mapped[list[PersonInterest]] = relationship(
        cascade="all, delete-orphan", order_by="PersonInterest.topic", passive_deletes=True
    )

    __table_args__ = (
        Index("ix_people_last_name_first_name", "last_name", "first_name"),
        Index("ix_people_sort_key", "sort_key", "id"),
        Index("ix_people_company", "company"),
        # Within one cadence the cold moment orders people by last touch (core/people.py).
        Index("ix_people_warmth_cadence_cold_due", "warmth_cadence", "warmth_cold_due"),
        # The partial indexes' conditions for PostgreSQL are in their migrations only:
        # naming a PostgreSQL option here loads that dialect into every command (35 ms of
        # a 0.6 s `today`), and the schema is made by the migrations, never from here.
        # The snoozed, who stay cooling past their cold moment: few, so a partial index.
        Index(
            "ix_people_snoozed_until",
            "snoozed_until",
            sqlite_where=text("snoozed_until IS NOT NULL"),
        ),
        # Today (core/today.py, core/owed.py; migration 0017), partial so they hold only
        # the few they are about: people awaiting a reply, whose job changed, or not to be
        # contacted.
        Index(
            "ix_people_awaiting_reply",
            # Every column the owed replies read of them: the people table is not read.
            "last_inbound_at",
            "last_outbound_at",
            "do_not_contact",
            "first_name",
            "last_name",
            sqlite_where=text(AWAITING_REPLY),
        ),
        Index(
            "ix_people_job_changed_at",
            "job_changed_at",
            sqlite_where=text("job_changed_at IS NOT NULL"),
        ),
        Index(
            "ix_people_do_not_contact",
            "id",
            sqlite_where=text("do_not_contact = 1"),
        ),
        NEVER_REUSE_IDS,
    )


class PersonEmail(Base):
    __tablename__ = "person_emails"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    address: Mapped[str] = mapped_column(String(320))
    address_key: Mapped[str] = mapped_column(String(320), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        Index("ix_person_emails_person_id", "person_id", "position"),
        NEVER_REUSE_IDS,
    )


class PersonPhone(Base):
    __tablename__ = "person_phones"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    number: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        Index("ix_person_phones_person_id", "person_id", "position"),
        NEVER_REUSE_IDS,
    )


class PersonTag(Base):
    __tablename__ = "person_tags"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(100), primary_key=True, index=True)

    # The key is the row (migration 0016): a rowid would store every pair twice.
    __table_args__ = ({"sqlite_with_rowid": False},)


class PersonInterest(Base):
    __tablename__ = "person_interests"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(String(100), primary_key=True, index=True)

    __table_args__ = ({"sqlite_with_rowid": False},)


class Opportunity(Base):
    __tablename__ = "opportunities"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL"), index=True
    )
    work_mode: Mapped[str | None] = mapped_column(String(20))
    location: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(20), default="open")
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    updated_by: Mapped[str] = mapped_column(String(100), default="", server_default="")


class Candidacy(Base):
    __tablename__ = "candidacies"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    opportunity_id: Mapped[int] = mapped_column(
        ForeignKey("opportunities.id", ondelete="CASCADE"), index=True
    )
    stage: Mapped[str] = mapped_column(String(20))
    stage_changed_at: Mapped[datetime] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # Why a candidacy closed as not selected or withdrew: whose choice ("theirs"/"ours")
    # and the reason (core.vocabulary.CLOSE_REASONS); empty while it is open.
    closed_by: Mapped[str | None] = mapped_column(String(10))
    close_reason: Mapped[str | None] = mapped_column(String(30), index=True)
    close_note: Mapped[str] = mapped_column(String(500), default="", server_default="")

    history: Mapped[list[StageChange]] = relationship(
        cascade="all, delete-orphan",
        order_by="(StageChange.changed_at, StageChange.id)",
        passive_deletes=True,
    )

    __table_args__ = (UniqueConstraint("person_id", "opportunity_id"), NEVER_REUSE_IDS)


class StageChange(Base):
    __tablename__ = "stage_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidacy_id: Mapped[int] = mapped_column(ForeignKey("candidacies.id", ondelete="CASCADE"))
    stage: Mapped[str] = mapped_column(String(20))
    changed_at: Mapped[datetime] = mapped_column(DateTime)
    recruiter: Mapped[str] = mapped_column(String(100), default=acting_recruiter, server_default="")

    __table_args__ = (
        Index("ix_stage_changes_candidacy_id", "candidacy_id", "changed_at"),
        NEVER_REUSE_IDS,
    )


class Interaction(Base):
    __tablename__ = "interactions"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    direction: Mapped[str] = mapped_column(String(20), default="outbound")
    occurred_at: Mapped[datetime] = mapped_column(DateTime)
    subject: Mapped[str] = mapped_column(String(500), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    opportunity_id: Mapped[int | None] = mapped_column(
        ForeignKey("opportunities.id", ondelete="SET NULL")
    )
    # Who logged it or sent it (db/team.py); empty for what was written before team mode.
    recruiter: Mapped[str] = mapped_column(String(100), default=acting_recruiter, server_default="")

    __table_args__ = (
        Index("ix_interactions_person_id_occurred_at", "person_id", "occurred_at"),
        Index("ix_interactions_occurred_at", "occurred_at"),
        # Only the few about an opportunity (migration 0016): asking for one implies NOT NULL.
        Index(
            "ix_interactions_opportunity_id",
            "opportunity_id",
            sqlite_where=text("opportunity_id IS NOT NULL"),
        ),
        NEVER_REUSE_IDS,
    )


class FollowUp(Base):
    __tablename__ = "follow_ups"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    due_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(500), default="")
    done_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (Index("ix_follow_ups_due_on", "due_on"), NEVER_REUSE_IDS)


class Template(Base):
    __tablename__ = "templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    purpose: Mapped[str] = mapped_column(String(50), default="")
    subject: Mapped[str] = mapped_column(String(500), default="")
    body: Mapped[str] = mapped_column(Text, default="")


class Message(Base):
    """One message written in Compose, whatever way it left: the outbox's queue and the
    record of which template, role and article a touch came from.

    ``state`` for the outbox: ``queued`` -> ``sending`` (committed *before* the SMTP
    conversation) -> ``sent`` (committed with the interaction). A row left in ``sending``
    means the app stopped between the two: it may have gone out, so it is never retried
    on its own (docs/compose.md).
    """

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(String(300), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    template_id: Mapped[int | None] = mapped_column(ForeignKey("templates.id", ondelete="SET NULL"))
    opportunity_id: Mapped[int | None] = mapped_column(
        ForeignKey("opportunities.id", ondelete="SET NULL")
    )
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"))
    interaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("interactions.id", ondelete="SET NULL")
    )
    channel: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20))
    to_address: Mapped[str] = mapped_column(String(320), default="")
    subject: Mapped[str] = mapped_column(String(500), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    override_note: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    attempted_at: Mapped[datetime | None] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)

    __table_args__ = (
        Index("ix_messages_state", "state", "id"),
        {"sqlite_autoincrement": True},
    )


class Article(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(1000), unique=True)
    title: Mapped[str] = mapped_column(String(500), default="")
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class ImportBatch(Base):
    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    source: Mapped[str] = mapped_column(String(1000), default="")
    format: Mapped[str] = mapped_column(String(40), default="")
    added: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    undone_at: Mapped[datetime | None] = mapped_column(DateTime)


class ImportBatchItem(Base):
    """Which person an import added or changed, so the batch can be listed and undone."""

    __tablename__ = "import_batch_items"

    batch_id: Mapped[int] = mapped_column(
        ForeignKey("import_batches.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    action: Mapped[str] = mapped_column(String(10))


class MailInteraction(Base):
    """Which interaction a mail message became, so importing the same mail again adds
    nothing and ``undo-import`` can take a mail batch back (docs/mail.md).

    ``message_key`` is the Message-ID without its angle brackets, or a hash of sender, date
    and subject for a message without one; a message to three people is three rows.
    """

    __tablename__ = "mail_interactions"

    interaction_id: Mapped[int] = mapped_column(
        ForeignKey("interactions.id", ondelete="CASCADE"), primary_key=True
    )
    message_key: Mapped[str] = mapped_column(String(300))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batches.id", ondelete="SET NULL"), index=True
    )

    __table_args__ = (UniqueConstraint("message_key", "person_id"),)


class MailFolder(Base):
    """How far ``sync-mail`` has read one IMAP folder: its UIDVALIDITY and the last UID
    read. Written in the same transaction as the interactions of that read, so a dropped
    connection never leaves the position ahead of the mail (docs/mail.md)."""

    __tablename__ = "mail_folders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account: Mapped[str] = mapped_column(String(300))
    folder: Mapped[str] = mapped_column(String(300))
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    last_uid: Mapped[int] = mapped_column(BigInteger)
    synced_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (UniqueConstraint("account", "folder"),)


class ForgottenIdentity(Base):
    """A keyed one-way hash of an erased person's email or LinkedIn URL, so imports skip them."""

    __tablename__ = "forgotten_identities"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    forgotten_at: Mapped[datetime] = mapped_column(DateTime)


class MetaValue(Base):
    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
