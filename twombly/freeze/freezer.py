"""Freezing: the live routes written to static files by Frozen-Flask, safely and repeatably.

The URL generators list every public page explicitly (Frozen-Flask's url_for logging is off),
so a freeze is the same set of files whatever the templates link to, and a link the
generators miss is caught by the tests' link checker rather than quietly frozen.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, current_app
from flask_frozen import FrozenFlaskWarning, MimetypeMismatchWarning
from flask_frozen import Page as FrozenPage
from werkzeug.exceptions import NotFound

from twombly.config import is_freezing
from twombly.content import catalog
from twombly.freeze.destination import OWN_FILES, UnsafeDestination, check_destination
from twombly.freeze.parallel import Built, ParallelFreezer
from twombly.web.errors import render_error
from twombly.web.views import page_count

bp = Blueprint("freeze", __name__)
# A static host serves feed.xml as application/xml: the same document to every feed reader.
BENIGN_MIMETYPES = (
    r".*\.xml' \(type (application|text)/xml\) does not match Content-Type: \S+\+xml"
)
# Every URL of these endpoints comes from the generators below, even when there is none.
GENERATED_ENDPOINTS = frozenset(
    {"blog.post", "blog.page", "blog.index", "blog.tag", "feeds.tag_feed", "feeds.comment_feed"}
)
# The moderation pages, the debug server's live preview, a reader's own comment to edit and the
# JSON of comments that a frozen copy's script reads: only a live server can answer them.
LIVE_ONLY = frozenset({"admin", "livereload", "comments.edit", "frozen_comments.comments_json"})
Endpoint = tuple[str, dict[str, Any]]
ShowProgress = Callable[[Iterable[FrozenPage], int], Iterable[FrozenPage]]


class FreezeError(Exception):
    """A freeze that cannot go on; the message names the URL, file or folder at fault."""


@bp.get("/404.html")
def not_found_page() -> str:
    """The theme's not-found page as a file, for static hosts that serve /404.html on a miss."""
    body, _ = render_error(NotFound())
    return body


class SiteFreezer(ParallelFreezer):
    """Frozen-Flask with errors that name the URL, and live-only endpoints left out on purpose."""

    def build_one(self, url: str, *args: Any) -> Built:
        try:
            return super().build_one(url, *args)
        except Exception as error:
            raise FreezeError(f"could not freeze {url}: {error}") from error

    def no_argument_rules_urls(self) -> Iterator[Endpoint]:
        for endpoint, values in super().no_argument_rules_urls():
            if not is_live_only(self.app, endpoint):
                yield endpoint, values

    def _check_endpoints(self, seen_endpoints: set[str]) -> None:
        # A site with no tags yet freezes no tag page: the generators below cover these anyway.
        live = {rule.endpoint for rule in self.app.url_map.iter_rules()}
        live = {endpoint for endpoint in live if is_live_only(self.app, endpoint)}
        super()._check_endpoints(seen_endpoints | GENERATED_ENDPOINTS | live)


def is_live_only(app: Flask, endpoint: str) -> bool:
    """Endpoints (or whole blueprints) that only a live server answers: never frozen."""
    return endpoint in LIVE_ONLY or endpoint.rpartition(".")[0] in LIVE_ONLY


def entry_urls() -> Iterator[Endpoint]:
    """Every published post and standalone page."""
    for post in catalog.published_posts():
        yield "blog.post", {"slug": post.slug}
    for page in catalog.standalone_pages():
        yield "blog.page", {"slug": page.slug}


def listing_urls() -> Iterator[Endpoint]:
    """Every index page, tag and tag page."""
    for number in range(1, page_count(len(catalog.published_posts())) + 1):
        yield "blog.index", {"number": number}
    for tag, count in catalog.tag_counts():
        for number in range(1, page_count(count) + 1):
            yield "blog.tag", {"tag": tag.slug, "number": number}


def feed_urls() -> Iterator[Endpoint]:
    """Per-tag and per-post feeds, when the app has them."""
    views = current_app.view_functions
    if "feeds.tag_feed" in views:
        for tag, _ in catalog.tag_counts():
            yield "feeds.tag_feed", {"tag": tag.slug}
    if "feeds.comment_feed" in views:
        for post in catalog.published_posts():
            yield "feeds.comment_feed", {"slug": post.slug}


@dataclass
class FreezeReport:
    destination: Path
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        pages = self.written + self.unchanged
        return (
            f"Froze {pages} pages to {self.destination}: {self.written} written, "
            f"{self.unchanged} unchanged, {self.removed} removed in {self.seconds:.1f} s"
        )


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
    settings = {
        "FREEZING": True,
        "SHOW_DRAFTS": False,
        "DEBUG": False,  # no live-preview script in the copy, even under FLASK_DEBUG
        "PROPAGATE_EXCEPTIONS": False,
        "BASE_URL": public_url,
        "FREEZER_BASE_URL": public_url,
        "FREEZER_DESTINATION": str(destination or config["FREEZE_DESTINATION"]),
        "FREEZER_DESTINATION_IGNORE": [*config["FREEZE_KEEP"], OWN_FILES],
        "FREEZER_REMOVE_EXTRA_FILES": True,
    }
    freezer: SiteFreezer = app.extensions["twombly.freezer"]
    with overridden(config, settings), app.app_context():
        root = freezer.root.resolve()
        check_pages()
        try:
            check_destination(
                root, Path(app.root_path), config["FREEZER_DESTINATION_IGNORE"], force
            )
        except UnsafeDestination as error:
            raise FreezeError(str(error)) from error
        return _write(freezer, root, show_progress or (lambda pages, _: pages))


def _write(freezer: SiteFreezer, root: Path, show_progress: ShowProgress) -> FreezeReport:
    from twombly.freeze.incremental import write_site

    started = time.monotonic()
    with frozen_flask_warnings_as_errors():
        written, unchanged, removed = write_site(freezer, root, show_progress)
    return FreezeReport(root, written, unchanged, removed, time.monotonic() - started)


def check_pages() -> None:
    """Refuse to freeze a site with a page left out for bad front matter (read afresh)."""
    current_app.extensions["flatpages"][None].reload()
    problems = catalog.catalog().problems
    if problems:
        lines = "\n".join(f"  {problem}" for problem in problems)
        raise FreezeError(f"fix the front matter of these pages before freezing:\n{lines}")


@contextmanager
def frozen_flask_warnings_as_errors() -> Iterator[None]:
    """A page with a mismatched type, or a route nothing froze, stops the freeze."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", FrozenFlaskWarning)
        warnings.filterwarnings("ignore", BENIGN_MIMETYPES, MimetypeMismatchWarning)
        try:
            yield
        except FrozenFlaskWarning as warning:
            raise FreezeError(str(warning)) from warning


@contextmanager
def overridden(config: dict[str, Any], values: Mapping[str, Any]) -> Iterator[None]:
    """Set config keys for the length of a block, then put the old values back."""
    missing = object()
    saved = {key: config.get(key, missing) for key in values}
    config.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is missing:
                config.pop(key, None)
            else:
                config[key] = value


def init_app(app: Flask) -> None:
    freezer = SiteFreezer(app, log_url_for=False)
    for generator in (entry_urls, listing_urls, feed_urls):
        freezer.register_generator(generator)
    app.extensions["twombly.freezer"] = freezer
    app.jinja_env.globals["freezing"] = is_freezing
    app.register_blueprint(bp)
    from twombly.freeze.cli import freeze_command

    app.cli.add_command(freeze_command)
