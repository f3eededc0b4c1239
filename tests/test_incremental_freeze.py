"""A re-freeze rebuilds only what changed, and leaves exactly what a cold freeze would."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from twombly import create_app

from .conftest import PROJECT
from .freezing import freeze

MANIFEST = ".twombly-manifest.json"


@pytest.fixture
def blog(write_post, write_comments):
    """Eight posts over three index pages (3 a page), with tags, and an About page."""
    for day in range(1, 9):
        tags = ["drama", "comedy"] if day % 2 else ["drama"]
        write_post(f"post-{day}", date=f"2024-03-0{day}", tags=tags, body=f"Film {day}, *seen*.")
    write_post("about", kind="page", title="About")
    write_comments("post-8", [comment("c1", "First!")])


def comment(ident: str, body: str) -> dict[str, str]:
    return {
        "id": ident,
        "author": "Ann",
        "body": body,
        "created": "2024-03-09T10:00:00Z",
        "status": "approved",
    }


def tree(root: Path) -> dict[str, bytes]:
    """Every file in the folder, the manifest and marker included."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def written(output: str) -> int:
    return int(re.search(r"(\d+) written", output)[1])


def refreeze_matches_cold(runner, build: Path, cold: Path, before: dict[str, bytes]) -> int:
    """Re-freeze `build`; check it equals a cold freeze and reports what changed written."""
    result = freeze(runner, build)
    assert result.exit_code == 0, result.output
    assert freeze(runner, cold).exit_code == 0
    after = tree(build)
    assert after == tree(cold)
    changed = {name for name in after if name != MANIFEST and before.get(name) != after[name]}
    assert written(result.output) == len(changed)
    return len(changed)


def test_an_unchanged_site_writes_nothing_and_keeps_every_file(runner, blog, tmp_path):
    assert freeze(runner, tmp_path / "build").exit_code == 0
    before = {p: p.stat().st_mtime_ns for p in (tmp_path / "build").rglob("*") if p.is_file()}
    result = freeze(runner, tmp_path / "build")
    assert " 0 written" in result.output and "0 removed" in result.output
    after = {p: p.stat().st_mtime_ns for p in (tmp_path / "build").rglob("*") if p.is_file()}
    assert {p: t for p, t in after.items() if p.name != MANIFEST} == {
        p: t for p, t in before.items() if p.name != MANIFEST
    }


def test_editing_a_post_rewrites_only_the_pages_that_show_it(runner, site, blog, tmp_path):
    build = tmp_path / "build"
    freeze(runner, build)
    before = tree(build)
    post = site / "pages" / "post-5.md"
    post.write_text(post.read_text() + "\nAn afterthought.\n", encoding="utf-8")
    refreeze_matches_cold(runner, build, tmp_path / "cold", before)
    after = tree(build)
    changed = {name for name in after if before.get(name) != after[name]} - {MANIFEST}
    # The post itself, the feeds that carry its body; nothing else shows the new paragraph.
    assert "posts/post-5/index.html" in changed
    assert "feed.xml" in changed
    assert "posts/post-4/index.html" not in changed
    assert "page/3/index.html" not in changed
    assert b"An afterthought." in after["posts/post-5/index.html"]


def test_retitling_a_post_updates_its_neighbours_and_listings(runner, site, blog, tmp_path):
    build = tmp_path / "build"
    freeze(runner, build)
    before = tree(build)
    post = site / "pages" / "post-5.md"
    post.write_text(post.read_text().replace("Post 5", "A New Title"), encoding="utf-8")
    refreeze_matches_cold(runner, build, tmp_path / "cold", before)
    after = tree(build)
    for name in ("posts/post-4/index.html", "posts/post-6/index.html", "page/2/index.html",
                 "archive/index.html", "tags/comedy/index.html"):  # fmt: skip
        assert b"A New Title" in after[name], name
    # post-2 neither neighbours post-5 nor lists it among its related reviews.
    assert after["posts/post-2/index.html"] == before["posts/post-2/index.html"]


