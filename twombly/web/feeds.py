"""Feeds (the site's in Atom, RSS 2.0 and JSON Feed; each tag's; the comments, site-wide and
per post), sitemap.xml and robots.txt.

Every feed is built from front matter and comment dates only, never from the clock, so two
renders of the same content are byte for byte the same (the frozen copy does not churn).
Drafts and scheduled posts never appear here, even when SHOW_DRAFTS shows them on pages.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import urlsplit

from feedgen.feed import FeedGenerator
from flask import Blueprint, Response, current_app
from werkzeug.exceptions import NotFound, ServiceUnavailable

from twombly.comments.markup import safe_link
from twombly.comments.store import Comment, CommentFileError, store
from twombly.content import catalog
from twombly.content.post import Post
from twombly.films.addresses import browse_addresses
from twombly.urls import external_url
from twombly.web import json_feed
from twombly.web.cache import cached_page
from twombly.web.feed_content import comment_content, post_content

bp = Blueprint("feeds", __name__)

ATOM = "application/atom+xml"
RSS = "application/rss+xml"
SITEMAP_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # the `updated` of a feed with no entries yet


@bp.get("/feed.xml")
@cached_page
def site_feed() -> Response:
    """The newest posts in full."""
    return atom_response(site_posts_feed("feeds.site_feed", ATOM))


@bp.get("/rss.xml")
@cached_page
def rss_feed() -> Response:
    """The site's feed in RSS 2.0, for the readers that take no Atom."""
    feed = site_posts_feed("feeds.rss_feed", RSS)
    if not current_app.config["DESCRIPTION"]:
        feed.description(site_title())  # RSS requires a channel description
    return Response(feed.rss_str(pretty=True), mimetype=RSS)


@bp.get("/feed.json")
@cached_page
def json_site_feed() -> Response:
    """The site's feed in JSON Feed 1.1."""
    items = []
    for post in catalog.public_posts()[: entries_limit()]:
        url = external_url("blog.post", slug=post.slug)
        item_id, content = entry_id(post.date, url), post_content(post, url)
        items.append(json_feed.post_item(post, item_id=item_id, url=url, content_html=content))
    home, self_url = external_url("blog.index"), external_url("feeds.json_site_feed")
    document = json_feed.feed_document(home, self_url, items)
    return Response(json_feed.dumps(document), mimetype=json_feed.MIMETYPE)


@bp.get("/tags/<tag>/feed.xml")
@cached_page
def tag_feed(tag: str) -> Response:
    """The newest posts that carry one tag."""
    posts = [post for post in catalog.public_posts() if tag in {t.slug for t in post.tags}]
    if not posts:
        raise NotFound()
    name = next(t.name for t in posts[0].tags if t.slug == tag)
    feed = new_feed(
        f"{site_title()}: tagged “{name}”",
        external_url("feeds.tag_feed", tag=tag),
        external_url("blog.tag", tag=tag),
    )
    return atom_response(posts_feed(feed, posts))


@bp.get("/comments.xml")
@cached_page
def site_comment_feed() -> Response:
    """The newest approved comments on every post."""
    found = [(post, c) for post in catalog.public_posts() for c in approved_comments(post)]
    newest = sorted(found, key=lambda pair: pair[1].created_at, reverse=True)[: entries_limit()]
    feed = new_feed(
        f"Comments on {site_title()}",
        external_url("feeds.site_comment_feed"),
        external_url("blog.index"),
    )
    feed.updated(max((comment_updated(c) for _, c in newest), default=EPOCH))
    for post, comment in newest:
        add_comment(feed, comment, external_url("blog.post", slug=post.slug), post.title)
    return atom_response(feed)


@bp.get("/posts/<slug>/comments.xml")
@cached_page
def comment_feed(slug: str) -> Response:
    """The newest approved comments on one post."""
    post = public_post(slug)
    newest = sorted(approved_comments(post), key=lambda c: c.created_at, reverse=True)[
        : entries_limit()
    ]
    post_url = external_url("blog.post", slug=post.slug)
    feed = new_feed(
        f"Comments on “{post.title}”", external_url("feeds.comment_feed", slug=slug), post_url
    )
    feed.updated(max((comment_updated(c) for c in newest), default=post.modified))
    for comment in newest:
        add_comment(feed, comment, post_url, post.title)
    return atom_response(feed)


@bp.get("/sitemap.xml")
@cached_page
def sitemap() -> Response:
    """Every published address for search engines, with when it last changed."""
    urlset = ET.Element("urlset", xmlns=SITEMAP_NAMESPACE)
    for location, lastmod in sitemap_entries():
        url = ET.SubElement(urlset, "url")
        ET.SubElement(url, "loc").text = location
        if lastmod is not None:
            ET.SubElement(url, "lastmod").text = w3c_datetime(lastmod)
    ET.indent(urlset)
    xml = ET.tostring(urlset, encoding="UTF-8", xml_declaration=True)
    return Response(xml + b"\n", mimetype="application/xml")


@bp.get("/robots.txt")
def robots() -> Response:
    """Allow every crawler everywhere, and point them at the sitemap."""
    text = f"User-agent: *\nAllow: /\n\nSitemap: {external_url('feeds.sitemap')}\n"
    return Response(text, mimetype="text/plain")


