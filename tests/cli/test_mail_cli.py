"""``import-mail``: mbox, Maildir and .eml files become touchpoints, as a user runs it.

The mailboxes are written by the tests: encoded headers in two charsets, an HTML-only
message, quoted replies, a newsletter, a no-reply sender, a stranger, and the same message
in two files.
"""

from __future__ import annotations

import json
import mailbox
from pathlib import Path

import pytest

from tests.cli.helpers import run

ME = "rita@recruit.example"


def raw(
    sender: str,
    to: str,
    subject: str,
    date: str,
    body: str,
    *,
    message_id: str | None = None,
    extra: str = "",
    content_type: str = "text/plain; charset=utf-8",
    encoding: str = "8bit",
) -> bytes:
    headers = [
        f"From: {sender}",
        f"To: {to}",
        f"Subject: {subject}",
        f"Date: {date}",
        *([f"Message-ID: <{message_id}>"] if message_id else []),
        "MIME-Version: 1.0",
        f"Content-Type: {content_type}",
        f"Content-Transfer-Encoding: {encoding}",
        *([extra] if extra else []),
    ]
    return ("\n".join(headers) + "\n\n" + body + "\n").encode("utf-8")


# Ana writes (encoded name and subject, Latin-1 quoted-printable), quoting an older message.
FROM_ANA = raw(
    "=?iso-8859-1?q?Ana_Lim=E3o?= <Ana@Example.org>",
    ME,
    "=?iso-8859-1?q?Sobre_a_fun=E7=E3o?=",
    "Mon, 16 Nov 2026 09:30:00 +0100",
    "Ol=E1 Rita, I am interested.\n\nOn Fri, 13 Nov 2026, Rita wrote:\n> Would you talk?\n> Thanks",
    message_id="ana-1@example.org",
    content_type="text/plain; charset=iso-8859-1",
    encoding="quoted-printable",
)
# Bruno writes HTML only, with a UTF-8 base64 subject and a quoted blockquote.
FROM_BRUNO = raw(
    "Bruno <bruno@example.com>",
    ME,
    "=?utf-8?b?Q2Fmw6kgbmV4dCB3ZWVrPw==?=",
    "Tue, 17 Nov 2026 14:00:00 +0000",
    "<html><head><style>p{color:red}</style></head><body><p>Coffee &amp; chat on"
    " <b>Thursday</b>?</p><blockquote>old thread</blockquote></body></html>",
    message_id="bruno-1@example.com",
    content_type="text/html; charset=utf-8",
)
NEWSLETTER = raw(
    "Jobs Weekly <news@jobs.example>",
    ME,
    "This week's roles",
    "Wed, 18 Nov 2026 07:00:00 +0000",
    "Unsubscribe at any time.",
    message_id="news-1@jobs.example",
    extra="List-Id: <weekly.jobs.example>",
)
NO_REPLY = raw(
    "Service <no-reply@service.example>",
    ME,
    "Your receipt",
    "Wed, 18 Nov 2026 08:00:00 +0000",
    "Thanks.",
    message_id="receipt-1@service.example",
)


def from_carla(n: int) -> bytes:
    return raw(
        '"Moreau, Carla" <carla@studio.example>',
        ME,
        f"Hello {n}",
        f"Thu, 19 Nov 2026 1{n}:00:00 +0000",
        "Could we talk?",
        message_id=f"carla-{n}@studio.example",
    )


# Rita answers Ana (Sent folder), with an attachment whose contents are ignored.
REPLY_TO_ANA = (
    f"From: Rita <{ME}>\nTo: Ana <ana@example.org>\nCc: Carla <carla@studio.example>\n"
    "Subject: Re: Sobre a =?utf-8?q?fun=C3=A7=C3=A3o?=\n"
    "Date: Wed, 18 Nov 2026 10:00:00 +0000\nMessage-ID: <rita-1@recruit.example>\n"
    'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b1"\n\n'
    "--b1\nContent-Type: text/plain; charset=utf-8\n\nGreat, let us talk Friday.\n\n-- \nRita\n"
    '--b1\nContent-Type: application/pdf; name="role.pdf"\n'
    'Content-Disposition: attachment; filename="role.pdf"\nContent-Transfer-Encoding: base64\n\n'
    "JVBERi0xLjQK\n--b1--\n"
).encode()


