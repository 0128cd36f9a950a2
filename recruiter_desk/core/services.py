"""What the views may ask of the core, bound to one database: the UI never writes SQL.

Every method is meant to run on the executor's worker thread and returns plain values.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from sqlalchemy import select

from recruiter_desk.core import maintenance
from recruiter_desk.core.clock import AsOf, as_of, local_zone, utc_now
from recruiter_desk.core.duplicates import (
    DuplicateView,
    Merged,
    ProbableMatch,
    find_duplicates,
    merge_people,
    undo_merge,
)
from recruiter_desk.core.opportunities import PersonCard, person_card
from recruiter_desk.core.owed import owed_summary
from recruiter_desk.core.people import (
    PeopleQuery,
    PersonRow,
    first_ids,
    matching_ids,
    people_in_order,
    status_counts,
)
from recruiter_desk.core.records import (
    PersonFields,
    apply_fields,
    create_person,
    fields_of,
    get_person,
)
from recruiter_desk.core.trash import DeletedPeople, delete_people, restore_people
from recruiter_desk.core.warmth import WarmthPolicy
from recruiter_desk.db.backup import OpenInWindow, Retention
from recruiter_desk.db.models import Person, PersonTag
from recruiter_desk.db.session import Database
from recruiter_desk.db.team import recruiter_of
from recruiter_desk.errors import NotFoundError
from recruiter_desk.paths import AppPaths
from recruiter_desk.settings import Settings

if TYPE_CHECKING:
    from recruiter_desk.core.articles import SavedArticle

    # Loaded on first use: the import and export engines are not needed for the first screen.
    from recruiter_desk.core.compose import Composition, Draft
    from recruiter_desk.core.exports import ExportResult
    from recruiter_desk.core.followups import FollowUpRow
    from recruiter_desk.core.imports.model import ImportReport
    from recruiter_desk.core.imports.service import BatchRow
    from recruiter_desk.core.mail.calendar import CalendarReport
    from recruiter_desk.core.mail.imap import SyncReport
    from recruiter_desk.core.mail.importer import MailReport
    from recruiter_desk.core.matching import Matches, SilverMedalist
    from recruiter_desk.core.opportunities import OpportunityFields, OpportunityRow
    from recruiter_desk.core.outbox import OutboxRow, SendReport
    from recruiter_desk.core.pipeline import ClosingOwed, Pipeline, StageMove
    from recruiter_desk.core.privacy import BulkErasure, LawfulBasis, RetentionItem
    from recruiter_desk.core.templates import TemplateRow
    from recruiter_desk.core.timeline import (
        Cursor,
        InteractionDraft,
        LatestMail,
        TimelinePage,
        TimelineQuery,
    )
    from recruiter_desk.core.today import PersonToday, Today
    from recruiter_desk.db.copy import CopyReport


@dataclass(frozen=True)
class FileInspection:
    """What an import file looks like before anything is imported."""

    name: str
    format: str
    columns: list[str]
    examples: dict[str, str]
    mapping: dict[str, str]


@dataclass(frozen=True)
class Counts:
    people: int
    cold: int
    owed: int

    def plus(self, change: CountShare) -> Counts:
        return Counts(self.people + change.people, self.cold + change.cold, self.owed + change.owed)


@dataclass(frozen=True)
class CountShare:
    """One person's part of the counts (0 or 1 each), or the change in it."""

    people: int
    cold: int
    owed: int

    def minus(self, other: CountShare) -> CountShare:
        return CountShare(
            self.people - other.people, self.cold - other.cold, self.owed - other.owed
        )


