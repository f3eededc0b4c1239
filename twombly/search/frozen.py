"""The frozen copy's index: Pagefind over the pages the freeze wrote, in `pagefind/`.

Pagefind is a program of its own, so it need not wait for the whole copy: a `CopyIndex` is told
of each page as the freeze writes it, and once every indexed post and page is there it indexes
them on a thread of its own (Pagefind then works on the machine's other core) while the freeze
goes on with the listings, browse pages and feeds. Pagefind reads hard links to the frozen
files, not copies of them. A new bundle is left in the copy's `pagefind/` folder for the freeze
to move in whole; when the bundle in place is current, none is written.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from concurrent.futures import Executor, Future
from pathlib import Path
from urllib.parse import unquote

from flask import current_app

from twombly.search.index import BUNDLE, Page, index_folder, stamp
from twombly.search.pages import frozen_file, indexed_paths

STAGING = ".twombly-pagefind"  # a freeze's own file name: never a site file, never removed


class CopyIndex:
    """The index of a copy being frozen into `root`. `in_place` is the bundle the copy has now,
    whose stamp is `last`: it stays when the indexed pages are byte for byte those it was built
    from, and when it has compressed copies of its files only if `compressed` says so."""

    def __init__(
        self, root: Path, in_place: Path, last: str | None, runner: Executor, compressed: bool
    ) -> None:
        self.root, self.in_place, self.last, self.runner = root, in_place, last, runner
        self.compressed = compressed
        self.language = current_app.config["LANGUAGE"]
        self.paths = indexed_paths()
        self.waiting = {unquote(path) for path in self.paths}
        self.job: Future[str] | None = None

    def written(self, url: str) -> None:
        """The freeze wrote (or kept) the file of `url`: start once every indexed page is there."""
        self.waiting.discard(url)
        if not self.waiting and self.job is None:
            self.job = self.runner.submit(self.build)

    def finish(self) -> str:
        """Wait for the index (starting it if no page said so), leave a new bundle in the
        copy's `pagefind/` and return its stamp; SearchIndexError if Pagefind failed."""
        if self.job is None:
            self.job = self.runner.submit(self.build)
        current = self.job.result()
        staged, bundle = self.root / STAGING, self.root / BUNDLE
        if staged.exists():
            if bundle.exists():
                shutil.rmtree(bundle)
            staged.rename(bundle)
        return current

    def build(self) -> str:
        """Index the frozen pages into STAGING unless the bundle in place is current."""
        pages = frozen_pages(self.root, self.paths)
        current = stamp(pages) + (".compressed" if self.compressed else "")
        if current == self.last and (self.in_place / "pagefind.js").is_file():
            return current
        with tempfile.TemporaryDirectory(dir=self.root, prefix=".twombly-pages-") as folder:
            for path in self.paths:
                link(frozen_file(self.root, path), frozen_file(Path(folder), path))
            index_folder(Path(folder) if self.paths else None, self.root / STAGING, self.language)
        return current


def frozen_pages(root: Path, paths: list[str] | None = None) -> list[Page]:
    """The frozen posts and pages (all, unless `paths` names some), with their HTML."""
    paths = indexed_paths() if paths is None else paths
    return [(path, frozen_file(root, path).read_text(encoding="utf-8")) for path in paths]


def link(source: Path, target: Path) -> None:
    """`target` as another name of `source` (a copy where the file system has no hard links)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
