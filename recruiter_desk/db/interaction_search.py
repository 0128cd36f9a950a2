"""Full-text search over interaction subjects and bodies, kept in step by triggers: a SQLite
FTS5 index or a PostgreSQL ``tsvector``, with the same results on the same data
(docs/architecture.md, "Backends").

Text is folded with the one letter fold (``recruiter_desk.folding``, docs/rules.md
"Identity") before it is indexed and before it is searched, as people search does, so
"soren" finds "Søren" in a mail body. Every word the recruiter types must be there, as a
prefix, in the subject or the body.

Triggers on ``interactions`` keep the index in step with every write (the ORM, bulk imports,
cascades from deleting a person, ``copy-to``), so no write path can forget it.

- SQLite: a contentless FTS5 table whose rowid is the interaction id: it holds the terms
  only, the text stays in ``interactions``. No size table (``columnsize = 0``, migration
  0016): matches are listed in time order, never ranked, so nothing reads token counts.
  The triggers fold through the SQL function ``rd_fold``, which every connection the app
  opens registers (``db/engine.py``); a program that writes interactions without it fails
  with "no such function: rd_fold" rather than leaving the index stale. Reading needs
  nothing. A contentless table is told what to delete by the values it indexed, so
  changing the fold means rebuilding this index (``rebuild``) in the migration that
  changes it.
- PostgreSQL: ``interactions_search(interaction_id, document)``, one position-free
  ``tsvector`` per interaction behind a GIN index, deleted with its interaction by the foreign
  key. A trigger cannot call Python, so the server folds with its own ``rd_fold``, generated
  from the fold's letter table (``pg_fold_sql``): NFKC, those letters, NFKD, ``unaccent``,
  lower case; words are cut on anything but letters and digits, as ``search_index.words``
  cuts them. Changing the fold means recreating the function (``create``) and rebuilding.

``matches`` is the one place the timeline's text condition is written, per dialect.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    any_,
    bindparam,
    column,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
    text,
)

from recruiter_desk.db.models import Interaction
from recruiter_desk.db.search_index import match_query, words
from recruiter_desk.folding import LETTERS, fold

FTS_TABLE = "interactions_fts"
FOLD_FUNCTION = "rd_fold"
TRIGGERS = ("interactions_fts_insert", "interactions_fts_delete", "interactions_fts_update")

# Notes without a subject or body (a logged call) are not indexed at all; the delete side
# uses the same test, so the index is only ever told to forget what it was given.
_HAS_TEXT = "(coalesce({row}.subject, '') != '' OR coalesce({row}.body, '') != '')"
_INSERT = (
    f"INSERT INTO {FTS_TABLE}(rowid, subject, body) "
    f"SELECT new.id, {FOLD_FUNCTION}(new.subject), {FOLD_FUNCTION}(new.body) "
    f"WHERE {_HAS_TEXT.format(row='new')};"
)
_DELETE = (
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, subject, body) "
    f"SELECT 'delete', old.id, {FOLD_FUNCTION}(old.subject), {FOLD_FUNCTION}(old.body) "
    f"WHERE {_HAS_TEXT.format(row='old')};"
)

CREATE_SQL: tuple[str, ...] = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "subject, body, content = '', columnsize = 0, tokenize = 'unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER IF NOT EXISTS interactions_fts_insert AFTER INSERT ON interactions "
    f"BEGIN {_INSERT} END",
    f"CREATE TRIGGER IF NOT EXISTS interactions_fts_delete AFTER DELETE ON interactions "
    f"BEGIN {_DELETE} END",
    f"CREATE TRIGGER IF NOT EXISTS interactions_fts_update AFTER UPDATE OF subject, body "
    f"ON interactions BEGIN {_DELETE} {_INSERT} END",
)
DROP_SQL: tuple[str, ...] = (
    *(f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS),
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
)


# -- PostgreSQL ---------------------------------------------------------------------------

PG_TABLE = "interactions_search"
PG_TRIGGERS = ("interactions_search_insert", "interactions_search_update")
PG_DOCUMENT = "rd_search_document"
PG_INDEX = "ix_interactions_search_document"


def pg_fold_sql(argument: str) -> str:
    """``fold`` as a PostgreSQL expression over ``argument`` (a text), from the same table.

    Plain ASCII only needs lower case, as in ``fold``: the test is a byte count, far cheaper
    than the normalisations a mail body would otherwise pass through.
    """
    singles = {k: v for k, v in LETTERS.items() if len(v) == 1}
    assert all("'" not in k + v for k, v in LETTERS.items())
    expression = f"normalize({argument}, NFKC)"
    expression = f"translate({expression}, '{''.join(singles)}', '{''.join(singles.values())}')"
    for letter, replacement in LETTERS.items():
        if len(replacement) > 1:
            expression = f"replace({expression}, '{letter}', '{replacement}')"
    expression = f"lower(unaccent(normalize({expression}, NFKD)))"
    return (
        f"CASE WHEN octet_length({argument}) = char_length({argument}) "
        f"THEN lower({argument}) ELSE {expression} END"
    )


_PG_FOLD = pg_fold_sql("coalesce(value, '')")
# NOT (a letter or a digit): what ``search_index.words`` cuts on, underscores included.
_PG_SEPARATORS = "'[^[:alnum:]]+'"
_PG_HAS_TEXT = "(coalesce({row}subject, '') <> '' OR coalesce({row}body, '') <> '')"

PG_CREATE_SQL: tuple[str, ...] = (
    f"CREATE TABLE IF NOT EXISTS {PG_TABLE} ("
    "interaction_id INTEGER NOT NULL, document TSVECTOR NOT NULL, "
    f"CONSTRAINT pk_{PG_TABLE} PRIMARY KEY (interaction_id), "
    f"CONSTRAINT fk_{PG_TABLE}_interaction_id_interactions FOREIGN KEY (interaction_id) "
    "REFERENCES interactions (id) ON DELETE CASCADE)",
    f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON {PG_TABLE} USING GIN (document)",
    f"CREATE OR REPLACE FUNCTION {FOLD_FUNCTION}(value text) RETURNS text "
    f"LANGUAGE sql STABLE PARALLEL SAFE AS $$ SELECT {_PG_FOLD} $$",
    # strip: no positions, a prefix match needs none (and mail bodies make long vectors).
    f"CREATE OR REPLACE FUNCTION {PG_DOCUMENT}(subject text, body text) RETURNS tsvector "
    "LANGUAGE sql STABLE PARALLEL SAFE AS $$ SELECT strip(to_tsvector('simple', "
    f"regexp_replace({FOLD_FUNCTION}(subject) || ' ' || {FOLD_FUNCTION}(body), "
    f"{_PG_SEPARATORS}, ' ', 'g'))) $$",
    # Inserts: once per statement over all its rows (a bulk import is one pass, not a call
    # per row). Updates: per row, and only when the text changed.
    "CREATE OR REPLACE FUNCTION interactions_search_inserted() RETURNS trigger "
    f"LANGUAGE plpgsql AS $$ BEGIN INSERT INTO {PG_TABLE}(interaction_id, document) "
    f"SELECT id, {PG_DOCUMENT}(subject, body) FROM inserted_rows "
    f"WHERE {_PG_HAS_TEXT.format(row='')}; RETURN NULL; END $$",
    "CREATE OR REPLACE FUNCTION interactions_search_updated() RETURNS trigger "
    f"LANGUAGE plpgsql AS $$ BEGIN DELETE FROM {PG_TABLE} WHERE interaction_id = NEW.id; "
    f"IF {_PG_HAS_TEXT.format(row='NEW.')} THEN INSERT INTO {PG_TABLE}(interaction_id, "
    f"document) VALUES (NEW.id, {PG_DOCUMENT}(NEW.subject, NEW.body)); END IF; "
    "RETURN NULL; END $$",
)
# DROP then CREATE: CREATE OR REPLACE TRIGGER needs PostgreSQL 14, the app supports 13.
PG_TRIGGER_SQL: tuple[str, ...] = (
    *(f"DROP TRIGGER IF EXISTS {name} ON interactions" for name in PG_TRIGGERS),
    f"CREATE TRIGGER {PG_TRIGGERS[0]} AFTER INSERT ON interactions "
    "REFERENCING NEW TABLE AS inserted_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION interactions_search_inserted()",
    f"CREATE TRIGGER {PG_TRIGGERS[1]} AFTER UPDATE OF subject, body ON interactions "
    "FOR EACH ROW WHEN (OLD.subject IS DISTINCT FROM NEW.subject OR OLD.body IS DISTINCT "
    "FROM NEW.body) EXECUTE FUNCTION interactions_search_updated()",
)
PG_DROP_SQL: tuple[str, ...] = (
    *(f"DROP TRIGGER IF EXISTS {name} ON interactions" for name in PG_TRIGGERS),
    f"DROP TABLE IF EXISTS {PG_TABLE}",
    "DROP FUNCTION IF EXISTS interactions_search_inserted()",
    "DROP FUNCTION IF EXISTS interactions_search_updated()",
    f"DROP FUNCTION IF EXISTS {PG_DOCUMENT}(text, text)",
    f"DROP FUNCTION IF EXISTS {FOLD_FUNCTION}(text)",
)


def create(connection: Connection) -> None:
    """Make PostgreSQL's index, its functions and triggers, and index what is there."""
    for statement in PG_CREATE_SQL:
        connection.exec_driver_sql(statement)
    rebuild(connection)
    for statement in PG_TRIGGER_SQL:
        connection.exec_driver_sql(statement)


