"""The HTML inside feed entries: a post or comment as a feed reader shows it.

Feed readers have no page to resolve addresses against, so every link is made absolute, and a
feed entry is read without the choice a page gives: each spoiler is replaced by a note that one
was left out, with a link to read it on the site.
"""

from __future__ import annotations

from flask import current_app, render_template
from markupsafe import Markup

from twombly.comments.markup import render_comment_without_spoilers
from twombly.content import links
from twombly.content.markdown import SPOILER_LEFT_OUT
from twombly.content.post import Post
from twombly.web.kept import kept

SPOILER_NOTE = Markup(
    '<p><em>A spoiler is left out of this feed: <a href="{}">read it on the site</a>.</em></p>'
)


def post_content(post: Post, url: str) -> str:
    """A post's HTML in every feed: pull quote, film facts and body, with absolute links.

    Kept (web/kept.py): a freeze puts each post in the site's Atom, RSS and JSON feeds and in
    the feed of each of its tags. A Post is hashed by identity: a new one for each edit.
    """

    def entry() -> str:
        body = Markup(post.public_html.replace(SPOILER_LEFT_OUT, SPOILER_NOTE.format(url)))
        return absolute_links(render_template("_feed_entry.html", post=post, body=body), url)

    return kept("feed_content", (post, url, site_root()), entry)


def comment_content(source: str, url: str, post_url: str) -> str:
    """A comment's HTML in a feed; `url` is the comment's own address on its post."""
    return absolute_links(
        render_comment_without_spoilers(source, SPOILER_NOTE.format(url)), post_url
    )


def absolute_links(html: str, page_url: str) -> str:
    """Every address in `html` made absolute: feed readers have no page to resolve it on."""
    return links.absolute_links(html, page_url, site_root())


def site_root() -> str:
    """The site's public address without its final slash: `https://example.org/blog`."""
    return current_app.config["BASE_URL"].rstrip("/")