def public_post(slug: str) -> Post:
    """The published post at `slug` (never a draft, a scheduled post or a page), else 404."""
    entry = catalog.find_entry(slug, kind="post", public=True)
    if entry is None:
        raise NotFound()
    return entry


def approved_comments(post: Post) -> list[Comment]:
    """The approved comments on `post`; 503 when its comments file cannot be read."""
    try:
        return store().approved(post.slug)
    except CommentFileError as error:
        current_app.logger.error("comment feed unavailable: %s", error)
        raise ServiceUnavailable("The comments of this post are unavailable just now.") from error


def site_posts_feed(endpoint: str, self_type: str) -> FeedGenerator:
    """The site's newest posts, as a feed whose own address is `endpoint`'s."""
    feed = new_feed(site_title(), external_url(endpoint), external_url("blog.index"), self_type)
    return posts_feed(feed, catalog.public_posts())


def site_title() -> str:
    return current_app.config["TITLE"]


def entries_limit() -> int:
    return max(1, int(current_app.config["FEEDS_ENTRIES"]))


def new_feed(title: str, self_url: str, page_url: str, self_type: str = ATOM) -> FeedGenerator:
    config = current_app.config
    feed = FeedGenerator()
    feed.id(self_url)
    feed.title(title)
    feed.link(href=page_url, rel="alternate", type="text/html")
    feed.link(href=self_url, rel="self", type=self_type)
    feed.author(name=config["AUTHOR"] or config["TITLE"])
    feed.language(config["LANGUAGE"])
    feed.generator("Twombly")
    if config["DESCRIPTION"]:
        feed.subtitle(config["DESCRIPTION"])
    return feed


def posts_feed(feed: FeedGenerator, posts: list[Post]) -> FeedGenerator:
    newest = posts[: entries_limit()]
    feed.updated(max((post.modified for post in newest), default=EPOCH))
    for post in newest:
        add_post(feed, post)
    return feed


def add_post(feed: FeedGenerator, post: Post) -> None:
    url = external_url("blog.post", slug=post.slug)
    entry = feed.add_entry(order="append")
    entry.id(entry_id(post.date, url))
    entry.title(post.title)
    entry.link(href=url, rel="alternate", type="text/html")
    entry.published(post.date)
    entry.updated(post.modified)
    if post.summary:
        entry.summary(post.summary)
    entry.content(post_content(post, url), type="html")
    for tag in post.tags:
        entry.category(term=tag.slug, label=tag.name)


def add_comment(feed: FeedGenerator, comment: Comment, post_url: str, post_title: str) -> None:
    url = f"{post_url}#comment-{comment.id}"
    entry = feed.add_entry(order="append")
    entry.id(entry_id(comment.created_at, url))
    entry.title(f"{comment.author} on “{post_title}”")
    entry.link(href=url, rel="alternate", type="text/html")
    author = {"name": comment.author}
    if website := safe_link(comment.website):
        author["uri"] = website
    entry.author(author)
    entry.published(comment.created_at)
    entry.updated(comment_updated(comment))
    entry.content(comment_content(comment.body, url, post_url), type="html")


def comment_updated(comment: Comment) -> datetime:
    return datetime.fromisoformat(comment.edited) if comment.edited else comment.created_at


def entry_id(published: datetime, url: str) -> str:
    """A tag: URI (RFC 4151) that survives a move from http to https or to another port."""
    parts = urlsplit(url)
    target = parts.path + (f"#{parts.fragment}" if parts.fragment else "")
    return f"tag:{parts.hostname},{published:%Y-%m-%d}:{target}"


def atom_response(feed: FeedGenerator) -> Response:
    return Response(feed.atom_str(pretty=True), mimetype=ATOM)


def sitemap_entries() -> Iterator[tuple[str, datetime | None]]:
    """(absolute URL, last change) of the listings, every tag page, post and standalone page."""
    posts = catalog.public_posts()
    newest = max((post.modified for post in posts), default=None)
    yield external_url("blog.index"), newest
    yield external_url("blog.archive"), newest
    yield external_url("blog.tags"), newest
    tag_changes: dict[str, datetime] = {}
    for post in posts:
        for tag in post.tags:
            tag_changes[tag.slug] = max(tag_changes.get(tag.slug, post.modified), post.modified)
    for slug in sorted(tag_changes):
        yield external_url("blog.tag", tag=slug), tag_changes[slug]
    for post in posts:
        yield external_url("blog.post", slug=post.slug), post.modified
    for page in catalog.public_pages():
        yield external_url("blog.page", slug=page.slug), page.modified
    for address in browse_addresses(public=True):
        changed = max((post.modified for post in address.posts), default=newest)
        yield external_url(address.endpoint, **address.values), changed


def w3c_datetime(moment: datetime) -> str:
    """A sitemap date: the day alone at midnight UTC, else the full time."""
    moment = moment.astimezone(UTC)
    if moment.time() == datetime.min.time():
        return moment.date().isoformat()
    return moment.isoformat().replace("+00:00", "Z")
