"""Post bodies as readers see them: highlighted code, tables, footnotes, heading anchors."""

from __future__ import annotations

import re
from collections import Counter

import pyromark
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from twombly.content.markdown import OPTIONS, highlight_code, render_markdown


def post_page(client, write_post, body: str) -> BeautifulSoup:
    write_post("notes", body=body)
    response = client.get("/posts/notes/")
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_headings_get_slug_ids_unique_within_the_post(client, write_post):
    page = post_page(
        client,
        write_post,
        "## Café society\n\nText.\n\n## Café society\n\nMore.\n\nSetext *heading*\n---\n\n"
        "### With `code` ###\n",
    )
    headings = [(h.name, h["id"], h.get_text()) for h in page.select(".post-body :is(h2, h3)")]
    assert headings == [
        ("h2", "cafe-society", "Café society"),
        ("h2", "cafe-society-2", "Café society"),
        ("h2", "setext-heading", "Setext heading"),
        ("h3", "with-code", "With code"),
    ]


def test_heading_ids_never_take_the_themes_ids(client, write_post):
    page = post_page(
        client,
        write_post,
        "## Comments\n\nA.\n\n## Comment form\n\nB.\n\n## Main\n\nC.\n\n## Body\n\nD.\n\n"
        "## Comments heading\n\nE.[^comments]\n\n[^comments]: A note.\n",
    )
    ids = Counter(element["id"] for element in page.select("[id]"))
    assert [anchor for anchor, count in ids.items() if count > 1] == []
    heading_ids = [h["id"] for h in page.select(".post-body h2")]
    assert heading_ids == ["comments-2", "section-comment-form", "main-2", "body-2",
                           "comments-heading-2"]  # fmt: skip
    assert page.select_one("section#comments h2#comments-heading")


def test_fenced_code_is_highlighted_by_pygments(client, write_post):
    page = post_page(client, write_post, "```python\nif x < 1:\n    pass\n```\n")
    block = page.select_one(".post-body div.highlight > pre > code")
    assert block.select_one(".k").get_text() == "if"
    assert block.get_text() == "if x < 1:\n    pass\n"


def test_unknown_or_missing_language_is_a_plain_escaped_block(client, write_post):
    page = post_page(client, write_post, "```nosuchlang\n<b>x</b>\n```\n\n```\n<i>y</i>\n```\n")
    blocks = page.select(".post-body div.highlight > pre > code")
    assert [block.get_text() for block in blocks] == ["<b>x</b>\n", "<i>y</i>\n"]
    assert not page.select(".post-body pre b, .post-body pre i")


def test_tables_footnotes_and_raw_html(client, write_post):
    page = post_page(
        client,
        write_post,
        "| Film | Year |\n|:--|--:|\n| Her | 2013 |\n\nA claim.[^1]\n\n[^1]: The source.\n\n"
        '<aside class="pull-quote">Raw <em>HTML</em></aside>\n',
    )
    assert [td.get_text() for td in page.select(".post-body table td")] == ["Her", "2013"]
    link = page.select_one(".post-body sup.footnote-reference a")
    note = page.select_one(f".post-body {link['href']}")
    assert note.get_text(" ", strip=True) == "1 The source."
    assert page.select_one(".post-body aside.pull-quote em").get_text() == "HTML"


def ids_left_out(html: str) -> str:
    return re.sub(r' (id="[^"]*"|href="#[^"]*")', "", html)


PLAIN = pyromark.Markdown(options=OPTIONS, highlight=highlight_code)
PIECES = [*"ab #*_`{}[]^:\\!-=.<>", "[^1]", "{#x}", "é"]
LINE_STARTS = ["# ", "## ", "### ", "", "> ", "- ", "1. ", "    ", "   ## "]
LINES = st.lists(
    st.tuples(st.sampled_from(LINE_STARTS), st.lists(st.sampled_from(PIECES), max_size=12)).map(
        lambda line: line[0] + "".join(line[1])
    )
    | st.sampled_from(["===", "---", "[^1]: note", "```", ""]),
    max_size=12,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(LINES)
def test_anchors_change_nothing_but_ids(lines):
    text = "\n".join(lines)
    assert ids_left_out(render_markdown(text)) == ids_left_out(PLAIN.html(text))
