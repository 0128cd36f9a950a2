"""Keeps the denormalised last-touch columns of ``people`` in step with ``interactions``.

Last touch counts every interaction that is not a note, in either direction (internal
records are not contact with the person).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, text

_REFRESH = """
UPDATE people SET
  last_touch_at = (SELECT max(i.occurred_at) FROM interactions i
                   WHERE i.person_id = people.id AND i.kind <> 'note'
                     AND i.direction IN ('inbound', 'outbound')),
  last_inbound_at = (SELECT max(i.occurred_at) FROM interactions i
                     WHERE i.person_id = people.id AND i.kind <> 'note'
                       AND i.direction = 'inbound'),
  last_outbound_at = (SELECT max(i.occurred_at) FROM interactions i
                      WHERE i.person_id = people.id AND i.kind <> 'note'
                        AND i.direction = 'outbound')
"""


def refresh_touch(connection: Connection, person_ids: Iterable[int] | None = None) -> None:
    if person_ids is None:
        connection.execute(text(_REFRESH))
        return
    ids = sorted(set(person_ids))
    for start in range(0, len(ids), 500):
        chunk = ",".join(str(int(i)) for i in ids[start : start + 500])
        connection.execute(text(_REFRESH + f" WHERE id IN ({chunk})"))
