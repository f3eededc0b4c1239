"""`flask freeze` over a temporary site: every page, working links, the live bytes, safely."""

from __future__ import annotations

import json
from collections import deque
from urllib.request import urlopen

import feedparser
import pytest
from bs4 import BeautifulSoup
from flask import Response

from twombly import create_app

from .conftest import PROJECT
from .freezing import (
    broken_links,
    freeze,
    frozen_files,
    internal_links,
    static_server,
    url_of,
    without_comment_form,
)
from .test_feeds import check_json_feed_1_1

BASE_URL = "https://reviews.example/"


@pytest.fixture
def blog(write_post, write_comments):
    """Five posts over two index pages, tags, a standalone page, a draft and a scheduled post."""
    for day in range(1, 6):
        tags = ["drama", "comedy"] if day % 2 else ["drama"]
        write_post(f"post-{day}", date=f"2024-03-0{day}", tags=tags)
    write_post("post-9", date="2024-02-01", tags=["Science Fiction"], body="```python\nx = 1\n```")
    write_post("about", kind="page", title="About")
    write_post("secret", draft=True, tags=["hidden-tag"])
    write_post("tomorrow", date="2999-01-01", tags=["future-tag"])
    write_comments(
        "post-5",
        [
            {"id": "c1", "author": "Ann", "body": "Seen *it*.", "created": "2024-03-06T10:00:00Z",
             "status": "approved"},
            {"id": "c2", "author": "Bob", "body": "Held back.", "created": "2024-03-06T11:00:00Z",
             "status": "pending"},
        ],
    )  # fmt: skip


EXPECTED = {
    "index.html",
    "page/2/index.html",
    *(f"posts/post-{day}/index.html" for day in (1, 2, 3, 4, 5, 9)),
    "about/index.html",
    "tags/index.html",
    "tags/drama/index.html",
    "tags/drama/page/2/index.html",
    "tags/comedy/index.html",
    "tags/science-fiction/index.html",
    "archive/index.html",
    "search/index.html",
    "404.html",
    "pygments.css",
    "feed.xml",
    "rss.xml",
    "feed.json",
    "comments.xml",
    "sitemap.xml",
    "robots.txt",
    # The browse pages of a site without reviews: the lists, each empty.
    *(
        f"{name}/index.html"
        for name in (
            "films",
            "films/by-year",
            "films/by-rating",
            "films/by-watched",
            "directors",
            "actors",
            "genres",
            "years",
            "ratings",
            "diary",
        )
    ),
    "letterboxd.csv",
    *(f"tags/{tag}/feed.xml" for tag in ("drama", "comedy", "science-fiction")),
    *(f"posts/post-{day}/comments.xml" for day in (1, 2, 3, 4, 5, 9)),
    *(p.relative_to(PROJECT).as_posix() for p in (PROJECT / "static").rglob("*") if p.is_file()),
}


def test_freeze_writes_every_page(runner, blog, tmp_path):
    result = freeze(runner, tmp_path / "build")
    assert result.exit_code == 0, result.output
    files = frozen_files(tmp_path / "build")
    assert set(files) == EXPECTED
    assert (tmp_path / "build/pagefind/pagefind.js").is_file()  # and the search index
    assert "Froze" in result.output
    assert f"{len(files)} written, 0 unchanged" in result.output


def test_a_frozen_copy_has_every_feed(runner, blog, tmp_path):
    assert freeze(runner, tmp_path / "build").exit_code == 0
    files = frozen_files(tmp_path / "build")
    xml_feeds = [name for name in files if name.endswith(".xml") and name != "sitemap.xml"]
    assert len(xml_feeds) == 3 + 3 + 6  # the site (Atom, RSS, comments), tags, posts
    for name in xml_feeds:
        feed = feedparser.parse(files[name])
        assert not feed.bozo and feed.version in ("atom10", "rss20"), name
    assert [entry.author for entry in feedparser.parse(files["comments.xml"]).entries] == ["Ann"]
    check_json_feed_1_1(json.loads(files["feed.json"]))


def test_every_internal_link_resolves_to_a_frozen_file(runner, blog, tmp_path):
    assert freeze(runner, tmp_path / "build").exit_code == 0
    assert broken_links(tmp_path / "build", BASE_URL) == []


def test_each_frozen_file_is_the_live_response(runner, client, blog, tmp_path):
    assert freeze(runner, tmp_path / "build").exit_code == 0
    for name, data in frozen_files(tmp_path / "build").items():
        with client.get(url_of(name)) as response:
            assert response.status_code == 200, name
            assert without_comment_form(response.data) == without_comment_form(data), name


