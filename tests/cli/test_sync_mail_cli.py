"""``sync-mail`` against a real Dovecot (.ci/dovecot.sh): first sync, incremental sync, a
folder rebuilt on the server (new UIDVALIDITY), a line dropped mid-fetch, and offline.

The messages are the import-mail tests' own (encoded headers, HTML only, quoted replies, a
newsletter, a stranger), put into the server through IMAP APPEND.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from recruiter_desk.core.imports.model import ImportCancelled
from recruiter_desk.core.mail import imap
from recruiter_desk.db.models import Interaction, MailFolder
from recruiter_desk.db.open import open_database
from recruiter_desk.settings import Settings
from tests.cli.helpers import run
from tests.cli.test_mail_cli import FROM_ANA, FROM_BRUNO, NEWSLETTER, from_carla, raw
from tests.cli.test_mail_cli import REPLY_TO_ANA as REPLY_COPYING_CARLA
from tests.conftest import NOW, add_person
from tests.imap_server import ME, ImapServer, Proxy
from tests.mail_server import MemoryKeyring, free_port

# Rita answers Ana from her Sent folder with a 3 MB attachment that must never be fetched.
_BIG = ("JVBERi0xLjQK" * 90 + "\n") * 2900
REPLY_TO_ANA = (
    f"From: Rita <{ME}>\nTo: Ana <ana@example.org>\n"
    "Subject: Re: Sobre a =?utf-8?q?fun=C3=A7=C3=A3o?=\n"
    "Date: Wed, 18 Nov 2026 10:00:00 +0000\nMessage-ID: <rita-1@recruit.example>\n"
    'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b1"\n\n'
    '--b1\nContent-Type: multipart/alternative; boundary="b2"\n\n'
    "--b2\nContent-Type: text/plain; charset=utf-8\n\nGreat, let us talk Friday.\n\n-- \nRita\n"
    "--b2\nContent-Type: text/html; charset=utf-8\n\n<p>Great, let us talk <b>Friday</b>.</p>\n"
    "--b2--\n"
    '--b1\nContent-Type: application/pdf; name="role.pdf"\n'
    'Content-Disposition: attachment; filename="role.pdf"\nContent-Transfer-Encoding: base64\n\n'
    f"{_BIG}--b1--\n"
).encode()


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    run("add-person", "--first", "Ana", "--last", "Limão", "--email", "ana@example.org", home=home)
    run("add-person", "--first", "Bruno", "--last", "Sá", "--email", "bruno@example.com", home=home)
    return home


def configure(home: Path, settings: Settings) -> None:
    settings.save(home / "config" / "settings.json")


def sync(home: Path, *args: str) -> dict:
    return json.loads(run("sync-mail", "--json", *args, home=home).stdout)


def folders(report: dict) -> dict[str, tuple[int, int, int]]:
    return {f["folder"]: (f["new"], f["added"], f["duplicates"]) for f in report["folders"]}


def test_first_sync_reads_headers_and_text_only_then_only_new_mail(
    home: Path, imap_server: ImapServer, proxy: Proxy
) -> None:
    server = imap_server
    server.append(server.inbox, FROM_ANA, FROM_BRUNO, NEWSLETTER, from_carla(1))
    server.append(server.sent, REPLY_TO_ANA)
    configure(home, server.settings(port=proxy.port))

    first = sync(home)

    assert first["offline"] is False
    assert first["account"] == f"{server.user}@{server.host}"
    added = {(a["name"], a["direction"], a["subject"]) for a in first["added"]}
    assert added == {
        ("Ana Limão", "inbound", "Sobre a função"),
        ("Bruno Sá", "inbound", "Café next week?"),
        ("Ana Limão", "outbound", "Re: Sobre a função"),
    }
    assert folders(first) == {server.inbox: (4, 2, 0), server.sent: (1, 1, 0)}
    assert first["bulk"] == 1
    assert first["unknown"] == [
        {"address": "carla@studio.example", "name": "Moreau, Carla", "messages": 1}
    ]
    # Headers and text parts only: 3 MB of attachment stayed on the server.
    assert len(REPLY_TO_ANA) > 3_000_000 and proxy.from_server < 100_000
    # PEEK: the recruiter's mail program still shows the messages as unread.
    assert all(b"\\Seen" not in flags for flags in server.flags(server.inbox))
    ana = json.loads(run("timeline", "--person", "ana", "--json", home=home).stdout)
    assert ana[0]["snippet"].startswith("Great, let us talk Friday.")
    found = run("timeline", "--person", "ana", "--search", "role.pdf", "--json", home=home)
    assert len(json.loads(found.stdout)) == 1  # the attachment's name is kept, not its bytes
    assert "Would you talk" not in json.dumps(ana)  # the quoted reply is trimmed
    # Ana's message was answered from Sent: nothing is owed to her; Bruno waits.
    owed = json.loads(run("owed", "--as-of", "2026-11-20", "--json", home=home).stdout)
    assert [o["full_name"] for o in owed] == ["Bruno Sá"]

    again = sync(home)
    assert again["added"] == [] and again["messages"] == 0
    assert folders(again) == {server.inbox: (0, 0, 0), server.sent: (0, 0, 0)}

    later = raw(
        "Bruno <bruno@example.com>",
        ME,
        "Still keen",
        "Fri, 20 Nov 2026 09:00:00 +0000",
        "Any news?",
        message_id="bruno-2@example.com",
    )
    server.append(server.inbox, later)
    text = run("sync-mail", home=home).stdout
    assert f"{server.inbox}: 1 new message, 1 interaction added, 0 already here, 0 bulk." in text
    assert "Added 1 email interaction (import batch" in text
    assert [
        i["subject"]
        for i in json.loads(run("timeline", "--person", "bruno", "--json", home=home).stdout)
    ] == ["Still keen", "Café next week?"]


def test_by_default_inbox_and_the_folder_the_server_marks_sent_and_add_unknown(
    home: Path, imap_server: ImapServer
) -> None:
    # The one test that reads the account's own INBOX and "Sent Items" (flagged \Sent).
    server = imap_server
    server.clear("INBOX")
    server.clear("Sent Items")
    server.append("INBOX", from_carla(1))
    server.append("Sent Items", REPLY_COPYING_CARLA)
    configure(home, server.settings(imap_folders=Settings().imap_folders))
    assert Settings().imap_folders == ["INBOX", "Sent"]

    report = sync(home, "--add-unknown")

    assert folders(report) == {"INBOX": (1, 1, 0), "Sent Items": (1, 2, 0)}
    assert report["people_added"] == ["Carla Moreau"] and report["unknown"] == []
    added = {(a["name"], a["direction"]) for a in report["added"]}
    assert added == {
        ("Carla Moreau", "inbound"),
        ("Carla Moreau", "outbound"),
        ("Ana Limão", "outbound"),
    }


def test_a_rebuilt_folder_is_read_again_without_counting_twice(
    home: Path, imap_server: ImapServer
) -> None:
    server = imap_server
    server.append(server.inbox, FROM_ANA, FROM_BRUNO)
    configure(home, server.settings())
    assert len(sync(home)["added"]) == 2
    before = server.uidvalidity(server.inbox)

    server.delete(server.inbox)
    server.create(server.inbox)
    later = raw(
        "Ana <ana@example.org>",
        ME,
        "One more thing",
        "Sat, 21 Nov 2026 09:00:00 +0000",
        "Hi",
        message_id="ana-2@example.org",
    )
    server.append(server.inbox, FROM_BRUNO, FROM_ANA, later)
    assert server.uidvalidity(server.inbox) != before

    report = sync(home)
    (inbox,) = [f for f in report["folders"] if f["folder"] == server.inbox]
    assert inbox["reread"] is True and inbox["uidvalidity"] != before
    assert (inbox["new"], inbox["added"], inbox["duplicates"]) == (3, 1, 2)
    assert [a["subject"] for a in report["added"]] == ["One more thing"]
    ana = json.loads(run("timeline", "--person", "ana", "--json", home=home).stdout)
    assert [e["subject"] for e in ana] == ["One more thing", "Sobre a função"]


def test_a_line_dropped_mid_fetch_leaves_whole_batches_and_the_next_sync_finishes(
    tmp_path: Path, imap_server: ImapServer, proxy: Proxy
) -> None:
    server = imap_server
    server.append(server.inbox, *(from_carla(n) for n in range(1, 6)))
    database = open_database(str(tmp_path / "desk.sqlite3"), daily_backup=False)
    try:
        add_person(database, first_name="Carla", emails=["carla@studio.example"])
        through_proxy = server.settings(port=proxy.port)

        def progress(stage: str, fraction: float) -> None:
            if stage.startswith("Reading") and 0 < fraction < 1 and not proxy.dropped.is_set():
                proxy.arm(300)  # the next fetch's answer is cut after 300 bytes

        with pytest.raises(imap.MailOffline) as dropped:
            imap.sync_mail(
                database,
                through_proxy,
                my_addresses=[ME],
                now=NOW,
                progress=progress,
                batch_size=2,
            )
        assert proxy.dropped.is_set()
        assert f"dropped while reading {server.inbox}" in dropped.value.message
        # The first batch is whole, with its position; nothing of the second.
        with database.connect() as connection:
            assert connection.execute(select(func.count(Interaction.id))).scalar() == 2
            position = connection.execute(select(MailFolder.folder, MailFolder.last_uid)).all()
        assert [(f, uid) for f, uid in position] == [(server.inbox, 2)]

        report = imap.sync_mail(
            database, server.settings(), my_addresses=[ME], now=NOW, batch_size=2
        )
        assert next((f.folder, f.new, f.added, f.duplicates) for f in report.folders) == (
            server.inbox,
            3,
            3,
            0,
        )
        with database.connect() as connection:
            subjects = connection.execute(select(Interaction.subject)).scalars().all()
        assert sorted(subjects) == [f"Hello {n}" for n in range(1, 6)]
    finally:
        database.close()


def test_offline_it_says_so_in_one_sentence_and_exits_75(
    home: Path, memory_keyring: MemoryKeyring
) -> None:
    port = free_port()  # nothing listens there
    configure(
        home,
        Settings(
            my_addresses=[ME],
            imap_host="127.0.0.1",
            imap_port=port,
            imap_user="rita",
            imap_security="starttls",
        ),
    )
    memory_keyring.set_password(imap.KEYRING_SERVICE, "rita@127.0.0.1", "secret")
    result = run("sync-mail", home=home, check_ok=False)
    assert result.returncode == 75
    assert result.stderr.strip().splitlines() == [
        f"recruiter-desk: Could not reach 127.0.0.1:{port} (connection refused): nothing was "
        "synced; it will be when you are online again."
    ]
    as_json = run("sync-mail", "--json", home=home, check_ok=False)
    assert as_json.returncode == 75 and json.loads(as_json.stdout)["offline"] is True


def test_a_wrong_password_is_refused_and_forgotten(
    home: Path, imap_server: ImapServer, memory_keyring: MemoryKeyring
) -> None:
    configure(home, imap_server.settings())
    account = (imap.KEYRING_SERVICE, f"{imap_server.user}@{imap_server.host}")
    memory_keyring.set_password(*account, "not-the-password")
    result = run("sync-mail", home=home, check_ok=False)
    assert result.returncode == 1
    assert f"refused the user name or password for {imap_server.user}" in result.stderr
    assert account not in memory_keyring.passwords  # asked again next time
    missing = run("sync-mail", home=home, check_ok=False)
    assert missing.returncode == 1
    assert "No password for" in missing.stderr and "Settings → Mail account" in missing.stderr


def test_connection_reports_the_folders_in_one_sentence(imap_server: ImapServer) -> None:
    server = imap_server
    server.append(server.inbox, FROM_ANA, FROM_BRUNO)
    settings = server.settings()
    assert imap.test_connection(settings) == (
        f"Connected to {server.host}:{server.port} as {server.user}: "
        f"{server.inbox} holds 2 messages, {server.sent} holds 0 messages."
    )
    missing = server.settings(imap_folders=[server.inbox, "Nowhere"])
    assert imap.test_connection(missing).endswith("; there is no folder Nowhere.")


def test_cancel_stops_between_batches_and_keeps_what_was_read(
    tmp_path: Path, imap_server: ImapServer
) -> None:
    server = imap_server
    server.append(server.inbox, *(from_carla(n) for n in range(1, 4)))
    database = open_database(str(tmp_path / "desk.sqlite3"), daily_backup=False)
    try:
        add_person(database, first_name="Carla", emails=["carla@studio.example"])
        reports: list[float] = []

        def progress(stage: str, fraction: float) -> None:
            if stage.startswith("Reading"):
                reports.append(fraction)

        with pytest.raises(ImportCancelled):
            imap.sync_mail(
                database,
                server.settings(),
                my_addresses=[ME],
                now=NOW,
                progress=progress,
                cancelled=lambda: bool(reports),  # the Cancel button, after the first batch
                batch_size=2,
            )
        with database.connect() as connection:
            assert connection.execute(select(func.count(Interaction.id))).scalar() == 2
        again = imap.sync_mail(database, server.settings(), my_addresses=[ME], now=NOW)
        assert [a.subject for a in again.mail.added] == ["Hello 3"]
    finally:
        database.close()


# Nested parts, a Latin-1 quoted-printable text, a forwarded message, an RFC 2231 file name.
INTRICATE = (
    "From: =?utf-8?q?Bruno_S=C3=A1?= <bruno@example.com>\n"
    f"To: {ME}\nSubject: CV attached\nDate: Sun, 22 Nov 2026 08:00:00 +0000\n"
    "Message-ID: <intricate-1@example.com>\nMIME-Version: 1.0\n"
    'Content-Type: multipart/mixed; boundary="m1"\n\n'
    '--m1\nContent-Type: multipart/alternative; boundary="m2"\n\n'
    "--m2\nContent-Type: text/plain; charset=iso-8859-1\n"
    "Content-Transfer-Encoding: quoted-printable\n\n"
    "Voil=E0 mon CV.\n\nOn Sat, Rita wrote:\n> send it?\n"
    "--m2\nContent-Type: text/html; charset=utf-8\n\n<p>Voilà mon CV.</p>\n--m2--\n"
    "--m1\nContent-Type: message/rfc822\nContent-Disposition: inline\n\n"
    "From: someone@else.example\nSubject: old\n\nOld forwarded text.\n"
    "--m1\nContent-Type: application/pdf\n"
    "Content-Disposition: attachment; filename*=utf-8''r%C3%A9sum%C3%A9.pdf\n"
    "Content-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n--m1--\n"
).encode()


def test_a_message_synced_becomes_what_the_same_file_becomes(
    tmp_path: Path, imap_server: ImapServer
) -> None:
    server = imap_server
    server.append(server.inbox, INTRICATE)
    bodies = []
    for how in ("file", "imap"):
        home = tmp_path / how
        run("add-person", "--first", "Bruno", "--email", "bruno@example.com", home=home)
        if how == "file":
            eml = tmp_path / "cv.eml"
            eml.write_bytes(INTRICATE)
            run("import-mail", str(eml), "--me", ME, home=home)
        else:
            configure(home, server.settings())
            run("sync-mail", home=home)
        database = open_database(str(home / "data" / "recruiter-desk.sqlite3"), daily_backup=False)
        with database.connect() as connection:
            bodies.append(
                connection.execute(
                    select(Interaction.subject, Interaction.body, Interaction.occurred_at)
                ).all()
            )
        database.close()
    assert bodies[0] == bodies[1]
    assert bodies[1][0].body == "Voilà mon CV.\n\n[Attached: résumé.pdf]"
