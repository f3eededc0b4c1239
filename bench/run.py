"""`make bench`: every benchmark at a size that finishes in minutes, with every target.

Freeze (1,000 posts, 3 alternating rounds, plus 5,000 posts for linear growth), live serving
(gunicorn vs nginx), one worker's memory with 5,000 posts, comments (2,000 from 8 clients,
3 rounds) and search (index time and size, bytes one search fetches). The machine has 2
shared cores: every figure is a ratio measured in this run.
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import freeze
import peers
import search
import serve
from measure import busy_cores, print_targets, say

import comments


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--large", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    started = time.monotonic()
    say(
        f"Machine: {os.cpu_count()} cores ({platform.processor() or platform.machine()}), "
        f"Python {platform.python_version()}; busy now: {busy_cores():.2f} cores"
    )
    peers.peer_venv()
    peers.debian_tool("nginx")
    peers.debian_tool("wrk")

    targets = freeze.report_freeze(args.n, freeze.measure_freeze(args.n, args.rounds))
    small, large = freeze.measure_scaling(args.n, args.large, 2)
    targets.append(freeze.report_scaling(small, large, (args.n, args.large)))

    say("\nServing, wrk -t2 -c32 -d5s, 3 alternated rounds:")
    targets += serve.report(serve.measure_serving(args.n, 5, rounds=3))
    rss = serve.measure_memory(args.large)
    say(f"  one gunicorn worker with {args.large} posts: {rss:.0f} MB")
    targets.append(serve.report_memory(args.large, rss))

    say("\nComments, 2,000 from 8 clients (400 on the 2,000-comment thread), 4 workers, 3 rounds:")
    measured = comments.measure_comments(2000, 8, on_long_thread=400, rounds=3)
    targets += comments.report(measured, 8)

    say("\nSearch (Pagefind over the frozen copy; one search for a common word in Chromium):")
    for size in (args.n, args.large):
        search.report(size, search.measure(size, "grief"))

    say(f"\nAll benchmarks in {time.monotonic() - started:.0f} s.")
    print_targets(targets)


if __name__ == "__main__":
    main()
