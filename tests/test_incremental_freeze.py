"""A re-freeze renders only what changed, and leaves exactly what a cold freeze would."""

from __future__ import annotations

import gzip
import os
import re
import shutil
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import Result

from twombly import create_app

from .conftest import PROJECT

MARKER = ".twombly-build"
FRAGMENTS = "pagefind/fragment/*.pf_fragment"  # one gzipped record per indexed page
INDEX = "pagefind (the pages it holds)"  # not a page: the summary does not count it
PLANTED = b"<!-- planted: only a page rendered again loses this -->"


@pytest.fixture
def config(config):
    """As shipped: every text file of the copy with its .gz and .br beside it."""
    return {**config, "FREEZE_PRECOMPRESS": True}


@pytest.fixture
def blog(site, write_post, write_comments):
    """Eight posts over three index pages (3 a page), tags, an About page and a draft, with a
    theme of their own; every file last changed a minute ago, as a site edited earlier."""
    for name in ("templates", "static"):
        (site / name).unlink()
        shutil.copytree(PROJECT / name, site / name)
    (site / "site.toml").write_text('author = "Ann Old"\n', encoding="utf-8")
    for day in range(1, 9):
        tags = ["drama", "comedy"] if day % 2 else ["drama"]
        write_post(f"post-{day}", date=f"2024-03-0{day}", tags=tags, body=f"Film {day}, *seen*.")
    write_post("about", kind="page", title="About")
    write_post("draft-9", date="2024-03-09", tags=["drama", "new-wave"], draft=True)
    write_comments("post-8", [comment("c1", "First!")])
    age(site)


def age(folder: Path, seconds: float = 60) -> None:
    """Set the mtime of a folder and everything in it to `seconds` ago."""
    moment = time.time() - seconds
    for top, _, names in os.walk(folder):
        for path in (top, *(os.path.join(top, name) for name in names)):
            os.utime(path, (moment, moment))


def comment(ident: str, body: str) -> dict[str, str]:
    return {"id": ident, "author": "Ann", "body": body, "created": "2024-03-09T10:00:00Z",
            "status": "approved"}  # fmt: skip


def freeze(config: dict, site: Path, build: Path, *options: str) -> Result:
    """`flask freeze` in an app of its own, as each run of the command is a new process."""
    runner = create_app(config, site=site).test_cli_runner()
    result = runner.invoke(args=["freeze", "--destination", str(build), *options])
    assert result.exit_code == 0, result.output
    return result


def tree(root: Path) -> dict[str, bytes]:
    """Every file in the folder, the marker included, the search index as the pages it holds.

    Pagefind writes a filter's values in no fixed order, so two indexes of the same pages may
    differ in bytes (and file names); the records of the pages they hold are the same.
    """
    files = {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and "pagefind" not in path.relative_to(root).parts[:1]
    }
    fragments = sorted(gzip.decompress(path.read_bytes()) for path in root.glob(FRAGMENTS))
    return {**files, INDEX: b"\n".join(fragments)}


def count(output: str, what: str) -> int:
    return int(re.search(rf"(\d+) {what}", output)[1])


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, path
    path.write_text(text.replace(old, new), encoding="utf-8")


def refreeze_matches_cold(config: dict, site: Path, tmp_path: Path, change: Callable) -> dict:
    """Freeze, change the site, re-freeze: the result is a cold freeze's, byte for byte, and
    the summary counts the files whose bytes changed and the files removed."""
    build = tmp_path / "build"
    freeze(config, site, build)
    before = tree(build)
    change()
    result = freeze(config, site, build)
    after = tree(build)
    freeze(config, site, tmp_path / "cold")
    assert after == tree(tmp_path / "cold")
    changed = {name for name, data in after.items() if before.get(name) != data} - {MARKER, INDEX}
    assert changed, "the change shows on no page"
    pages = {name for name in changed if not is_copy(name)}
    assert count(result.output, "written") == len(pages)
    assert {f"{name}{suffix}" for name in pages for suffix in COPIES if is_text(name)} == (
        changed - pages
    ), "a compressed copy that is not its file's"
    removed = before.keys() - after.keys()
    assert count(result.output, "removed") == len({name for name in removed if not is_copy(name)})
    assert all(name.removesuffix(name[-3:]) in removed for name in removed if is_copy(name))
    return {name: (before.get(name), after.get(name)) for name in changed | removed}


COPIES = (".gz", ".br")


def is_copy(name: str) -> bool:
    return name.endswith(COPIES)


def is_text(name: str) -> bool:
    return name.endswith((".html", ".css", ".js", ".xml", ".json", ".svg"))


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as file:
        file.write(text)


