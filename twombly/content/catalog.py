"""The site's contents: every valid post and page, and the queries the views ask of them."""

from __future__ import annotations

import heapq
import logging
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import cached_property

import yaml
from flask import Flask, current_app, g
from flask_flatpages import FlatPages, Page
from werkzeug.exceptions import NotFound

from twombly.content.front_matter import post_from_page, reserved_names, without_shared_slugs
from twombly.content.pages import FrontMatterError, flatpages, unreadable_page
from twombly.content.post import Post, Tag

log = logging.getLogger("twombly")


NEVER = datetime.max.replace(tzinfo=UTC)


class Visible:
    """The posts readers can see from `since` until `until`, with the indexes views ask for.

    Every request asks which posts are visible; answering it by testing each post is O(posts)
    per request (and O(posts²) per freeze), so the answer is kept until the next scheduled
    post goes live.
    """

    def __init__(self, posts: list[Post], since: datetime, until: datetime) -> None:
        self.posts = posts
        self.since = since
        self.until = until
        self.related: dict[tuple, list[int]] = {}  # related_posts' answers, by post and limit

    def covers(self, moment: datetime) -> bool:
        return self.since <= moment < self.until

    @cached_property
    def position(self) -> dict[str, int]:
        return {post.slug: index for index, post in enumerate(self.posts)}

    @cached_property
    def tagged(self) -> dict[str, list[Post]]:
        tagged: dict[str, list[Post]] = {}
        for post in self.posts:
            for tag in post.tags:
                tagged.setdefault(tag.slug, []).append(post)
        return tagged

    @cached_property
    def tagged_positions(self) -> dict[str, list[int]]:
        return {
            slug: [self.position[post.slug] for post in posts]
            for slug, posts in self.tagged.items()
        }

    @cached_property
    def tag_counts(self) -> list[tuple[Tag, int]]:
        """Each tag (as its newest post names it) and its number of posts, by name."""
        counts = [
            (next(tag for tag in posts[0].tags if tag.slug == slug), len(posts))
            for slug, posts in self.tagged.items()
        ]
        return sorted(counts, key=lambda pair: pair[0].name)

    @cached_property
    def tags(self) -> dict[str, Tag]:
        return {tag.slug: tag for tag, _ in self.tag_counts}


class Catalog:
    """All entries read from pages/, built once per change of the FlatPages page set."""

    def __init__(
        self,
        pages: Iterable[Page],
        root: str,
        previous: Catalog | None = None,
        reserved: frozenset[str] = frozenset(),
    ) -> None:
        problems: list[FrontMatterError] = []
        # FlatPages keeps a file's Page until the file changes: its Post can be kept too.
        known = previous.by_page if previous else {}
        self.by_page: dict[Page, Post] = {}  # every post built, those sharing a slug included
        for page in sorted(pages, key=lambda p: p.path):
            try:
                self.by_page[page] = known.get(page) or post_from_page(page, root, reserved)
            except FrontMatterError as error:
                problems.append(error)
        kept, shared = without_shared_slugs(list(self.by_page.values()))
        self.entries: dict[str, Post] = {post.slug: post for post in kept}
        self.problems = sorted(problems + shared, key=lambda problem: problem.path)
        self.posts = sorted(
            (entry for entry in self.entries.values() if not entry.is_page),
            key=lambda post: (post.date, post.slug),
            reverse=True,
        )
        self.pages = sorted((e for e in self.entries.values() if e.is_page), key=lambda e: e.title)
        self.everything = Visible(self.posts, datetime.min.replace(tzinfo=UTC), NEVER)
        self._public: Visible | None = None

    def visible(self, moment: datetime, show_hidden: bool) -> Visible:
        """The posts visible at `moment` (all of them when drafts are shown)."""
        if show_hidden:
            return self.everything
        if self._public is None or not self._public.covers(moment):
            public = [post for post in self.posts if post.is_public(moment)]
            upcoming = (p.date for p in self.posts if not p.draft and p.is_scheduled(moment))
            self._public = Visible(public, moment, min(upcoming, default=NEVER))
        return self._public

    def log_problems(self, previous: Catalog | None = None) -> None:
        """Log each problem once: not again while a file stays as it was, whatever other
        file is read again (or the same files re-read by a command)."""
        known = {str(problem) for problem in previous.problems} if previous else set()
        for problem in self.problems:
            if str(problem) not in known:
                log.error("left out %s", problem)


def init_app(app: Flask) -> None:
    """Register the site's FlatPages and report bad front matter once, at start-up."""
    FlatPages(app)
    with app.app_context():
        catalog()


def catalog() -> Catalog:
    """The current app's catalog, looked up once per app context (a request, or a whole
    `flask freeze`): every query of a request sees the same posts."""
    found = g.get("twombly_catalog")
    return found if found is not None else g.setdefault("twombly_catalog", current_catalog())


def reload_catalog() -> Catalog:
    """The catalog over the files as they are now (a command may outlive edits)."""
    flatpages().reload()
    g.pop("twombly_catalog", None)
    return catalog()


