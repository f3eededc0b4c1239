"""Live preview: under debug an edit changes the dev endpoint's fingerprint and the page."""

from __future__ import annotations

import os

import pytest
from bs4 import BeautifulSoup

from twombly import create_app

ENDPOINT = "/__livereload/"


@pytest.fixture
def config(config):
    config["DEBUG"] = True
    return config


def fingerprint(client) -> str:
    response = client.get(ENDPOINT)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    return response.get_json()["fingerprint"]


def touch_later(path, seconds: int = 5) -> None:
    """Move the file's mtime on, as a save a moment later would."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + seconds * 10**9))


def test_editing_a_page_changes_the_fingerprint_and_the_page(client, write_post):
    path = write_post("her", body="The first words.")
    before = fingerprint(client)
    assert "The first words." in client.get("/posts/her/").get_data(as_text=True)
    write_post("her", body="The second words.")
    touch_later(path)
    assert fingerprint(client) != before
    assert "The second words." in client.get("/posts/her/").get_data(as_text=True)
    assert fingerprint(client) == fingerprint(client)


def test_editing_site_toml_changes_the_fingerprint(client, site):
    before = fingerprint(client)
    (site / "site.toml").write_text('title = "Renamed"\n', encoding="utf-8")
    assert fingerprint(client) != before


def test_pages_carry_the_script_under_debug(client, write_post):
    write_post("her")
    html = BeautifulSoup(client.get("/posts/her/").get_data(as_text=True), "html.parser")
    script = html.select_one('script[src*="/static/js/livereload.js"]')
    assert script["data-url"] == ENDPOINT
    assert script["data-fingerprint"] == fingerprint(client)
    with client.get("/static/js/livereload.js") as response:
        assert response.status_code == 200


def test_no_endpoint_and_no_script_without_debug(site, config, write_post):
    app = create_app({**config, "DEBUG": False}, site=site)
    client = app.test_client()
    write_post("her")
    assert client.get(ENDPOINT).status_code == 404
    for url in ("/", "/posts/her/", "/no-such-page/"):
        assert "livereload" not in client.get(url).get_data(as_text=True)


def test_open_tab_reloads_itself_after_a_save(page, server_url, write_post):
    path = write_post("her", body="The first words.")
    page.goto(f"{server_url}/posts/her/")
    assert page.get_by_text("The first words.").is_visible()
    write_post("her", body="The second words.")
    touch_later(path)
    page.get_by_text("The second words.").wait_for(timeout=5000)