def is_index_table(name: str) -> bool:
    """Whether a table is this index (FTS5 keeps shadow tables beside its own)."""
    return name.startswith(FTS_TABLE) or name == PG_TABLE


def fold_for_sql(value: Any) -> str:
    """``rd_fold``: NULL and non-text fold to '' so a trigger never indexes 'None'."""
    return fold(value) if isinstance(value, str) and value else ""


def register_fold(dbapi_connection: Any) -> None:
    """Make ``rd_fold`` callable on a raw SQLite (or SQLCipher) connection."""
    dbapi_connection.create_function(FOLD_FUNCTION, 1, fold_for_sql, deterministic=True)


def is_supported(connection: Connection) -> bool:
    """Whether this is SQLite, whose index is FTS5 (PostgreSQL's is ``PG_TABLE``)."""
    return connection.dialect.name == "sqlite"


def _is_postgresql(connection: Connection) -> bool:
    return connection.dialect.name == "postgresql"


def purge(connection: Connection) -> None:
    """Merge the index so the terms of deleted interactions leave the file (erasure): a
    contentless index only marks them deleted until its segments are merged. PostgreSQL's
    rows went with their interactions (the foreign key)."""
    if is_supported(connection) and exists(connection):
        connection.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")


def exists(connection: Connection) -> bool:
    """Whether the index is there (a database from before its migration has none)."""
    if _is_postgresql(connection):
        found = connection.exec_driver_sql(f"SELECT to_regclass('{PG_TABLE}')").scalar()
        return found is not None
    found = connection.exec_driver_sql(
        f"SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '{FTS_TABLE}'"
    )
    return found.first() is not None


