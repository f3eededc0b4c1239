"""Freezing: the live routes written to static files by Frozen-Flask, safely and repeatably."""

from __future__ import annotations

import re
import shutil
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, current_app
from flask_frozen import (
    Freezer,
    FrozenFlaskWarning,
    MimetypeMismatchWarning,
    MissingURLGeneratorWarning,
)
from werkzeug.exceptions import NotFound

from twombly.config import is_freezing
from twombly.content import catalog
from twombly.freeze.destination import (
    OWN_FILES,
    UnsafeDestination,
    check_destination,
    mark,
    read_stamps,
)
from twombly.freeze.generators import GENERATORS, SITE_ENDPOINTS, is_live_only, other_pages
from twombly.freeze.precompress import COMPRESSORS, COPY_PATTERNS, precompress
from twombly.freeze.sources import Sources, catalog_stamp, settings_stamp
from twombly.freeze.staging import Stager, commit, gone, replace_folder, site_files, staging_folder
from twombly.search.frozen import CopyIndex
from twombly.search.index import BUNDLE, SearchIndexError
from twombly.web.errors import render_error

bp = Blueprint("freeze", __name__)
# A static host serves feed.xml as application/xml and feed.json as application/json: the
# same document to every feed reader.
BENIGN_MIMETYPES = (
    r".*\.(xml' \(type (application|text)/xml\)|json' \(type application/json\)) "
    r"does not match Content-Type: \S+\+(xml|json)"
)
# The search index's files (pagefind/ at the top only: never a post or tag named pagefind-...).
INDEX_FILES = f"/{BUNDLE}/"
ShowProgress = Callable[[Iterable[Any], int], Iterable[Any]]  # (pages, how many) -> pages


class FreezeError(Exception):
    """A freeze that cannot go on; the message names the URL, file or folder at fault."""


@bp.get("/404.html")
def not_found_page() -> str:
    """The theme's not-found page as a file, for static hosts that serve /404.html on a miss."""
    body, _ = render_error(NotFound())
    return body


@dataclass
class FreezeReport:
    destination: Path
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    compressed: int = 0  # .gz and .br copies written
    seconds: float = 0.0

    def summary(self) -> str:
        pages = self.written + self.unchanged
        return (
            f"Froze {pages} pages to {self.destination}: {self.written} written, "
            f"{self.unchanged} unchanged, {self.removed} removed in {self.seconds:.1f} s"
        ) + (f" ({self.compressed} compressed copies written)" if self.compressed else "")


def freeze_site(
    app: Flask,
    *,
    destination: str | Path | None = None,
    base_url: str | None = None,
    force: bool = False,
    show_progress: ShowProgress | None = None,
) -> FreezeReport:
    """Write the public site to `destination` (default: [freeze] destination in site.toml).

    Drafts and scheduled posts are never frozen; `base_url` (default: [freeze] base_url, else
    base_url) is the copy's public address, and its path the sub-path it is served under.
    """
    config = app.config
    public_url = base_url or config["FREEZE_BASE_URL"] or config["BASE_URL"]
    copies = COPY_PATTERNS if config["FREEZE_PRECOMPRESS"] else []  # precompress.py's files
    settings = {
        "FREEZING": True,
        "SHOW_DRAFTS": False,
        "DEBUG": False,  # no live-preview script in the copy, even under FLASK_DEBUG
        "PROPAGATE_EXCEPTIONS": False,
        "BASE_URL": public_url,
        "FREEZER_BASE_URL": public_url,
        "FREEZER_DESTINATION": str(destination or config["FREEZE_DESTINATION"]),
        "FREEZER_DESTINATION_IGNORE": [*config["FREEZE_KEEP"], OWN_FILES, *copies],
        "FREEZER_REMOVE_EXTRA_FILES": True,
    }
    freezer: Freezer = app.extensions["twombly.freezer"]
    with overridden(config, settings), app.app_context():
        root = freezer.root.resolve()
        check_pages()
        try:
            check_destination(
                root, Path(app.root_path), config["FREEZER_DESTINATION_IGNORE"], force
            )
        except UnsafeDestination as error:
            raise FreezeError(str(error)) from error
        stamps = {"settings": settings_stamp(config), "catalog": catalog_stamp()}
        last = read_stamps(root)
        sources = Sources(
            app,
            every_page=last.get("settings") != stamps["settings"],
            structure=last.get("catalog") != stamps["catalog"],
        )
        root.parent.mkdir(parents=True, exist_ok=True)
        staging = staging_folder(root)
        try:
            report = build(app, sources, root, staging, show_progress, stamps, last)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        mark(root, stamps)
        return report


