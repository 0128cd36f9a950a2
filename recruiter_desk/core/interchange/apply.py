"""Applying an interchange file's records (everything but people) inside the import's
transaction, a part at a time as the file is read. Each record is matched on its natural key
first, so importing the same file twice adds nothing (docs/interchange.md, "Importing").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from recruiter_desk.core.imports.model import ImportCancelled
from recruiter_desk.core.interchange.records import (
    ArticleRecord,
    CandidacyRecord,
    FollowUpRecord,
    InteractionRecord,
    OpportunityRecord,
    OrganizationRecord,
    TemplateRecord,
)
from recruiter_desk.core.records import organization_ids
from recruiter_desk.db import touch
from recruiter_desk.db.models import (
    Article,
    Candidacy,
    FollowUp,
    Interaction,
    Opportunity,
    StageChange,
    Template,
)
from recruiter_desk.db.session import inserted_id


class RecordWriter:
    """Writes a file's records (everything but people) as they stream in, a part at a time,
    matched on natural keys so a second import adds nothing. ``people`` maps the file's
    person ids to the database's, filled as the people are merged; a record that points at
    a person who was skipped (e.g. erased with forget) is skipped too."""

    def __init__(self, connection: Connection, now: datetime, cancelled: Callable[[], bool]):
        self.connection = connection
        self.now = now
        self.cancelled = cancelled
        self.people: dict[str, int] = {}
        self.organizations: dict[str, int] = {}
        self.opportunities: dict[str, int] = {}
        self.added = dict.fromkeys(
            ("opportunities", "candidacies", "interactions", "follow_ups", "articles", "templates"),
            0,
        )

    def write(self, collection: str, records: Sequence[Any]) -> None:
        getattr(self, f"_{collection}")(records)

    def _organizations(self, records: Sequence[OrganizationRecord]) -> None:
        by_name = organization_ids(
            self.connection,
            [o.name for o in records],
            self.now,
            {o.name: {"website": o.website, "notes": o.notes} for o in records},
        )
        self.organizations.update({o.ref: by_name[o.name] for o in records})

    def _opportunities(self, records: Sequence[OpportunityRecord]) -> None:
        connection, now = self.connection, self.now
        for role in records:
            org_id = self.organizations.get(role.organization or "") or (
                organization_ids(connection, [role.company], now)[role.company]
                if role.company
                else None
            )
            existing = connection.execute(
                select(Opportunity.id).where(
                    Opportunity.title == role.title,
                    Opportunity.organization_id.is_(org_id)
                    if org_id is None
                    else Opportunity.organization_id == org_id,
                )
            ).scalar()
            if existing is None:
                existing = inserted_id(
                    connection.execute(
                        insert(Opportunity).values(
                            title=role.title,
                            organization_id=org_id,
                            work_mode=role.work_mode,
                            location=role.location,
                            status=role.status,
                            skills=list(role.skills),
                            description=role.description,
                            created_at=role.created_at or now,
                        )
                    )
                )
                self.added["opportunities"] += 1
            self.opportunities[role.ref] = int(existing)

    def _candidacies(self, records: Sequence[CandidacyRecord]) -> None:
        connection, now = self.connection, self.now
        for entry in records:
            person_id = self.people.get(entry.person)
            if person_id is None:
                continue  # the person was skipped (e.g. erased with forget)
            opportunity_id = self.opportunities[entry.opportunity]
            history = [(when or now, stage) for when, stage in entry.history] or [
                (now, entry.stage)
            ]
            candidacy = connection.execute(
                select(Candidacy.id, Candidacy.stage_changed_at).where(
                    Candidacy.person_id == person_id, Candidacy.opportunity_id == opportunity_id
                )
            ).one_or_none()
            if candidacy is None:
                candidacy_id = inserted_id(
                    connection.execute(
                        insert(Candidacy).values(
                            person_id=person_id,
                            opportunity_id=opportunity_id,
                            stage=entry.stage,
                            stage_changed_at=history[-1][0],
                            created_at=history[0][0],
                        )
                    )
                )
                self.added["candidacies"] += 1
                known: set[tuple[datetime, str]] = set()
            else:
                candidacy_id = candidacy.id
                known = {
                    (when, stage)
                    for when, stage in connection.execute(
                        select(StageChange.changed_at, StageChange.stage).where(
                            StageChange.candidacy_id == candidacy_id
                        )
                    )
                }
                if history[-1][0] > candidacy.stage_changed_at:
                    connection.execute(
                        update(Candidacy)
                        .where(Candidacy.id == candidacy_id)
                        .values(stage=entry.stage, stage_changed_at=history[-1][0])
                    )
            fresh = [
                {"candidacy_id": candidacy_id, "stage": s, "changed_at": w}
                for w, s in history
                if (w, s) not in known
            ]
            if fresh:
                connection.execute(insert(StageChange), fresh)

    def _interactions(self, records: Sequence[InteractionRecord]) -> None:
        # The part's people's interactions so far (earlier parts' included: they are in the
        # database by now), so a touch already there, or twice in the file, is added once.
        connection, people = self.connection, self.people
        touched_people: set[int] = set()
        batch: list[dict[str, Any]] = []
        wanted = [r for r in records if r.person in people]
        existing_keys: set[tuple[Any, ...]] = set()
        for chunk_start in range(0, len(wanted), 500):
            if self.cancelled():
                raise ImportCancelled
            ids = sorted({people[r.person] for r in wanted[chunk_start : chunk_start + 500]})
            existing_keys.update(
                tuple(row)
                for row in connection.execute(
                    select(
                        Interaction.person_id,
                        Interaction.kind,
                        Interaction.direction,
                        Interaction.occurred_at,
                        Interaction.subject,
                    ).where(Interaction.person_id.in_(ids))
                ).all()
            )
        for touch_record in wanted:
            person_id = people[touch_record.person]
            key = (
                person_id,
                touch_record.kind,
                touch_record.direction,
                touch_record.occurred_at,
                touch_record.subject,
            )
            if key in existing_keys:
                continue
            existing_keys.add(key)
            batch.append(
                {
                    "person_id": person_id,
                    "kind": touch_record.kind,
                    "direction": touch_record.direction,
                    "occurred_at": touch_record.occurred_at,
                    "subject": touch_record.subject,
                    "body": touch_record.body,
                    "opportunity_id": self.opportunities.get(touch_record.opportunity or ""),
                }
            )
            touched_people.add(person_id)
        if batch:
            connection.execute(insert(Interaction), batch)
        self.added["interactions"] += len(batch)
        if touched_people:
            touch.refresh_touch(connection, touched_people)

    def _follow_ups(self, records: Sequence[FollowUpRecord]) -> None:
        for follow_up in records:
            person_id = self.people.get(follow_up.person)
            if person_id is not None and _add_unless_present(
                self.connection,
                FollowUp,
                {"person_id": person_id, "due_on": follow_up.due_on, "reason": follow_up.reason},
                {"done_at": follow_up.done_at, "created_at": follow_up.created_at or self.now},
            ):
                self.added["follow_ups"] += 1

    def _articles(self, records: Sequence[ArticleRecord]) -> None:
        for article in records:
            if _add_unless_present(
                self.connection,
                Article,
                {"url": article.url},
                {
                    "title": article.title,
                    "topics": list(article.topics),
                    "created_at": article.created_at or self.now,
                },
            ):
                self.added["articles"] += 1

    def _templates(self, records: Sequence[TemplateRecord]) -> None:
        for template in records:
            if _add_unless_present(
                self.connection,
                Template,
                {"name": template.name},
                {"purpose": template.purpose, "subject": template.subject, "body": template.body},
            ):
                self.added["templates"] += 1


def _add_unless_present(
    connection: Connection, table: Any, key: dict[str, Any], values: dict[str, Any]
) -> bool:
    """Insert a template unless one with the same natural key is there (imports repeat)."""
    same = [getattr(table, column) == value for column, value in key.items()]
    if connection.execute(select(table.id).where(*same)).first() is not None:
        return False
    connection.execute(insert(table).values(**key, **values))
    return True
