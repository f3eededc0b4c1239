"""Reader-written Markdown to safe HTML, the one path for comments on pages and in feeds.

Raw HTML a reader types is escaped, never kept. A fence whose language is `spoiler` holds
Markdown, shown inside a closed `<details>` as in posts: those are the only `<details>` and
`<summary>` elements the sanitizer lets through, since a reader cannot type one.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import urlsplit

import markdown
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "a",
    "details", "summary", "div",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "details": {"class", "data-pagefind-ignore"},
    "div": {"class"},
}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener"
# Python-Markdown's fenced block with the language `spoiler`: its text, HTML-escaped.
SPOILER_FENCE = re.compile(r'<pre><code class="language-spoiler">(.*?)</code></pre>', re.DOTALL)
SPOILER_DEPTH = 3  # a spoiler nested deeper stays a code block: no unbounded recursion
SPOILER_HTML = (
    '<details class="spoiler" data-pagefind-ignore="all"><summary>Spoiler</summary>\n'
    '<div class="spoiler-body">\n{}</div></details>'
)


def _markdown_without_html() -> markdown.Markdown:
    """Python-Markdown with raw HTML (blocks and inline) treated as text to escape."""
    md = markdown.Markdown(extensions=["fenced_code", "sane_lists"], output_format="html")
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


def _to_html(source: str, spoiler: Callable[[str], str], depth: int = 0) -> str:
    """A comment's Markdown as HTML, each spoiler fence as `spoiler` makes it of its HTML."""
    rendered = _markdown_without_html().convert(source)
    if depth >= SPOILER_DEPTH:
        return rendered
    return SPOILER_FENCE.sub(
        lambda fence: spoiler(_to_html(html.unescape(fence.group(1)), spoiler, depth + 1)),
        rendered,
    )


def _clean(rendered: str) -> Markup:
    return Markup(
        nh3.clean(
            rendered,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=ALLOWED_SCHEMES,
            link_rel=LINK_REL,
        )
    )


@lru_cache(maxsize=8192)
def render_comment(source: str) -> Markup:
    """Render a comment's Markdown and sanitize the HTML to a small allow-list."""
    return _clean(_to_html(source, SPOILER_HTML.format))


def render_comment_without_spoilers(source: str, note: str) -> Markup:
    """As `render_comment`, each spoiler replaced by `note` (HTML, e.g. a link to read it)."""
    return _clean(_to_html(source, lambda _spoiler: note))


def safe_link(url: str | None) -> str | None:
    """A reader's web address if it is http(s), else None: never `javascript:` or `data:`."""
    if not url:
        return None
    scheme = urlsplit(url.strip()).scheme.lower()
    return url.strip() if scheme in ("http", "https") else None