def current_catalog() -> Catalog:
    """The catalog, rebuilt when FlatPages has read a file again."""
    pages = flatpages()
    state = current_app.extensions.setdefault("twombly.catalog", {})
    try:
        # FlatPages keeps a page object until its file changes, so comparing the pages
        # (by identity) tells whether anything was read again since the catalog was built.
        loaded = tuple(pages)
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        return _without_unreadable(state, pages.root, error)
    if state.get("pages") != loaded:
        rebuild(state, loaded, pages.root, loaded)
    return state["catalog"]


def _without_unreadable(state: dict, root: str, error: Exception) -> Catalog:
    """The pages read before (none at start-up), and the file that stopped FlatPages."""
    problem = unreadable_page(root, error)
    if state.get("pages") != str(problem):
        previous = state.get("catalog")
        rebuild(state, previous.by_page if previous else (), root, str(problem), problem)
    return state["catalog"]


def rebuild(
    state: dict,
    pages: Iterable[Page],
    root: str,
    key: object,
    unreadable: FrontMatterError | None = None,
) -> None:
    """Build the catalog from `pages`, log its problems, and keep it under `key` (what it was
    built from) in `state`."""
    previous = state.get("catalog")
    built = Catalog(pages, root, previous, reserved_names(current_app.url_map))
    if unreadable is not None:
        built.problems.insert(0, unreadable)
    built.log_problems(previous)
    state.update(pages=key, catalog=built)


def now() -> datetime:
    return datetime.now(UTC)


def showing_hidden() -> bool:
    return bool(current_app.config["SHOW_DRAFTS"])


def is_visible(post: Post) -> bool:
    return showing_hidden() or post.is_public(now())


def visible() -> Visible:
    return catalog().visible(now(), showing_hidden())


def published_posts() -> list[Post]:
    """Posts readers can see, newest first (drafts and scheduled ones too with SHOW_DRAFTS)."""
    return list(visible().posts)


def find_entry(slug: str, *, kind: str, public: bool = False) -> Post | None:
    """The entry of that kind readers can see; `public`: published, whatever SHOW_DRAFTS says."""
    entry = catalog().entries.get(slug)
    if entry is None or entry.kind != kind:
        return None
    shown = entry.is_public(now()) if public else is_visible(entry)
    return entry if shown else None


def find_post(slug: str, kind: str = "post") -> Post:
    """The visible post (or page) named `slug`; NotFound for unknown, draft and scheduled ones."""
    entry = find_entry(slug, kind=kind)
    if entry is None:
        raise NotFound()
    return entry


def standalone_pages() -> list[Post]:
    return [entry for entry in catalog().pages if is_visible(entry)]


def posts_tagged(tag_slug: str) -> list[Post]:
    return list(visible().tagged.get(tag_slug, ()))


def tag_counts() -> list[tuple[Tag, int]]:
    """Every tag with the number of visible posts that carry it, by name."""
    return list(visible().tag_counts)


def find_tag(tag_slug: str) -> Tag | None:
    return visible().tags.get(tag_slug)


def neighbours(post: Post) -> tuple[Post | None, Post | None]:
    """(older, newer) visible posts around `post`."""
    shown = visible()
    posts = shown.posts
    index = shown.position.get(post.slug)
    if index is None or posts[index] is not post:
        return None, None
    older = posts[index + 1] if index + 1 < len(posts) else None
    newer = posts[index - 1] if index > 0 else None
    return older, newer


def public_posts() -> list[Post]:
    """Published posts, newest first, whatever SHOW_DRAFTS says: what feeds and search see."""
    return list(catalog().visible(now(), show_hidden=False).posts)


def public_pages() -> list[Post]:
    """Published standalone pages, whatever SHOW_DRAFTS says."""
    moment = now()
    entries = catalog().entries.values()
    return sorted((e for e in entries if e.is_page and e.is_public(moment)), key=lambda e: e.slug)


def related_posts(post: Post, limit: int = 3) -> list[Post]:
    """Up to `limit` other visible posts sharing the most tags with `post`, ties newest first."""
    shown = visible()
    # A freeze asks twice per post (what its page is made from, then the page): the answer is
    # kept with the visible posts, by what it depends on.
    key = (post.slug, post.tags, limit)
    ranked = shown.related.get(key)
    if ranked is None:
        ranked = shown.related[key] = _rank_related(shown, post, limit)
    return [shown.posts[index] for index in ranked]


def _rank_related(shown: Visible, post: Post, limit: int) -> list[int]:
    shared: Counter[int] = Counter()  # by position among the visible posts, newest first
    for slug in {tag.slug for tag in post.tags}:
        shared.update(shown.tagged_positions.get(slug, ()))
    shared.pop(shown.position.get(post.slug, -1), None)
    # Equal scores stay newest first: a lower position is a newer post.
    ranked = heapq.nsmallest(limit, [(-count, index) for index, count in shared.items()])
    return [index for _, index in ranked]