class Services:
    def __init__(
        self,
        database: Database,
        settings: Settings,
        paths: AppPaths,
        *,
        note_changes: bool = True,
    ) -> None:
        """``note_changes``: each one-person write notes that person's part of Today first,
        for the window's splice (touch_change); a command, which never splices, skips it."""
        self.database = database
        self._note_changes = note_changes
        self.settings = settings
        self.paths = paths
        self._window_marker: OpenInWindow | None = None
        # Each person's part of Today and the counts before a one-person write
        # (touch_change).
        self._parts_before: dict[int, PersonToday] = {}
        # ... and after it, when the panel read them first (person_panel).
        self._parts_after: dict[int, PersonToday] = {}
        # One-person writes made so far, and how many came before each noted part's first
        # write: a Today read when fewer had been made lacks that person's writes, and only
        # such a Today may have their part spliced in (TouchChange.since).
        self._writes = 0
        self._noted_after: dict[int, int] = {}
        # Stored warmth inputs follow every write, under the settings in force.
        from recruiter_desk.core.warmth_store import attach

        attach(database, lambda: self.policy)

    # -- quitting (winspeed) --------------------------------------------------------------

    def interrupt(self, thread: int | None = None) -> None:
        """Stop the statement one thread runs (every thread's with None), from the GUI
        thread: a list a newer keystroke replaces, or the window quitting."""
        self.database.interrupt(thread)

    def people_first_page(
        self, query: PeopleQuery, limit: int
    ) -> tuple[list[int], list[PersonRow]] | None:
        """The first ``limit`` ids of ``people_ids(query)`` and their rows, read before the
        whole list; None where that is no quicker (``first_ids`` says when)."""
        with self.database.connect() as connection:
            ids = first_ids(connection, query, self.as_of(), self.policy, limit)
            if ids is None:
                return None
            return ids, people_in_order(connection, ids, self.as_of(), self.policy)

    # -- time and rules ------------------------------------------------------------------

    def as_of(self, day: date | None = None) -> AsOf:
        return as_of(day, local_zone(self.settings.timezone))

    @property
    def policy(self) -> WarmthPolicy:
        return WarmthPolicy.from_settings(self.settings)

    # -- reading -------------------------------------------------------------------------

    def people_ids(self, query: PeopleQuery) -> list[int]:
        with self.database.connect() as connection:
            return matching_ids(connection, query, self.as_of(), self.policy)

    def people_rows(self, ids: list[int]) -> list[PersonRow]:
        with self.database.connect() as connection:
            return people_in_order(connection, ids, self.as_of(), self.policy)

    def counts(self) -> Counts:
        # Counted from scratch: whatever one-person change was pending is in it now.
        self._parts_before.clear()
        self._parts_after.clear()
        self._noted_after.clear()
        with self.database.connect() as connection:
            statuses = status_counts(connection, self.as_of(), self.policy)
            # How many people are owed, without listing every message owed (Today's count).
            owed = owed_summary(connection, self.as_of(), self.settings, limit=0).people
        return Counts(sum(statuses.values()), statuses["cold"], owed)

    def person_card(self, person_id: int) -> PersonCard:
        with self.database.connect() as connection:
            return person_card(connection, person_id, self.as_of(), self.policy, self.settings)

    def person_fields(self, person_id: int) -> PersonFields:
        with self.database.session() as session:
            return fields_of(get_person(session, person_id))

    def recent_interactions(self, person_id: int, limit: int = 8) -> list[str]:
        """The latest touchpoints as lines a recruiter reads ("2026-11-20  ← email: Hello")."""
        with self.database.connect() as connection:
            return self._recent_interactions(connection, person_id, limit)

    def _recent_interactions(self, connection: Any, person_id: int, limit: int) -> list[str]:
        from recruiter_desk.db.models import Interaction

        arrows = {"outbound": "→", "inbound": "←", "internal": "·"}
        zone = self.as_of().zone
        rows = connection.execute(
            select(
                Interaction.occurred_at,
                Interaction.kind,
                Interaction.direction,
                Interaction.subject,
                Interaction.recruiter,
            )
            .where(Interaction.person_id == person_id)
            .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
            .limit(limit)
        ).all()
        me = recruiter_of(connection)
        from recruiter_desk.core.team import attribution

        lines = []
        for occurred_at, kind, direction, subject, recruiter in rows:
            day = self.as_of().local_date(occurred_at) if zone else occurred_at.date()
            by = attribution(recruiter, me)
            lines.append(
                f"{day:%Y-%m-%d}  {arrows.get(direction, '')} {kind}"
                + (f": {subject}" if subject else "")
                + (f"  ({by})" if by else "")
            )
        return lines

    def log_interaction(
        self, person_id: int, kind: str, direction: str, subject: str, occurred_at: datetime
    ) -> None:
        from recruiter_desk.core.records import log_interaction

        with self.database.session(write=True) as session:
            self._note_share(session.connection(), person_id)
            log_interaction(
                session,
                person_id,
                kind=kind,
                direction=direction,
                occurred_at=occurred_at,
                subject=subject,
            )

    def delete_people(self, ids: list[int]) -> DeletedPeople:
        if len(ids) > 1:
            maintenance.safety_backup(self.database, "before-delete", utc_now())
        return delete_people(self.database, ids)

    def restore_people(self, deleted: DeletedPeople) -> int:
        return restore_people(self.database, deleted)

    def change_tag(self, ids: list[int], tag: str, add: bool) -> int:
        from recruiter_desk.core.bulk_edit import change_tag

        return change_tag(self.database, ids, tag, add, utc_now())

    def set_cadence(self, ids: list[int], days: int | None) -> int:
        from recruiter_desk.core.bulk_edit import set_cadence

        return set_cadence(self.database, ids, days, utc_now())

    def duplicates(self) -> list[DuplicateView]:
        with self.database.connect() as connection:
            pairs = find_duplicates(connection)
        rows = {
            r.id: r
            for r in self.people_rows(sorted({i for p in pairs for i in (p.keep_id, p.other_id)}))
        }
        return [
            DuplicateView.of(p, rows[p.keep_id], rows[p.other_id])
            for p in pairs
            if p.keep_id in rows and p.other_id in rows
        ]

    def merge(self, keep_id: int, other_id: int) -> Merged:
        return merge_people(self.database, keep_id, other_id, utc_now())

    def undo_merges(self, merges: list[Merged]) -> int:
        """Undo these merges, newest first; returns how many were undone."""
        for merged in reversed(merges):
            undo_merge(self.database, merged)
        return len(merges)

    # -- stored warmth (warmstore) ----------------------------------------------------------

    def apply_warmth_settings(self) -> None:
        """Recompute everyone's stored warmth inputs when the settings now in force changed
        their cadences or thresholds (the settings dialog saved); else nothing to do."""
        from recruiter_desk.core.warmth_store import settle

        with self.database.write() as connection:
            settle(connection, self.policy)

    def tags(self) -> list[str]:
        with self.database.connect() as connection:
            return list(
                connection.execute(
                    select(PersonTag.tag).group_by(PersonTag.tag).order_by(PersonTag.tag)
                ).scalars()
            )

    def batches(self) -> list[BatchRow]:
        from recruiter_desk.core.imports.service import list_batches

        return list_batches(self.database)

    def is_empty(self) -> bool:
        with self.database.connect() as connection:
            # Whether anyone is there, not how many: counting read every row at 1M (H2).
            return connection.execute(select(Person.id).limit(1)).first() is None

    def likely_duplicates(
        self, values: PersonFields, ignore: int | None = None
    ) -> list[ProbableMatch]:
        """People the same-person rule says this one is, each with the reason."""
        from recruiter_desk.core.duplicates import probable_matches

        with self.database.connect() as connection:
            return probable_matches(connection, values, ignore)

    # -- today and timeline (H6) ---------------------------------------------------------

    def today(self, day: date | None = None, limit: int = 50) -> Today:
        from recruiter_desk.core.today import today

        with self.database.connect() as connection:
            return today(connection, self.as_of(day), self.settings, self.policy, limit=limit)

    def timeline_page(
        self, query: TimelineQuery, after: Cursor | None = None, limit: int = 100
    ) -> TimelinePage:
        from recruiter_desk.core.timeline import timeline_page

        with self.database.connect() as connection:
            return timeline_page(connection, query, self.as_of(), after=after, limit=limit)

    def upcoming_follow_ups(self, person_id: int | None = None) -> list[FollowUpRow]:
        from recruiter_desk.core.timeline import upcoming_follow_ups

        with self.database.connect() as connection:
            return upcoming_follow_ups(connection, self.as_of(), person_id)

    def person_name(self, person_id: int) -> str:
        from recruiter_desk.core.timeline import display_names

        with self.database.connect() as connection:
            name = display_names(connection, [person_id]).get(person_id)
        if name is None:
            raise NotFoundError(f"There is no person with id {person_id}.")
        return name

    def read_interaction(self, interaction_id: int) -> InteractionDraft:
        from recruiter_desk.core.timeline import read_interaction

        with self.database.session() as session:
            return read_interaction(session, interaction_id)

    def update_interaction(self, interaction_id: int, values: InteractionDraft) -> None:
        from recruiter_desk.core.timeline import update_interaction

        with self.database.session(write=True) as session:
            person_id = self._interaction_person(session, interaction_id)
            # Moved to someone else, it changes two people: counted and read in full.
            if person_id == values.person_id:
                self._note_share(session.connection(), person_id)
            update_interaction(session, interaction_id, values)

    def delete_interaction(self, interaction_id: int) -> InteractionDraft:
        from recruiter_desk.core.timeline import delete_interaction

        with self.database.session(write=True) as session:
            person_id = self._interaction_person(session, interaction_id)
            if person_id is not None:
                self._note_share(session.connection(), person_id)
            return delete_interaction(session, interaction_id)

    def restore_interaction(self, values: InteractionDraft) -> int:
        from recruiter_desk.core.timeline import restore_interaction

        with self.database.session(write=True) as session:
            self._note_share(session.connection(), values.person_id)
            return restore_interaction(session, values)

    @staticmethod
    def _interaction_person(session: Any, interaction_id: int) -> int | None:
        from recruiter_desk.db.models import Interaction

        found: int | None = session.scalar(
            select(Interaction.person_id).where(Interaction.id == interaction_id)
        )
        return found

    def complete_follow_up(self, follow_up_id: int) -> None:
        from recruiter_desk.core.followups import complete_follow_up

        with self.database.session(write=True) as session:
            self._note_follow_up_share(session, follow_up_id)
            complete_follow_up(session, follow_up_id, utc_now())

    def reschedule_follow_up(self, follow_up_id: int, due_on: date) -> None:
        from recruiter_desk.core.followups import reschedule_follow_up

        with self.database.session(write=True) as session:
            self._note_follow_up_share(session, follow_up_id)
            reschedule_follow_up(session, follow_up_id, due_on)

    def _note_follow_up_share(self, session: Any, follow_up_id: int) -> None:
        # A follow-up changes its person's part alone (Today after a touch, touch_change).
        from recruiter_desk.db.models import FollowUp

        person_id = session.scalar(select(FollowUp.person_id).where(FollowUp.id == follow_up_id))
        if person_id is not None:
            self._note_share(session.connection(), person_id)

    def snooze(self, person_id: int, days: int, reason: str) -> date:
        from recruiter_desk.core.followups import snooze

        with self.database.session(write=True) as session:
            self._note_share(session.connection(), person_id)
            return snooze(session, person_id, days, self.as_of(), reason, utc_now())

    # -- writing -------------------------------------------------------------------------

    def save_person(self, person_id: int | None, values: PersonFields) -> int:
        now = utc_now()
        # The write lock first: the organisation looked up by name must still be missing
        # when it is created, whoever else writes (an import from the command line).
        with self.database.session(write=True) as session:
            if person_id is None:
                return create_person(session, values, now).id
            self._note_share(session.connection(), person_id)
            apply_fields(session, get_person(session, person_id, for_update=True), values, now)
            return person_id

    def inspect_files(self, paths: list[Path]) -> list[FileInspection]:
        import itertools

        from recruiter_desk.core.imports.csv_formats import column_fields
        from recruiter_desk.core.imports.reading import csv_rows, detect, header_index, read_source

        found = []
        for path in paths:
            source = read_source(path)
            fmt = "linkedin" if source.from_zip else detect(source)
            columns: list[str] = []
            examples: dict[str, str] = {}
            mapping: dict[str, str] = {}
            if fmt == "csv":
                rows = list(itertools.islice(csv_rows(source), 41))
                start = header_index(rows)
                columns = [c.strip().lstrip("\ufeff") for c in rows[start][1]] if rows else []
                sample = rows[start + 1][1] if len(rows) > start + 1 else []
                examples = {c: sample[i] for i, c in enumerate(columns) if i < len(sample)}
                mapping = column_fields(columns, {})
            found.append(FileInspection(source.name, fmt, columns, examples, mapping))
        return found

    def import_files(
        self,
        paths: list[Path],
        *,
        fmt: str | None = None,
        mapping: dict[str, str] | None = None,
        dry_run: bool = False,
        progress: Callable[[str, float], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> ImportReport:
        from recruiter_desk.core.imports.service import import_files

        if not dry_run:
            maintenance.safety_backup(self.database, "before-import", utc_now())
        return import_files(
            self.database,
            paths,
            now=utc_now(),
            fmt=fmt,
            mapping=mapping,
            dry_run=dry_run,
            progress=progress,
            cancelled=cancelled,
        )

    def export(
        self,
        fmt: str,
        target: Path,
        query: PeopleQuery,
        vcard_version: str = "3.0",
        progress: Callable[[str, float], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        *,
        include_do_not_contact: bool = False,
        todo: bool = False,
    ) -> ExportResult:
        from recruiter_desk.core.exports import export

        return export(
            self.database,
            fmt,
            target,
            query=query,
            as_of=self.as_of(),
            policy=self.policy,
            now=utc_now(),
            vcard_version=vcard_version,
            include_do_not_contact=include_do_not_contact,
            todo=todo,
            progress=progress,
            cancelled=cancelled,
        )

    # -- storage: backup, restore, the window's hold on the database ---------------------

    def backup(self) -> Path:
        return maintenance.backup_database(
            self.database.location, None, utc_now(), Retention.from_settings(self.settings)
        )

    def mark_open_in_window(self, marker: OpenInWindow | None = None) -> None:
        """Hold the database as the one window's (``marker``: the hold taken before it was
        opened, see maintenance.claim_window), so a second window and a restore or
        conversion from another process refuse."""
        if marker is not None:
            self._window_marker = marker
            return
        path = self.database.path
        if path is not None and self._window_marker is None:
            # Not claimed before opening (a team database's local copy): held if free.
            self._window_marker = OpenInWindow(path)
            self._window_marker.acquire()

    def release_window(self) -> None:
        """Let another window open the database (the window is closing)."""
        if self._window_marker is not None:
            self._window_marker.release()
            self._window_marker = None

    def restore(self, file: Path) -> maintenance.RestoreResult:
        """Replace the database with ``file`` (the same routine as the command line).

        The window's own connections and mark are let go first; the next query opens the
        restored, already upgraded file.
        """
        marker = self._window_marker
        if marker is not None:
            marker.release()
        self.database.close()
        try:
            return maintenance.restore_database(
                self.database.location, file, utc_now(), Retention.from_settings(self.settings)
            )
        finally:
            if marker is not None:
                marker.acquire()

    def close(self) -> None:
        self.database.close()
        self.release_window()

    def demo(
        self,
        people: int = 2000,
        progress: Callable[[str, float], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> Any:
        from recruiter_desk.core.demo import generate_demo

        return generate_demo(
            self.database,
            people=people,
            seed=1,
            as_of=self.as_of().day,
            progress=progress,
            cancelled=cancelled,
        )

    # -- pipeline (H7): roles, their boards, moves, matches --------------------------------

    def opportunities(self) -> list[OpportunityRow]:
        from recruiter_desk.core.opportunities import list_opportunities

        with self.database.connect() as connection:
            return list_opportunities(connection)

    def pipeline(self, opportunity_id: int) -> Pipeline:
        from recruiter_desk.core.pipeline import role_pipeline

        with self.database.connect() as connection:
            return role_pipeline(
                connection, opportunity_id, self.as_of(), self.policy, self.settings
            )

    def opportunity_fields(self, opportunity_id: int) -> OpportunityFields:
        from recruiter_desk.core.opportunities import opportunity_fields

        with self.database.session() as session:
            return opportunity_fields(session, opportunity_id)

    def save_opportunity(self, opportunity_id: int | None, values: OpportunityFields) -> int:
        from recruiter_desk.core.opportunities import add_opportunity, update_opportunity

        now = utc_now()
        with self.database.session(write=True) as session:
            if opportunity_id is None:
                return add_opportunity(
                    session,
                    title=values.title,
                    now=now,
                    company=values.company,
                    work_mode=values.work_mode,
                    location=values.location,
                    status=values.status,
                    skills=values.skills,
                    description=values.description,
                ).id
            update_opportunity(session, opportunity_id, values, now)
            return opportunity_id

    def set_opportunity_status(self, opportunity_id: int, status: str) -> None:
        """Put a role on hold or reopen it (ending one is ``end_role``)."""
        from dataclasses import replace

        from recruiter_desk.core.opportunities import opportunity_fields, update_opportunity

        with self.database.session(write=True) as session:
            values = opportunity_fields(session, opportunity_id)
            update_opportunity(session, opportunity_id, replace(values, status=status), utc_now())

    def end_role(self, opportunity_id: int, status: str) -> list[ClosingOwed]:
        from recruiter_desk.core.pipeline import end_role

        with self.database.session(write=True) as session:
            return end_role(
                session, opportunity_id, status, utc_now(), self.as_of().zone, self.policy
            )

    def move_candidacy(
        self,
        person_id: int,
        opportunity_id: int,
        stage: str,
        reason: str | None = None,
        closed_by: str | None = None,
        note: str = "",
    ) -> StageMove:
        from recruiter_desk.core.pipeline import move_stage

        with self.database.session(write=True) as session:
            return move_stage(
                session,
                person_id,
                opportunity_id,
                stage,
                utc_now(),
                self.as_of().zone,
                self.policy,
                reason=reason,
                closed_by=closed_by,
                note=note,
            )

    def add_to_role(self, person_ids: list[int], opportunity_id: int) -> int:
        """Put people at ``sourced`` on a role (one transaction); those already on it stay."""
        from recruiter_desk.core.pipeline import add_to_role

        with self.database.session(write=True) as session:
            return add_to_role(session, person_ids, opportunity_id, utc_now())

    def matches(self, opportunity_id: int) -> Matches:
        from recruiter_desk.core.matching import matches_for

        with self.database.connect() as connection:
            return matches_for(connection, opportunity_id, self.as_of(), self.policy)

    def silver_medalists(self, opportunity_id: int) -> list[SilverMedalist]:
        from recruiter_desk.core.matching import silver_medalists

        with self.database.connect() as connection:
            return silver_medalists(connection, opportunity_id, self.as_of(), self.policy)

    # -- compose (H8): templates, previews, deliveries, the outbox -------------------------

    def templates(self) -> list[TemplateRow]:
        """The stored templates; the starter set is added the first time (once)."""
        from recruiter_desk.core.templates import list_templates, seed_starter_templates

        with self.database.connect() as connection:
            seed_starter_templates(connection)
            return list_templates(connection)

    def template(self, key: str | int) -> TemplateRow:
        """One template by id or name (the starter set is there from the first use)."""
        from recruiter_desk.core.templates import find_template, seed_starter_templates

        with self.database.connect() as connection:
            seed_starter_templates(connection)
            return find_template(connection, key)

    def draft_for_purpose(
        self, person_id: int, purpose: str, opportunity_id: int | None = None
    ) -> Draft | None:
        """One person's message from the first template with this purpose (a pipeline move
        offers "closing", "timeline" …), or None when no template has it."""
        from recruiter_desk.core.compose import Composition, preview

        template = next((t for t in self.templates() if t.purpose == purpose), None)
        if template is None:
            return None
        composition = Composition(
            subject=template.subject,
            body=template.body,
            template_id=template.id,
            opportunity_id=opportunity_id,
        )
        with self.database.connect() as connection:
            (draft,) = preview(connection, [person_id], composition, self.settings)
        return draft

    def save_template(
        self, template_id: int | None, name: str, purpose: str, subject: str, body: str
    ) -> int:
        from recruiter_desk.core.templates import save_template

        with self.database.session(write=True) as session:
            return save_template(session, template_id, name, purpose, subject, body)

    def duplicate_template(self, template_id: int) -> int:
        from recruiter_desk.core.templates import duplicate_template

        with self.database.session(write=True) as session:
            return duplicate_template(session, template_id)

    def delete_template(self, template_id: int) -> None:
        from recruiter_desk.core.templates import delete_template

        with self.database.session(write=True) as session:
            delete_template(session, template_id)

    def compose_choices(self) -> ComposeChoices:
        """The roles and articles a message can be about."""
        from recruiter_desk.core.opportunities import list_opportunities
        from recruiter_desk.db.models import Article

        with self.database.connect() as connection:
            listed = list_opportunities(connection)
            roles = [
                (o.id, f"{o.title} · {o.company}" if o.company else o.title)
                for o in listed
                if o.status in ("open", "on_hold")
            ] + [
                # Ended roles last (H7): their closing messages are written about them.
                (
                    o.id,
                    f"{o.title} · {o.company} ({o.status})"
                    if o.company
                    else f"{o.title} ({o.status})",
                )
                for o in listed
                if o.status not in ("open", "on_hold")
            ]
            articles = [
                (r.id, r.title or r.url)
                for r in connection.execute(
                    select(Article.id, Article.title, Article.url).order_by(
                        Article.created_at.desc(), Article.id.desc()
                    )
                )
            ]
        return ComposeChoices(roles, articles)

    def compose_preview(self, person_ids: list[int], composition: Composition) -> list[Draft]:
        from recruiter_desk.core.compose import preview

        with self.database.connect() as connection:
            return preview(connection, person_ids, composition, self.settings)

    def find_people(self, text: str, limit: int = 20) -> list[PersonRow]:
        """People to add as recipients, found the way the search box finds them."""
        return self.people_rows(self.people_ids(PeopleQuery(search=text))[:limit])

    def record_delivery(self, person_ids: list[int], composition: Composition, channel: str) -> int:
        """Log a message the recruiter sent by hand; the drafts are rendered again here so
        nothing unchecked is recorded."""
        from recruiter_desk.core.compose import preview, record_delivery

        now = utc_now()
        with self.database.session(write=True) as session:
            drafts = preview(session.connection(), person_ids, composition, self.settings)
            return record_delivery(session, drafts, composition, channel, now, self.settings)

    def queue_messages(self, person_ids: list[int], composition: Composition) -> int:
        from recruiter_desk.core.compose import preview, queue_drafts

        now = utc_now()
        with self.database.session(write=True) as session:
            drafts = preview(session.connection(), person_ids, composition, self.settings)
            return queue_drafts(session, drafts, composition, now, self.settings)

    def save_eml(self, person_ids: list[int], composition: Composition, folder: Path) -> int:
        """Write one draft .eml per recipient and log each as sent (the recruiter said so)."""
        from recruiter_desk.core.compose import preview, record_delivery, write_eml

        now = utc_now()
        with self.database.session(write=True) as session:
            drafts = preview(session.connection(), person_ids, composition, self.settings)
            written = write_eml(drafts, folder, self.settings, now)
            record_delivery(session, drafts, composition, "eml", now, self.settings)
            return len(written)

    def outbox(self, include_sent: bool = False) -> list[OutboxRow]:
        from recruiter_desk.core.outbox import list_outbox

        return list_outbox(self.database, include_sent)

    def smtp_password_prompt(self, settings: Settings | None = None) -> str | None:
        """What to ask before sending, or None when no password is needed or one is known."""
        from recruiter_desk.core.outbox import password_prompt

        return password_prompt(settings or self.settings)

    def send_outbox(
        self, ask: Callable[[str], str | None], limit: int | None = None, dry_run: bool = False
    ) -> SendReport:
        from recruiter_desk.core.outbox import send_queued

        return send_queued(
            self.database,
            self.settings,
            ask,
            zone=self.as_of().zone,
            now=utc_now,
            limit=limit,
            dry_run=dry_run,
        )

    def send_delay(self) -> float:
        """Seconds before the outbox may send its next message (spacing)."""
        from recruiter_desk.core.outbox import spacing_left

        return spacing_left(self.database, self.settings, utc_now())

    def test_smtp(self, ask: Callable[[str], str | None], settings: Settings | None = None) -> str:
        """Settings' "Test connection", with the settings being edited (not yet saved)."""
        from recruiter_desk.core.outbox import test_connection

        return test_connection(settings or self.settings, ask)

    def resolve_message(self, message_id: int, action: str) -> None:
        """An interrupted or queued outbox message: ``sent``, ``retry`` or ``remove``."""
        from recruiter_desk.core import outbox

        if action == "sent":
            outbox.mark_sent(self.database, message_id, utc_now())
        elif action == "retry":
            outbox.requeue(self.database, message_id)
        else:
            outbox.remove_queued(self.database, message_id)

    # -- end of compose ----------------------------------------------------------------

    # -- privacy (H11): the lawful basis for holding a person's data ----------------------

    def lawful_basis(self, person_id: int) -> LawfulBasis:
        from recruiter_desk.core import privacy

        with self.database.connect() as connection:
            return privacy.lawful_basis(connection, person_id)

    def set_lawful_basis(
        self, person_id: int, basis: str, since: date, consent_expires: date | None
    ) -> LawfulBasis:
        from recruiter_desk.core import privacy

        with self.database.write() as connection:
            return privacy.set_lawful_basis(connection, person_id, basis, since, consent_expires)

    # -- privacy (H7 trust): the retention review and erasing everyone past it at once ------

    def retention_review(self, day: date | None = None) -> RetentionReview:
        """Who is untouched for the retention setting's years and in no process, and whose
        consent ends within 30 days (``retention``'s lists)."""
        from recruiter_desk.core import privacy

        years = self.settings.retention_years
        moment = self.as_of(day).day
        with self.database.connect() as connection:
            untouched = privacy.retention_review(connection, moment, years)
            consents = privacy.consents_expiring(connection, moment)
        return RetentionReview(years, tuple(untouched), tuple(consents))

    def erase_people(self, person_ids: list[int]) -> BulkErasure:
        """``retention --erase`` for the window: one transaction, each like ``forget``."""
        from recruiter_desk.core import privacy

        return privacy.erase_people(self.database, person_ids, utc_now())

    # -- encryption at rest (H7 trust): Settings → Encrypt / Decrypt ---------------------

    def encryption_state(self) -> EncryptionState:
        from recruiter_desk.db.backup import is_encrypted_file
        from recruiter_desk.keychain import keyring_usable

        path = self.database.path
        return EncryptionState(
            is_file=path is not None,
            encrypted=path is not None and is_encrypted_file(path),
            keyring=keyring_usable(),
        )

    def set_encryption(
        self,
        encrypt: bool,
        passphrase: str | None = None,
        progress: Callable[[str, float], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> EncryptionState | None:
        """Encrypt or decrypt the open database in place, as ``encrypt``/``decrypt`` do; the
        window keeps its hold on the file and reopens it after. None when cancelled (the
        database is as it was)."""
        from recruiter_desk.db import encryption
        from recruiter_desk.db.open import open_database

        retention = self.database.retention
        self.database.close()
        try:
            maintenance.convert_encryption(
                self.database.location,
                encrypt=encrypt,
                from_its_window=True,
                passphrase=passphrase,
                progress=progress,
                cancelled=cancelled,
            )
        except encryption.ConversionCancelled:
            return None
        finally:
            # The file may now need SQLCipher (or no longer): a new engine either way.
            self.database = open_database(
                self.database.location, retention=retention, daily_backup=False
            )
            from recruiter_desk.core.warmth_store import attach

            attach(self.database, lambda: self.policy)
        return self.encryption_state()

    # -- window (H4): articles -----------------------------------------------------------

    def add_article(self, url: str, title: str, topics: list[str]) -> SavedArticle:
        """Save an article to share (the window's dialog and ``add-article``); the same
        address twice is refused with a sentence."""
        from recruiter_desk.core.articles import SavedArticle, add_article

        with self.database.session(write=True) as session:
            article = add_article(session, url, title, topics, utc_now())
            return SavedArticle(article.id, article.url, article.title, list(article.topics))

    # -- mail (H9): mail files become touchpoints ----------------------------------------

    def import_mail(
        self,
        paths: list[Path],
        *,
        add_unknown: bool = False,
        progress: Callable[[str, float], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> MailReport:
        """``import-mail`` for the window: my addresses come from the settings."""
        from recruiter_desk.core.mail.importer import import_mail

        return import_mail(
            self.database,
            paths,
            my_addresses=self.settings.my_addresses,
            now=utc_now(),
            add_unknown=add_unknown,
            progress=progress,
            cancelled=cancelled,
        )

    # -- end of mail -----------------------------------------------------------------------

    # -- mail account (H3 imap): sync-mail and Settings → Mail account ----------------------

    def sync_mail(
        self,
        *,
        ask: Callable[[str], str | None] | None = None,
        me: Sequence[str] = (),
        add_unknown: bool = False,
        progress: Callable[[str, float], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> SyncReport:
        """``sync-mail`` for both fronts: the account and my addresses come from the settings."""
        from recruiter_desk.core.mail.imap import sync_mail

        return sync_mail(
            self.database,
            self.settings,
            my_addresses=[*self.settings.my_addresses, *me],
            now=utc_now(),
            ask=ask,
            add_unknown=add_unknown,
            progress=progress,
            cancelled=cancelled,
        )

    def test_mail_account(self, settings: Settings, password: str | None) -> str:
        """Settings' "Test connection" with the values being edited (not yet saved)."""
        from recruiter_desk.core.mail.imap import test_connection

        return test_connection(settings, password)

    def save_mail_password(self, settings: Settings, password: str) -> None:
        from recruiter_desk.core.mail.imap import save_password

        save_password(settings, password)

    def has_mail_password(self, settings: Settings) -> bool:
        from recruiter_desk.core.mail.imap import has_password

        return has_password(settings)

    # -- end of mail account -----------------------------------------------------------------

    # -- team (H2): moving a network to a shared database and back -----------------------

    @overload
    def copy_to(
        self, location: str, progress: Callable[[str, float], None] | None = None
    ) -> CopyReport: ...

    @overload
    def copy_to(
        self,
        location: str,
        progress: Callable[[str, float], None] | None,
        cancelled: Callable[[], bool],
    ) -> CopyReport | None: ...

    def copy_to(
        self,
        location: str,
        progress: Callable[[str, float], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> CopyReport | None:
        """Copy this whole network into the empty database at ``location`` (created or
        migrated first), verified row by row before it commits (db/copy.py); None when
        ``cancelled`` said so (nothing was kept in the target)."""
        from recruiter_desk.db.copy import CopyCancelled, copy_database
        from recruiter_desk.db.offline import keep_local_copy
        from recruiter_desk.db.open import open_database
        from recruiter_desk.settings import recruiter_name

        target = open_database(
            location, daily_backup=False, recruiter=recruiter_name(self.settings)
        )
        from recruiter_desk.core.warmth_store import attach

        attach(target, lambda: self.policy)
        try:
            try:
                report = copy_database(self.database, target, progress, cancelled)
            except CopyCancelled:
                return None
            # The team's data as it now is, for when the server cannot be reached.
            keep_local_copy(target, self.paths.data_dir)
            return report
        finally:
            target.close()

    def keep_local_copy(self) -> Path | None:
        """Refresh the local read-only copy of a team database (None for a SQLite one)."""
        from recruiter_desk.db.offline import keep_local_copy

        return keep_local_copy(self.database, self.paths.data_dir)

    # -- end of team -------------------------------------------------------------------

    # -- calendar and latest mail (H4) ----------------------------------------------------

    def import_calendar(
        self,
        paths: list[Path],
        *,
        add_unknown: bool = False,
        progress: Callable[[str, float], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> CalendarReport:
        """``import-calendar`` for the window: meetings held up to now (or the end of the
        as-of day, when that is earlier); my addresses come from the settings."""
        from recruiter_desk.core.mail.calendar import import_calendar

        day = self.as_of()
        return import_calendar(
            self.database,
            paths,
            my_addresses=self.settings.my_addresses,
            zone=day.zone,
            until=min(utc_now(), day.end_utc),
            now=utc_now(),
            add_unknown=add_unknown,
            progress=progress,
            cancelled=cancelled,
        )

    def latest_mail(self, person_id: int) -> LatestMail | None:
        """The person panel's latest mail: the newest email to or from them."""
        from recruiter_desk.core.timeline import latest_mail

        with self.database.connect() as connection:
            return latest_mail(connection, person_id, self.as_of())

    # -- end of calendar and latest mail ----------------------------------------------------

    # -- person panel (H5 select): everything the panel shows, one task -------------------

    def person_panel(self, person_id: int) -> PersonPanelView:
        """What the person panel shows of ``person_id``, read in one transaction: one task
        on the worker and one repaint instead of five of each."""
        from recruiter_desk.core import privacy
        from recruiter_desk.core.timeline import latest_mail

        as_of = self.as_of()
        with self.database.session() as session:
            fields = fields_of(get_person(session, person_id))
            connection = session.connection()
            card = person_card(connection, person_id, as_of, self.policy, self.settings)
            if person_id in self._parts_before:
                # Read after a write of theirs (the panel first, then touch_change): their
                # part of Today from the card's row and owed messages, not read again.
                self._parts_after[person_id] = self._part(connection, person_id, card)
            return PersonPanelView(
                fields=fields,
                card=card,
                history=self._recent_interactions(connection, person_id, 8),
                latest_mail=latest_mail(connection, person_id, as_of),
                lawful_basis=privacy.lawful_basis(connection, person_id),
            )

    # The status bar's counts after a touch, a snooze or a save, without counting everyone
    # again (0.5-0.8 s at 100k people): the person's share before the write (noted by the
    # write itself) and after it. A change whose share was not noted is counted in full.
    # The share comes from the person's part of Today (touch (H1): one read for both).

    def _part(self, connection: Any, person_id: int, card: PersonCard | None = None) -> PersonToday:
        from recruiter_desk.core.today import person_today

        return person_today(
            connection,
            self.as_of(),
            self.settings,
            self.policy,
            person_id,
            row=None if card is None else card.person,
            owed=None if card is None else card.owed,
        )

    def _note_share(self, connection: Any, person_id: int) -> None:
        # The first share since the last count: later writes change it further (and what
        # was read after the earlier one is out of date).
        if not self._note_changes:
            return
        self._parts_after.pop(person_id, None)
        if person_id not in self._parts_before:
            self._parts_before[person_id] = self._part(connection, person_id)
            self._noted_after[person_id] = self._writes
        self._writes += 1

    @property
    def writes(self) -> int:
        """One-person writes made through these Services so far. Read on the worker in the
        task that reads Today (tasks there run one at a time), it says which writes that
        Today has: ``TouchChange.since``."""
        return self._writes

    # -- end of person panel ---------------------------------------------------------------

    # -- touch (H1): Today and the counts after a one-person write, from that person ------

    def touch_change(self, person_id: int) -> TouchChange | None:
        """``person_id``'s part of Today before their last one-person write and after it,
        and the change in the counts, from one read of them; None when not known (the
        counts were read in full since: the caller reads everything again)."""
        before = self._parts_before.pop(person_id, None)
        after = self._parts_after.pop(person_id, None)
        since = self._noted_after.pop(person_id, 0)
        if before is None:
            return None
        if after is None:
            with self.database.connect() as connection:
                after = self._part(connection, person_id)
        return TouchChange(_share(after).minus(_share(before)), before, after, since)


def _share(part: PersonToday) -> CountShare:
    """A person's share of the counts (Counts: people, cold, owed a message)."""
    return CountShare(int(part.listed), int(part.cold), int(bool(part.items("owed"))))


@dataclass(frozen=True)
class TouchChange:
    """After a one-person write: the counts' change, and the person's part of Today
    before and after it (core/today.py splice)."""

    counts: CountShare
    before: PersonToday
    after: PersonToday
    # ``writes`` before the first of these writes: a Today read when ``writes`` was more
    # has some of them already, and splicing them in again would count them twice.
    since: int = 0


@dataclass(frozen=True)
class PersonPanelView:
    """Everything the person panel shows of one person (Services.person_panel)."""

    fields: PersonFields
    card: PersonCard
    history: list[str]
    latest_mail: LatestMail | None
    lawful_basis: LawfulBasis


@dataclass(frozen=True)
class EncryptionState:
    is_file: bool  # a server database is never converted here
    encrypted: bool
    keyring: bool  # where not, encrypting asks for a passphrase, given at every start


@dataclass(frozen=True)
class RetentionReview:
    years: int
    untouched: tuple[RetentionItem, ...]
    consents_expiring: tuple[RetentionItem, ...]


@dataclass(frozen=True)
class ComposeChoices:
    roles: list[tuple[int, str]]
    articles: list[tuple[int, str]]
