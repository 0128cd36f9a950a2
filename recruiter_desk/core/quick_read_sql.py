"""Rendered by ``python -m recruiter_desk.core.quick_read_render``: do not edit.

The SQL ``core/people.py`` sends for ``people --search``, for ``core/quick_read.py``.
"""

# ruff: noqa: E501

from typing import Any

PEOPLE_SEARCH: tuple[str, tuple[tuple[str, Any], ...]] = (
    "WITH warmth AS MATERIALIZED \n(SELECT people.id AS person_id, coalesce(date(CASE WHEN (people.last_touch_at IS NULL) THEN NULL WHEN (people.last_touch_at < ?) THEN people.last_touch_at ELSE (SELECT max(interactions.occurred_at) AS max_1 \nFROM interactions \nWHERE interactions.person_id = people.id AND interactions.kind != ? AND interactions.direction IN (?, ?) AND interactions.occurred_at < ?) END, ?), people.connected_on, date(people.created_at, ?)) AS last_touch_day, coalesce(people.cadence_days, CASE WHEN (people.id IN (SELECT candidacies.person_id \nFROM candidacies \nWHERE CASE WHEN (candidacies.stage_changed_at < ?) THEN candidacies.stage ELSE (SELECT stage_changes.stage \nFROM stage_changes \nWHERE stage_changes.candidacy_id = candidacies.id AND stage_changes.changed_at < ? ORDER BY stage_changes.changed_at DESC, stage_changes.id DESC\n LIMIT ? OFFSET ?) END IN (?, ?, ?, ?, ?, ?))) THEN ? ELSE ? END) AS cadence \nFROM people \nWHERE people.id IN (SELECT rowid \nFROM people_fts \nWHERE people_fts MATCH ?))\n SELECT people.id, people.first_name, people.last_name, people.company, people.title, people.location, people.linkedin_url, people.work_modes, people.do_not_contact, people.openness, warmth.last_touch_day, warmth.cadence, CASE WHEN (CAST(julianday(?) - julianday(warmth.last_touch_day) AS INTEGER) < ?) THEN ? ELSE CAST(julianday(?) - julianday(warmth.last_touch_day) AS INTEGER) END AS days, CAST(CASE WHEN (CAST(julianday(?) - julianday(warmth.last_touch_day) AS INTEGER) < ?) THEN ? ELSE CAST(julianday(?) - julianday(warmth.last_touch_day) AS INTEGER) END AS FLOAT) / (warmth.cadence + 0.0) AS ratio, CASE WHEN (people.do_not_contact IS 1) THEN ? WHEN (CAST(CASE WHEN (CAST(julianday(?) - julianday(warmth.last_touch_day) AS INTEGER) < ?) THEN ? ELSE CAST(julianday(?) - julianday(warmth.last_touch_day) AS INTEGER) END AS FLOAT) / (warmth.cadence + 0.0) < ?) THEN ? WHEN (CAST(CASE WHEN (CAST(julianday(?) - julianday(warmth.last_touch_day) AS INTEGER) < ?) THEN ? ELSE CAST(julianday(?) - julianday(warmth.last_touch_day) AS INTEGER) END AS FLOAT) / (warmth.cadence + 0.0) < ?) THEN ? WHEN (people.snoozed_until IS NOT NULL AND people.snoozed_until >= ?) THEN ? ELSE ? END AS status \nFROM warmth JOIN people ON people.id = warmth.person_id ORDER BY CASE WHEN (people.id IN (SELECT rowid \nFROM people_fts \nWHERE people_fts MATCH ?)) THEN ? ELSE ? END, people.sort_key, people.id",
    (
        ("slot", "cut"),
        ("constant", "note"),
        ("constant", "inbound"),
        ("constant", "outbound"),
        ("slot", "cut"),
        ("slot", "offset"),
        ("slot", "offset"),
        ("slot", "cut"),
        ("slot", "cut"),
        ("constant", 1),
        ("constant", 0),
        ("constant", "contacted"),
        ("constant", "interested"),
        ("constant", "submitted"),
        ("constant", "interviewing"),
        ("constant", "shortlisted"),
        ("constant", "offer"),
        ("slot", "active_cadence_days"),
        ("slot", "default_cadence_days"),
        ("slot", "match"),
        ("slot", "day"),
        ("constant", 0),
        ("constant", 0),
        ("slot", "day"),
        ("slot", "day"),
        ("constant", 0),
        ("constant", 0),
        ("slot", "day"),
        ("constant", "do_not_contact"),
        ("slot", "day"),
        ("constant", 0),
        ("constant", 0),
        ("slot", "day"),
        ("slot", "cooling_at"),
        ("constant", "warm"),
        ("slot", "day"),
        ("constant", 0),
        ("constant", 0),
        ("slot", "day"),
        ("slot", "cold_at"),
        ("constant", "cooling"),
        ("slot", "day"),
        ("constant", "cooling"),
        ("constant", "cold"),
        ("format", "name : ({match})"),
        ("constant", 0),
        ("constant", 1),
    ),
)

LIST_QUERIES: tuple[tuple[str, str], ...] = (
    (
        "emails",
        "SELECT person_emails.person_id, person_emails.address \nFROM person_emails \nWHERE person_emails.person_id IN ({ids}) ORDER BY person_emails.person_id, person_emails.position",
    ),
    (
        "phones",
        "SELECT person_phones.person_id, person_phones.number \nFROM person_phones \nWHERE person_phones.person_id IN ({ids}) ORDER BY person_phones.person_id, person_phones.position",
    ),
    (
        "tags",
        "SELECT person_tags.person_id, person_tags.tag \nFROM person_tags \nWHERE person_tags.person_id IN ({ids}) ORDER BY person_tags.person_id, person_tags.tag",
    ),
    (
        "interests",
        "SELECT person_interests.person_id, person_interests.topic \nFROM person_interests \nWHERE person_interests.person_id IN ({ids}) ORDER BY person_interests.person_id, person_interests.topic",
    ),
)
