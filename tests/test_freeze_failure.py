"""A freeze that fails leaves the previous copy whole, and a failed first one leaves nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from twombly import create_app

from .test_incremental_freeze import blog, freeze, tree  # noqa: F401 (blog is a fixture)

pytestmark = pytest.mark.usefixtures("blog")


def failing_freeze(app, build: Path, *options: str) -> str:
    result = app.test_cli_runner().invoke(args=["freeze", "--destination", str(build), *options])
    assert result.exit_code != 0
    return result.output


def leftovers(folder: Path) -> list[str]:
    return [path.name for path in folder.iterdir() if "staging" in path.name]


def test_a_page_that_raises_leaves_the_previous_copy_byte_for_byte(config, site, tmp_path):
    build = tmp_path / "build"
    freeze(config, site, build, "--base-url", "https://one.example/")
    before = tree(build)
    (site / "pages/post-5.md").write_text("---\ntitle: Changed\ndate: 2024-03-05\n---\n\nNew.\n")
    app = create_app(config, site=site)
    app.add_url_rule("/broken/", "broken", lambda: 1 / 0)  # frozen after the posts
    output = failing_freeze(app, build, "--base-url", "https://two.example/")
    assert "/broken/" in output
    assert tree(build) == before  # the marker too: the next freeze trusts the old copy
    assert leftovers(tmp_path) == [] and leftovers(build) == []
    freeze(config, site, build, "--base-url", "https://one.example/")
    freeze(config, site, tmp_path / "cold", "--base-url", "https://one.example/")
    assert tree(build) == tree(tmp_path / "cold")


def test_a_comment_file_that_cannot_be_read_leaves_the_copy_whole(config, site, tmp_path):
    build = tmp_path / "build"
    freeze(config, site, build)
    before = tree(build)
    (site / "pages/post-1.md").write_text("---\ntitle: Changed\ndate: 2024-03-01\n---\n\nNew.\n")
    (site / "comments/post-3.json").write_text('{"post": "post-3", "comments": [', "utf-8")
    output = failing_freeze(create_app(config, site=site), build)
    assert "post-3" in output
    assert tree(build) == before


def test_a_failed_first_freeze_leaves_nothing_in_the_way(config, site, tmp_path):
    build = tmp_path / "build"
    build.mkdir()
    app = create_app(config, site=site)
    app.add_url_rule("/broken/", "broken", lambda: 1 / 0)
    failing_freeze(app, build)
    assert list(build.iterdir()) == [] and leftovers(tmp_path) == []
    failing_freeze(app, tmp_path / "new")
    assert not (tmp_path / "new").exists()
    freeze(config, site, build)  # no --force needed
    assert (build / "index.html").is_file()
