"""Search benchmark: Pagefind's index of the frozen copy, and what one search costs a reader.

    python bench/search.py [--sizes 1000 5000] [--word grief]

For each size: freeze the generated corpus (not timed), then time indexing its frozen pages
with Pagefind alone (what `flask freeze` adds), the index's size on disk (the index itself,
and Pagefind's scripts and WebAssembly beside it), and, in Chromium over a static server,
the bytes the search page fetches to show the results for one word (HTML, CSS, scripts, the
WebAssembly, the index chunks, the filters and the results' fragments).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread

import corpus
from freeze import our_freeze
from measure import WORK, say

INDEX_PARTS = ("filter", "fragment", "index")  # the index proper; the rest is Pagefind's code


def folder_bytes(root: Path, parts: tuple[str, ...] | None = None) -> int:
    """Bytes of the files under `root`; with `parts`, of those in these subfolders and the
    entry and meta files only."""
    total = 0
    for path in root.rglob("*"):
        if not path.is_file():
            continue
        top = path.relative_to(root).parts[0]
        index_file = top in INDEX_PARTS or path.suffix == ".pf_meta" or top.endswith(".json")
        if parts is None or index_file:
            total += path.stat().st_size
    return total


def time_index(site: Path, build: Path) -> tuple[float, int, int]:
    """Seconds to index the frozen pages again, the index's bytes, and all of pagefind/."""
    from twombly import create_app
    from twombly.search.frozen import frozen_pages
    from twombly.search.index import write_index

    app = create_app({"SEARCH_LIVE_INDEX": False}, site=site)
    out = build.parent / "pagefind-timed"
    with app.app_context():
        pages = frozen_pages(build)
        started = time.monotonic()
        write_index(pages, out, "en")
        seconds = time.monotonic() - started
    return seconds, folder_bytes(out, INDEX_PARTS), folder_bytes(out)


def bytes_for_one_search(build: Path, word: str) -> tuple[int, int]:
    """(all bytes, Pagefind's bytes) Chromium fetches to show the results for `word`."""
    from playwright.sync_api import sync_playwright

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=build))
    Thread(target=server.serve_forever, daemon=True).start()
    sizes: dict[str, int] = {}
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=shutil.which("chromium"), args=["--headless", "--no-sandbox"]
            )
            page = chromium.new_page()
            page.on(
                "requestfinished", lambda r: sizes.update({r.url: r.sizes()["responseBodySize"]})
            )
            page.goto(f"http://127.0.0.1:{server.server_port}/search/?q={word}")
            page.locator("#search-results li").first.wait_for(timeout=60_000)
            page.wait_for_load_state("networkidle")
            chromium.close()
    finally:
        server.shutdown()
    pagefind = sum(size for url, size in sizes.items() if "/pagefind/" in url)
    return sum(sizes.values()), pagefind


def measure(size: int, word: str) -> dict[str, float]:
    work = WORK / f"search-{size}"
    if work.exists():
        shutil.rmtree(work)
    site, build = work / "twombly", work / "build"
    corpus.write_twombly(corpus.make_posts(size), site)
    subprocess.run(our_freeze(site, build), check=True, capture_output=True)
    seconds, index_bytes, bundle_bytes = time_index(site, build)
    fetched, from_pagefind = bytes_for_one_search(build, word)
    return {"seconds": seconds, "index": index_bytes, "bundle": bundle_bytes,
            "fetched": fetched, "pagefind": from_pagefind}  # fmt: skip


def report(size: int, figures: dict[str, float]) -> None:
    index_mb = figures["index"] / 1e6
    say(
        f"  {size} posts: indexed in {figures['seconds']:.1f} s; index {index_mb:.1f}"
        f" MB (pagefind/ with its scripts: {figures['bundle'] / 1e6:.1f} MB); one search fetches"
        f" {figures['fetched'] / 1e3:.0f} kB, {figures['pagefind'] / 1e3:.0f} kB of it Pagefind's"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--word", default="grief")
    args = parser.parse_args()
    say("Search (Pagefind over the frozen copy):")
    for size in args.sizes:
        report(size, measure(size, args.word))


if __name__ == "__main__":
    main()
