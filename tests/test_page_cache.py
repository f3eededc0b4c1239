"""The live server's page cache: same bytes, and never a stale page after a comment."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from flask import Flask, template_rendered

from twombly import create_app
from twombly.comments.store import store
from twombly.web.page_cache import PageCache


@pytest.fixture
def cached_app(site, config: dict[str, Any], write_post) -> Flask:
    write_post("her", body="A film about a voice.", tags=["drama"])
    write_post("solaris", body="A film about an ocean.", tags=["drama"])
    config.update(TESTING=False, FLATPAGES_AUTO_RELOAD=False, PAGE_CACHE_SECONDS=600)
    return create_app(config, site=site)


def test_cache_is_on_in_production_and_off_in_tests(cached_app: Flask, site, config) -> None:
    assert isinstance(cached_app.wsgi_app, PageCache)
    testing = create_app({**config, "TESTING": True}, site=site)
    assert not isinstance(testing.wsgi_app, PageCache)


@pytest.mark.parametrize("path", ["/", "/posts/her/", "/tags/drama/", "/feed.xml"])
def test_a_kept_page_has_the_same_bytes_as_a_fresh_one(cached_app: Flask, path: str) -> None:
    client = cached_app.test_client()
    first = client.get(path)
    second = client.get(path)
    assert first.status_code == second.status_code == 200
    assert first.data == second.data
    assert first.headers["Content-Type"] == second.headers["Content-Type"]
    assert path in cached_app.wsgi_app.kept_paths()


def test_a_new_comment_shows_at_once(cached_app: Flask) -> None:
    client = cached_app.test_client()
    assert "No comments yet" in client.get("/posts/her/").text
    with cached_app.app_context():
        store().add("her", author="Amy", body="The letters scene!")
    page = client.get("/posts/her/").text
    assert "The letters scene!" in page
    assert "1 comment" in client.get("/").text


def test_cookie_requests_and_errors_are_not_kept(cached_app: Flask) -> None:
    client = cached_app.test_client()
    client.get("/posts/her/")
    client.set_cookie("session", "not-a-valid-session")
    assert client.get("/posts/her/").status_code == 200
    assert "/posts/her/" in cached_app.wsgi_app.kept_paths()
    client.delete_cookie("session")
    assert client.get("/posts/nope/").status_code == 404
    assert "/posts/nope/" not in cached_app.wsgi_app.kept_paths()


def test_a_kept_page_carries_every_header_of_a_fresh_one(cached_app: Flask, site, config) -> None:
    uncached = create_app({**config, "PAGE_CACHE_SECONDS": 0}, site=site).test_client()
    client = cached_app.test_client()
    client.get("/posts/her/")
    kept = client.get("/posts/her/")
    fresh = uncached.get("/posts/her/")
    assert "/posts/her/" in cached_app.wsgi_app.kept_paths()
    assert kept.data == fresh.data
    assert sorted(kept.headers.items()) == sorted(fresh.headers.items())
    assert kept.headers["Vary"] == "Cookie"
    assert "frame-ancestors 'none'" in kept.headers["Content-Security-Policy"]
    assert kept.headers["X-Content-Type-Options"] == "nosniff"


def test_a_reader_with_a_session_gets_their_own_page(cached_app: Flask) -> None:
    client = cached_app.test_client()
    client.get("/posts/her/")  # kept for readers without cookies
    with client.session_transaction() as session:
        session["_flashes"] = [("message", "Thanks, your comment is published.")]
    assert "Thanks, your comment is published." in client.get("/posts/her/").text
    client.delete_cookie("session")
    assert "Thanks, your comment is published." not in client.get("/posts/her/").text


def test_https_and_http_readers_get_their_own_headers(site, config, write_post) -> None:
    write_post("her", body="A film about a voice.")
    config.update(
        TESTING=False, FLATPAGES_AUTO_RELOAD=False, PAGE_CACHE_SECONDS=600, PROXY_TRUSTED_HOPS=1
    )
    client = create_app(config, site=site).test_client()
    over_https = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    for _ in range(2):  # rendered, then kept
        assert "Strict-Transport-Security" in client.get("/posts/her/", headers=over_https).headers
        assert "Strict-Transport-Security" not in client.get("/posts/her/").headers


def test_readers_missing_the_same_page_at_once_share_one_render(cached_app: Flask) -> None:
    rendered: list[str] = []

    def count(sender: Flask, template, context, **extra) -> None:
        rendered.append(template.name)

    barrier = threading.Barrier(8)

    def read(_: int) -> bytes:
        barrier.wait()
        return cached_app.test_client().get("/posts/solaris/").data

    with template_rendered.connected_to(count, cached_app), ThreadPoolExecutor(8) as pool:
        pages = list(pool.map(read, range(8)))
    assert len(set(pages)) == 1 and b"A film about an ocean." in pages[0]
    assert rendered.count("post.html") == 1
