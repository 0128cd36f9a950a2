"""Mail import figures (issue 13).

    python benchmarks/bench_mail.py [--runs 3]

Generates a 20,000-message mbox (/tmp/mail-bench-20k.mbox: inbound and outbound mail with
2,000 people, plain and HTML bodies, quoted replies, attachments, newsletters, strangers)
and a 2,000-person database, then imports the mbox into a fresh copy of that database and
imports it again (everything already there). Prints the medians and the peak memory of the
process (the mbox is streamed, so memory does not grow with it).
"""

from __future__ import annotations

import argparse
import base64
import mailbox
import os
import random
import resource
import shutil
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import report, rss_megabytes_now

from recruiter_desk.core.mail.importer import import_mail
from recruiter_desk.core.records import PersonFields, create_person
from recruiter_desk.db.open import open_database

MBOX = Path("/tmp/mail-bench-20k.mbox")
TEMPLATE_DB = Path("/tmp/mail-bench-people.sqlite3")
ME = "me@recruit.example"
PEOPLE = 2_000
MESSAGES = 20_000

PARAGRAPH = (
    "Thanks for the note about the platform role. I have been thinking about the team, the "
    "on-call rotation and how the hybrid days work in practice; could we talk next week? "
)


def person_address(index: int) -> str:
    return f"person{index}@example{index % 37}.com"


def make_mbox(path: Path, seed: int = 13) -> None:
    rng = random.Random(seed)
    start = datetime(2024, 1, 1, 8)
    attachment = base64.encodebytes(os.urandom(30_000)).decode()
    box = mailbox.mbox(str(path))
    box.lock()
    try:
        for n in range(MESSAGES):
            when = start + timedelta(minutes=n * 50 + rng.randint(0, 40))
            date = when.strftime("%a, %d %b %Y %H:%M:%S +0000")
            who = rng.randrange(PEOPLE)
            roll = rng.random()
            extra = ""
            if roll < 0.60:
                sender, to = f"=?utf-8?q?Pessoa_N=C2=BA{who}?= <{person_address(who)}>", ME
            elif roll < 0.85:
                sender, to = f"Me <{ME}>", f"Person {who} <{person_address(who)}>"
            elif roll < 0.95:
                sender, to, extra = "Jobs <news@jobs.example>", ME, "List-Id: <jobs.example>\n"
            else:
                sender, to = f"Stranger <s{rng.randrange(300)}@else.example>", ME
            body = PARAGRAPH * rng.randint(1, 6)
            quoted = "\n".join("> " + PARAGRAPH for _ in range(rng.randint(0, 8)))
            headers = (
                f"From: {sender}\nTo: {to}\nSubject: =?utf-8?q?Re:_fun=C3=A7=C3=A3o_{n}?=\n"
                f"Date: {date}\nMessage-ID: <m{n}@bench.example>\n{extra}MIME-Version: 1.0\n"
            )
            if n % 10 == 0:
                text = (
                    headers + 'Content-Type: multipart/mixed; boundary="b"\n\n--b\n'
                    "Content-Type: text/plain; charset=utf-8\n\n"
                    f"{body}\n\nOn Mon, Rita wrote:\n{quoted}\n--b\n"
                    "Content-Type: application/pdf\n"
                    'Content-Disposition: attachment; filename="cv.pdf"\n'
                    f"Content-Transfer-Encoding: base64\n\n{attachment}--b--\n"
                )
            elif n % 4 == 0:
                text = (
                    headers + "Content-Type: text/html; charset=utf-8\n\n"
                    f"<html><body><p>{body}</p><blockquote>{quoted}</blockquote></body></html>\n"
                )
            else:
                text = (
                    headers + "Content-Type: text/plain; charset=utf-8\n\n"
                    f"{body}\n\nOn Mon, Rita wrote:\n{quoted}\n"
                )
            box.add(text.encode())
    finally:
        box.flush()
        box.unlock()
        box.close()


def make_people(path: Path) -> None:
    database = open_database(str(path), daily_backup=False)
    now = datetime(2026, 11, 25, 12)
    with database.session() as session:
        for index in range(PEOPLE):
            create_person(
                session,
                PersonFields(
                    first_name=f"Person{index}", last_name="Bench", emails=[person_address(index)]
                ),
                now,
            )
    database.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not MBOX.exists():
        make_mbox(MBOX)
    if not TEMPLATE_DB.exists():
        make_people(TEMPLATE_DB)
    print(f"mbox: {MBOX.stat().st_size / 1e6:.0f} MB, {MESSAGES:,} messages")
    baseline = rss_megabytes_now()
    firsts, agains = [], []
    first_cpu: list[float] = []
    again_cpu: list[float] = []
    added = duplicates = 0
    for run in range(args.runs):
        target = Path(f"/tmp/mail-bench-run-{run}.sqlite3")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        shutil.copy(TEMPLATE_DB, target)
        database = open_database(str(target), daily_backup=False)
        now = datetime(2026, 11, 25, 12)
        began, cpu = time.perf_counter(), time.process_time()
        first = import_mail(database, [MBOX], my_addresses=[ME], now=now)
        firsts.append(time.perf_counter() - began)
        first_cpu.append(time.process_time() - cpu)
        began, cpu = time.perf_counter(), time.process_time()
        again = import_mail(database, [MBOX], my_addresses=[ME], now=now)
        agains.append(time.perf_counter() - began)
        again_cpu.append(time.process_time() - cpu)
        added, duplicates = len(first.added), again.duplicates
        assert not again.added
        database.close()
        target.unlink()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load = os.getloadavg()[0]
    report(
        [
            (
                f"import {MESSAGES:,}-message mbox ({added:,} interactions; median of {args.runs})",
                f"{statistics.median(firsts):.2f} s wall, {statistics.median(first_cpu):.2f} s CPU",
                "<= 10 s",
            ),
            (
                f"re-import it ({duplicates:,} duplicates, nothing added)",
                f"{statistics.median(agains):.2f} s wall, {statistics.median(again_cpu):.2f} s CPU",
                "<= 3 s",
            ),
            (
                "peak memory of the process",
                f"{peak:.0f} MB RSS (before import {baseline:.0f} MB)",
                "<= 300 MB",
            ),
        ]
    )
    print(f"load average: {load:.1f}")


if __name__ == "__main__":
    main()
