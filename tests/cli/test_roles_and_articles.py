"""``opportunities``, ``readers`` and ``share`` as a recruiter runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.helpers import run

AS_OF = "2026-11-25"

NETWORK = {
    "format": "recruiter-desk",
    "version": 1,
    "people": [
        {
            "id": "ana",
            "first_name": "Ana",
            "last_name": "Núñez",
            "emails": ["ana@x.example"],
            "interests": ["rust", "databases"],
            "connected_on": "2026-11-01",
        },
        {
            "id": "ben",
            "first_name": "Ben",
            "last_name": "Okafor",
            "emails": ["ben@x.example"],
            "interests": ["rust"],
            "connected_on": "2024-01-10",
        },
        {
            "id": "cy",
            "first_name": "Cy",
            "interests": ["rust"],
            "do_not_contact": True,
            "connected_on": "2024-01-10",
        },
        {"id": "dee", "first_name": "Dee", "interests": ["python"], "connected_on": "2024-01-10"},
        {"id": "eve", "emails": ["eve@x.example"], "do_not_contact": True},
    ],
    "articles": [
        {
            "id": "a1",
            "url": "https://blog.example/rust",
            "title": "Rust at scale",
            "topics": ["rust"],
        },
        {"id": "a2", "url": "https://blog.example/cobol", "title": "COBOL", "topics": ["cobol"]},
    ],
}


@pytest.fixture
def desk(tmp_path: Path, db_location: str) -> list[str]:
    db = ["--db", db_location]
    document = tmp_path / "network.json"
    document.write_text(json.dumps(NETWORK), encoding="utf-8")
    run(*db, "import", str(document))
    return db


def test_readers_are_the_interested_coolest_first_never_do_not_contact(desk: list[str]) -> None:
    readers = json.loads(run(*desk, "readers", "1", "--as-of", AS_OF, "--json").stdout)
    assert [(r["full_name"], r["status"], r["shared_topics"]) for r in readers] == [
        ("Ben Okafor", "cold", ["rust"]),
        ("Ana Núñez", "warm", ["rust"]),
    ]
    table = run(*desk, "readers", "1", "--as-of", AS_OF).stdout.splitlines()
    assert table[0].split() == ["ID", "NAME", "STATUS", "LAST", "TOUCH", "TOPICS"]
    assert table[1].split()[1:] == ["Ben", "Okafor", "cold", "2", "years", "ago", "rust"]
    assert len(table) == 3
    limited = json.loads(
        run(*desk, "readers", "1", "--limit", "1", "--as-of", AS_OF, "--json").stdout
    )
    assert [r["full_name"] for r in limited] == ["Ben Okafor"]
    none = run(*desk, "readers", "2", "--as-of", AS_OF).stdout
    assert none == "No one in your network follows these topics.\n"


def test_sharing_records_a_touch_with_each_person(desk: list[str]) -> None:
    shared = run(*desk, "share", "1", "Ben Okafor", "ana@x.example", "--at", AS_OF).stdout
    assert shared == "Recorded article 1 as shared with 2 people.\n"
    readers = json.loads(run(*desk, "readers", "1", "--as-of", AS_OF, "--json").stdout)
    assert {(r["full_name"], r["status"], r["last_touch"]) for r in readers} == {
        ("Ben Okafor", "warm", AS_OF),
        ("Ana Núñez", "warm", AS_OF),
    }
    interactions = json.loads(run(*desk, "export", "--format", "json", "-o", "-").stdout)[
        "interactions"
    ]
    assert sorted((i["kind"], i["subject"]) for i in interactions) == [
        ("article", "Rust at scale"),
        ("article", "Rust at scale"),
    ]


def test_sharing_with_a_do_not_contact_person_shares_with_no_one(desk: list[str]) -> None:
    refused = run(*desk, "share", "1", "Ben Okafor", "Cy", check_ok=False)
    assert refused.returncode == 1
    assert refused.stderr == "recruiter-desk: Cy is marked do-not-contact; nothing was shared.\n"
    nameless = run(*desk, "share", "1", "eve@x.example", check_ok=False)
    assert nameless.stderr == (
        "recruiter-desk: eve@x.example is marked do-not-contact; nothing was shared.\n"
    )
    assert (
        json.loads(run(*desk, "export", "--format", "json", "-o", "-").stdout)["interactions"] == []
    )
    missing = run(*desk, "share", "9", "Ben Okafor", check_ok=False)
    assert (missing.returncode, missing.stderr) == (
        1,
        "recruiter-desk: There is no article with id 9.\n",
    )


def test_opportunities_list_roles_with_their_pipelines(desk: list[str]) -> None:
    run(*desk, "add-opportunity", "Rust Engineer", "--company", "Helix", "--work-mode", "remote")
    run(*desk, "add-opportunity", "Data Lead", "--skill", "databases")
    run(*desk, "stage", "Ana Núñez", "1", "interviewing", "--at", "2026-11-20")
    run(*desk, "stage", "Ben Okafor", "1", "rejected", "--at", "2026-11-21")
    roles = json.loads(run(*desk, "opportunities", "--json").stdout)
    by_title = {r["title"]: r for r in roles}
    assert by_title["Rust Engineer"]["pipeline"] == {"interviewing": 1, "not_selected": 1}
    assert by_title["Rust Engineer"]["company"] == "Helix"
    assert by_title["Data Lead"]["pipeline"] == {}
    assert by_title["Data Lead"]["skills"] == ["databases"]
    table = run(*desk, "opportunities").stdout.splitlines()
    assert table[0].split() == ["ID", "TITLE", "COMPANY", "MODE", "STATUS", "PIPELINE"]
    rust = next(line for line in table if "Rust Engineer" in line)
    assert rust.split()[-2:] == ["interviewing:1", "not_selected:1"]
    assert "remote" in rust and "open" in rust


def test_add_article_then_its_readers(tmp_path: Path) -> None:
    home = tmp_path / "home"
    network = tmp_path / "network.json"
    network.write_text(json.dumps(NETWORK), encoding="utf-8")
    run("import", str(network), home=home)
    added = run(
        "add-article",
        "https://blog.example/rust-at-scale",
        "--title",
        "Rust at scale",
        "--topic",
        "Rust",
        "--topic",
        "databases",
        "--json",
        home=home,
    )
    article = json.loads(added.stdout)
    assert article["title"] == "Rust at scale"
    assert article["topics"] == ["databases", "rust"]
    readers = json.loads(run("readers", str(article["id"]), "--json", home=home).stdout)
    assert {r["first_name"] for r in readers} >= {"Ana", "Ben"}
    again = run("add-article", "https://blog.example/rust-at-scale", home=home, check_ok=False)
    assert again.returncode == 1
    assert "already saved" in again.stderr and again.stderr.count("\n") == 1


def test_impossible_settings_are_printed_once_and_the_command_runs(app_home: Path) -> None:
    from recruiter_desk.paths import app_paths

    settings = app_paths().settings_file  # under app_home (tests/conftest.py)
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(
        json.dumps({"default_cadence_days": 0, "timezone": "Mars/Olympus"}), encoding="utf-8"
    )
    result = run("people", "--as-of", AS_OF, home=app_home)
    assert result.stderr.count("default_cadence_days") == 1
    assert result.stderr.count("Mars/Olympus") == 1
    assert "90 is used instead" in result.stderr
