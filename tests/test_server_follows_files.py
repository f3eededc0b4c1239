"""A running production server (gunicorn.conf.py, two gevent workers, the page cache on)
follows its files: new, edited and deleted posts, comments edited by hand, templates and
site.toml show within a few seconds, without a restart, and no cached page hides them."""

from __future__ import annotations

import json
import shutil
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from .conftest import PROJECT
from .serving import gunicorn

SETTINGS = 'title = "Before"\nbase_url = "https://reviews.example/"\n'
COMMENT = {
    "id": "20240102T000000Z-aaaaaa",
    "parent": None,
    "author": "Ann",
    "body": "First words.",
    "created": "2024-01-02T00:00:00Z",
    "status": "approved",
}


def post(title: str, body: str) -> str:
    return f"---\ntitle: {title}\ndate: 2024-01-01\n---\n\n{body}\n"


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """The URL of a site served by two workers, and its folder."""
    site = tmp_path_factory.mktemp("followed") / "site"
    (site / "pages").mkdir(parents=True)
    (site / "comments").mkdir()
    shutil.copytree(PROJECT / "templates", site / "templates")  # edited below
    (site / "static").symlink_to(PROJECT / "static")
    (site / "site.toml").write_text(SETTINGS, encoding="utf-8")
    for slug in ("her", "edited", "deleted"):
        (site / "pages" / f"{slug}.md").write_text(post(slug.title(), "Old words."), "utf-8")
    comments = {"post": "her", "comments": [COMMENT]}
    (site / "comments" / "her.json").write_text(json.dumps(comments, indent=2), "utf-8")
    with gunicorn(site, env={"WEB_CONCURRENCY": "2"}) as (url, _):
        for path in ("/", "/posts/her/", "/posts/edited/", "/posts/deleted/"):
            for _ in range(4):  # kept in the page cache of each worker that answers
                assert fetch(url + path)[0] == 200
        yield url, site


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def shows(url: str, seen: Callable[[int, str], bool], seconds: float = 8.0) -> float:
    """Seconds until eight answers in a row (from either worker) pass `seen`."""
    started = time.monotonic()
    in_a_row = 0
    while in_a_row < 8:
        in_a_row = in_a_row + 1 if seen(*fetch(url)) else 0
        assert time.monotonic() - started < seconds, f"{url} did not change"
        time.sleep(0.05)
    return time.monotonic() - started


def test_a_new_post_shows_without_a_restart(served):
    url, site = served
    (site / "pages" / "new.md").write_text(post("Brand New", "Fresh words."), "utf-8")
    shows(url + "/posts/new/", lambda status, page: status == 200 and "Fresh words." in page)
    shows(url + "/", lambda status, page: "Brand New" in page)


def test_an_edited_post_shows_its_new_text(served):
    url, site = served
    (site / "pages" / "edited.md").write_text(post("Edited", "New words."), "utf-8")
    shows(url + "/posts/edited/", lambda status, page: "New words." in page)


def test_a_deleted_post_is_gone(served):
    url, site = served
    (site / "pages" / "deleted.md").unlink()
    shows(url + "/posts/deleted/", lambda status, page: status == 404)
    shows(url + "/", lambda status, page: "/posts/deleted/" not in page)


def test_a_comments_file_edited_by_hand_shows(served):
    """Written in place, as an editor may: the same file, new words, one more comment."""
    url, site = served
    second = {**COMMENT, "id": "20240103T000000Z-bbbbbb", "body": "Second words."}
    comments = {"post": "her", "comments": [{**COMMENT, "body": "Fixed words."}, second]}
    with open(site / "comments" / "her.json", "r+", encoding="utf-8") as file:
        file.write(json.dumps(comments, indent=2))
        file.truncate()
    page = lambda status, page: "Fixed words." in page and "Second words." in page  # noqa: E731
    shows(url + "/posts/her/", page)
    shows(url + "/", lambda status, page: "2 comments" in page)


def test_an_edited_template_shows(served):
    url, site = served
    base = site / "templates" / "base.html"
    base.write_text(base.read_text("utf-8").replace("</body>", "<p>new-footer</p></body>"))
    shows(url + "/posts/her/", lambda status, page: "<p>new-footer</p>" in page)
    shows(url + "/", lambda status, page: "<p>new-footer</p>" in page)


def test_a_new_site_title_shows(served):
    url, site = served
    (site / "site.toml").write_text(SETTINGS.replace("Before", "After"), encoding="utf-8")
    shows(url + "/", lambda status, page: "<title>After</title>" in page)
    shows(url + "/posts/her/", lambda status, page: "After" in page and "Before" not in page)


def test_a_setting_that_needs_a_restart_says_so_and_a_broken_site_toml_changes_nothing(
    site, caplog
):
    """Through the test client with the server's settings (not TESTING): the title applies
    at once, the proxy setting waits for a restart and the log says so; a site.toml that no
    longer parses is named with its line, and the settings stay as they were."""
    from twombly import create_app

    (site / "site.toml").write_text(SETTINGS, encoding="utf-8")
    client = create_app({"SECRET_KEY": "test"}, site=site).test_client()
    assert "<title>Before</title>" in client.get("/").get_data(as_text=True)
    changed = SETTINGS.replace("Before", "After") + "[proxy]\ntrusted_hops = 1\n"
    (site / "site.toml").write_text(changed, encoding="utf-8")
    time.sleep(1.1)  # a worker looks at most once a second
    assert "<title>After</title>" in client.get("/").get_data(as_text=True)
    assert "site.toml: [proxy] trusted_hops changed; restart the server" in caplog.text
    (site / "site.toml").write_text('title = "Broken\n', encoding="utf-8")
    time.sleep(1.1)
    assert "<title>After</title>" in client.get("/").get_data(as_text=True)
    assert "site.toml: Illegal character" in caplog.text
    assert "(at line 1, column 16); the server keeps the settings it had" in caplog.text
