"""Every command of the command line, one line each, in the order ``--help`` lists them.

A line names the command, its one-line help and the module under
``recruiter_desk.cli.commands`` that defines it. That module is imported only when its
command runs (or its own ``--help`` is asked for), so ``recruiter-desk --help`` loads no
database code. How to add a command: docs/architecture.md, "Adding a command".
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    module: str

    @property
    def identifier(self) -> str:
        """``undo-import`` is defined by ``arguments_undo_import`` and ``run_undo_import``."""
        return self.name.replace("-", "_")


COMMANDS: tuple[Command, ...] = (
    Command("demo", "fill an empty database with a generated network", "demo"),
    Command("people", "list people with their warmth", "people"),
    Command("backup", "copy the database safely, even while in use", "storage"),
    Command("backups", "list the automatic backups, oldest first", "storage"),
    Command("restore", "replace the database with a backup (by name or file)", "storage"),
    Command("encrypt", "encrypt the database in place (SQLCipher; key in the keyring)", "storage"),
    Command("decrypt", "turn an encrypted database back into a plain one", "storage"),
    Command("forget", "erase a person and everything about them", "privacy"),
    Command("scrub-backups", "rewrite the backups without anyone forgotten", "privacy"),
    Command("export-person", "everything stored about one person (JSON and a page)", "privacy"),
    Command("lawful-basis", "show or set why you hold a person's data", "privacy"),
    Command("retention", "people untouched for years and in no process, to review", "privacy"),
    Command(
        "import",
        "import contacts: LinkedIn, vCard, Google, Outlook, CSV, this app's JSON",
        "interchange",
    ),
    Command("import-mail", "mail files (.eml, mbox, Maildir) become touchpoints", "mail"),
    Command("sync-mail", "new mail in the IMAP account's folders becomes touchpoints", "mail"),
    Command("import-calendar", "calendar files (.ics) become meeting touchpoints", "mail"),
    Command("export", "write people to a file other tools read", "interchange"),
    Command("imports", "list import batches", "interchange"),
    Command("undo-import", "remove the people an import added (if untouched since)", "interchange"),
    Command("add-person", "add one person by hand", "people"),
    Command("edit", "change a person's fields (never over a teammate's newer change)", "team"),
    Command("copy-to", "copy the whole network into an empty database, verified", "team"),
    Command("add-opportunity", "add a role", "opportunities"),
    Command("owed", "who is owed a message, and why", "touches"),
    Command("opportunities", "list roles and their pipelines", "opportunities"),
    Command("opportunity", "one role's pipeline by stage, with days in stage", "opportunities"),
    Command(
        "close-opportunity",
        "fill or close a role; lists who still needs a closing message",
        "opportunities",
    ),
    Command(
        "silver-medalists",
        "who came close on earlier roles (shortlist or offer), for this one",
        "opportunities",
    ),
    Command("matches", "who fits a role, and who is left out and why", "opportunities"),
    Command("person", "one person: warmth explained, process, follow-ups", "people"),
    Command("log", "record an interaction with a person", "touches"),
    Command("stage", "move a person to a stage on a role", "opportunities"),
    Command("followups", "open follow-ups, soonest first", "touches"),
    Command("followup", "add a follow-up for a person", "touches"),
    Command("done", "mark a follow-up as done", "touches"),
    Command("snooze", "keep a person from showing as cold for N days", "touches"),
    Command("today", "what to do today: owed, due, cold, not answering, and why", "day"),
    Command("timeline", "every touchpoint, newest first, filtered", "day"),
    Command("add-article", "save an article to share, with its topics", "articles"),
    Command("readers", "who would care about an article, coolest first", "articles"),
    Command("share", "record an article as shared with people", "articles"),
    Command("templates", "list message templates", "compose"),
    Command("compose", "write a template to people: print, save .eml, or queue", "compose"),
    Command("outbox", "queued messages and their state", "compose"),
    Command("send", "send what is queued in the outbox (SMTP)", "compose"),
)