def build(
    app: Flask,
    sources: Sources,
    root: Path,
    staging: Path,
    show_progress: ShowProgress | None,
    stamps: dict[str, str],
    last: dict[str, str],
) -> FreezeReport:
    """Freeze into `staging` (each URL's file brought in from the destination as Frozen-Flask
    reaches it, so unchanged pages are skipped), index it for search (Pagefind starts once the
    posts are written, while the other pages render), compress its text files, then move the
    whole result into the destination."""
    config = app.config
    # Frozen-Flask leaves the compressed copies alone (precompress.py owns them); staging and
    # the commit move them with the files they are copies of. The search index is neither
    # staged nor committed file by file: a new one is moved in whole (replace_folder).
    ignore = [name for name in config["FREEZER_DESTINATION_IGNORE"] if name not in COPY_PATTERNS]
    compressed = config["FREEZE_PRECOMPRESS"]
    stager = Stager(root, staging, sources.deadlines, COMPRESSORS if compressed else ())
    settings = {
        "FREEZER_DESTINATION": str(staging),
        "FREEZER_SKIP_EXISTING": stager,
        "FREEZER_DESTINATION_IGNORE": [*config["FREEZER_DESTINATION_IGNORE"], INDEX_FILES],
        "FREEZER_REMOVE_EXTRA_FILES": False,  # staging holds only what the Stager brought
    }
    extensions = {"twombly.freeze.sources": sources}
    with (
        overridden(app.config, settings),
        overridden(app.extensions, extensions),
        overridden(vars(app.jinja_env), {"auto_reload": False}),  # no stat of templates per use
        ThreadPoolExecutor(max_workers=1) as runner,  # leaving waits for Pagefind, if running
    ):
        index = CopyIndex(staging, root / BUNDLE, last.get("search"), runner, compressed)
        freezer = app.extensions["twombly.freezer"]
        report, built = write(freezer, sources, show_progress, index.written, stager.before)
        # while Pagefind may still run: what the destination holds, to remove and to count
        present = site_files(root, [*ignore, INDEX_FILES])
        report.removed = len(gone(present, built, COPY_PATTERNS if compressed else []))
        try:
            stamps["search"] = index.finish()
        except SearchIndexError as error:
            raise FreezeError(str(error)) from error
    if compressed:
        started = time.monotonic()
        report.compressed = precompress(staging, ignore).written
        report.seconds += time.monotonic() - started
    else:  # Frozen-Flask leaves pagefind/ alone: its copies go here
        for pattern in COPY_PATTERNS:
            for copy in (staging / BUNDLE).glob(pattern):
                copy.unlink()
    root.mkdir(exist_ok=True)
    mark(root, {})  # a commit that stops half-way leaves no stamps to trust
    commit(staging, root, [*ignore, INDEX_FILES], present)
    if (staging / BUNDLE).is_dir():
        replace_folder(staging / BUNDLE, root / BUNDLE)
    report.destination = root
    return report


