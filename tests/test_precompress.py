"""`[freeze] precompress`: a .gz and a .br beside every text file of the frozen copy."""

from __future__ import annotations

import gzip
from pathlib import Path

import brotli
import pytest

from twombly import create_app

TEXT = (".html", ".css", ".js", ".xml", ".json", ".svg")


@pytest.fixture
def blog(write_post, write_comments):
    write_post("her", date="2014-01-20", tags=["drama"], body="A film about a voice. " * 50)
    write_post("arrival", date="2016-11-11", tags=["drama"])


def freeze(config: dict, site: Path, build: Path, **settings) -> str:
    app = create_app({**config, "FREEZE_PRECOMPRESS": True, **settings}, site=site)
    result = app.test_cli_runner().invoke(args=["freeze", "--destination", str(build)])
    assert result.exit_code == 0, result.output
    return result.output


def files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.name.startswith(".twombly")
    }


def test_every_text_file_has_its_gzip_and_brotli_copy(config, site, blog, tmp_path):
    output = freeze(config, site, tmp_path / "build")
    frozen = files(tmp_path / "build")
    originals = {name: data for name, data in frozen.items() if not name.endswith((".gz", ".br"))}
    texts = [name for name in originals if name.endswith(TEXT)]
    assert {"index.html", "posts/her/index.html", "feed.xml", "feed.json", "rss.xml",
            "static/css/site.css", "static/favicon.svg"} <= set(texts)  # fmt: skip
    for name in texts:
        assert gzip.decompress(frozen[f"{name}.gz"]) == originals[name], name
        assert brotli.decompress(frozen[f"{name}.br"]) == originals[name], name
        assert frozen[f"{name}.gz"][4:8] == b"\0\0\0\0"  # no time inside: the same bytes
    assert "robots.txt.gz" not in frozen and "robots.txt" in frozen
    assert len(frozen) == len(originals) + 2 * len(texts)
    assert f"({2 * len(texts)} compressed copies written)" in output
    page = tmp_path / "build/posts/her/index.html"
    assert len(frozen["posts/her/index.html.br"]) < len(frozen["posts/her/index.html.gz"])
    assert page.with_name("index.html.gz").stat().st_mode == page.stat().st_mode


def test_copies_are_the_same_bytes_each_freeze_and_skipped_when_unchanged(
    config, site, blog, tmp_path
):
    freeze(config, site, tmp_path / "one")
    freeze(config, site, tmp_path / "two")
    assert files(tmp_path / "one") == files(tmp_path / "two")
    output = freeze(config, site, tmp_path / "one")
    assert "compressed copies" not in output  # none written again (their mtimes: see
    # test_incremental_freeze, an unchanged site keeps every file)


def test_copies_go_with_their_file_and_follow_its_changes(
    config, site, blog, write_post, tmp_path
):
    build = tmp_path / "build"
    freeze(config, site, build)
    write_post("her", date="2014-01-20", tags=["drama"], body="Now about a letter writer.")
    (site / "pages/arrival.md").unlink()
    freeze(config, site, build)
    assert not list(build.glob("posts/arrival*/**/*"))
    assert b"letter writer" in gzip.decompress((build / "posts/her/index.html.gz").read_bytes())
    assert b"letter writer" in brotli.decompress((build / "posts/her/index.html.br").read_bytes())


def test_without_precompress_there_are_no_copies(config, site, blog, tmp_path):
    build = tmp_path / "build"
    freeze(config, site, build)
    freeze(config, site, build, FREEZE_PRECOMPRESS=False)
    assert not [name for name in files(build) if name.endswith((".gz", ".br"))]
