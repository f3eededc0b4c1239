"""Writing a Pagefind index from rendered pages, through Pagefind's Python API.

The same function indexes the frozen copy's files and the live server's rendered pages, so
both answer the same searches. Pagefind reads what the theme marks: `data-pagefind-body` on a
post's article (never the navigation, footer or comments), `data-pagefind-ignore` on spoilers,
and `data-pagefind-meta`/`-filter`/`-sort` tags in the page's head (see _search_meta.html).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import shutil
import tempfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import version
from pathlib import Path
from urllib.parse import unquote

from pagefind.index import IndexConfig, PagefindIndex

BUNDLE = "pagefind"  # the index's folder in the copy, and its address on the live server
# Pagefind's ready-made interfaces, written beside every index; the theme has its own.
UNUSED = (
    "pagefind-ui.*",
    "pagefind-modular-ui.*",
    "pagefind-component-ui.*",
    "pagefind-highlight.js",
)
ENTRY = "pagefind-entry.json"  # what a reader's browser loads first
ATTEMPTS = 3  # writes of the index before a freeze or a live build gives up
Page = tuple[str, str]  # (the URL path below the site's root, the page's HTML)


class SearchIndexError(Exception):
    """Pagefind could not index the site; the message says why."""


def stamp(pages: Iterable[Page]) -> str:
    """A digest of what an index is built from: the pages and Pagefind's version."""
    digest = hashlib.blake2b(version("pagefind").encode(), digest_size=16)
    for url, html in pages:
        digest.update(url.encode() + b"\0" + html.encode() + b"\0")
    return digest.hexdigest()


def write_index(pages: Iterable[Page], output: Path, language: str) -> None:
    """Index `pages` and write the bundle into `output` (a new folder, replaced if present).

    The pages are written as files into a temporary folder that Pagefind reads in one request
    (`add_directory`): its Python API answers one request at a time, about ten a second, so a
    request per page would take minutes for a large site.
    """
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".twombly-pages-") as folder:
        written = write_pages(pages, Path(folder))
        index_folder(Path(folder) if written else None, output, language)


def index_folder(folder: Path | None, output: Path, language: str) -> None:
    """Index the pages in `folder` (`<path>/index.html` files; None: no page) into `output`."""
    for attempt in range(ATTEMPTS):
        if output.exists():
            shutil.rmtree(output)
        run_pagefind(str(folder) if folder else None, output, language)
        if whole(output):
            break
        if attempt == ATTEMPTS - 1:
            message = f"Pagefind left {output / ENTRY} incomplete {ATTEMPTS} times"
            raise SearchIndexError(message)
    for pattern in UNUSED:
        for path in output.glob(pattern):
            path.unlink()


def run_pagefind(folder: str | None, output: Path, language: str) -> None:
    """Pagefind's asyncio API in a thread of its own: the caller may be inside an event loop
    already (a browser driver's, a server's), where asyncio.run refuses to start."""
    with ThreadPoolExecutor(max_workers=1) as runner:
        job = runner.submit(asyncio.run, _write(folder, output, language))
    try:
        job.result()
    except (OSError, AssertionError, RuntimeError) as error:
        raise SearchIndexError(f"could not write the search index to {output}: {error}") from error


def whole(output: Path) -> bool:
    """Whether the bundle's entry file, which Pagefind writes last, is whole. On a large site
    Pagefind has been seen to answer its write request before that file was written, and its
    service then stopped with the file empty: a copy whose search cannot load."""
    try:
        return "version" in json.loads((output / ENTRY).read_bytes())
    except (OSError, ValueError, TypeError):
        return False


def write_pages(pages: Iterable[Page], folder: Path) -> int:
    """Each page as `folder/<its path>/index.html`, where Pagefind finds its URL again."""
    count = 0
    for url, html in pages:
        path = folder / unquote(url).strip("/") / "index.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
        count += 1
    return count


async def _write(folder: str | None, output: Path, language: str) -> None:
    config = IndexConfig(force_language=language, output_path=str(output))
    async with PagefindIndex(config=config) as index:  # leaving the block writes the files
        if folder is not None:
            await index.add_directory(folder)
