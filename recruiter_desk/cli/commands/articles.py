"""``add-article``, ``readers`` and ``share``: articles worth sending, and to whom."""

from __future__ import annotations

from argparse import ArgumentParser

from recruiter_desk.cli.arguments import PERSON_HELP, day, positive, whole
from recruiter_desk.cli.context import Context, warn_about_teammates
from recruiter_desk.cli.render import table
from recruiter_desk.core.articles import readers_for, share_article
from recruiter_desk.core.wording import count, days_ago


def arguments_add_article(parser: ArgumentParser) -> None:
    parser.add_argument("url", metavar="URL", help="the article's address (http:// or https://)")
    parser.add_argument("--title", default="", help="as you would mention it in a message")
    parser.add_argument(
        "--topic",
        action="append",
        default=[],
        dest="topics",
        metavar="TOPIC",
        help="a topic it is about; people interested in it are its readers (repeatable)",
    )
    parser.add_argument("--json", action="store_true")


def run_add_article(ctx: Context) -> int:
    article = ctx.services.add_article(ctx.args.url, ctx.args.title, ctx.args.topics)
    if ctx.args.json:
        ctx.emit_json(article.to_json())
        return 0
    about = f" about {', '.join(article.topics)}" if article.topics else ""
    ctx.out.write(
        f"Saved article {article.id}: {article.title}{about}. "
        f"Who would care: recruiter-desk readers {article.id}\n"
    )
    return 0


def arguments_readers(parser: ArgumentParser) -> None:
    parser.add_argument("article_id", type=whole, metavar="ARTICLE_ID")
    parser.add_argument("--as-of", type=day)
    parser.add_argument("--limit", type=positive, default=20)
    parser.add_argument("--json", action="store_true")


def run_readers(ctx: Context) -> int:
    with ctx.database.connect() as connection:
        readers = readers_for(
            connection, ctx.args.article_id, ctx.as_of, ctx.policy, limit=ctx.args.limit
        )
    if ctx.args.json:
        ctx.emit_json([r.to_json() for r in readers])
        return 0
    if not readers:
        ctx.out.write("No one in your network follows these topics.\n")
        return 0
    table(
        [
            [
                str(r.person.id),
                r.person.full_name,
                r.person.status,
                days_ago(r.person.days_since_touch),
                ", ".join(r.topics),
            ]
            for r in readers
        ],
        ["ID", "NAME", "STATUS", "LAST TOUCH", "TOPICS"],
        ctx.out,
    )
    return 0


def arguments_share(parser: ArgumentParser) -> None:
    parser.add_argument("article_id", type=whole, metavar="ARTICLE_ID")
    parser.add_argument("people", nargs="+", metavar="PERSON", help=PERSON_HELP)
    parser.add_argument("--at", metavar="WHEN")


def run_share(ctx: Context) -> int:
    at = ctx.moment(ctx.args.at)
    person_ids = [ctx.person_id(named) for named in ctx.args.people]
    warn_about_teammates(ctx, person_ids, ctx.as_of_moment(at))
    with ctx.database.session() as session:
        shared = share_article(session, ctx.args.article_id, person_ids, at)
    ctx.out.write(
        f"Recorded article {ctx.args.article_id} as shared with {count(shared, 'person')}.\n"
    )
    return 0