CHANGES: dict[str, Callable[..., None]] = {
    "a post's body": lambda site, **_: edit(site / "pages/post-5.md", "Film 5", "Film five"),
    "a post's title": lambda site, **_: edit(site / "pages/post-5.md", "Post 5", "A New Title"),
    "a post's date": lambda site, **_: edit(site / "pages/post-2.md", "03-02", "03-31"),
    "a post's tags": lambda site, **_: edit(site / "pages/post-3.md", ', "comedy"', ""),
    "a comment file": lambda write_comments, **_: write_comments(
        "post-8", [comment("c1", "First!"), comment("c2", "Second *thoughts*.")]
    ),
    "a first comment": lambda write_comments, **_: write_comments("post-2", [comment("c9", "Hi")]),
    "a deleted comment file": lambda site, **_: (site / "comments/post-8.json").unlink(),
    "a template": lambda site, **_: edit(
        site / "templates/base.html", "<footer", "<!-- v2 -->\n  <footer"
    ),
    "a static file": lambda site, **_: append(site / "static/css/site.css", "/* v2 */\n"),
    "site.toml": lambda site, **_: edit(site / "site.toml", "Ann Old", "Ann New"),
    "a new post": lambda write_post, **_: write_post("post-10", date="2024-03-10", tags=["new"]),
    "a deleted post": lambda site, **_: (site / "pages/post-8.md").unlink(),
    "a draft published": lambda site, **_: edit(site / "pages/draft-9.md", "draft: true", ""),
    "a standalone page": lambda site, **_: edit(site / "pages/about.md", "About", "Who"),
}


@pytest.mark.parametrize("kind", CHANGES)
def test_a_refreeze_after_a_change_is_a_cold_freeze(
    config, site, blog, write_post, write_comments, tmp_path, kind
):
    change = CHANGES[kind]
    refreeze_matches_cold(
        config,
        site,
        tmp_path,
        lambda: change(site=site, write_post=write_post, write_comments=write_comments),
    )


def test_an_unchanged_site_writes_nothing_and_keeps_every_file(config, site, blog, tmp_path):
    build = tmp_path / "build"
    freeze(config, site, build)
    before = {p: p.stat().st_mtime_ns for p in build.rglob("*") if p.name != MARKER}
    result = freeze(config, site, build)
    assert count(result.output, "written") == 0 and count(result.output, "removed") == 0
    assert {p: p.stat().st_mtime_ns for p in build.rglob("*") if p.name != MARKER} == before


def plant(build: Path, *names: str) -> None:
    """Add a comment to frozen files, keeping their mtimes: only a page rendered again loses it."""
    for name in names:
        path = build / name
        status = path.stat()
        path.write_bytes(path.read_bytes() + PLANTED)
        os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))


def test_a_refreeze_renders_only_the_pages_made_from_what_changed(config, site, blog, tmp_path):
    build = tmp_path / "build"
    freeze(config, site, build)
    pages = ["posts/post-2/index.html", "posts/post-4/index.html", "page/2/index.html",
             "page/3/index.html", "posts/post-5/comments.xml", "posts/post-2/comments.xml",
             "archive/index.html", "tags/index.html"]  # fmt: skip
    plant(build, *pages)
    edit(site / "pages/post-5.md", "Film 5", "Film five")
    freeze(config, site, build)
    kept = {name for name in pages if (build / name).read_bytes().endswith(PLANTED)}
    # post-4 shows post-5 as a neighbour, page 2 lists it, its comment feed and the archive
    # show its title; nothing else shows post-5 or changed.
    assert kept == {"posts/post-2/index.html", "page/3/index.html", "posts/post-2/comments.xml",
                    "tags/index.html"}  # fmt: skip


def test_a_page_rendered_to_the_same_bytes_is_not_rendered_next_time(config, site, blog, tmp_path):
    build = tmp_path / "build"
    freeze(config, site, build)
    age(build, seconds=30)  # frozen a while ago,
    # then every page's inputs changed (a static file no public page links to, so no page's
    # bytes change: a page links a style sheet by its content hash)
    append(site / "static/css/admin.css", "/* v2 */\n")
    age(site / "static", seconds=10)  # long enough ago to trust a page rendered now
    before = {p: p.stat().st_mtime_ns for p in build.rglob("*.html")}
    result = freeze(config, site, build)
    assert count(result.output, "written") == 1  # the style sheet; no page's bytes changed
    assert all(p.stat().st_mtime_ns > before[p] for p in before)  # marked as current
    plant(build, "index.html")
    freeze(config, site, build)
    assert (build / "index.html").read_bytes().endswith(PLANTED)


