"""Live-serving benchmark: gunicorn (4 workers, the production settings) against nginx serving
the frozen copy.

    python bench/serve.py [--n 1000] [--seconds 5] [--rounds 3]

wrk -t2 -c32 on the index, a post with 200 comments and a tag page, each served live by
gunicorn (bench/gunicorn_bench.py: gunicorn.conf.py without the access log) and as the frozen
file by nginx, alternating gunicorn and nginx `--rounds` times in the same run; each figure is
the median of the rounds, and the share of nginx's rate the median of the round-by-round
ratios. For the post, a bare Flask app answering the same bytes (bench/bare_flask.py) under
the same gunicorn settings is measured in each round too: the floor of the required stack.
A run during which other processes used more than NOISY cores is measured again (once). wrk
runs on the same 2 cores as the server, so it takes CPU from it. Also: one worker's memory
after serving a sample of pages.
"""

from __future__ import annotations

import argparse
import statistics
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import corpus
from freeze import our_freeze
from measure import BENCH, WORK, Target, fresh_folder, print_targets, run_timed, say
from servers import (
    Load,
    Server,
    gunicorn,
    gunicorn_settings,
    nginx,
    worker_rss_mb,
    write_comments,
    wrk,
)

COMMENTED = "review-{number:05d}"
POST = "post with 200 comments"


