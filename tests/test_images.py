"""Images: responsive WebP copies with srcset, made once, in the live site and the frozen copy."""

from __future__ import annotations

import io
import json
import shutil
import struct
import zlib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from twombly import create_app

from .freezing import broken_links, freeze

STILL_BODY = "Theodore at work.\n\n![Theodore at his desk](her-still.jpg)\n"


def save(path: Path, size: tuple[int, int], colour=(180, 40, 40)) -> Path:
    Image.new("RGB", size, colour).save(path, "JPEG")
    return path


@pytest.fixture
def her(images, write_post):
    save(images / "her-still.jpg", (1600, 900))
    save(images / "her.jpg", (600, 900), (20, 60, 120))
    review = {"title": "Her", "year": 2013, "poster": "her.jpg"}
    write_post("her", body=STILL_BODY, date="2014-01-20", review=review)


def page(client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def path(url: str) -> str:
    """An address without its query (static files carry their content's hash: ?v=...)."""
    return url.partition("?")[0]


def fetch(client, url: str) -> tuple[int, str, bytes]:
    """A file's status, type and bytes (the response closed: it holds the file open)."""
    response = client.get(url)
    try:
        return response.status_code, response.mimetype, response.get_data()
    finally:
        response.close()


def srcset(picture) -> list[tuple[str, int]]:
    entries = picture.source["srcset"].split(", ")
    return [(url, int(width.removesuffix("w"))) for url, width in map(str.split, entries)]


def test_a_body_image_is_a_responsive_webp_picture(client, her):
    picture = page(client, "/posts/her/").select_one(".post-body picture")
    assert picture.source["type"] == "image/webp"
    assert picture.source["sizes"]
    assert [width for _, width in srcset(picture)] == [160, 320, 640, 960, 1280]
    img = picture.img
    assert (path(img["src"]), img["alt"]) == (
        "/static/images/her-still.jpg",
        "Theodore at his desk",
    )
    assert (img["width"], img["height"]) == ("1600", "900")
    assert img["loading"] == "lazy"  # the poster above it is the first image
    for url, width in srcset(picture):
        status, mimetype, data = fetch(client, url)
        assert (status, mimetype) == (200, "image/webp")
        copy = Image.open(io.BytesIO(data))
        assert copy.format == "WEBP"
        assert copy.size == (width, round(900 * width / 1600))
    assert fetch(client, "/static/images/her-still.jpg")[0] == 200  # the fallback


def test_the_first_image_loads_at_once_without_a_poster(client, images, write_post):
    save(images / "small.jpg", (200, 100))
    write_post("small", body="![A small one](small.jpg)\n\n![The same again](small.jpg)")
    first, second = page(client, "/posts/small/").select(".post-body picture")
    assert [width for _, width in srcset(first)] == [160, 200]  # none wider than the image
    assert "loading" not in first.img.attrs
    assert first.img["fetchpriority"] == "high"
    assert second.img["loading"] == "lazy"


def test_the_poster_is_in_the_review_box_link_previews_and_json_ld(client, her):
    html = page(client, "/posts/her/")
    poster = html.select_one(".review-box picture.poster")
    assert path(poster.img["src"]) == "/static/images/her.jpg"
    assert poster.img["alt"] == "Poster of Her"
    assert (poster.img["width"], poster.img["height"]) == ("600", "900")
    assert "loading" not in poster.img.attrs
    image = "https://reviews.example/static/images/her.jpg"
    assert path(html.find("meta", attrs={"property": "og:image"})["content"]) == image
    data = json.loads(html.find("script", type="application/ld+json").string)
    assert path(data["itemReviewed"]["image"]) == image


def test_copies_are_made_once_and_reused(app, her, site, config):
    app.test_client().get("/posts/her/")
    cache = site / "instance" / "images"
    made = {path.name: path.stat().st_mtime_ns for path in cache.iterdir()}
    assert sum(name.endswith(".webp") for name in made) == 8  # 5 of the still, 3 of the poster
    again = create_app(config, site=site)  # a new process: nothing kept in memory
    page(again.test_client(), "/posts/her/")
    assert {path.name: path.stat().st_mtime_ns for path in cache.iterdir()} == made


def test_posters_are_thumbnails_on_the_film_and_person_pages(client, images, write_post):
    for number in range(1, 5):
        save(images / f"poster-{number}.jpg", (300, 450))
        review = {
            "title": f"Film {number}",
            "director": "Spike Jonze",
            "poster": f"poster-{number}.jpg",
        }
        write_post(f"film-{number}", review=review, date=f"2014-01-0{number}")
    for url in ("/films/", "/directors/spike-jonze/"):
        posters = page(client, url).select(".film picture.poster")
        assert [p.img["alt"] for p in posters] == [f"Poster of Film {n}" for n in range(1, 5)]
        assert all(p.source["sizes"] == "4rem" for p in posters)
        assert [p.img.get("loading") for p in posters] == [None, None, None, "lazy"]


def test_copies_removed_while_the_server_runs_are_made_again(client, her, site):
    picture = page(client, "/posts/her/").select_one(".post-body picture")
    shutil.rmtree(site / "instance" / "images")
    picture = page(client, "/posts/her/").select_one(".post-body picture")
    assert all(fetch(client, url)[0] == 200 for url, _ in srcset(picture))


def test_a_bomb_is_refused_from_its_header_before_decoding(runner, images, write_post, app):
    (images / "bomb.png").write_bytes(png_header(30_000, 30_000))  # 900 million pixels
    write_post("bomb", body="![A bomb](bomb.png)\n")
    (line,) = problem_lines(runner)
    assert line.startswith("pages/bomb.md:6: image static/images/bomb.png: ")
    assert "pixels" in line
    assert page(app.test_client(), "/posts/bomb/").select(".post-body picture") == []


def png_header(width: int, height: int) -> bytes:
    """A PNG that says it is `width` × `height` pixels, with almost no pixel data behind it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 64)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


def test_a_changed_image_gets_new_addresses(client, her, images):
    before = srcset(page(client, "/posts/her/").select_one(".post-body picture"))
    save(images / "her-still.jpg", (1600, 900), (0, 200, 0))
    after = srcset(page(client, "/posts/her/").select_one(".post-body picture"))
    assert before[0][0] != after[0][0]
    assert fetch(client, after[0][0])[0] == 200


def test_feeds_show_the_original_image_at_its_absolute_address(client, her):
    feed = client.get("/feed.xml").get_data(as_text=True)
    assert 'src="https://reviews.example/static/images/her-still.jpg?v=' in feed


@pytest.mark.parametrize("name", ["nope.webp", "her-0123456789abcdef-320.webp", "..%2Fx.webp"])
def test_an_unknown_copy_is_not_found(client, her, name):
    assert client.get(f"/images/{name}").status_code == 404


def test_a_sub_path_freeze_holds_every_copy_and_original(runner, her, tmp_path):
    build = tmp_path / "build"
    base = "https://example.org/blog/"
    result = freeze(runner, build, "--base-url", base)
    assert result.exit_code == 0, result.output
    html = BeautifulSoup((build / "posts/her/index.html").read_text(), "html.parser")
    for picture in html.select("picture"):
        for url, _ in srcset(picture):
            assert url.startswith("/blog/images/")
            assert (build / url.removeprefix("/blog/")).is_file()
        assert (build / path(picture.img["src"]).removeprefix("/blog/")).is_file()
    image = html.find("meta", attrs={"property": "og:image"})["content"]
    assert path(image) == "https://example.org/blog/static/images/her.jpg"
    feed = (build / "feed.xml").read_text()
    assert 'src="https://example.org/blog/static/images/her-still.jpg?v=' in feed
    assert broken_links(build, base, "/blog/") == []


def test_a_refreeze_leaves_copies_alone_and_follows_a_changed_image(runner, her, images, tmp_path):
    build = tmp_path / "build"
    assert freeze(runner, build).exit_code == 0
    copies = {path.name: path.stat().st_mtime_ns for path in (build / "images").iterdir()}
    assert freeze(runner, build).exit_code == 0
    assert {p.name: p.stat().st_mtime_ns for p in (build / "images").iterdir()} == copies
    save(images / "her-still.jpg", (800, 450), (0, 200, 0))
    assert freeze(runner, build).exit_code == 0
    now = {path.name for path in (build / "images").iterdir()}
    assert len(now - copies.keys()) == 4  # 160, 320, 640 and 800 wide
    assert len(now) == 7  # the poster's 3 copies kept, the old still's 5 gone
    post = (build / "posts/her/index.html").read_text()
    assert all(name in post for name in now)


def problem_lines(runner) -> list[str]:
    result = runner.invoke(args=["check"])
    return [line for line in result.output.splitlines() if line.startswith("pages/")]


def test_check_names_missing_broken_and_undescribed_images(runner, images, write_post, app):
    (images / "text.jpg").write_text("not a picture at all")
    (images / "cut.jpg").write_bytes(save(images / "whole.jpg", (400, 300)).read_bytes()[:300])
    write_post("bad", raw=BAD_POST)
    lines = problem_lines(runner)
    assert "pages/bad.md:6: poster static/images/missing-poster.jpg: no such file" in lines
    assert "pages/bad.md:9: warning: image 'whole.jpg' has no alt text" in lines[1]
    assert "pages/bad.md:11: image static/images/gone.png: no such file" in lines
    assert "pages/bad.md:13: image static/images/text.jpg: not an image file" in lines[3]
    assert "pages/bad.md:15: image static/images/cut.jpg: a damaged image" in lines[4]
    assert len(lines) == 5
    assert app.test_client().get("/posts/bad/").status_code == 200


BAD_POST = """\
    ---
    title: Bad
    date: 2024-01-01
    review:
      title: Bad
      poster: missing-poster.jpg
    ---

    ![](whole.jpg)

    ![Gone](gone.png)

    ![Text](text.jpg)

    ![Cut](cut.jpg)
    """


def test_an_image_over_the_limits_is_refused(runner, images, write_post, app):
    app.config.update(IMAGES_MAX_PIXELS=100 * 100, IMAGES_MAX_BYTES=50_000)
    save(images / "wide.jpg", (101, 100))
    (images / "heavy.jpg").write_bytes(b"\xff" * 50_001)
    write_post("big", body="![Wide](wide.jpg)\n\n![Heavy](heavy.jpg)\n")
    lines = problem_lines(runner)
    assert any("wide.jpg: 101×100 pixels, over the limit of 10,000 pixels" in li for li in lines)
    assert any("heavy.jpg: 0.1 MB, over the limit of 0.05 MB" in li for li in lines)
    html = page(app.test_client(), "/posts/big/")
    assert html.select(".post-body picture") == []
    assert path(html.select_one(".post-body img")["src"]) == "/static/images/wide.jpg"
