"""A copy under a sub-path: site paths in post bodies, images, feeds and JSON-LD lead under it."""

from __future__ import annotations

import json

import feedparser
import pytest
from bs4 import BeautifulSoup
from flask import render_template_string

from twombly.content.links import absolute_links, under_root

from .freezing import broken_links, freeze

BASE = "https://example.org/blog/"
BODY = """\
See [the other one](/posts/other/), [its tag](/tags/drama/#top), [relative](../other/),
[elsewhere](https://elsewhere.example/x/) and [broken](//[x]/).

![A still](/static/favicon.svg)

<p><a href="/archive/">The archive</a> <img src='/static/favicon.svg' alt="raw"></p>

```html
<a href="/posts/in-code/">not a link</a>
```
"""


@pytest.fixture
def blog(write_post):
    write_post("her", date="2024-03-02", tags=["drama"], body=BODY, image="/static/favicon.svg")
    write_post("other", date="2024-03-01", tags=["drama"])


def links(html: bytes | str) -> list[str]:
    page = BeautifulSoup(html, "html.parser").select_one(".post-body")
    return [tag.get("href") or tag.get("src") for tag in page.select("[href], [src]")]


def test_a_sub_path_copy_leads_body_links_under_it(runner, blog, tmp_path):
    build = tmp_path / "build"
    assert freeze(runner, build, "--base-url", BASE).exit_code == 0
    assert links((build / "posts/her/index.html").read_bytes()) == [
        "/blog/posts/other/", "/blog/tags/drama/#top", "../other/",
        "https://elsewhere.example/x/", "//%5Bx%5D/", "/blog/static/favicon.svg",
        "/blog/archive/", "/blog/static/favicon.svg",
    ]  # fmt: skip
    assert b"/posts/in-code/" in (build / "posts/her/index.html").read_bytes()
    assert broken_links(build, BASE, "/blog/") == []


def test_a_sub_path_copy_has_absolute_images_and_links_in_meta_and_feeds(runner, blog, tmp_path):
    build = tmp_path / "build"
    assert freeze(runner, build, "--base-url", BASE).exit_code == 0
    page = BeautifulSoup((build / "posts/her/index.html").read_bytes(), "html.parser")
    image = f"{BASE}static/favicon.svg"
    assert page.select_one('meta[property="og:image"]')["content"] == image
    assert page.select_one('meta[name="twitter:image"]')["content"] == image
    data = json.loads(page.select_one('script[type="application/ld+json"]').string)
    assert data["image"] == image and data["url"] == f"{BASE}posts/her/"
    atom = feedparser.parse((build / "feed.xml").read_bytes())
    entry = next(e for e in atom.entries if e.link == f"{BASE}posts/her/")
    content = entry.content[0].value
    for address in (f"{BASE}posts/other/", image, f"{BASE}archive/", f"{BASE}posts/other/"):
        assert f'"{address}"' in content, address
    assert "https://example.org/posts/" not in content
    item = json.loads((build / "feed.json").read_bytes())["items"][0]
    assert f'"{BASE}posts/other/"' in item["content_html"]


def test_the_live_site_at_a_sub_path_leads_body_links_under_it(client, blog):
    response = client.get("/posts/her/", base_url="http://localhost/blog/")
    assert links(response.data)[:2] == ["/blog/posts/other/", "/blog/tags/drama/#top"]
    assert links(client.get("/posts/her/").data)[:2] == ["/posts/other/", "/tags/drama/#top"]


def test_a_sub_path_copy_gives_each_post_the_same_absolute_links_in_every_feed(
    runner, blog, tmp_path
):
    build = tmp_path / "build"
    assert freeze(runner, build, "--base-url", BASE).exit_code == 0
    contents = []
    for name in ("feed.xml", "tags/drama/feed.xml"):
        feed = feedparser.parse((build / name).read_bytes())
        contents.append(next(e for e in feed.entries if e.link == f"{BASE}posts/her/").content)
    assert contents[0] == contents[1] and f'"{BASE}posts/other/"' in contents[0][0].value


def test_pages_served_at_two_sub_paths_in_one_app_context_link_under_their_own(app, client, blog):
    """A freeze renders every page in one app context: links kept in it are kept by sub-path."""
    with app.app_context():
        under = [
            client.get(url, base_url="http://localhost/blog/").text
            for url in ("/", "/tags/drama/")
        ]
        at_root = [client.get(url).text for url in ("/", "/tags/drama/")]
    for page in under:
        assert 'href="/blog/posts/her/"' in page and 'href="/blog/archive/"' in page
    for page in at_root:
        assert 'href="/posts/her/"' in page and 'href="/archive/"' in page
        assert "/blog/" not in page


@pytest.mark.parametrize(
    "html",
    ['<a href="//[x]/">x</a>', '<a href="/a" <b>', "<a href=/a", "<p>no links</p>", "<a href>"],
)
def test_links_that_do_not_parse_are_left_as_they_are(html):
    assert absolute_links(html, "https://e.example/p/", "https://e.example") in (
        html,
        html.replace("/a", "https://e.example/a"),
    )
    assert under_root(html, "/blog") in (html, html.replace("/a", "/blog/a"))


def test_only_link_values_change_and_the_rest_stays_byte_for_byte():
    html = "<P CLASS=x>a &amp; b <IMG\nSRC=/i.png title='/t'><a href=\"/x?a=1&amp;b=2\">"
    assert under_root(html, "/blog") == (
        '<P CLASS=x>a &amp; b <IMG\nSRC="/blog/i.png" title=\'/t\'><a href="/blog/x?a=1&amp;b=2">'
    )


def test_a_theme_may_give_url_for_a_list(app):
    """Templates' url_for keeps its answers by their arguments; one it cannot keep still works."""
    template = "{{ url_for('blog.tags', sort=['name', 'count']) }} {{ url_for('blog.tags') }}"
    with app.test_request_context("/", base_url="http://localhost/blog/"):
        assert render_template_string(template) == (
            "/blog/tags/?sort=name&amp;sort=count /blog/tags/"
        )
