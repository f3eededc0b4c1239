"""Freezing on every core: Markdown rendered first across processes, then URLs built by forks.

Frozen-Flask builds one URL after another on one core. Each page is independent once the
catalog is loaded, so after rendering every post body (render_cache.prerender, in parallel,
kept in this process's memory) the URLs are shared out to forked workers that inherit the
loaded app, catalog and rendered HTML. The files written are the same bytes; only the order
in which they are written differs. Small sites (under PARALLEL_FROM pages) and
`FREEZE_WORKERS = 1` build in one process as before.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import suppress
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from flask_frozen import Freezer, walk_directory
from flask_frozen import Page as FrozenPage

from . import catalog, render_cache

PARALLEL_FROM = 200  # pages; below this, forking costs more than it saves
_building: Freezer | None = None  # the freezer a forked worker builds for


class ParallelFreezer(Freezer):
    """A Freezer whose freeze_yield builds URLs in forked worker processes."""

    def workers(self, pages: int) -> int:
        configured = int(self.app.config.get("FREEZE_WORKERS") or 0)
        if configured:
            return configured
        return (os.cpu_count() or 1) if pages >= PARALLEL_FROM else 1

    def freeze_yield(self) -> Iterator[FrozenPage]:
        urls: dict[str, Any] = {}
        endpoints = set()
        for url, endpoint, last_modified in self._generate_all_urls():
            endpoints.add(endpoint)
            urls.setdefault(url, last_modified)
        workers = self.workers(len(urls))
        if workers < 2:
            yield from super().freeze_yield()
            return
        prerender(workers)
        self.root.mkdir(parents=True, exist_ok=True)
        built = set()
        for url, path in self._build_in_workers(list(urls.items()), workers):
            built.add(path)
            yield FrozenPage(url, path.relative_to(self.root))
        self._check_endpoints(endpoints)
        if self.app.config["FREEZER_REMOVE_EXTRA_FILES"]:
            self._remove_extra_files(built)

    def _build_in_workers(
        self, urls: list[tuple[str, Any]], workers: int
    ) -> Iterator[tuple[str, Path]]:
        global _building
        _building = self
        try:
            with get_context("fork").Pool(workers) as pool:
                chunk = max(1, min(16, len(urls) // (workers * 8)))
                for url, path in pool.imap_unordered(_build_one, urls, chunksize=chunk):
                    yield url, Path(path)
        finally:
            _building = None

    def _remove_extra_files(self, built: set[Path]) -> None:
        """What Frozen-Flask does after a freeze: remove the files this site no longer has."""
        ignore = self.app.config["FREEZER_DESTINATION_IGNORE"]
        previous = {Path(self.root / name) for name in walk_directory(self.root, ignore=ignore)}
        for extra in previous - built:
            extra.unlink()
            with suppress(OSError):
                extra.parent.rmdir()


def _build_one(item: tuple[str, Any]) -> tuple[str, str]:
    url, last_modified = item
    assert _building is not None
    return url, str(_building._build_one(url, last_modified))


def prerender(workers: int) -> int:
    """Render the body of every published post and page, across `workers` processes."""
    entries = [*catalog.published_posts(), *catalog.standalone_pages()]
    return render_cache.renderer().prerender((entry.page.body for entry in entries), workers)