def suspend(connection: Connection) -> bool:
    """Drop the triggers for a bulk load into an empty database; ``resume`` indexes what
    was loaded in one pass and puts them back. One INSERT … SELECT costs a tenth of the
    CPU of a trigger per row (demo, 104k interactions: 0.19 s against 1.7 s). Use both in
    one transaction, so a rollback leaves the triggers where they were. False where there
    is nothing to suspend (another database, or one from before the index's migration)."""
    if not (is_supported(connection) or _is_postgresql(connection)) or not exists(connection):
        return False
    if _is_postgresql(connection):
        for name in PG_TRIGGERS:
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name} ON interactions")
        return True
    for name in TRIGGERS:
        connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    return True


def resume(connection: Connection) -> None:
    """Index every interaction and put the triggers back (after ``suspend``)."""
    rebuild(connection)
    for statement in PG_TRIGGER_SQL if _is_postgresql(connection) else CREATE_SQL:
        connection.exec_driver_sql(statement)


def rebuild(connection: Connection) -> None:
    """Index every interaction anew (after a migration, or a change of the fold)."""
    if _is_postgresql(connection):
        # The GIN index is built once over the filled table, several times faster than
        # taking the rows one by one.
        connection.exec_driver_sql(f"DROP INDEX IF EXISTS {PG_INDEX}")
        connection.exec_driver_sql(f"DELETE FROM {PG_TABLE}")
        connection.exec_driver_sql(
            f"INSERT INTO {PG_TABLE}(interaction_id, document) "
            f"SELECT id, {PG_DOCUMENT}(subject, body) FROM interactions "
            f"WHERE {_PG_HAS_TEXT.format(row='')}"
        )
        connection.exec_driver_sql(PG_CREATE_SQL[1])
        return
    if not is_supported(connection):
        return
    # rd_fold is there: every connection of the app's engine registers it (db/engine.py).
    connection.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('delete-all')")
    connection.exec_driver_sql(
        f"INSERT INTO {FTS_TABLE}(rowid, subject, body) "
        f"SELECT id, {FOLD_FUNCTION}(subject), {FOLD_FUNCTION}(body) FROM interactions "
        f"WHERE {_HAS_TEXT.format(row='interactions')}"
    )


