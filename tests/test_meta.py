"""What link previews, search engines and feed readers find in each page's <head>."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup

BASE = "https://reviews.example"
FEED_TYPES = ["application/atom+xml", "application/rss+xml", "application/feed+json"]
ATTACK = "</script><script>alert(1)</script>"


def soup(response) -> BeautifulSoup:
    assert response.status_code in (200, 404)
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def meta(page: BeautifulSoup, key: str) -> str | None:
    tag = page.find("meta", attrs={"property": key}) or page.find("meta", attrs={"name": key})
    return tag["content"] if tag else None


def json_ld(page: BeautifulSoup) -> list[dict]:
    return [json.loads(s.string) for s in page.find_all("script", type="application/ld+json")]


def feed_links(page: BeautifulSoup) -> list[str]:
    return [link["href"] for link in page.find_all("link", rel="alternate", type=FEED_TYPES)]


@pytest.fixture
def her(write_post):
    write_post(
        "her",
        body="In the not too distant future Theodore falls in love.\n\nMore words.",
        title="her",
        date="2014-01-20",
        tags=["drama", "Science Fiction"],
        image="/static/images/her.jpg",
        review={
            "title": "Her",
            "year": 2013,
            "director": "Spike Jonze",
            "cast": ["Joaquin Phoenix", "Scarlett Johansson"],
            "rating": 4.5,
            "genres": ["Drama", "Romance"],
            "runtime": 126,
            "imdb": "tt1798709",
            "tmdb": 152601,
        },
    )


def test_review_json_ld_describes_the_film(client, her, app):
    app.config["AUTHOR"] = "Rita Reviewer"
    (data,) = json_ld(soup(client.get("/posts/her/")))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Review"
    assert data["url"] == f"{BASE}/posts/her/"
    assert data["datePublished"].startswith("2014-01-20")
    assert data["author"] == {"@type": "Person", "name": "Rita Reviewer"}
    assert data["image"] == f"{BASE}/static/images/her.jpg"
    assert data["itemReviewed"] == {
        "@type": "Movie",
        "name": "Her",
        "dateCreated": "2013",
        "director": {
            "@type": "Person",
            "name": "Spike Jonze",
            "url": f"{BASE}/directors/spike-jonze/",
        },
        "actor": [
            {
                "@type": "Person",
                "name": "Joaquin Phoenix",
                "url": f"{BASE}/actors/joaquin-phoenix/",
            },
            {
                "@type": "Person",
                "name": "Scarlett Johansson",
                "url": f"{BASE}/actors/scarlett-johansson/",
            },
        ],
        "genre": ["Drama", "Romance"],
        "duration": "PT2H6M",
        "sameAs": [
            "https://www.imdb.com/title/tt1798709/",
            "https://www.themoviedb.org/movie/152601",
        ],
    }
    assert data["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 4.5,
        "bestRating": 5,
        "worstRating": 0.5,
    }


def test_plain_post_is_a_blog_posting(client, write_post):
    write_post("notes", title="Notes", date="2024-02-03", summary="Short notes.")
    (data,) = json_ld(soup(client.get("/posts/notes/")))
    assert data["@type"] == "BlogPosting"
    assert data["headline"] == "Notes"
    assert data["description"] == "Short notes."
    assert data["author"] == {"@type": "Organization", "name": "Test Reviews"}
    assert "itemReviewed" not in data


def test_index_is_a_website(client, write_post):
    for day in range(1, 5):
        write_post(f"p{day}", date=f"2024-01-0{day}")
    (data,) = json_ld(soup(client.get("/")))
    assert data == {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": "Test Reviews",
        "url": f"{BASE}/",
        "description": "A test site",
        "inLanguage": "en",
    }
    assert json_ld(soup(client.get("/page/2/"))) == []


def test_front_matter_cannot_break_out_of_the_json_ld_block(client, write_post):
    write_post(
        "attack",
        title=ATTACK,
        summary=f"{ATTACK} & more",
        tags=[ATTACK],
        review={"title": ATTACK, "director": ATTACK, "cast": [ATTACK]},
    )
    response = client.get("/posts/attack/")
    html = response.get_data(as_text=True)
    assert "<script>alert(1)" not in html
    page = soup(response)
    scripts = page.find_all("script", src=False)  # script files (the comment form's) aside
    assert [script.get("type") for script in scripts] == ["application/ld+json"]
    (data,) = json_ld(page)
    assert data["headline"] == ATTACK
    assert data["description"] == f"{ATTACK} & more"
    assert data["itemReviewed"]["director"]["name"] == ATTACK
    assert meta(page, "og:title") == ATTACK


def test_open_graph_and_twitter_tags_on_a_post(client, her):
    page = soup(client.get("/posts/her/"))
    assert meta(page, "og:type") == "article"
    assert meta(page, "og:title") == "her"
    assert meta(page, "og:site_name") == "Test Reviews"
    assert meta(page, "og:description") == "In the not too distant future Theodore falls in love."
    assert meta(page, "og:url") == f"{BASE}/posts/her/"
    assert page.find("link", rel="canonical")["href"] == f"{BASE}/posts/her/"
    assert meta(page, "og:image") == f"{BASE}/static/images/her.jpg"
    assert meta(page, "article:published_time") == "2014-01-20T00:00:00+00:00"
    tags = [tag["content"] for tag in page.find_all("meta", property="article:tag")]
    assert tags == ["drama", "Science Fiction"]
    assert meta(page, "twitter:card") == "summary_large_image"
    assert meta(page, "twitter:title") == "her"
    assert meta(page, "twitter:image") == f"{BASE}/static/images/her.jpg"


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        ("https://cdn.example/her.jpg", "https://cdn.example/her.jpg"),
        ("images/her.jpg", f"{BASE}/images/her.jpg"),
    ],
)
def test_preview_image_is_made_absolute(client, write_post, image, expected):
    write_post("film", image=image)
    assert meta(soup(client.get("/posts/film/")), "og:image") == expected


def test_post_without_image_has_a_summary_card(client, write_post):
    write_post("film")
    page = soup(client.get("/posts/film/"))
    assert meta(page, "og:image") is None
    assert meta(page, "twitter:card") == "summary"


@pytest.mark.parametrize(
    "url", ["/", "/tags/", "/tags/drama/", "/archive/", "/about/", "/posts/her/", "/missing/"]
)
def test_every_page_has_absolute_open_graph_tags(client, her, write_post, url):
    write_post("about", title="About", kind="page", summary="Who we are.")
    page = soup(client.get(url))
    assert meta(page, "og:url") == f"{BASE}{url}"
    assert meta(page, "og:title")
    assert meta(page, "og:site_name") == "Test Reviews"
    assert meta(page, "twitter:card")
    for key in ("og:image", "twitter:image"):
        value = meta(page, key)
        assert value is None or value.startswith(f"{BASE}/")


def test_pages_link_their_feeds(client, her, write_post):
    write_post("about", title="About", kind="page")
    site_feeds = ["/feed.xml", "/rss.xml", "/feed.json", "/comments.xml"]
    assert feed_links(soup(client.get("/"))) == site_feeds
    assert feed_links(soup(client.get("/about/"))) == site_feeds
    assert feed_links(soup(client.get("/tags/drama/"))) == [*site_feeds, "/tags/drama/feed.xml"]
    links = feed_links(soup(client.get("/posts/her/")))
    assert links == [*site_feeds, "/posts/her/comments.xml"]
    for link in links:
        assert client.get(link).status_code == 200


def test_related_reviews_share_the_most_tags_newest_first(client, write_post):
    write_post("her", date="2014-01-20", tags=["a", "b", "c"])
    write_post("two-old", date="2010-01-01", tags=["a", "b"])
    write_post("two-new", date="2012-01-01", tags=["b", "c"])
    write_post("one-newest", date="2020-01-01", tags=["a"])
    write_post("one-older", date="2011-01-01", tags=["c"])
    write_post("unrelated", date="2021-01-01", tags=["z"])
    write_post("hidden", date="2015-01-01", tags=["a", "b", "c"], draft=True)
    section = soup(client.get("/posts/her/")).select_one("section.related")
    assert section.h2.get_text() == "Related reviews"
    titles = [a.get_text() for a in section.select("li a")]
    assert titles == ["Two New", "Two Old", "One Newest"]


def test_no_related_section_without_shared_tags(client, write_post):
    write_post("lonely", tags=["solo"])
    write_post("other", tags=["else"])
    assert soup(client.get("/posts/lonely/")).select_one("section.related") is None


def test_index_shows_summary_and_reading_time(client, write_post):
    write_post("film", summary="A quiet film.", body="word " * 700)
    summary = soup(client.get("/")).select_one(".post-summary")
    assert "A quiet film." in summary.get_text()
    assert "3 min read" in summary.select_one(".post-meta").get_text()
