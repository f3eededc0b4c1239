"""Post bodies to HTML: pyromark (CommonMark), Pygments for fenced code, an id on every heading.

`render_markdown` is Flask-FlatPages' `FLATPAGES_HTML_RENDERER`; FlatPages keeps each page's
HTML until its file changes. Anchors are written into the Markdown before it is rendered, so
pyromark alone writes the HTML: a `{#id}` attribute block (pulldown-cmark's syntax) at the end
of each heading, the slug of its text made unique within the post, and `fn-` before each
footnote label. No id can then repeat one the theme gives the post page (`comments`, ...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import pyromark
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import TextLexer, get_lexer_by_name
from pygments.util import ClassNotFound
from pyromark.event import Event
from slugify import slugify

OPTIONS = pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_FOOTNOTES
# Ids the theme gives elements of the post page (templates/): a heading never takes one.
THEME_IDS = frozenset(
    {"main", "comments", "comments-heading", "comment-form", "comment-form-heading",
     "related-heading", "csrf_token", "parent", "return_to", "homepage", "name", "name-hint",
     "name-error", "website", "website-hint", "website-error", "body", "body-hint", "body-error"}
)  # fmt: skip
THEME_PREFIXES = ("comment-", "pending-")  # one comment's elements: comment-<id>, pending-<id>
LINE_END = re.compile(rb"[\r\n]")
LIST_MARKER = re.compile(rb"[-+*]|[0-9]{1,9}[.)]")

FORMATTER = HtmlFormatter(cssclass="highlight", wrapcode=True)


@lru_cache(maxsize=128)
def lexer_for(language: str) -> Lexer:
    """Pygments' lexer for a fence's language; plain text for an unknown or missing one."""
    try:
        return get_lexer_by_name(language)
    except ClassNotFound:
        return TextLexer()


def highlight_code(language: str | None, code: str) -> str:
    """A fenced code block as `<div class="highlight"><pre>...`, styled by /pygments.css."""
    return highlight(code, lexer_for(language or ""), FORMATTER)


# One parser reads where headings are; one renders. Both are immutable and thread-safe.
READER = pyromark.Markdown(options=OPTIONS)
RENDERER = pyromark.Markdown(
    options=OPTIONS | pyromark.Options.ENABLE_HEADING_ATTRIBUTES, highlight=highlight_code
)


def render_markdown(text: str) -> str:
    """A post body as HTML (FlatPages' renderer)."""
    return RENDERER.html(with_ids(text))


@dataclass
class Heading:
    text_end: int  # UTF-8 byte offsets into the source
    end: int
    line_start: int  # where the last line of its text starts
    words: list[str] = field(default_factory=list)


Insert = tuple[int, bytes]  # bytes to insert at an offset of the source


def with_ids(text: str) -> str:
    """The Markdown with `{#id}` after each heading's text and `fn-` in each footnote label.

    pulldown-cmark names a footnote by its label (`[^1]` is id="1"): with the prefix, neither a
    footnote nor a heading can take an id the theme uses, or each other's.
    """
    headings, footnotes = read_anchors(text)
    if not headings and not footnotes:
        return text
    source = text.encode()
    taken = {f"fn-{label}" for label, _ in footnotes}
    inserts = [(start + 2, b"fn-") for _, start in footnotes if source.startswith(b"[^", start)]
    for heading in headings:
        anchor = unique_id(slugify("".join(heading.words)), taken)
        inserts += heading_inserts(source, heading, anchor)
    return insert(source, sorted(inserts)).decode()


def heading_inserts(source: bytes, heading: Heading, anchor: str) -> list[Insert]:
    """`{#anchor}` at the end of the line where the heading's text ends (after any `#`s)."""
    found = LINE_END.search(source, heading.text_end, heading.end)
    line_end = found.start() if found else heading.end
    inserts = [(line_end, f" {{#{anchor}}}".encode())]
    setext = source[line_end : heading.end].strip()  # its underline
    if setext and LIST_MARKER.fullmatch(source, heading.line_start, heading.text_end):
        # A last line such as "1." would start a list with text after it: "1\\." would not.
        inserts.append((heading.text_end - 1, b"\\"))
    return inserts


def insert(source: bytes, inserts: list[Insert]) -> bytes:
    """`source` with bytes inserted at the offsets given, in order."""
    pieces, done = [], 0
    for offset, new in inserts:
        pieces += [source[done:offset], new]
        done = offset
    pieces.append(source[done:])
    return b"".join(pieces)


def read_anchors(text: str) -> tuple[list[Heading], list[tuple[str, int]]]:
    """Each heading's span and words; each footnote's label and where its `[^` is."""
    headings: list[Heading] = []
    footnotes: list[tuple[str, int]] = []
    current: Heading | None = None
    for event, span in READER.events_with_range(text):
        match event:
            case {"Start": {"Heading": _}}:
                current = Heading(span["start"], span["end"], span["start"])
                continue
            case {"End": {"Heading": _}} if current:
                headings.append(current)
                current = None
                continue
            case {"FootnoteReference": label} | {"Start": {"FootnoteDefinition": label}}:
                footnotes.append((label, span["start"]))
        if current:
            current.text_end = max(current.text_end, span["end"])
            current.words.append(words_of(event))
            if event in ("SoftBreak", "HardBreak"):
                current.line_start = span["end"]
    return headings, footnotes


def words_of(event: Event) -> str:
    """What an event inside a heading adds to the heading's text."""
    match event:
        case {"Text": text} | {"Code": text}:
            return text
        case "SoftBreak" | "HardBreak":
            return " "
    return ""


def unique_id(slug: str, taken: set[str]) -> str:
    """`slug`, or `slug-2`, `slug-3`...: an id no other heading, footnote or theme element has."""
    slug = slug or "section"
    if slug.startswith(THEME_PREFIXES):
        slug = f"section-{slug}"
    anchor, number = slug, 1
    while anchor in taken or anchor in THEME_IDS:
        number += 1
        anchor = f"{slug}-{number}"
    taken.add(anchor)
    return anchor
