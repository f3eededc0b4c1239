"""Small defects found by a new user (issue 17, item 21), each kept fixed by a test."""

from __future__ import annotations

import json
import logging
import threading
import tomllib
import urllib.request
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

from twombly import create_app

from .comment_helpers import csrf_token, send_comment, soup
from .conftest import PROJECT


def test_the_project_has_the_mit_license_pyproject_names():
    pyproject = tomllib.loads((PROJECT / "pyproject.toml").read_text("utf-8"))
    assert pyproject["project"]["license"] == "MIT"
    text = (PROJECT / "LICENSE").read_text("utf-8")
    assert text.startswith("MIT License\n")
    assert "Copyright (c) 2026 The Twombly authors" in text
    assert 'THE SOFTWARE IS PROVIDED "AS IS"' in text


def test_the_index_says_review_for_reviews_and_post_for_other_posts(client, write_post):
    write_post("her", title="Her", review={"title": "Her", "year": 2013})
    write_post("notes", title="Notes on cinemas", date="2024-01-02")
    summaries = {
        summary.select_one("h2").get_text(): summary.select_one(".read-more a").get_text()
        for summary in soup(client.get("/")).select(".post-summary")
    }
    assert summaries == {
        "Her": "Read the review: Her",
        "Notes on cinemas": "Read the post: Notes on cinemas",
    }


@pytest.fixture
def her(write_post):
    return write_post("her", title="her")


def test_the_redirect_after_a_comment_tells_the_limit_but_not_to_wait(client, her):
    sent = send_comment(client, "her")
    assert sent.status_code == 303
    assert sent.headers["X-RateLimit-Limit"] == "5"
    assert sent.headers["X-RateLimit-Remaining"] == "4"
    assert "Retry-After" not in sent.headers


def test_a_rate_limited_comment_comes_back_filled_in_and_is_not_stored(client, site, her):
    token = csrf_token(client, "her")
    for _ in range(5):
        assert send_comment(client, "her", csrf_token=token).status_code == 303
    refused = send_comment(
        client,
        "her",
        csrf_token=token,
        name="Bea",
        website="https://bea.example/",
        body="My long, careful thoughts.",
    )
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.headers["X-RateLimit-Remaining"] == "0"
    form = soup(refused).select_one("form.comment-form")
    assert "several comments in a short time" in form.select_one('[role="alert"]').get_text()
    assert form.select_one('input[name="name"]')["value"] == "Bea"
    assert form.select_one('input[name="website"]')["value"] == "https://bea.example/"
    assert form.select_one('textarea[name="body"]').get_text().strip() == (
        "My long, careful thoughts."
    )
    stored = json.loads((site / "comments" / "her.json").read_text("utf-8"))["comments"]
    assert [comment["author"] for comment in stored] == ["Ann"] * 5


def test_a_rate_limited_comment_on_an_unknown_post_is_a_404(client, her):
    token = csrf_token(client, "her")
    for _ in range(5):
        assert send_comment(client, "her", csrf_token=token).status_code == 303
    assert send_comment(client, "nothing", csrf_token=token).status_code == 404


def test_new_names_the_file_that_already_uses_the_slug(runner, site, write_post):
    write_post("elsewhere", raw="---\ntitle: Elsewhere\ndate: 2024-01-01\nslug: her\n---\nHi.\n")
    result = runner.invoke(args=["new", "Her"])
    assert result.exit_code == 1
    assert "the slug 'her' is already used by pages/elsewhere.md" in result.output
    assert not (site / "pages" / "her.md").exists()


@pytest.fixture
def dev_server(site, config) -> Iterator[str]:
    """The app under Werkzeug's development server with debug on, as `flask run --debug`."""
    app = create_app({**config, "DEBUG": True}, site=site)
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


def test_live_reload_polls_stay_out_of_the_dev_server_access_log(dev_server, her, caplog):
    caplog.set_level(logging.INFO, logger="werkzeug")
    for path in ("/__livereload/", "/__livereload/", "/posts/her/"):
        with urllib.request.urlopen(dev_server + path) as response:
            assert response.status == 200
    logged = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert any('"GET /posts/her/ HTTP/1.1" 200' in line for line in logged), logged
    assert not any("__livereload" in line for line in logged), logged
