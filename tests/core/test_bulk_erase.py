"""Erasing everyone past retention at once: one transaction, each erasure like ``forget``."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from recruiter_desk.core import privacy
from recruiter_desk.db.session import Database
from recruiter_desk.errors import NotFoundError
from tests.conftest import NOW, add_person


def _count(database: Database, table: str) -> int:
    with database.connect() as connection:
        return int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def test_one_unknown_person_erases_nobody(database: Database) -> None:
    ana = add_person(database, first_name="Ana", emails=["ana@x.example"], company="Acme")
    bo = add_person(database, first_name="Bo", emails=["bo@y.example"], company="Initech")
    with pytest.raises(NotFoundError, match="no person with id 999"):
        privacy.erase_people(database, [ana, 999, bo], NOW)
    assert _count(database, "people") == 2
    assert _count(database, "forgotten_identities") == 0


def test_each_person_erased_is_recorded_and_their_lone_organisations_go(
    database: Database,
) -> None:
    ana = add_person(database, first_name="Ana", emails=["ana@x.example"], company="Acme")
    bo = add_person(database, first_name="Bo", emails=["bo@y.example"], company="Initech")
    add_person(database, first_name="Cy", emails=["cy@y.example"], company="Initech")
    result = privacy.erase_people(database, [ana, bo], NOW)
    assert [(r.person_id, r.full_name) for r in result.erased] == [(ana, "Ana"), (bo, "Bo")]
    assert _count(database, "people") == 1
    assert _count(database, "forgotten_identities") == 2
    with database.connect() as connection:
        names = connection.execute(text("SELECT name FROM organizations")).scalars().all()
    assert names == ["Initech"]  # Cy still works there