def make_mbox(path: Path, messages: list[bytes]) -> Path:
    box = mailbox.mbox(str(path))
    for message in messages:
        box.add(message)
    box.flush()
    box.close()
    return path


def make_maildir(path: Path, messages: list[bytes]) -> Path:
    box = mailbox.Maildir(str(path), create=True)
    for message in messages:
        box.add(message)
    box.close()
    return path


@pytest.fixture
def network(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    run("add-person", "--first", "Ana", "--last", "Limão", "--email", "ana@example.org", home=home)
    run("add-person", "--first", "Bruno", "--last", "Sá", "--email", "bruno@example.com", home=home)
    return home


def import_mail(home: Path, *args: str) -> dict:
    return json.loads(run("import-mail", *args, "--me", ME, "--json", home=home).stdout)


def timeline(home: Path, person: str) -> list[dict]:
    return json.loads(run("timeline", "--person", person, "--json", home=home).stdout)


def test_mbox_maildir_and_eml_become_email_interactions(network: Path, tmp_path: Path) -> None:
    inbox = make_mbox(
        tmp_path / "Inbox",
        [FROM_ANA, FROM_BRUNO, NEWSLETTER, NO_REPLY, from_carla(1), from_carla(2)],
    )
    sent = make_maildir(tmp_path / "Sent", [REPLY_TO_ANA])
    loose = tmp_path / "saved"
    loose.mkdir()
    (loose / "ana.eml").write_bytes(FROM_ANA)  # the same message again, in another file

    report = import_mail(network, str(inbox), str(sent), str(loose))

    added = {(a["name"], a["direction"], a["subject"]) for a in report["added"]}
    assert added == {
        ("Ana Limão", "inbound", "Sobre a função"),
        ("Bruno Sá", "inbound", "Café next week?"),
        ("Ana Limão", "outbound", "Re: Sobre a função"),
    }
    assert report["duplicates"] == 1
    assert report["bulk"] == 2
    # The stranger is listed with her count; the newsletter and the no-reply sender never.
    assert report["unknown"] == [
        {"address": "carla@studio.example", "name": "Moreau, Carla", "messages": 3}
    ]
    ana = timeline(network, "ana@example.org")
    assert [(e["kind"], e["direction"]) for e in ana] == [
        ("email", "outbound"),
        ("email", "inbound"),
    ]
    assert ana[1]["at"].startswith("2026-11-16T08:30")  # the Date header, in UTC
    assert "Olá Rita, I am interested." in ana[1]["snippet"]
    assert "Would you talk" not in json.dumps(ana)  # the quoted reply is trimmed
    bruno = timeline(network, "bruno@example.com")
    assert bruno[0]["snippet"].startswith("Coffee & chat on Thursday?")
    assert "old thread" not in bruno[0]["snippet"] and "color" not in bruno[0]["snippet"]


def test_text_report_lists_strangers_and_body_keeps_attachment_names(
    network: Path, tmp_path: Path
) -> None:
    sent = make_maildir(tmp_path / "Sent", [REPLY_TO_ANA])
    inbox = make_mbox(tmp_path / "Inbox", [from_carla(1)])
    shown = run("import-mail", str(inbox), str(sent), "--me", ME, home=network).stdout
    assert "Added 1 email interaction (import batch" in shown
    assert "1 correspondent not in your network." in shown
    assert "Import again with --add-unknown to add it:" in shown
    assert "carla@studio.example" in shown and "2 messages" in shown
    entry = timeline(network, "ana@example.org")[0]
    assert entry["snippet"].startswith("Great, let us talk Friday.")
    full = run("timeline", "--person", "ana", "--search", "role.pdf", "--json", home=network)
    assert len(json.loads(full.stdout)) == 1  # the attachment's name is kept, not its bytes


def test_reimport_adds_nothing_and_undo_import_removes_the_batch(
    network: Path, tmp_path: Path
) -> None:
    inbox = make_mbox(tmp_path / "Inbox", [FROM_ANA, FROM_BRUNO, from_carla(1)])
    first = import_mail(network, str(inbox), "--add-unknown")
    assert len(first["added"]) == 3
    assert first["people_added"] == ["Carla Moreau"]

    again = import_mail(network, str(inbox), "--add-unknown")
    assert again["added"] == [] and again["duplicates"] == 3 and again["batch_id"] is None

    owed = json.loads(run("owed", "--as-of", "2026-11-20", "--json", home=network).stdout)
    assert [o["full_name"] for o in owed] == ["Ana Limão", "Bruno Sá"]
    undone = run("undo-import", str(first["batch_id"]), home=network).stdout
    assert "Removed 1 person added by import batch" in undone
    assert "Removed 3 email interactions it imported from mail." in undone
    assert timeline(network, "ana@example.org") == []
    people = json.loads(run("people", "--json", home=network).stdout)
    assert sorted(p["full_name"] for p in people) == ["Ana Limão", "Bruno Sá"]
    # The last-touch columns went back with the interactions: no one is owed a reply.
    assert run("owed", "--as-of", "2026-11-20", "--json", home=network).stdout.strip() == "[]"
    assert all(p["last_touch"] not in ("2026-11-16", "2026-11-17") for p in people)
    # Undone mail can be imported again.
    assert len(import_mail(network, str(inbox))["added"]) == 2


def test_an_unanswered_message_is_owed_until_the_reply_in_sent_is_imported(
    network: Path, tmp_path: Path
) -> None:
    import_mail(network, str(make_mbox(tmp_path / "Inbox", [FROM_ANA])))
    owed = json.loads(run("owed", "--as-of", "2026-11-20", "--json", home=network).stdout)
    assert [(o["full_name"], o["reason"], o["since"]) for o in owed] == [
        ("Ana Limão", "reply", "2026-11-16")
    ]
    people = json.loads(run("people", "--json", home=network).stdout)
    assert {p["full_name"]: p["last_touch"] for p in people}["Ana Limão"] == "2026-11-16"

    import_mail(network, str(make_maildir(tmp_path / "Sent", [REPLY_TO_ANA])))
    owed = json.loads(run("owed", "--as-of", "2026-11-20", "--json", home=network).stdout)
    assert owed == []


def test_dry_run_writes_nothing(network: Path, tmp_path: Path) -> None:
    inbox = make_mbox(tmp_path / "Inbox", [FROM_ANA, from_carla(1)])
    report = import_mail(network, str(inbox), "--dry-run", "--add-unknown")
    assert report["dry_run"] is True and len(report["added"]) == 2
    assert report["people_added"] == ["Carla Moreau"]
    assert timeline(network, "ana@example.org") == []
    assert len(json.loads(run("people", "--json", home=network).stdout)) == 2
    assert json.loads(run("imports", "--json", home=network).stdout) == []


def test_without_my_address_or_with_no_mail_one_sentence(network: Path, tmp_path: Path) -> None:
    inbox = make_mbox(tmp_path / "Inbox", [FROM_ANA])
    refused = run("import-mail", str(inbox), home=network, check_ok=False)
    assert refused.returncode == 2
    assert "set my_addresses in Settings or pass --me ADDRESS" in refused.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    missing = run("import-mail", str(empty), "--me", ME, home=network, check_ok=False)
    assert missing.returncode == 1
    assert f"No mail found in {empty}" in missing.stderr