def test_a_new_comment_rebuilds_its_post_feed_and_counts(runner, blog, write_comments, tmp_path):
    build = tmp_path / "build"
    freeze(runner, build)
    before = tree(build)
    write_comments("post-8", [comment("c1", "First!"), comment("c2", "Second *thoughts*.")])
    refreeze_matches_cold(runner, build, tmp_path / "cold", before)
    after = tree(build)
    assert b"Second <em>thoughts</em>" in after["posts/post-8/index.html"]
    assert b"Second" in after["posts/post-8/comments.xml"]
    assert b"2 comments" in after["index.html"]


def test_deleting_a_post_removes_its_files_and_updates_listings(runner, site, blog, tmp_path):
    build = tmp_path / "build"
    freeze(runner, build)
    before = tree(build)
    (site / "pages" / "post-8.md").unlink()
    result = freeze(runner, build)
    assert "2 removed" in result.output  # the post and its comment feed
    assert freeze(runner, tmp_path / "cold").exit_code == 0
    assert tree(build) == tree(tmp_path / "cold")
    assert not (build / "posts" / "post-8").exists()
    assert b"post-8" not in (build / "index.html").read_bytes()
    assert b"post-8" not in (build / "sitemap.xml").read_bytes()
    assert before["posts/post-7/index.html"] != tree(build)["posts/post-7/index.html"]


def own_theme(site: Path) -> None:
    """Replace the linked theme with copies this test may edit."""
    for name in ("templates", "static"):
        (site / name).unlink()
        shutil.copytree(PROJECT / name, site / name)


def test_editing_a_template_rebuilds_every_page(site, config, blog, tmp_path):
    own_theme(site)
    build = tmp_path / "build"
    freeze(create_app(config, site=site).test_cli_runner(), build)
    before = tree(build)
    base = site / "templates" / "base.html"
    base.write_text(base.read_text().replace("<footer", "<!-- v2 -->\n  <footer"), "utf-8")
    runner = create_app(config, site=site).test_cli_runner()  # a new process, as `flask freeze`
    changed = refreeze_matches_cold(runner, build, tmp_path / "cold", before)
    pages = [name for name in tree(build) if name.endswith(".html")]
    assert changed == len(pages)
    assert all(b"<!-- v2 -->" in tree(build)[name] for name in pages)


def test_editing_a_static_file_rewrites_it(runner, site, blog, tmp_path):
    own_theme(site)
    build = tmp_path / "build"
    freeze(runner, build)
    before = tree(build)
    css = site / "static" / "css" / "site.css"
    css.write_text(css.read_text() + "\n/* v2 */\n", encoding="utf-8")
    assert refreeze_matches_cold(runner, build, tmp_path / "cold", before) == 1
    assert (build / "static" / "css" / "site.css").read_bytes().endswith(b"/* v2 */\n")


def test_changing_site_toml_rebuilds_what_shows_it(site, config, blog, tmp_path):
    config.pop("TITLE")
    (site / "site.toml").write_text('title = "Old Name"\n', encoding="utf-8")
    build = tmp_path / "build"
    freeze(create_app(config, site=site).test_cli_runner(), build)
    before = tree(build)
    (site / "site.toml").write_text('title = "New Name"\n', encoding="utf-8")
    runner = create_app(config, site=site).test_cli_runner()
    refreeze_matches_cold(runner, build, tmp_path / "cold", before)
    after = tree(build)
    assert all(b"New Name" in after[name] for name in after if name.endswith(".html"))
    assert b"New Name" in after["feed.xml"]


def test_a_manifest_from_another_engine_is_ignored(runner, blog, tmp_path):
    build = tmp_path / "build"
    freeze(runner, build)
    index = build / "index.html"
    original = index.read_bytes()
    index.write_bytes(b"x" * len(original))  # same size: only a rebuild restores it
    manifest = json.loads((build / MANIFEST).read_text())
    manifest["engine"] = "another version"
    (build / MANIFEST).write_text(json.dumps(manifest))
    result = freeze(runner, build)
    assert "1 written" in result.output
    assert index.read_bytes() == original


def test_a_missing_or_resized_file_is_rebuilt(runner, blog, tmp_path):
    build = tmp_path / "build"
    freeze(runner, build)
    post = build / "posts" / "post-3" / "index.html"
    original = post.read_bytes()
    post.unlink()
    (build / "archive" / "index.html").write_text("hand-edited")
    result = freeze(runner, build)
    assert "2 written" in result.output
    assert post.read_bytes() == original
    assert b"hand-edited" not in (build / "archive" / "index.html").read_bytes()
