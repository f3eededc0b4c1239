"""Live-serving benchmark: gunicorn (4 sync workers) against nginx serving the frozen copy.

    python bench/serve.py [--n 1000] [--seconds 10]

wrk -t2 -c32 on the index, a post with 200 comments and a tag page, each served live by
gunicorn and as the frozen file by nginx, in the same run. wrk runs on the same 2 cores as
the server, so it takes CPU from it; sync gunicorn workers close the connection after each
response, nginx keeps it open. Also: one worker's memory after serving a sample of pages.
"""

from __future__ import annotations

import argparse
import urllib.request
from pathlib import Path

import corpus
from freeze import our_freeze
from measure import WORK, Target, fresh_folder, print_targets, run_timed, say
from servers import Load, gunicorn, nginx, worker_rss_mb, write_comments, wrk

COMMENTED = "review-{number:05d}"


def prepare(count: int) -> tuple[Path, Path, str]:
    """A site of `count` posts, one of them with 200 comments, and its frozen copy."""
    say(f"Generating {count} posts, 200 comments on one, and freezing them ...")
    site = corpus.generate(count, WORK / f"serve-{count}")["twombly"]
    slug = COMMENTED.format(number=count // 3)
    write_comments(site, slug, 200)
    frozen = fresh_folder(WORK / f"serve-{count}-frozen") / "site"
    run_timed(our_freeze(site, frozen))
    return site, frozen, slug


def measure_serving(count: int, seconds: int) -> dict[str, tuple[Load, Load]]:
    site, frozen, slug = prepare(count)
    pages = {"index": "/", "post with 200 comments": f"/posts/{slug}/", "tag page": "/tags/drama/"}
    results: dict[str, tuple[Load, Load]] = {}
    with gunicorn(site) as live, nginx(frozen) as static:
        for name, path in pages.items():
            urllib.request.urlopen(live.url + path).read()  # warm every worker a little
            live_load = wrk(live.url + path, seconds)
            static_load = wrk(static + path, seconds)
            results[name] = (live_load, static_load)
            say(f"  {name:24} gunicorn {live_load.line()}")
            say(f"  {'':24} nginx    {static_load.line()}")
    return results


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


def report(results: dict[str, tuple[Load, Load]]) -> list[Target]:
    say(
        "\nLive vs static (wrk -t2 -c32; wrk shares the 2 cores with the server; gunicorn sync "
        "workers close each connection, nginx keeps it open):"
    )
    for name, (live, static) in results.items():
        share = live.rate / static.rate
        say(
            f"  {name:24} gunicorn {live.rate:7.0f} req/s p99 {live.p99_ms:5.1f} ms | nginx "
            f"{static.rate:7.0f} req/s | {share:6.1%} of nginx (load before: "
            f"{live.machine_before:.2f} cores)"
        )
    live, static = results["post with 200 comments"]
    share = live.rate / static.rate
    return [
        Target(
            "live post with 200 comments >= 25% of nginx, p99 < 50 ms (4 workers, 32 conns)",
            f"{share:.1%} of nginx, p99 {live.p99_ms:.1f} ms, {live.errors} errors",
            share >= 0.25 and live.p99_ms < 50 and live.errors == 0,
        ),
    ]


def report_memory(count: int, rss: float) -> Target:
    return Target(f"one worker's memory with {count} posts < 200 MB", f"{rss:.0f} MB", rss < 200)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--memory-n", type=int, default=5000)
    args = parser.parse_args()
    targets = report(measure_serving(args.n, args.seconds))
    targets.append(report_memory(args.memory_n, measure_memory(args.memory_n)))
    print_targets(targets)


if __name__ == "__main__":
    main()
