"""``today`` and ``timeline`` through the command line, on the fixed network of
tests/core/test_today_timeline.py."""

from __future__ import annotations

import json

import pytest

from recruiter_desk.db.session import Database
from tests.cli.helpers import run
from tests.core.test_today_timeline import Network, network  # noqa: F401  (fixture)


def cli(db_location: str, *args: str, check_ok: bool = True) -> tuple[int, str, str]:
    result = run("--db", db_location, *args, check_ok=check_ok)
    return result.returncode, result.stdout, result.stderr


def test_today_json_has_one_list_per_section_with_why_now(
    database: Database,
    db_location: str,
    network: Network,  # noqa: F811
) -> None:
    _, out, _ = cli(db_location, "today", "--as-of", "2026-11-25", "--json")
    found = json.loads(out)
    assert [i["person_id"] for i in found["owed"]] == [network.ana]
    assert [i["person_id"] for i in found["not_answering"]] == [network.carl]
    assert [i["person_id"] for i in found["cold"]] == [network.cleo]
    assert found["snoozes_ending"][0]["why"] == "Snooze ends today: not before March: shares vest"
    assert found["follow_ups"][0]["follow_up_id"] is not None
    everyone = {
        i["person_id"] for key, items in found.items() if isinstance(items, list) for i in items
    }
    assert network.dora not in everyone


def test_today_as_text_names_the_sections(
    database: Database,
    db_location: str,
    network: Network,  # noqa: F811
) -> None:
    _, out, _ = cli(db_location, "today", "--as-of", "2026-11-25")
    assert out.startswith("Today, Wednesday 25 November 2026\n")
    assert "Owed a message (1)" in out and "Not answering (1)" in out
    assert "Dora" not in out


def test_timeline_filters_and_json(
    database: Database,
    db_location: str,
    network: Network,  # noqa: F811
) -> None:
    _, out, _ = cli(db_location, "timeline", "--person", str(network.carl), "--json")
    entries = json.loads(out)
    assert [e["person_id"] for e in entries] == [network.carl] * 4
    assert set(entries[0]) >= {"source", "id", "at", "kind", "direction", "subject", "opportunity"}
    _, out, _ = cli(db_location, "timeline", "--kind", "stage", "--json")
    assert [e["subject"] for e in json.loads(out)] == ["Moved to interviewing"]
    _, out, _ = cli(db_location, "timeline", "--opportunity", str(network.role), "--json")
    assert len(json.loads(out)) == 2
    _, out, _ = cli(db_location, "timeline", "--since", "2026-11-20", "--limit", "2")
    assert out.splitlines()[1].startswith("2026-11-24 16:00")
    assert "--limit shows more" in out
    code, _, err = cli(db_location, "timeline", "--person", "999", check_ok=False)
    assert (code, err) == (1, "recruiter-desk: There is no person with id 999.\n")


def test_a_snooze_reason_given_on_the_command_line_comes_back_on_today(
    database: Database,
    db_location: str,
    network: Network,  # noqa: F811
) -> None:
    cli(
        db_location, "snooze", str(network.cleo), "3", "--as-of", "2026-11-25", "--reason", "moving"
    )
    _, out, _ = cli(db_location, "today", "--as-of", "2026-11-28", "--json")
    assert [(i["person_id"], i["why"]) for i in json.loads(out)["snoozes_ending"]] == [
        (network.sam, "Snooze ended 3 days ago: not before March: shares vest"),
        (network.cleo, "Snooze ends today: moving"),
    ]


def test_a_write_on_the_command_line_reads_no_part_of_today_for_a_window(
    database: Database,
    db_location: str,
    network: Network,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The person's part of Today is noted before a write for the window's splice only."""
    from recruiter_desk.core import today as today_module

    parts: list[object] = []
    original = today_module.person_today
    monkeypatch.setattr(
        today_module,
        "person_today",
        lambda *args, **kwargs: parts.append(args) or original(*args, **kwargs),
    )
    code, out, _ = cli(db_location, "edit", str(network.ana), "--set", "title=CTO")
    assert code == 0, out
    assert parts == []
    _, shown, _ = cli(db_location, "people", "--search", "Ana", "--json")
    assert [p["title"] for p in json.loads(shown) if p["id"] == network.ana] == ["CTO"]
