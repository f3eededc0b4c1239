"""The posts that ship with the project render, word for word."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from twombly import create_app

PROJECT = Path(__file__).resolve().parent.parent
SEED = PROJECT.parent / "shared" / "seed" / "her-review.txt"


@pytest.fixture(scope="module")
def client():
    return create_app({"TESTING": True, "SECRET_KEY": "t"}, site=PROJECT).test_client()


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_her_review_renders_its_paragraphs_and_comments(client):
    page = BeautifulSoup(client.get("/posts/her/").get_data(as_text=True), "html.parser")
    paragraphs = [words(p.get_text()) for p in page.select(".post-body p")]
    assert len(paragraphs) == 4
    assert paragraphs[0].startswith("In the not too distant future Theodore Twombly")
    assert paragraphs[3].endswith("diluted the realism of the experience.")
    assert "Are human emotions innate" in page.select_one(".pull-quote").get_text()
    assert page.select_one(".stars")["aria-label"] == "Rated 4.5 out of 5"
    assert page.select_one("#comments-heading").get_text() == "3 comments"
    bodies = [words(c.get_text()) for c in page.select(".comment-body")]
    assert bodies[0].startswith("Good review.")
    assert bodies[2].endswith("nice review.")


@pytest.mark.skipif(not SEED.exists(), reason="the seed text is not beside this checkout")
def test_her_review_keeps_the_authors_words():
    seed = SEED.read_text(encoding="utf-8")
    post = (PROJECT / "pages" / "her.md").read_text(encoding="utf-8")
    body = post.split("\n---\n", 1)[1]
    for paragraph in [p for p in body.split("\n\n") if p.strip()]:
        assert paragraph.strip() in seed
    stored = json.loads((PROJECT / "comments" / "her.json").read_text(encoding="utf-8"))
    for comment in stored["comments"]:
        assert comment["body"] in seed
        assert comment["author"] == "Anonymous"


@pytest.mark.parametrize(
    "url", ["/", "/posts/how-this-blog-is-set-up/", "/about/", "/tags/", "/archive/"]
)
def test_shipped_pages_render(client, url):
    assert client.get(url).status_code == 200
