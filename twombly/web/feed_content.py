"""The HTML inside feed entries: a post or comment as a feed reader shows it.

Feed readers have no page to resolve addresses against, so every link is made absolute, and a
feed entry is read without the choice a page gives: each spoiler is replaced by a note that one
was left out, with a link to read it on the site.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from flask import render_template
from markupsafe import Markup

from twombly.comments.markup import render_comment_without_spoilers
from twombly.content.markdown import SPOILER_LEFT_OUT
from twombly.content.post import Post

LINK_ATTRIBUTE = re.compile(r'\b(href|src)="([^"]*)"')
SPOILER_NOTE = Markup(
    '<p><em>A spoiler is left out of this feed: <a href="{}">read it on the site</a>.</em></p>'
)


def post_content(post: Post, url: str) -> str:
    """A post's HTML in every feed: pull quote, film facts and body, with absolute links."""
    body = Markup(post.public_html.replace(SPOILER_LEFT_OUT, SPOILER_NOTE.format(url)))
    return absolute_links(render_template("_feed_entry.html", post=post, body=body), url)


def comment_content(source: str, url: str, post_url: str) -> str:
    """A comment's HTML in a feed; `url` is the comment's own address on its post."""
    return absolute_links(
        render_comment_without_spoilers(source, SPOILER_NOTE.format(url)), post_url
    )


def absolute_links(html: str, base: str) -> str:
    """Resolve every href and src in `html` against `base`: feed readers have no page URL."""
    return LINK_ATTRIBUTE.sub(lambda m: f'{m[1]}="{absolute(base, m[2])}"', html)


def absolute(base: str, url: str) -> str:
    """`url` resolved against `base`, or left as it is when it does not parse (`//[x]/`)."""
    try:
        return urljoin(base, url)
    except ValueError:
        return url
