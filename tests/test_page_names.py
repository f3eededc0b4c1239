"""Names a page file may not take: a slug another file has, the name of a built-in route."""

from __future__ import annotations

import logging

import pytest

from twombly import create_app

from .freezing import freeze, frozen_files

COMMENT = {"id": "c1", "parent": None, "author": "Ann", "body": "Loved the score.",
           "created": "2024-01-02T10:00:00Z", "status": "approved"}  # fmt: skip
DUPLICATE = "---\ntitle: Impostor\ndate: 2024-02-01\nslug: her\n---\nNot the review.\n"
ROUTES = ["admin", "tags", "archive", "page", "posts", "static", "feed.xml", "sitemap.xml",
          "robots.txt", "pygments.css", "404.html"]  # fmt: skip


def start(site, config, caplog):
    with caplog.at_level(logging.ERROR, logger="twombly"):
        app = create_app(config, site=site)
    return app


@pytest.mark.parametrize("other", ["aardvark", "zebra"])  # before and after her.md by name
def test_a_shared_slug_leaves_both_files_out_and_names_both(
    site, config, write_post, write_comments, caplog, other
):
    write_post("her", title="Her")
    write_comments("her", [COMMENT])
    write_post(other, raw=DUPLICATE)
    client = start(site, config, caplog).test_client()
    assert f"pages/{other}.md:4: slug 'her' is also used by pages/her.md" in caplog.text
    assert f"pages/her.md:1: slug 'her' is also used by pages/{other}.md" in caplog.text
    assert client.get("/posts/her/").status_code == 404
    assert client.get("/posts/her/comments.xml").status_code == 404
    index = client.get("/").get_data(as_text=True)
    assert "Impostor" not in index and "Her" not in index and "Loved the score" not in index


def test_check_names_every_file_of_a_shared_slug(runner, write_post, write_comments):
    write_post("her")
    write_comments("her", [COMMENT])
    write_post("dup", raw=DUPLICATE)
    write_post("copy", raw=DUPLICATE.replace("Impostor", "Copy"))
    result = runner.invoke(args=["check"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "pages/copy.md:4: slug 'her' is also used by pages/dup.md, pages/her.md",
        "pages/dup.md:4: slug 'her' is also used by pages/copy.md, pages/her.md",
        "pages/her.md:1: slug 'her' is also used by pages/copy.md, pages/dup.md",
        "3 errors, 0 warnings in 3 pages and 1 comment file.",
    ]  # and comments/her.json is not an orphan: its post is out until fixed


def test_the_post_and_its_comments_come_back_once_the_slug_is_fixed(
    client, write_post, write_comments
):
    write_post("her", title="Her")
    write_comments("her", [COMMENT])
    duplicate = write_post("dup", raw=DUPLICATE)
    assert client.get("/posts/her/").status_code == 404
    duplicate.write_text(DUPLICATE.replace("slug: her", "slug: impostor"), encoding="utf-8")
    response = client.get("/posts/her/")
    assert response.status_code == 200
    assert "Loved the score." in response.get_data(as_text=True)
    assert client.get("/posts/impostor/").status_code == 200


@pytest.mark.parametrize("name", ROUTES)
def test_a_page_named_like_a_route_is_refused(site, config, write_post, caplog, name):
    write_post(name, kind="page", title="My own page", body="Words of my own page.")
    app = start(site, config, caplog)
    message = f"slug '{name}' is reserved for the site's own /{name} address; choose another"
    assert f"pages/{name}.md:1: {message}" in caplog.text
    for url in ("/", f"/{name}/", f"/{name}"):
        assert "Words of my own page" not in app.test_client().get(url).get_data(as_text=True)
    result = app.test_cli_runner().invoke(args=["check"])
    assert result.exit_code == 1
    assert f"pages/{name}.md:1: {message}" in result.output


def test_a_slug_key_is_checked_too_whatever_its_case(runner, write_post):
    write_post("about-tags", raw="---\ntitle: T\ndate: 2024-01-01\nkind: page\nslug: Tags\n---\n")
    result = runner.invoke(args=["check"])
    assert "pages/about-tags.md:5: slug 'Tags' is reserved for the site's own /Tags address" in (
        result.output
    )


@pytest.mark.parametrize("name", ["__livereload", "__livereload__"])
def test_the_live_reload_address_cannot_be_taken(site, config, write_post, caplog, name):
    config["DEBUG"] = True  # live reload on: its route is registered
    write_post(name, kind="page")
    client = start(site, config, caplog).test_client()
    assert f"left out pages/{name}.md:1: slug '{name}'" in caplog.text
    assert client.get("/__livereload/").is_json


def test_a_new_route_is_reserved_without_a_list_to_update(app, write_post):
    app.add_url_rule("/screenings/", "screenings", lambda: "the screenings page")
    write_post("screenings", kind="page")
    result = app.test_cli_runner().invoke(args=["check"])
    assert "pages/screenings.md:1: slug 'screenings' is reserved" in result.output
    assert app.test_client().get("/screenings/").get_data(as_text=True) == "the screenings page"


def test_a_post_may_take_a_route_name_it_lives_under_posts(client, write_post):
    write_post("archive", title="Archive (2020)", body="A review of Archive.")
    assert "A review of Archive." in client.get("/posts/archive/").get_data(as_text=True)
    assert "Archive (2020)" in client.get("/archive/").get_data(as_text=True)


def test_a_page_named_admin_never_freezes_the_admin(runner, write_post, tmp_path):
    write_post("her")
    write_post("admin", kind="page")
    result = freeze(runner, tmp_path / "build")
    assert result.exit_code != 0
    assert "pages/admin.md:1: slug 'admin' is reserved" in result.output
    assert not (tmp_path / "build" / "admin").exists()


def test_a_post_named_admin_freezes_under_posts_only(runner, write_post, tmp_path):
    write_post("admin", title="Admin")
    result = freeze(runner, tmp_path / "build")
    assert result.exit_code == 0, result.output
    files = frozen_files(tmp_path / "build")
    assert "posts/admin/index.html" in files
    assert not [name for name in files if name.startswith("admin/")]
