"""The live server's page cache: same bytes, never stale, never one reader's page for another."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask, template_rendered

from twombly import create_app

from .comment_helpers import send_comment

PAGES = ["/", "/posts/her/", "/tags/drama/", "/archive/", "/feed.xml", "/sitemap.xml"]


@pytest.fixture
def production(config: dict[str, Any]) -> dict[str, Any]:
    """Settings of a production server: the cache on, pages read once."""
    return {**config, "TESTING": False, "FLATPAGES_AUTO_RELOAD": False}


@pytest.fixture
def cached_app(site, production, write_post) -> Flask:
    write_post("her", body="A film about a voice.", tags=["drama"])
    write_post("solaris", body="A film about an ocean.", tags=["drama"])
    return create_app(production, site=site)


@contextmanager
def renders(app: Flask) -> Iterator[list[str]]:
    """The names of the templates `app` renders meanwhile."""
    rendered: list[str] = []

    def count(sender: Flask, template, context, **extra) -> None:
        rendered.append(template.name)

    with template_rendered.connected_to(count, app):
        yield rendered


def test_the_cache_is_on_in_production_and_off_in_tests(cached_app, site, config) -> None:
    with renders(cached_app) as rendered:
        cached_app.test_client().get("/posts/her/")
        cached_app.test_client().get("/posts/her/")
    assert rendered.count("post.html") == 1
    testing = create_app(config, site=site)
    with renders(testing) as rendered:
        testing.test_client().get("/posts/her/")
        testing.test_client().get("/posts/her/")
    assert rendered.count("post.html") == 2


@pytest.mark.parametrize("path", PAGES)
def test_a_kept_page_is_the_fresh_page_byte_for_byte(cached_app, site, production, path) -> None:
    uncached = create_app({**production, "CACHE_TYPE": "NullCache"}, site=site).test_client()
    client = cached_app.test_client()
    client.get(path)
    with renders(cached_app) as rendered:
        kept = client.get(path)
    fresh = uncached.get(path)
    assert rendered == []
    assert kept.status_code == fresh.status_code == 200
    assert kept.data == fresh.data
    dated = {"Date"}  # the time of the answer (conditional answers carry it)
    assert sorted(h for h in kept.headers.items() if h[0] not in dated) == sorted(
        h for h in fresh.headers.items() if h[0] not in dated
    )
    assert kept.headers["Vary"] == "Cookie, Accept-Encoding"
    assert "private" not in kept.headers.get("Cache-Control", "")
    assert "frame-ancestors 'none'" in kept.headers["Content-Security-Policy"]


def test_a_new_comment_shows_at_once_in_every_worker(cached_app, site, production) -> None:
    other_worker = create_app(production, site=site)
    reader, other_reader = cached_app.test_client(), other_worker.test_client()
    for client in (reader, other_reader):
        assert "No comments yet" in client.get("/posts/her/").text
        assert "1 comment" not in client.get("/").text
    writer = other_worker.test_client()
    assert send_comment(writer, "her", body="The letters scene!").status_code == 303
    for client in (reader, other_reader):
        assert "The letters scene!" in client.get("/posts/her/").text
        assert "The letters scene!" in client.get("/posts/her/comments.xml").text
        assert "1 comment" in client.get("/").text


def test_edited_pages_show_once_they_are_read_again(cached_app, write_post) -> None:
    client = cached_app.test_client()
    assert "A film about a voice." in client.get("/posts/her/").text
    write_post("her", body="A film about a letter writer.", tags=["drama"])
    cached_app.extensions["flatpages"][None].reload()
    assert "A film about a letter writer." in client.get("/posts/her/").text


def test_a_page_is_kept_for_the_timeout_only(site, production, write_post) -> None:
    write_post("her", body="A film about a voice.")
    app = create_app({**production, "CACHE_DEFAULT_TIMEOUT": 2}, site=site)
    client = app.test_client()
    with renders(app) as rendered:
        client.get("/posts/her/")
        client.get("/posts/her/")
        time.sleep(2.1)
        client.get("/posts/her/")
    assert rendered.count("post.html") == 2


def test_a_reader_with_a_session_never_gets_another_readers_page(cached_app) -> None:
    anonymous = cached_app.test_client()
    anonymous.get("/posts/her/")  # kept for readers without a session
    writer = cached_app.test_client()
    assert send_comment(writer, "her", name="Amy", body="The letters scene!").status_code == 303
    own = writer.get("/posts/her/")
    assert "Thank you" in own.text and "Edit or delete" in own.text  # their notice, links
    assert own.headers["Cache-Control"] == "private"
    assert own.headers["Vary"] == "Cookie, Accept-Encoding"
    for _ in range(2):  # rendered, then kept: neither has the writer's notice or links
        page = anonymous.get("/posts/her/")
        assert "The letters scene!" in page.text
        assert "Thank you" not in page.text and "Edit or delete" not in page.text
        assert "private" not in page.headers.get("Cache-Control", "")
    assert "Edit or delete" in writer.get("/posts/her/").text


def test_forged_host_headers_make_no_new_entries(site, production, write_post) -> None:
    """The page is the same whatever Host a client claims (its links use BASE_URL), so a
    client cannot fill the cache by sending a new X-Forwarded-Host each time."""
    write_post("her", body="A film about a voice.")
    for hops in (0, 1):
        app = create_app({**production, "PROXY_TRUSTED_HOPS": hops}, site=site)
        client = app.test_client()
        with renders(app) as rendered:
            pages = {
                client.get(
                    "/posts/her/",
                    headers={"Host": f"h{number}.example", "X-Forwarded-Host": f"f{number}.x"},
                ).data
                for number in range(20)
            }
        assert len(pages) == 1
        assert rendered.count("post.html") == 1


def test_errors_are_never_kept(site, production, write_post) -> None:
    """With room for one page, a kept page stays kept while readers meet errors."""
    write_post("her", body="A film about a voice.")
    app = create_app({**production, "CACHE_THRESHOLD": 1}, site=site)
    client = app.test_client()
    with renders(app) as rendered:
        client.get("/posts/her/")
        for number in range(5):
            assert client.get(f"/posts/nope-{number}/").status_code == 404
            assert client.get(f"/tags/nope-{number}/feed.xml").status_code == 404
        assert client.get("/posts/her/").status_code == 200
    assert rendered.count("post.html") == 1
    assert rendered.count("error.html") == 10


def test_https_and_http_readers_get_their_own_headers(site, production, write_post) -> None:
    write_post("her", body="A film about a voice.")
    client = create_app({**production, "PROXY_TRUSTED_HOPS": 1}, site=site).test_client()
    over_https = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    for _ in range(2):  # rendered, then kept
        assert "Strict-Transport-Security" in client.get("/posts/her/", headers=over_https).headers
        assert "Strict-Transport-Security" not in client.get("/posts/her/").headers


def test_with_redis_every_worker_shares_the_pages(cached_app, site, production, redis_url):
    workers = [create_app({**production, "CACHE_REDIS_URL": redis_url}, site=site) for _ in "ab"]
    first, second = (worker.test_client() for worker in workers)
    with renders(workers[0]) as rendered_first, renders(workers[1]) as rendered_second:
        assert "No comments yet" in first.get("/posts/her/").text
        assert "No comments yet" in second.get("/posts/her/").text
    assert rendered_first.count("post.html") == 1
    assert rendered_second.count("post.html") == 0  # the first worker's page
    writer = workers[1].test_client()
    assert send_comment(writer, "her", body="The letters scene!").status_code == 303
    assert "The letters scene!" in first.get("/posts/her/").text
    assert "The letters scene!" in second.get("/posts/her/").text


def test_with_redis_down_pages_are_still_served(cached_app, site, production, caplog):
    pytest.importorskip("redis")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    app = create_app({**production, "CACHE_REDIS_URL": f"redis://127.0.0.1:{closed}/0"}, site=site)
    page = app.test_client().get("/posts/her/")
    assert page.status_code == 200
    assert "A film about a voice." in page.text
    assert "cache backend" in caplog.text


def test_a_reply_address_gets_its_own_form_and_is_never_kept(cached_app, write_comments):
    write_comments("her", [{"id": "c1", "author": "Ann", "body": "The letters!",
                            "created": "2024-01-02T10:00:00Z", "status": "approved"}])  # fmt: skip
    client = cached_app.test_client()
    assert "Reply to Ann" not in client.get("/posts/her/").text  # kept now
    assert "Reply to Ann" in client.get("/posts/her/?reply=c1").text
    assert "Reply to Ann" not in client.get("/posts/her/").text