def write(
    freezer: Freezer,
    sources: Sources,
    show_progress: ShowProgress | None,
    on_page: Callable[[str], None],
    before: dict[str, int],
) -> tuple[FreezeReport, set[str]]:
    """Run Frozen-Flask, counting the files written and left as they were (`before` holds the
    mtime each had, once staged); tell `on_page` the URL of each page whose file is in place.
    Returns the count and the names of the files built."""
    started = time.monotonic()
    root = freezer.root.resolve()
    report = FreezeReport(root)
    built = set()
    with frozen_flask_warnings() as problem:
        pages: Iterable[Any] = freezer.freeze_yield()
        if show_progress:
            pages = show_progress(pages, len(set(freezer.all_urls())))
        try:
            for page in pages:
                if problem():  # warned while building this page, the last one built
                    (root / page.path).unlink(missing_ok=True)
                    raise FreezeError(f"could not freeze {page.url}: {problem()}")
                built.add(count_page(report, sources, root / page.path, page.url, before))
                on_page(page.url)
        except (ValueError, OSError) as error:  # Frozen-Flask's errors name the URL
            raise FreezeError(str(error)) from error
        if problem():  # warned at the end: a route nothing froze
            raise FreezeError(f"{problem()} (or list it in LIVE_ONLY)")
    report.seconds = time.monotonic() - started
    return report, built


def count_page(
    report: FreezeReport, sources: Sources, path: Path, url: str, before: dict[str, int]
) -> str:
    """Count a frozen file as written (its bytes changed) or unchanged; return its name."""
    name = path.relative_to(report.destination).as_posix()
    if path.stat().st_mtime_ns != before.get(name):
        report.written += 1
    else:
        report.unchanged += 1
        sources.settle(path, url)
    return name


def check_pages() -> None:
    """Refuse to freeze a site with a page left out for bad front matter (read afresh)."""
    problems = catalog.reload_catalog().problems
    if problems:
        lines = "\n".join(f"  {problem}" for problem in problems)
        raise FreezeError(f"fix the front matter of these pages before freezing:\n{lines}")


@contextmanager
def frozen_flask_warnings() -> Iterator[Callable[[], str | None]]:
    """Catch the Frozen-Flask warnings that stop a freeze: a page whose file name misstates its
    type, or a route nothing froze (live-only routes and listings a site may lack aside).
    Yields a function that tells the first one caught so far; other warnings go on as usual."""
    app: Flask = current_app
    expected = SITE_ENDPOINTS | {
        rule.endpoint for rule in app.url_map.iter_rules() if is_live_only(rule.endpoint)
    }
    names = "|".join(re.escape(endpoint) for endpoint in sorted(expected))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", FrozenFlaskWarning)
        warnings.filterwarnings("ignore", BENIGN_MIMETYPES, MimetypeMismatchWarning)
        warnings.filterwarnings(
            "ignore",
            rf"Nothing frozen for endpoints (({names})(, |\. ))+Did you forget",
            MissingURLGeneratorWarning,
        )
        yield lambda: next(
            (str(w.message) for w in caught if issubclass(w.category, FrozenFlaskWarning)), None
        )
        others = [w for w in caught if not issubclass(w.category, FrozenFlaskWarning)]
    for other in others:
        warnings.warn_explicit(other.message, other.category, other.filename, other.lineno)


@contextmanager
def overridden(mapping: dict[str, Any], values: Mapping[str, Any]) -> Iterator[None]:
    """Set keys for the length of a block, then put the old values back."""
    missing = object()
    saved = {key: mapping.get(key, missing) for key in values}
    mapping.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is missing:
                mapping.pop(key, None)
            else:
                mapping[key] = value


def init_app(app: Flask) -> None:
    # Only the generators' URLs: no route is frozen for being linked to or taking no arguments.
    freezer = Freezer(app, with_no_argument_rules=False, log_url_for=False)
    for generator in GENERATORS:
        freezer.register_generator(generator)
    freezer.register_generator(lambda: other_pages(freezer))
    app.extensions["twombly.freezer"] = freezer
    app.jinja_env.globals["freezing"] = is_freezing
    app.register_blueprint(bp)
