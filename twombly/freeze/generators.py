"""Frozen-Flask URL generators: every public page, with when what it shows last changed.

The generators list every page explicitly (Frozen-Flask neither follows url_for calls nor
freezes every route without arguments), so a freeze is the same set of files whatever the
templates link to, and a link they miss is caught by the tests' link checker. Drafts and
scheduled posts are never listed: the freeze turns SHOW_DRAFTS off.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask_frozen import Freezer

from twombly.content import catalog
from twombly.content.post import Post
from twombly.freeze.film_pages import ENDPOINTS as FILM_ENDPOINTS
from twombly.freeze.film_pages import film_pages, log_time
from twombly.freeze.images import image_files
from twombly.freeze.sources import Entry, Sources
from twombly.web.feeds import entries_limit
from twombly.web.views import page_count, paginate

# The moderation pages, the debug server's live preview, a reader's own comment to edit and the
# JSON of comments that a frozen copy's script reads: only a live server can answer them.
# The live server's search bundle: a freeze writes the copy's own (twombly/search/frozen.py).
LIVE_ONLY = frozenset(
    {"admin", "livereload", "comments.edit", "frozen_comments.comments_json", "search.bundle"}
)
# Every URL of these endpoints comes from the generators below (a site may have none of some).
SITE_ENDPOINTS = frozenset(
    {"blog.post", "blog.page", "blog.index", "blog.tag", "blog.tags", "blog.archive",
     "blog.pygments_css", "feeds.site_feed", "feeds.rss_feed", "feeds.json_site_feed",
     "feeds.tag_feed", "feeds.comment_feed", "feeds.site_comment_feed",
     "feeds.sitemap", "feeds.robots", "freeze.not_found_page", "images.variant",
     "search.page"}
) | FILM_ENDPOINTS  # fmt: skip


def is_live_only(endpoint: str) -> bool:
    """Endpoints (or whole blueprints, nested ones included) that only a live server
    answers: never frozen."""
    parts = endpoint.split(".")
    return any(".".join(parts[:end]) in LIVE_ONLY for end in range(1, len(parts) + 1))


def post_pages() -> Iterator[Entry]:
    """Every published post (with its neighbours and related posts) and standalone page."""
    sources = Sources.current()
    for post in catalog.published_posts():
        older, newer = catalog.neighbours(post)
        shown = [post, *(p for p in (older, newer) if p), *catalog.related_posts(post)]
        times = [*sources.files(shown), sources.comments(post)]
        yield sources.entry("blog.post", {"slug": post.slug}, *times, structural=True)
    for page in catalog.standalone_pages():
        yield sources.entry("blog.page", {"slug": page.slug}, sources.file(page))


def listing_pages() -> Iterator[Entry]:
    """Every index page, tag page, the tags and the archive."""
    sources = Sources.current()
    posts = catalog.published_posts()
    yield from listing(sources, "blog.index", {}, posts)
    for tag, _ in catalog.tag_counts():
        yield from listing(sources, "blog.tag", {"tag": tag.slug}, catalog.posts_tagged(tag.slug))
    yield sources.entry("blog.tags", {}, structural=True)
    yield sources.entry("blog.archive", {}, *sources.files(posts), structural=True)


def listing(
    sources: Sources, endpoint: str, values: dict[str, Any], posts: list[Post]
) -> Iterator[Entry]:
    """The pages of one listing, each made from the posts it shows and their comment counts."""
    for number in range(1, page_count(len(posts)) + 1):
        shown = paginate(posts, number).items
        times = [*sources.files(shown), *map(sources.comments, shown)]
        yield sources.entry(endpoint, {**values, "number": number}, *times, structural=True)


def feed_pages() -> Iterator[Entry]:
    """The site's feeds (Atom, RSS, JSON Feed), each tag's, the comment feeds (site-wide and
    each post's), the sitemap and robots.txt."""
    sources = Sources.current()
    posts = catalog.public_posts()
    newest = slice(entries_limit())
    for endpoint in ("feeds.site_feed", "feeds.rss_feed", "feeds.json_site_feed"):
        yield sources.entry(endpoint, {}, *sources.files(posts[newest]), structural=True)
    for tag, _ in catalog.tag_counts():
        tagged = catalog.posts_tagged(tag.slug)[newest]
        yield sources.entry(
            "feeds.tag_feed", {"tag": tag.slug}, *sources.files(tagged), structural=True
        )
    for post in posts:
        times = (sources.file(post), sources.comments(post))
        yield sources.entry("feeds.comment_feed", {"slug": post.slug}, *times)
    every_comment = [sources.comments_folder, *map(sources.comments, posts)]
    titles = sources.files(posts)  # each entry is titled with its post's title
    yield sources.entry("feeds.site_comment_feed", {}, *every_comment, *titles, structural=True)
    pages = catalog.public_pages()
    times = [*sources.files(posts), *sources.files(pages), log_time()]
    yield sources.entry("feeds.sitemap", {}, *times, structural=True)
    yield sources.entry("feeds.robots", {})


def theme_pages() -> Iterator[Entry]:
    """The code style sheet, the not-found page and the search page."""
    sources = Sources.current()
    yield sources.entry("blog.pygments_css", {})
    yield sources.entry("freeze.not_found_page", {})
    yield sources.entry("search.page", {})


def other_pages(freezer: Freezer) -> Iterator[tuple[str, dict[str, Any]]]:
    """Any other route without arguments (a plugin's, a test's), rendered afresh each time:
    Frozen-Flask's own generator of them, without the live-only ones."""
    for endpoint, values in freezer.no_argument_rules_urls():
        if endpoint not in SITE_ENDPOINTS and not is_live_only(endpoint):
            yield endpoint, values


GENERATORS = (post_pages, listing_pages, film_pages, feed_pages, theme_pages, image_files)
