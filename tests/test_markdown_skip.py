"""Not trying patterns that cannot match changes nothing in the HTML."""

from __future__ import annotations

import re

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from twombly.config import MARKDOWN_EXTENSION_CONFIGS, MARKDOWN_EXTENSIONS
from twombly.markdown_skip import SkippingInlineProcessor, SkipUnmatchable, required

SAMPLES = [
    "Plain words about *her* and **Samantha**, _quiet_ and __loud__, ***both***.",
    "A `code span`, ``double `tick` span``, an escaped \\*star\\* and \\`tick\\`.",
    "[A link](https://example.com/ 'title'), [a reference][ref], [ref] and ![a still](/s.png).",
    "![ref image][ref]\n\n[ref]: https://example.com/ref",
    'Text before\n[ref]: https://example.com/ref "Title"\n[two]: /two\nafter.',
    "<https://example.com/auto> and <someone@example.com>, <b>inline html</b>, &amp; &#169;.",
    "A line break here  \nand the next line; a footnote[^1].\n\n[^1]: The note.\n    More.",
    "| a | b |\n|---|---|\n| *x* | `y` |",
    "```python\nprint('*not emphasis*')\n```",
    "Stray * stars * and _ under _ scores_, a lone [ bracket, ! mark, < less & more.",
    "# A heading with *style*\n\n> A quote with [a link](/x) and `code`.\n> > Nested.",
    "Setext one\n===\n\nSetext two\n---\n\nA line\n- not a list",
    "Rules:\n\n---\n\n* * *\n\n___\n\n- - -\n\nText #not a heading, a > sign.",
    "   > indented quote\n\n## Closed heading ##\n\n####### seven",
]


def stock() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=MARKDOWN_EXTENSIONS, extension_configs=MARKDOWN_EXTENSION_CONFIGS
    )


def skipping() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=[*MARKDOWN_EXTENSIONS, SkipUnmatchable()],
        extension_configs=MARKDOWN_EXTENSION_CONFIGS,
    )


def test_it_takes_the_place_of_the_inline_processor_and_keeps_the_order():
    plain, quick = stock(), skipping()
    assert isinstance(quick.treeprocessors["inline"], SkippingInlineProcessor)
    order = [type(p).__name__ for p in plain.treeprocessors]
    assert [type(p).__name__ for p in quick.treeprocessors] == [
        "SkippingInlineProcessor" if name == "InlineProcessor" else name for name in order
    ]
    blocks = [type(p).__name__ for p in plain.parser.blockprocessors]
    assert [type(p).__name__ for p in quick.parser.blockprocessors] == blocks


@pytest.mark.parametrize("text", SAMPLES)
def test_every_construct_renders_as_without_it(text):
    assert skipping().convert(text) == stock().convert(text)


MARKDOWNISH = st.text(alphabet="ab *_`\\[]()!<>&#;:/@^|-=\n'\"", max_size=160)


@settings(max_examples=500, deadline=None)
@given(MARKDOWNISH)
def test_any_text_renders_as_without_it(text):
    assert skipping().convert(text) == stock().convert(text)


PIECES = [*SAMPLES, "", "plain words", "> q", "# h", "x\n==", "[^1]: n", "[r]: /r"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PIECES)))
def test_any_mix_of_the_samples_renders_as_without_it(parts):
    text = "\n\n".join(parts)
    assert skipping().convert(text) == stock().convert(text)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"(?<!\!)\[", (("[",),)),
        (r"\!\[", (("![",),)),
        (r"(?:ab|c)d", (("ab", "c"), ("d",))),
        (r"(\*|_)+x", (("*", "_"), ("x",))),
        (r"^(?=\s)&", (("&",),)),
        (r"(&(?:\#[0-9]+|[a-z]+);)", (("&",), (";",))),
        (r"(^|\n)[ ]{0,3}>(.*)", ((">",),)),  # an alternative that needs nothing adds nothing
        (r"^.*?\n(?:=+|-+)[ ]*$", (("\n",), ("-", "="))),
        (r"x(?=(-+){3,}|(_+){3,})", (("x",), ("-", "_"))),  # a lookahead needs its text too
        (r"a*b", (("b",),)),
        (r"[a-z]x", (("x",),)),  # a range is not listed
        (r"(?i)ab", ()),  # case-insensitive
        (r"(?i:ab)c", (("c",),)),  # the case-insensitive group needs nothing known
        (r"(?>ab)c", (("ab",), ("c",))),  # atomic group
        (r"(?=a)", (("a",),)),
        (r"(?!a)b?", ()),
    ],
)
def test_required_reads_what_every_match_contains(pattern, expected):
    assert required(re.compile(pattern)) == expected


def test_what_a_lookbehind_needs_can_be_left_out():
    assert required(re.compile(r"(?<=a)b")) == (("a",), ("b",))
    assert required(re.compile(r"(?<=a)b"), lookbehind=False) == (("b",),)
