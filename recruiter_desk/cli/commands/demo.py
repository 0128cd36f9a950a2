"""``demo``: a generated network to try the app on."""

from __future__ import annotations

import sys
import time
from argparse import ArgumentParser

from recruiter_desk.cli.arguments import day, positive, whole
from recruiter_desk.cli.context import Context
from recruiter_desk.cli.render import ProgressBar
from recruiter_desk.core.demo import generate_demo
from recruiter_desk.core.wording import count


def arguments_demo(parser: ArgumentParser) -> None:
    parser.add_argument("--people", type=positive, default=2000, help="how many people")
    parser.add_argument(
        "--seed", type=whole, default=1, help="the same seed gives the same network"
    )
    parser.add_argument("--as-of", type=day, help="the day the network is generated around")
    parser.add_argument(
        "--if-empty",
        action="store_true",
        help="do nothing (and succeed) when the database already has people",
    )


def run_demo(ctx: Context) -> int:
    started = time.perf_counter()
    bar = ProgressBar(sys.stderr)
    summary = generate_demo(
        ctx.database,
        people=ctx.args.people,
        seed=ctx.args.seed,
        as_of=ctx.as_of.day,
        progress=bar.update,
        if_empty=ctx.args.if_empty,
    )
    bar.finish()
    if summary is None:  # --if-empty, and people were there (checked under the write lock)
        print(f"{ctx.shown_location} already holds people; no demo network added.", file=ctx.out)
        return 0
    elapsed = time.perf_counter() - started
    print(
        f"Demo network written to {ctx.shown_location}: {count(summary.people, 'person')}, "
        f"{count(summary.interactions, 'interaction')}, "
        f"{count(summary.opportunities, 'opportunity')}, "
        f"{count(summary.candidacies, 'candidacy')}, {count(summary.follow_ups, 'follow-up')}, "
        f"{count(summary.articles, 'article')} ({elapsed:.1f} s).",
        file=ctx.out,
    )
    return 0