def test_two_freezes_are_byte_identical(runner, blog, tmp_path):
    assert freeze(runner, tmp_path / "one").exit_code == 0
    assert freeze(runner, tmp_path / "two").exit_code == 0
    assert frozen_files(tmp_path / "one") == frozen_files(tmp_path / "two")
    again = freeze(runner, tmp_path / "one")
    count = len(frozen_files(tmp_path / "one"))
    assert f"0 written, {count} unchanged, 0 removed" in again.output


def test_drafts_and_scheduled_posts_are_never_frozen(app, runner, client, blog, tmp_path):
    app.config["SHOW_DRAFTS"] = True
    assert client.get("/posts/secret/").status_code == 200  # the live preview shows it
    assert freeze(runner, tmp_path / "build").exit_code == 0
    files = frozen_files(tmp_path / "build")
    for hidden in ("secret", "tomorrow", "hidden-tag", "future-tag"):
        assert not [name for name in files if hidden in name], hidden
        assert not [name for name, data in files.items() if hidden.encode() in data], hidden
    assert b"status-banner" not in files["index.html"]
    assert app.config["SHOW_DRAFTS"] is True  # the freeze put the setting back


def test_only_approved_comments_are_frozen(runner, blog, tmp_path):
    assert freeze(runner, tmp_path / "build").exit_code == 0
    page = (tmp_path / "build/posts/post-5/index.html").read_text("utf-8")
    assert "Seen <em>it</em>." in page
    assert "Held back." not in page


def test_not_found_page_is_a_real_page(client, runner, blog, tmp_path):
    response = client.get("/404.html")
    assert response.status_code == 200
    assert "There is nothing at this address" in response.get_data(as_text=True)
    assert freeze(runner, tmp_path / "build").exit_code == 0
    assert (tmp_path / "build/404.html").read_bytes() == response.data


def test_destination_defaults_to_the_freeze_setting(app, runner, site, blog):
    app.config["FREEZE_DESTINATION"] = "public"
    result = runner.invoke(args=["freeze"])
    assert result.exit_code == 0, result.output
    assert (site / "public/posts/post-1/index.html").is_file()


def test_git_folder_and_kept_files_survive_and_stale_files_go(runner, blog, tmp_path):
    build = tmp_path / "build"
    assert freeze(runner, build).exit_code == 0
    (build / ".git").mkdir()
    (build / ".git/HEAD").write_text("ref: refs/heads/pages\n")
    (build / "CNAME").write_text("reviews.example\n")
    (build / "posts/gone").mkdir()
    (build / "posts/gone/index.html").write_text("an old post")
    result = freeze(runner, build)
    assert result.exit_code == 0, result.output
    assert (build / ".git/HEAD").read_text() == "ref: refs/heads/pages\n"
    assert (build / "CNAME").is_file()
    assert not (build / "posts/gone").exists()
    assert "1 removed" in result.output


@pytest.mark.parametrize("where", ["site", "parent", "pages", "inside static"])
def test_refuses_a_destination_that_holds_the_site(runner, site, blog, where):
    destination = {
        "site": site,
        "parent": site.parent,
        "pages": site / "pages",
        "inside static": site / "static" / "build",
    }[where]
    result = freeze(runner, destination)
    assert result.exit_code != 0
    assert "refusing to freeze into" in result.output
    assert (site / "pages/post-1.md").is_file()
    assert not (site / "static/build").exists()


def test_refuses_a_folder_no_freeze_wrote_unless_forced(runner, blog, tmp_path):
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "letter.txt").write_text("keep me")
    result = freeze(runner, folder)
    assert result.exit_code != 0
    assert "letter.txt" in result.output and "--force" in result.output
    assert (folder / "letter.txt").read_text() == "keep me"
    assert freeze(runner, folder, "--force").exit_code == 0
    assert not (folder / "letter.txt").exists()
    assert (folder / "index.html").is_file()


def test_a_route_answering_500_stops_the_freeze(app, runner, blog, tmp_path):
    def broken() -> str:
        raise RuntimeError("the template engine caught fire")

    app.add_url_rule("/broken/", "broken", broken)
    result = freeze(runner, tmp_path / "build")
    assert result.exit_code != 0
    assert "/broken/" in result.output and "500" in result.output


