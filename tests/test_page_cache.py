"""The live server's page cache: same bytes, and never a stale page after a comment."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from twombly import create_app
from twombly.comments import store
from twombly.page_cache import PageCache


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
    assert path in cached_app.wsgi_app._kept


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
    assert "/posts/her/" in cached_app.wsgi_app._kept
    client.delete_cookie("session")
    assert client.get("/posts/nope/").status_code == 404
    assert "/posts/nope/" not in cached_app.wsgi_app._kept