def match_expression(user_text: str) -> str | None:
    """The FTS5 MATCH for what the recruiter typed: every word, as a prefix, any accents."""
    return match_query(user_text)


# Above this many matches a search walks the timeline in time order (see ``matches``).
DENSE_MATCHES = 2000


def _is_dense(connection: Connection, expression: str) -> bool:
    probe = text(
        f"SELECT count(*) FROM (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :expression "
        f"LIMIT {DENSE_MATCHES + 1})"
    ).bindparams(expression=expression)
    return int(connection.execute(probe).scalar_one()) > DENSE_MATCHES


def matching_rowids(expression: str, limit: int | None = None) -> Any:
    """``SELECT rowid`` of the interactions an FTS5 expression matches, newest ids first."""
    sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :expression"
    if limit is not None:
        sql += f" ORDER BY rowid DESC LIMIT {int(limit)}"
    return text(sql).bindparams(expression=expression)


def matches(connection: Connection, user_text: str) -> ColumnElement[bool] | None:
    """The condition "this interaction's subject or body holds these words", or None when
    the text has no words (nothing to filter on).

    SQLite: the FTS5 index. PostgreSQL: the ``tsvector`` index, the same words as prefixes
    (``'word':*``); the words hold only letters and digits, so quoting them keeps them data.
    On both, a search with few matches (``DENSE_MATCHES``) is driven by them, one with many
    walks the timeline in time order until the page is full.
    """
    if _is_postgresql(connection):
        found = words(user_text)
        if not found:
            return None
        tsquery = " & ".join(f"'{word}':*" for word in found)
        document: Any = column("document")
        query = func.to_tsquery(
            literal_column("'simple'::regconfig"),
            bindparam("interaction_tsquery", tsquery, unique=True),
        )
        ids = (
            select(column("interaction_id", Integer))
            .select_from(table(PG_TABLE))
            .where(document.op("@@")(query))
        )
        few = connection.execute(ids.limit(DENSE_MATCHES + 1)).scalars().all()
        if len(few) <= DENSE_MATCHES:
            # Few matches, or none: hand the server the ids themselves. Given the subquery
            # it walks the whole timeline in time order testing each entry, and a word in no
            # interaction took 8-10 s at 1M (a common one: 0.1 s, the page fills at once).
            # One array parameter, not a parameter per id: planned as a few index lookups.
            # (Imported here: the PostgreSQL dialect costs every SQLite command 40 ms.)
            from sqlalchemy.dialects.postgresql import ARRAY

            return Interaction.id == any_(literal(list(few), ARRAY(Integer)))
        return Interaction.id.in_(ids)
    if not is_supported(connection):
        return _substring(user_text)
    expression = match_expression(user_text)
    if expression is None:
        return None
    sqlite_ids = matching_rowids(expression)
    if _is_dense(connection, expression):
        # Many matches ("checking" in 50k of 1M): walk the time index and test each entry
        # against the set of matches, stopping once the page is full; the unary plus keeps
        # SQLite from driving by id, which would fetch and sort every match (87 ms against
        # 15 ms at 1M). Few matches: fetch and sort just them.
        return literal_column("+interactions.id").in_(sqlite_ids)
    return Interaction.id.in_(sqlite_ids)


def _substring(user_text: str) -> ColumnElement[bool] | None:
    """Databases with no index of their own: a case-insensitive substring of either field."""
    typed = user_text.strip()
    if not typed:
        return None
    pattern = "%" + typed.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return or_(
        Interaction.subject.ilike(pattern, escape="\\"),
        Interaction.body.ilike(pattern, escape="\\"),
    )
