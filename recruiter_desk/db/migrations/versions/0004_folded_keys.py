"""people.name_key and people.sort_key with the one letter fold (Ø with the O's, Søren = Soren)

Revision ID: 0004_folded_keys
Revises: 0003_close_reasons
Create Date: 2026-11-25
"""
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0004_folded_keys"
down_revision = "0003_close_reasons"
branch_labels = None
depends_on = None

# Frozen copy of recruiter_desk.folding and core.identity as of this revision.
_LETTERS = str.maketrans(
    {
        "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ð": "d", "Ð": "d",
        "þ": "th", "Þ": "th", "ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe",
        "ı": "i", "ħ": "h", "Ħ": "h",
    }
)


def _fold(value: str) -> str:
    letters = unicodedata.normalize("NFKC", value).translate(_LETTERS)
    decomposed = unicodedata.normalize("NFKD", letters)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _clean(value: str) -> str:
    return " ".join((value or "").split())


def _keys(first_name: str, last_name: str, company: str) -> dict[str, str]:
    name = _clean(f"{first_name} {last_name}")
    surname = _clean(last_name) or _clean(first_name)
    return {
        "name_key": f"{_fold(name)}|{_fold(_clean(company))}" if name else "",
        "sort_key": f"{_fold(surname)}\x1f{_fold(_clean(first_name))}",
    }


def upgrade() -> None:
    # Only values change: no table rebuild, so nothing that points at people is touched.
    connection = op.get_bind()
    people = connection.execute(
        sa.text("SELECT id, first_name, last_name, company FROM people")
    ).all()
    for start in range(0, len(people), 5000):
        connection.execute(
            sa.text("UPDATE people SET name_key = :name_key, sort_key = :sort_key WHERE id = :id"),
            [{**_keys(first, last, company), "id": pid}
             for pid, first, last, company in people[start:start + 5000]],
        )


def downgrade() -> None:
    # The older keys only differ for letters such as Ø, Ł and Æ; they stay usable.
    pass
