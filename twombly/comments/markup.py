"""Reader-written Markdown to safe HTML, the one path for comments on pages and in feeds."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

import markdown
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {"p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener"


def _markdown_without_html() -> markdown.Markdown:
    """Python-Markdown with raw HTML (blocks and inline) treated as text to escape."""
    md = markdown.Markdown(extensions=["fenced_code", "sane_lists"], output_format="html")
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


@lru_cache(maxsize=8192)
def render_comment(source: str) -> Markup:
    """Render a comment's Markdown and sanitize the HTML to a small allow-list."""
    html = _markdown_without_html().convert(source)
    return Markup(
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=ALLOWED_SCHEMES,
            link_rel=LINK_REL,
        )
    )


def safe_link(url: str | None) -> str | None:
    """A reader's web address if it is http(s), else None: never `javascript:` or `data:`."""
    if not url:
        return None
    scheme = urlsplit(url.strip()).scheme.lower()
    return url.strip() if scheme in ("http", "https") else None
