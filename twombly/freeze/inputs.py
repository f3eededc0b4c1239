"""What each frozen URL is built from: a fingerprint of its inputs, for incremental freezes.

A re-freeze rebuilds a URL only when its fingerprint differs from the one the destination's
manifest recorded. Every fingerprint starts with the site's own (the engine and the libraries
that render, templates, static files, settings, the standalone pages in every page's
navigation), so changing any of those rebuilds everything. Then each URL adds what it shows:
a post its own file and comments and its neighbours' and related posts' links; a listing the
posts it lists (their files and comment counts); a feed the posts in it. An endpoint not known
here depends on every page and comment file, so a new route is never left stale.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from twombly.comments.store import store
from twombly.comments.views import comment_count, comments_closed
from twombly.content import catalog
from twombly.content.post import Post
from twombly.web.feeds import entries_limit
from twombly.web.views import page_count, per_page

# The libraries whose output ends up in the frozen files: a new version may change any page.
RENDERING_LIBRARIES = (
    "flask", "werkzeug", "jinja2", "markupsafe", "flask-flatpages", "frozen-flask", "markdown",
    "pygments", "pyyaml", "feedgen", "lxml", "nh3", "python-slugify", "flask-wtf", "wtforms",
)  # fmt: skip
# Settings that change where or how fast a freeze writes, never what it writes.
NOT_OUTPUT = frozenset({"FREEZER_DESTINATION", "FREEZE_DESTINATION", "FREEZE_WORKERS"})
SECRET = re.compile(r"SECRET|PASSWORD|TOKEN|KEY$")
ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
# Endpoints whose output depends on the site's fingerprint alone.
Route = tuple[str, Mapping[str, Any]]  # an endpoint and its URL values
SITE_ONLY = frozenset({"static", "feeds.robots", "freeze.not_found_page", "blog.pygments_css"})


def digest(*parts: Any) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def bytes_digest(*texts: str) -> str:
    """The digest of some texts, each hashed as it is (repr-ing long texts costs more)."""
    hasher = hashlib.blake2b(digest_size=16)
    for text in texts:
        data = text.encode("utf-8", "surrogatepass")
        hasher.update(b"%d:" % len(data))
        hasher.update(data)
    return hasher.hexdigest()


@cache
def engine_version() -> str:
    """Twombly's own code and the versions of the libraries that render: any change rebuilds."""
    package = Path(__file__).parent
    versions = []
    for name in RENDERING_LIBRARIES:
        try:
            versions.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            versions.append((name, None))
    return digest(sys.version, versions, tree_digest(package))


def tree_digest(folder: Path) -> str:
    """Names and bytes of every file under `folder` (symbolic links followed)."""
    hasher = hashlib.blake2b(digest_size=16)
    if not folder.is_dir():
        return hasher.hexdigest()
    for top, dirs, files in os.walk(folder, followlinks=True):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            path = Path(top, name)
            hasher.update(f"{path.relative_to(folder).as_posix()}\0".encode())
            hasher.update(path.read_bytes())
            hasher.update(b"\0")
    return hasher.hexdigest()


def stable(value: Any) -> str:
    """A repr that is the same in every process: sorted sets, functions by name, no addresses."""
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k!r}: {stable(v)}" for k, v in sorted(value.items())) + "}"
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(stable(item) for item in value)) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(stable(item) for item in value) + "]"
    if callable(value) and hasattr(value, "__qualname__"):
        return f"{getattr(value, '__module__', '')}.{value.__qualname__}"
    return ADDRESS.sub("", repr(value))


def settings_digest(config: Mapping[str, Any]) -> str:
    """The settings that may change output (secrets are left out: the manifest is public)."""
    kept = {
        key: value
        for key, value in config.items()
        if key not in NOT_OUTPUT and not SECRET.search(key)
    }
    return digest(stable(kept))


def site_digest(app: Flask) -> str:
    """What every page depends on; when it changes, every URL is rebuilt."""
    nav = [(page.slug, page.title) for page in catalog.standalone_pages()]
    return digest(
        engine_version(),
        tree_digest(Path(app.root_path, app.template_folder or "templates")),
        tree_digest(Path(app.static_folder or "static")),
        settings_digest(app.config),
        nav,
    )