def test_a_post_going_live_on_schedule_is_frozen_with_its_listings(
    config, site, blog, write_post, tmp_path
):
    soon = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=3)
    write_post("scheduled", date=soon.isoformat(), tags=["drama"])
    age(site / "pages")
    build = tmp_path / "build"
    freeze(config, site, build)
    assert not (build / "posts/scheduled").exists()
    time.sleep(max(0.0, (soon - datetime.now(UTC)).total_seconds() + 0.2))
    freeze(config, site, build)
    freeze(config, site, tmp_path / "cold")
    assert tree(build) == tree(tmp_path / "cold")
    assert b"/posts/scheduled/" in (build / "index.html").read_bytes()


def test_changed_settings_rebuild_every_page(config, site, blog, tmp_path):
    build = tmp_path / "build"
    freeze(config, site, build)
    config["PER_PAGE"] = 2  # from site.toml or TWOMBLY_PER_PAGE alike
    freeze(config, site, build)
    freeze(config, site, tmp_path / "cold")
    assert tree(build) == tree(tmp_path / "cold")
    assert (build / "page/4/index.html").is_file()


def test_another_base_url_rewrites_every_page(config, site, blog, tmp_path):
    build = tmp_path / "build"
    for address in ("https://one.example/", "https://two.example/blog/", "https://one.example/"):
        freeze(config, site, build, "--base-url", address)
        cold = tmp_path / f"cold-{len(address)}"
        freeze(config, site, cold, "--base-url", address)
        assert tree(build) == tree(cold), address
        assert address.encode() in (build / "posts/post-1/index.html").read_bytes()


def test_a_missing_file_is_written_again(config, site, blog, tmp_path):
    build = tmp_path / "build"
    freeze(config, site, build)
    post = build / "posts/post-3/index.html"
    original = post.read_bytes()
    post.unlink()
    result = freeze(config, site, build)
    assert count(result.output, "written") == 1
    assert post.read_bytes() == original


def test_a_comment_shows_on_its_post_feed_and_listing(
    config, site, blog, write_comments, tmp_path
):
    changes = refreeze_matches_cold(
        config,
        site,
        tmp_path,
        lambda: write_comments("post-8", [comment("c1", "First!"), comment("c2", "Second")]),
    )
    assert b"Second" in changes["posts/post-8/index.html"][1]
    assert b"Second" in changes["posts/post-8/comments.xml"][1]
    assert b"2 comments" in changes["index.html"][1]
    assert "posts/post-7/index.html" not in changes


def test_a_marker_from_an_older_version_is_rebuilt_over(config, site, blog, tmp_path):
    build = tmp_path / "build"
    freeze(config, site, build)
    (build / MARKER).write_text("Written by `flask freeze`.\n", encoding="utf-8")
    plant(build, "index.html")
    freeze(config, site, build)
    assert not (build / "index.html").read_bytes().endswith(PLANTED)


def test_a_renamed_director_and_a_new_log_entry_refreeze_exactly(
    config, site, blog, write_post, tmp_path
):
    # Far apart, so that neither shows the other as a neighbour.
    for day, title, director in (
        ("02-01", "A", "Jean Renoir"),
        ("03-07T12:00", "B", "Jean Renoír"),
    ):
        review = {"title": title, "year": 1999, "director": director, "watched": "2024-03-01"}
        write_post(f"review-{title.lower()}", date=f"2024-{day}", review=review)
    age(site)

    def change():
        edit(site / "pages/review-a.md", "Jean Renoir", "Agnes Varda")
        (site / "diary.yaml").write_text("- title: C\n  watched: 2024-04-03\n", encoding="utf-8")

    changes = refreeze_matches_cold(config, site, tmp_path, change)
    # Renoír takes the address Renoir leaves; the post that names Renoír links to it.
    assert changes["directors/jean-renoir-2/index.html"][1] is None
    assert b"/directors/jean-renoir/" in changes["posts/review-b/index.html"][1]
    assert b"C" in changes["diary/2024/index.html"][1]


def test_a_post_named_like_the_search_folder_is_a_page_like_any_other(
    config, site, write_post, tmp_path
):
    """Only the copy's own pagefind/ folder is the search index: a post and a tag whose names
    start with "pagefind" are pages, counted and removed as any other."""
    write_post("pagefind-tips", tags=["pagefind-ing"])
    write_post("other", tags=["drama"])
    build = tmp_path / "build"
    freeze(config, site, build)
    assert (build / "posts/pagefind-tips/index.html").is_file()
    (site / "pages/pagefind-tips.md").unlink()
    result = freeze(config, site, build)
    assert not (build / "posts/pagefind-tips").exists()
    assert not (build / "tags/pagefind-ing").exists()
    assert count(result.output, "removed") == 4  # the post, its comment feed, the tag, its feed
    assert (build / "pagefind/pagefind.js").is_file()
