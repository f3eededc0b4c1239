"""Post bodies to HTML: pyromark (CommonMark), Pygments for fenced code, an id on every heading.

`render_markdown` is Flask-FlatPages' `FLATPAGES_HTML_RENDERER`; FlatPages keeps each page's
HTML until its file changes. pyromark writes every heading as a bare `<hN>` and names a
footnote by its label (`[^1]` is id="1"), so each heading is given the slug of its text, made
unique within the post, and each footnote id an `fn-` in front: no id on the post page can then
repeat one the theme gives it (`comments`, `comment-form`...), or another.

A fence whose language is `spoiler` holds Markdown, not code: it is rendered inside a closed
`<details>` that search indexing (Pagefind) skips. `render_without_spoilers` gives the same body
with each spoiler left out (a `SPOILER_LEFT_OUT` comment in its place), for summaries and feeds.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pyromark
from markupsafe import Markup
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import TextLexer, get_lexer_by_name
from pygments.util import ClassNotFound
from slugify import slugify

OPTIONS = pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_FOOTNOTES
# Ids the theme gives elements of the post page (templates/): a heading never takes one.
THEME_IDS = frozenset(
    {"main", "comments", "comments-heading", "comment-form", "comment-form-heading",
     "related-heading", "csrf_token", "parent", "return_to", "homepage", "name", "name-hint",
     "name-error", "website", "website-hint", "website-error", "body", "body-hint", "body-error"}
)  # fmt: skip
# One comment's elements (comment-<id>, pending-<id>) and the footnotes (fn-<label>).
RESERVED_PREFIXES = ("comment-", "pending-", "fn-")
HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.DOTALL)
FOOTNOTE_IDS = (
    ('<div class="footnote-definition" id="', '<div class="footnote-definition" id="fn-'),
    (
        '<sup class="footnote-reference"><a href="#',
        '<sup class="footnote-reference"><a href="#fn-',
    ),
)
FORMATTER = HtmlFormatter(cssclass="highlight", wrapcode=True)
SPOILER = "spoiler"  # the fence's language: ```spoiler
SPOILER_OPEN = (
    '<details class="spoiler" data-pagefind-ignore="all"><summary>Spoiler</summary>\n'
    '<div class="spoiler-body">\n'
)
SPOILER_CLOSE = "</div></details>\n"
SPOILER_LEFT_OUT = "<!-- spoiler left out -->\n"


@lru_cache(maxsize=128)
def lexer_for(language: str) -> Lexer:
    """Pygments' lexer for a fence's language; plain text for an unknown or missing one."""
    try:
        return get_lexer_by_name(language)
    except ClassNotFound:
        return TextLexer()


def highlight_code(language: str | None, code: str) -> str:
    """A fenced code block as `<div class="highlight"><pre>...`, styled by /pygments.css;
    a spoiler fence as its Markdown inside a closed `<details>`."""
    if language == SPOILER:
        return SPOILER_OPEN + MARKDOWN.html(code) + SPOILER_CLOSE
    return highlight(code, lexer_for(language or ""), FORMATTER)


def code_without_spoilers(language: str | None, code: str) -> str:
    """As `highlight_code`, with a spoiler fence left out."""
    if language == SPOILER:
        return SPOILER_LEFT_OUT
    return highlight_code(language, code)


# Immutable, so one parser serves every thread.
MARKDOWN = pyromark.Markdown(options=OPTIONS, highlight=highlight_code)
MARKDOWN_WITHOUT_SPOILERS = pyromark.Markdown(options=OPTIONS, highlight=code_without_spoilers)


def render_markdown(text: str) -> str:
    """A post body as HTML (FlatPages' renderer)."""
    return with_ids(MARKDOWN.html(text))


def render_without_spoilers(text: str) -> str:
    """A post body as HTML with every spoiler block left out: what summaries and feeds show."""
    return with_ids(MARKDOWN_WITHOUT_SPOILERS.html(text))


def has_spoiler(html: str) -> bool:
    """Whether a body rendered by `render_markdown` holds a spoiler block."""
    return SPOILER_OPEN in html


def with_ids(html: str) -> str:
    """pyromark's HTML with the footnotes' ids prefixed and an id on every heading."""
    for pyromark_id, ours in FOOTNOTE_IDS:
        html = html.replace(pyromark_id, ours)
    return with_heading_ids(html)


def with_heading_ids(html: str) -> str:
    """Every `<hN>` with the id of its text's slug, unique within the post."""
    taken: set[str] = set()

    def with_id(heading: re.Match[str]) -> str:
        level, inner = heading.groups()
        anchor = unique_id(slugify(Markup(inner).striptags()), taken)
        return f'<h{level} id="{anchor}">{inner}</h{level}>'

    return HEADING.sub(with_id, html)


def unique_id(slug: str, taken: set[str]) -> str:
    """`slug`, or `slug-2`, `slug-3`...: an id no other heading or theme element has."""
    slug = slug or "section"
    if slug.startswith(RESERVED_PREFIXES):
        slug = f"section-{slug}"
    anchor, number = slug, 1
    while anchor in taken or anchor in THEME_IDS:
        number += 1
        anchor = f"{slug}-{number}"
    taken.add(anchor)
    return anchor