class SiteInputs:
    """Fingerprints of the URLs of the current app's site, as it stands now."""

    def __init__(self, app: Flask) -> None:
        self.site = site_digest(app)
        self.entries = catalog.catalog().entries
        self.posts = catalog.published_posts()
        # What feeds and the sitemap list: published posts, whatever SHOW_DRAFTS says.
        self.published = catalog.catalog().visible(catalog.now(), show_hidden=False)
        self.public = list(self.published.posts)
        self.adapter = app.url_map.bind("localhost")
        self.comment_folder = os.fspath(store().folder)
        self.by_endpoint: dict[str, Callable[..., Any]] = {
            "blog.post": self.post,
            "blog.page": self.standalone_page,
            "blog.index": self.index,
            "blog.tag": self.tag,
            "blog.tags": lambda: [(t.name, t.slug, n) for t, n in catalog.tag_counts()],
            "blog.archive": lambda: [(p.slug, p.title, p.date) for p in self.posts],
            "feeds.site_feed": lambda: [self.source(p) for p in self.public[: entries_limit()]],
            "feeds.tag_feed": self.tag_feed,
            "feeds.comment_feed": lambda slug: [*self.post_file(slug), self.comments(slug)],
            "feeds.sitemap": self.sitemap,
        }

    def fingerprints(
        self, urls: Iterable[str], routes: Mapping[str, Route] | None = None
    ) -> dict[str, str]:
        routes = routes or {}
        return {url: digest(self.site, url, self.inputs(url, routes.get(url))) for url in urls}

    def inputs(self, url: str, route: Route | None = None) -> Any:
        """What `url` shows; `route` is its endpoint and values when known (saves matching)."""
        if route is not None and route[0] in self.by_endpoint:
            try:
                return self.by_endpoint[route[0]](**route[1])
            except TypeError:  # values the view does not take (a query string): match the URL
                pass
        try:
            endpoint, values = self.adapter.match(url, method="GET")
        except (HTTPException, RequestRedirect):
            return self.everything()
        if endpoint in SITE_ONLY:
            return None
        inputs = self.by_endpoint.get(endpoint)
        return inputs(**values) if inputs else self.everything()

    @cache  # noqa: B019 - one SiteInputs per freeze
    def source(self, post: Post) -> str:
        split = post.page.front_matter
        return bytes_digest(post.slug, split.meta, split.body)

    @cache  # noqa: B019
    def comments(self, slug: str) -> str:
        try:
            with open(os.path.join(self.comment_folder, f"{slug}.json"), "rb") as file:
                return digest(file.read())
        except OSError:
            return digest(None)

    @cache  # noqa: B019
    def card(self, post: Post) -> tuple[str, int | None]:
        """What a listing shows of a post: its file (title, summary, tags...) and comment count."""
        return self.source(post), comment_count(post)

    def post_file(self, slug: str) -> list[Any]:
        entry = self.entries.get(slug)
        return [self.source(entry) if entry else None]

    def post(self, slug: str) -> Any:
        entry = self.entries.get(slug)
        if entry is None:
            return self.everything()
        older, newer = catalog.neighbours(entry)
        related = [(p.slug, p.title, p.date, p.review) for p in catalog.related_posts(entry)]
        return [
            self.source(entry),
            self.comments(slug),
            comments_closed(entry),
            [(p.slug, p.title) if p else None for p in (older, newer)],
            related,
        ]

    def standalone_page(self, slug: str) -> Any:
        return self.post_file(slug)

    def listing(self, posts: list[Post], number: int) -> list[Any]:
        shown = posts[(number - 1) * per_page() : number * per_page()]
        return [page_count(len(posts)), [self.card(post) for post in shown]]

    def index(self, number: int) -> Any:
        return self.listing(self.posts, number)

    def tag(self, tag: str, number: int) -> Any:
        found = catalog.find_tag(tag)
        return [found, self.listing(catalog.posts_tagged(tag), number)]

    def tag_feed(self, tag: str) -> Any:
        return [
            self.source(post) for post in self.published.tagged.get(tag, [])[: entries_limit()]
        ]

    def sitemap(self) -> Any:
        posts = [(p.slug, p.modified, [t.slug for t in p.tags]) for p in self.public]
        return posts, [(p.slug, p.modified) for p in catalog.public_pages()]

    @cache  # noqa: B019
    def everything(self) -> str:
        """Every page and comment file, and which posts are visible: for URLs not known here."""
        entries = sorted(self.entries.values(), key=lambda entry: entry.slug)
        return digest(
            [(self.source(entry), self.comments(entry.slug)) for entry in entries],
            [post.slug for post in self.posts],
            [post.slug for post in self.public],
        )


def url_fingerprints(
    urls: Iterable[str], routes: Mapping[str, Route] | None = None
) -> dict[str, str]:
    """The fingerprint of every URL (relative to the site's root) in the current app;
    `routes` gives the endpoint and values a URL generator built a URL from."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    return SiteInputs(app).fingerprints(urls, routes)
