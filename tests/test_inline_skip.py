"""Skipping inline patterns that cannot match changes nothing in the HTML."""

from __future__ import annotations

import re

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from twombly.config import MARKDOWN_EXTENSION_CONFIGS, MARKDOWN_EXTENSIONS
from twombly.inline_skip import SkippingInlineProcessor, SkipUnmatchableInline, starts

SAMPLES = [
    "Plain words about *her* and **Samantha**, _quiet_ and __loud__, ***both***.",
    "A `code span`, ``double `tick` span``, an escaped \\*star\\* and \\`tick\\`.",
    "[A link](https://example.com/ 'title'), [a reference][ref], [ref] and ![a still](/s.png).",
    "![ref image][ref]\n\n[ref]: https://example.com/ref",
    "<https://example.com/auto> and <someone@example.com>, <b>inline html</b>, &amp; &#169;.",
    "A line break here  \nand the next line; a footnote[^1].\n\n[^1]: The note.",
    "| a | b |\n|---|---|\n| *x* | `y` |",
    "```python\nprint('*not emphasis*')\n```",
    "Stray * stars * and _ under _ scores_, a lone [ bracket, ! mark, < less & more.",
    "# A heading with *style*\n\n> A quote with [a link](/x) and `code`.",
]


def stock() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=MARKDOWN_EXTENSIONS, extension_configs=MARKDOWN_EXTENSION_CONFIGS
    )


def skipping() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=[*MARKDOWN_EXTENSIONS, SkipUnmatchableInline()],
        extension_configs=MARKDOWN_EXTENSION_CONFIGS,
    )


def test_it_takes_the_place_of_the_inline_processor_and_keeps_the_order():
    plain, quick = stock(), skipping()
    assert isinstance(quick.treeprocessors["inline"], SkippingInlineProcessor)
    order = [type(p).__name__ for p in plain.treeprocessors]
    assert [type(p).__name__ for p in quick.treeprocessors] == [
        "SkippingInlineProcessor" if name == "InlineProcessor" else name for name in order
    ]


@pytest.mark.parametrize("text", SAMPLES)
def test_every_inline_construct_renders_as_without_it(text):
    assert skipping().convert(text) == stock().convert(text)


MARKDOWNISH = st.text(alphabet="ab *_`\\[]()!<>&#;:/@^|-\n'\"", max_size=120)


@settings(max_examples=400, deadline=None)
@given(MARKDOWNISH)
def test_any_text_renders_as_without_it(text):
    assert skipping().convert(text) == stock().convert(text)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"(?<!\!)\[", {"["}),
        (r"\!\[", {"!["}),
        (r"(?:ab|c)d", {"ab", "c"}),
        (r"(\*|_)+x", {"*", "_"}),
        (r"^(?=\s)&", {"&"}),
        (r"a*b", None),  # may start with b
        (r"[a-z]x", None),  # a range: not worth listing
        (r"(?i)ab", None),  # case-insensitive
        (r"(?i:ab)c", None),  # case-insensitive group
        (r"(?:ab)c", {"abc"}),  # a plain group is no group to the parser
        (r"(?>ab)c", {"ab"}),  # atomic group
        (r"(?=a)", None),  # matches the empty string
    ],
)
def test_starts_reads_what_every_match_begins_with(pattern, expected):
    found = starts(re.compile(pattern))
    assert (set(found) if found is not None else None) == expected
