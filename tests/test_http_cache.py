"""Conditional requests and Cache-Control: ETags and 304s, content-hashed static addresses,
and personal pages that no shared cache may keep."""

from __future__ import annotations

import re

import brotli
import pytest
from bs4 import BeautifulSoup

from .comment_helpers import send_comment
from .freezing import freeze, frozen_files

YEAR = "max-age=31536000"


@pytest.fixture
def her(write_post):
    write_post("her", title="her", date="2014-01-20", tags=["drama"])


def static_links(html: str) -> list[str]:
    page = BeautifulSoup(html, "html.parser")
    found = [tag.get("href") or tag.get("src") for tag in page.select("link[href], script[src]")]
    return [link for link in found if "/static/" in link or "pygments" in link]


@pytest.mark.parametrize(
    "url", ["/", "/posts/her/", "/tags/drama/", "/archive/", "/feed.xml", "/rss.xml",
            "/feed.json", "/comments.xml", "/posts/her/comments.xml", "/sitemap.xml"]
)  # fmt: skip
def test_pages_and_feeds_answer_304_to_their_etag(client, her, url):
    first = client.get(url)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    assert (
        "public" in first.headers["Cache-Control"]
        and "max-age=60" in first.headers["Cache-Control"]
    )
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200


def test_an_edited_post_has_a_new_etag(client, her, write_post):
    etag = client.get("/posts/her/").headers["ETag"]
    write_post("her", title="her, again", date="2014-01-20", tags=["drama"])
    response = client.get("/posts/her/", headers={"If-None-Match": etag})
    assert response.status_code == 200 and "her, again" in response.text


def test_static_files_have_a_content_hash_in_their_address(client, her, site):
    links = static_links(client.get("/posts/her/").text)
    assert any(link.startswith("/static/css/site.css?v=") for link in links)
    assert any(link.startswith("/pygments.css?v=") for link in links)
    for link in links:
        assert re.search(r"\?v=[0-9a-f]{12}$", link), link
        with client.get(link) as response:
            assert response.status_code == 200
            assert response.headers["Cache-Control"] == f"public, {YEAR}, immutable"
            etag = response.headers["ETag"]
        with client.get(link, headers={"If-None-Match": etag}) as unchanged:
            assert unchanged.status_code == 304
            assert "immutable" in unchanged.headers["Cache-Control"]
    with client.get("/static/css/site.css") as plain:  # no hash, or an old one: ask each time
        assert plain.headers["Cache-Control"] == "no-cache"
        modified = plain.headers["Last-Modified"]
    with client.get("/static/css/site.css", headers={"If-Modified-Since": modified}) as since:
        assert since.status_code == 304


def test_a_changed_static_file_gets_a_new_address(client, her, site, tmp_path):
    theme = tmp_path / "theme"
    (site / "static").rename(theme)  # a copy of the theme, to change
    (site / "static").mkdir()
    (site / "static/css").mkdir()
    css = site / "static/css/site.css"
    css.write_bytes((theme / "css/site.css").read_bytes())
    before = static_links(client.get("/").text)
    css.write_bytes(css.read_bytes() + b"\n/* v2 */\n")
    after = static_links(client.get("/").text)
    changed = [link for link in after if link not in before]
    assert len(changed) == 1 and changed[0].startswith("/static/css/site.css?v=")
    with client.get(before[after.index(changed[0])]) as old:
        assert old.headers["Cache-Control"] == "no-cache"  # never kept for a year


def test_a_reader_with_a_session_gets_private_pages_even_as_304(client, her):
    assert send_comment(client, "her", body="The letters scene!").status_code == 303
    assert client.get("/posts/her/").headers["Cache-Control"] == "private"  # with its notice
    own = client.get("/posts/her/")  # the notice shown once; the edit links stay
    assert "Edit or delete" in own.text and own.headers["Cache-Control"] == "private"
    assert "Cookie" in own.headers["Vary"]
    again = client.get("/posts/her/", headers={"If-None-Match": own.headers["ETag"]})
    assert again.status_code == 304 and again.headers["Cache-Control"] == "private"


def test_the_comments_json_of_a_frozen_copy_is_checked_each_time(client, her):
    response = client.get("/posts/her/comments.json")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-cache"


def test_a_frozen_copy_links_its_static_files_by_content_hash(runner, her, tmp_path):
    assert freeze(runner, tmp_path / "build").exit_code == 0
    files = frozen_files(tmp_path / "build")
    links = static_links(files["posts/her/index.html"].decode())
    assert links and all("?v=" in link for link in links)
    for link in links:
        assert link.split("?")[0].lstrip("/") in files


@pytest.mark.parametrize("url", ["/posts/her/", "/feed.json", "/static/css/site.css"])
def test_answers_are_compressed_for_browsers_that_accept_it(client, her, url):
    plain = client.get(url)
    packed = client.get(url, headers={"Accept-Encoding": "br"})
    assert packed.headers["Content-Encoding"] == "br"
    assert brotli.decompress(packed.get_data()) == plain.get_data()
    assert "Accept-Encoding" in packed.headers["Vary"]
    etag = packed.headers["ETag"]
    assert etag != plain.headers["ETag"]  # each encoding its own tag
    again = client.get(url, headers={"Accept-Encoding": "br", "If-None-Match": etag})
    assert again.status_code == 304
    plain.close(), packed.close(), again.close()