def prepare(count: int) -> tuple[Path, Path, str]:
    """A site of `count` posts, one of them with 200 comments, and its frozen copy."""
    say(f"Generating {count} posts, 200 comments on one, and freezing them ...")
    site = corpus.generate(count, WORK / f"serve-{count}")["twombly"]
    slug = COMMENTED.format(number=count // 3)
    write_comments(site, slug, 200)
    frozen = fresh_folder(WORK / f"serve-{count}-frozen") / "site"
    run_timed(our_freeze(site, frozen))
    return site, frozen, slug


@dataclass
class Rounds:
    """The alternated wrk runs of one page: gunicorn's and nginx's, round by round."""

    live: list[Load]
    static: list[Load]
    bare: list[Load] = field(default_factory=list)  # bench/bare_flask.py, for the post only

    @property
    def share(self) -> float:
        """Median of the round-by-round ratios gunicorn/nginx."""
        return self.share_of(self.live)

    def share_of(self, loads: list[Load]) -> float:
        """Median of the round-by-round ratios of `loads` to nginx's."""
        return statistics.median(a.rate / b.rate for a, b in zip(loads, self.static, strict=True))

    @staticmethod
    def median(loads: list[Load], field: str) -> float:
        return statistics.median(getattr(load, field) for load in loads)

    @property
    def others(self) -> float:
        return max(load.others for load in self.live + self.static)


def quiet_wrk(url: str, seconds: int, server: Server) -> Load:
    """wrk, run again once when the rest of the machine was busy during it."""
    load = wrk(url, seconds, server=server)
    return wrk(url, seconds, server=server) if load.noisy else load


def measure_serving(count: int, seconds: int, rounds: int = 3) -> dict[str, Rounds]:
    site, frozen, slug = prepare(count)
    pages = {"index": "/", POST: f"/posts/{slug}/", "tag page": "/tags/drama/"}
    results = {name: Rounds([], []) for name in pages}
    say(f"  gunicorn: {gunicorn_settings()}; nginx: 1 worker, sendfile")
    page_file = {"BARE_FLASK_PAGE": str(frozen / "posts" / slug / "index.html")}
    bare_flask = gunicorn(BENCH, env=page_file, app="bare_flask:app", name="bare-flask")
    with gunicorn(site) as live, nginx(frozen) as static, bare_flask as bare:
        urllib.request.urlopen(live.url + "/").read()  # starts the live search index build
        wait_for_search_index(live)
        for path in pages.values():
            # Each worker renders a page once before it keeps it (a few hundred ms for the
            # post on a cold worker, while that worker's other connections wait): a second of
            # load on 32 connections reaches every worker, so the rounds measure kept pages.
            wrk(live.url + path, 1, server=live)
        for _ in range(rounds):
            for name, path in pages.items():
                live_load = quiet_wrk(live.url + path, seconds, live)
                static_load = quiet_wrk(static.url + path, seconds, static)
                results[name].live.append(live_load)
                results[name].static.append(static_load)
                say(f"  {name:24} gunicorn {live_load.line()}")
                say(f"  {'':24} nginx    {static_load.line()}")
                if name == POST:
                    results[name].bare.append(quiet_wrk(bare.url + path, seconds, bare))
                    say(f"  {'':24} bare     {results[name].bare[-1].line()}")
    return results


def wait_for_search_index(server: Server, timeout: float = 300.0) -> None:
    """Wait until the live search index builder, which a fresh site's first request starts in
    the server's process group, has ended: it renders every post and runs Pagefind, and would
    share the cores with the first rounds (a running site builds it once per change)."""
    say("  waiting for the live search index to be built ...")
    deadline = time.monotonic() + timeout
    while search_builders(server.pid):
        if time.monotonic() > deadline:
            raise SystemExit(f"the live search index was not built in {timeout:.0f} s")
        time.sleep(0.5)


def search_builders(group: int) -> int:
    """How many `python -m twombly.search` processes run in process group `group`."""
    count = 0
    for process in Path("/proc").glob("[0-9]*"):
        try:
            fields = (process / "stat").read_text().rsplit(")", 1)[1].split()
            command = (process / "cmdline").read_bytes()
        except (OSError, IndexError):
            continue
        count += int(fields[2]) == group and b"twombly.search" in command
    return count


def measure_memory(count: int, sample: int = 300) -> float:
    """RSS of one gunicorn worker after the index, every tag page and `sample` posts."""
    site = corpus.generate(count, WORK / f"memory-{count}")["twombly"]
    say(f"Measuring one worker's memory with {count} posts ({sample} posts, tags, index read) ...")
    with gunicorn(site, workers=1) as live:
        paths = ["/", "/tags/", "/archive/", "/feed.xml", "/sitemap.xml"]
        paths += [f"/tags/{tag}/" for tag in corpus.TAGS]
        step = max(1, count // sample)
        paths += [f"/posts/review-{number:05d}/" for number in range(1, count + 1, step)]
        for path in paths:
            urllib.request.urlopen(live.url + path).read()
        return max(worker_rss_mb(live.pid))


def report(results: dict[str, Rounds]) -> list[Target]:
    say(
        f"\nLive vs static (wrk -t2 -c32, medians of {len(next(iter(results.values())).live)} "
        f"alternated rounds; gunicorn: {gunicorn_settings()}; wrk shares the 2 cores with the "
        "server):"
    )
    for name, rounds in results.items():
        say(
            f"  {name:24} gunicorn {rounds.median(rounds.live, 'rate'):7.0f} req/s p99 "
            f"{rounds.median(rounds.live, 'p99_ms'):5.1f} ms | nginx "
            f"{rounds.median(rounds.static, 'rate'):7.0f} req/s | {rounds.share:6.1%} of nginx "
            f"(others used at most {rounds.others:.2f} cores)"
        )
    post = results[POST]
    p99 = post.median(post.live, "p99_ms")
    errors = sum(load.errors for load in post.live)
    bare_share, bare_p99 = post.share_of(post.bare), post.median(post.bare, "p99_ms")
    say(
        f"  the required stack's floor: a bare Flask app answering the same bytes from memory "
        f"(bench/bare_flask.py, same gunicorn settings) {post.median(post.bare, 'rate'):7.0f} "
        f"req/s p99 {bare_p99:5.1f} ms | {bare_share:6.1%} of nginx"
    )
    return [
        Target(
            "live post with 200 comments >= 15% of nginx, p99 < 50 ms (4 workers, 32 conns)",
            f"{post.share:.1%} of nginx, p99 {p99:.1f} ms, {errors} errors "
            f"(bare Flask app: {bare_share:.1%}, p99 {bare_p99:.1f} ms)",
            post.share >= 0.15 and p99 < 50 and errors == 0,
        ),
    ]


def report_memory(count: int, rss: float) -> Target:
    return Target(f"one worker's memory with {count} posts < 200 MB", f"{rss:.0f} MB", rss < 200)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--memory-n", type=int, default=5000)
    args = parser.parse_args()
    targets = report(measure_serving(args.n, args.seconds, args.rounds))
    targets.append(report_memory(args.memory_n, measure_memory(args.memory_n)))
    print_targets(targets)


if __name__ == "__main__":
    main()