def test_a_freeze_after_a_failed_first_one_needs_no_force(app, runner, blog, tmp_path):
    app.add_url_rule("/broken/", "broken", lambda: 1 / 0)
    assert freeze(runner, tmp_path / "build").exit_code != 0
    app.view_functions["broken"] = lambda: "<p>Mended.</p>"
    result = freeze(runner, tmp_path / "build")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "build/broken/index.html").read_text() == "<p>Mended.</p>"


def test_bad_front_matter_stops_the_freeze(runner, write_post, blog, tmp_path):
    write_post("bad", raw="---\ntitle: No date\n---\n\nText.\n")
    result = freeze(runner, tmp_path / "build")
    assert result.exit_code != 0
    assert "pages/bad.md" in result.output and "date" in result.output
    assert not (tmp_path / "build").exists()


def crawl(origin: str, start: str, prefix: str) -> dict[str, int]:
    """Status of every page reachable from `start` through internal links under `prefix`."""
    seen: dict[str, int] = {}
    queue = deque([start])
    while queue:
        path = queue.popleft()
        if path in seen:
            continue
        with urlopen(origin + path) as response:
            seen[path] = response.status
            body = response.read()
            is_html = response.headers.get_content_type() == "text/html"
        if is_html:
            queue.extend(internal_links(body.decode("utf-8"), origin + "/", prefix))
    return seen


def test_a_sub_path_copy_works_from_a_parent_folder(runner, blog, tmp_path):
    parent = tmp_path / "host"
    with static_server(parent) as origin:
        result = freeze(runner, parent / "blog", "--base-url", f"{origin}/blog/")
        assert result.exit_code == 0, result.output
        pages = crawl(origin, "/blog/", "/")
    assert set(pages.values()) == {200}
    assert all(path.startswith("/blog/") for path in pages)
    assert "/blog/posts/post-9/" in pages and "/blog/pygments.css" in pages
    post = BeautifulSoup(
        (parent / "blog/posts/post-1/index.html").read_text("utf-8"), "html.parser"
    )
    assert post.select_one('link[rel="canonical"]')["href"] == f"{origin}/blog/posts/post-1/"


def test_a_page_whose_name_misstates_its_type_stops_the_freeze(app, runner, blog, tmp_path):
    app.add_url_rule("/notes.txt", "notes", lambda: "<p>HTML under a .txt name</p>")
    result = freeze(runner, tmp_path / "build")
    assert result.exit_code != 0
    assert "/notes.txt" in result.output and "text/html" in result.output


def test_an_atom_feed_named_xml_is_frozen(app, runner, blog, tmp_path):
    feed = '<feed xmlns="http://www.w3.org/2005/Atom"/>'
    app.add_url_rule(
        "/films.xml", "films_feed", lambda: Response(feed, mimetype="application/atom+xml")
    )
    assert freeze(runner, tmp_path / "build").exit_code == 0
    assert (tmp_path / "build/films.xml").read_text() == feed


def test_a_route_with_arguments_and_no_generator_stops_the_freeze(app, runner, blog, tmp_path):
    app.add_url_rule("/films/<name>/", "film", lambda name: name)
    result = freeze(runner, tmp_path / "build")
    assert result.exit_code != 0
    assert "film" in result.output


def test_an_empty_site_freezes(runner, tmp_path):
    result = freeze(runner, tmp_path / "build")
    assert result.exit_code == 0, result.output
    assert b"Nothing is published yet" in (tmp_path / "build/index.html").read_bytes()
    assert (tmp_path / "build/404.html").is_file()


@pytest.mark.parametrize("address", ["/blog/", "example.org/blog/", "ftp://example.org/"])
def test_base_url_must_be_an_absolute_web_address(runner, blog, tmp_path, address):
    result = freeze(runner, tmp_path / "build", "--base-url", address)
    assert result.exit_code == 2
    assert "not an address such as https://example.org/blog/" in result.output
    assert not (tmp_path / "build").exists()


def test_live_only_pages_stay_out_of_the_copy(config, site, write_post, tmp_path):
    config["DEBUG"] = True  # a freeze run under FLASK_DEBUG, with the live preview on
    app = create_app(config, site=site)
    write_post("her")
    assert app.test_client().get("/admin/login/").status_code == 200
    result = freeze(app.test_cli_runner(), tmp_path / "build")
    assert result.exit_code == 0, result.output
    files = frozen_files(tmp_path / "build")
    pages = [name for name in files if not name.startswith("static/")]
    assert not [name for name in pages if "admin" in name or "livereload" in name]
    assert b"livereload" not in files["posts/her/index.html"]
