"""The blog's routes over a temporary site: listings, posts, tags, archive, pages, errors."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def titles(response) -> list[str]:
    return [h.get_text(strip=True) for h in soup(response).select(".post-summary h2")]


@pytest.fixture
def seven_posts(write_post):
    for day in range(1, 8):
        write_post(
            f"post-{day}", date=f"2024-03-0{day}", tags=["drama"] if day % 2 else ["comedy"]
        )


def test_index_lists_newest_first_and_paginates(client, seven_posts):
    first = client.get("/")
    assert first.status_code == 200
    assert titles(first) == ["Post 7", "Post 6", "Post 5"]
    assert soup(first).select_one('a[rel="next"]')["href"] == "/page/2/"
    assert titles(client.get("/page/2/")) == ["Post 4", "Post 3", "Post 2"]
    last = client.get("/page/3/")
    assert titles(last) == ["Post 1"]
    assert soup(last).select_one('a[rel="next"]') is None
    assert soup(last).select_one('a[rel="prev"]')["href"] == "/page/2/"


@pytest.mark.parametrize("url", ["/page/4/", "/page/0/", "/page/-1/", "/page/abc/"])
def test_out_of_range_index_pages_are_404(client, seven_posts, url):
    assert client.get(url).status_code == 404


def test_page_one_redirects_to_index(client, seven_posts):
    response = client.get("/page/1/")
    assert response.status_code in (301, 308)
    assert response.headers["Location"].endswith("/")


def test_empty_site_index(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Nothing is published yet" in response.get_data(as_text=True)


def test_post_page_shows_everything(client, write_post, write_comments):
    write_post(
        "her",
        body="First paragraph of the review.\n\nSecond paragraph.",
        title="her",
        date="2014-01-20",
        tags=["drama", "Science Fiction"],
        tagline="Are human emotions innate?",
        review={
            "title": "Her",
            "year": 2013,
            "director": "Spike Jonze",
            "cast": ["Joaquin Phoenix", "Scarlett Johansson"],
            "rating": 4.5,
        },
    )
    write_comments(
        "her",
        [
            {"id": "a1", "parent": None, "author": "Ann", "body": "Loved *it*.",
             "created": "2014-01-21T09:30:00Z", "status": "approved"},
            {"id": "a2", "parent": None, "author": "Spammer", "body": "buy pills",
             "created": "2014-01-21T10:00:00Z", "status": "spam"},
            {"id": "a3", "parent": None, "author": "Waiting", "body": "not yet",
             "created": "2014-01-21T11:00:00Z", "status": "pending"},
        ],
    )  # fmt: skip
    page = soup(client.get("/posts/her/"))
    assert page.title.get_text() == "her · Test Reviews"
    assert page.select_one("h1").get_text() == "her"
    assert page.select_one("time")["datetime"] == "2014-01-20"
    assert "1 min read" in page.select_one(".post-meta").get_text()
    tag_links = [a["href"] for a in page.select(".post-meta a.tag")]
    assert tag_links == ["/tags/drama/", "/tags/science-fiction/"]
    assert page.select_one(".pull-quote").get_text(strip=True) == "Are human emotions innate?"
    box = page.select_one(".review-box").get_text("", strip=False)
    for text in ("Her", "2013", "Spike Jonze", "Joaquin Phoenix, Scarlett Johansson"):
        assert text in box
    people = {a.get_text(): a["href"] for a in page.select(".review-box dd a")}
    assert people == {"Spike Jonze": "/directors/spike-jonze/",
                      "Joaquin Phoenix": "/actors/joaquin-phoenix/",
                      "Scarlett Johansson": "/actors/scarlett-johansson/"}  # fmt: skip
    assert page.select_one(".stars")["aria-label"] == "Rated 4.5 out of 5"
    assert [p.get_text() for p in page.select(".post-body p")] == [
        "First paragraph of the review.",
        "Second paragraph.",
    ]
    assert page.select_one("#comments-heading").get_text() == "1 comment"
    assert page.select_one("#comment-a1 .comment-body").decode_contents().strip() == (
        "<p>Loved <em>it</em>.</p>"
    )
    assert page.select_one("#comment-a2") is None
    assert page.select_one("#comment-a3") is None


def test_head_has_description_and_canonical(client, write_post):
    write_post("quiet", summary="A quiet film.")
    page = soup(client.get("/posts/quiet/"))
    assert page.select_one('meta[name="description"]')["content"] == "A quiet film."
    assert page.select_one('link[rel="canonical"]')["href"] == (
        "https://reviews.example/posts/quiet/"
    )


def test_summary_defaults_to_first_paragraph(client, write_post):
    write_post("s", body="The *first* paragraph.\n\nThe second.")
    page = soup(client.get("/"))
    assert "The first paragraph." in page.select_one(".post-summary").get_text()


def test_previous_and_next_links(client, seven_posts):
    page = soup(client.get("/posts/post-4/"))
    assert page.select_one('.post-nav a[rel="prev"]')["href"] == "/posts/post-3/"
    assert page.select_one('.post-nav a[rel="next"]')["href"] == "/posts/post-5/"
    newest = soup(client.get("/posts/post-7/"))
    assert newest.select_one('.post-nav a[rel="next"]') is None


def test_code_blocks_are_highlighted(client, write_post):
    write_post(
        "code",
        body="```python\ndef hello():\n    return 1\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |",
    )
    page = soup(client.get("/posts/code/"))
    assert page.select_one(".highlight pre .k").get_text() == "def"
    assert page.select_one(".post-body table td").get_text() == "1"


def test_pygments_css_has_light_and_dark_styles(client):
    response = client.get("/pygments.css")
    assert response.status_code == 200
    assert response.mimetype == "text/css"
    css = response.get_data(as_text=True)
    assert ".highlight .k" in css
    assert "@media (prefers-color-scheme: dark)" in css


def test_tags_page_counts(client, seven_posts):
    page = soup(client.get("/tags/"))
    items = [li.get_text(" ", strip=True) for li in page.select(".tag-list li")]
    assert items == ["comedy (3 posts)", "drama (4 posts)"]


def test_tag_page_paginates(client, seven_posts):
    assert titles(client.get("/tags/drama/")) == ["Post 7", "Post 5", "Post 3"]
    assert titles(client.get("/tags/drama/page/2/")) == ["Post 1"]
    assert client.get("/tags/drama/page/3/").status_code == 404
    assert client.get("/tags/unknown/").status_code == 404


def test_archive_groups_by_year_and_month(client, write_post):
    write_post("a", date="2023-05-02")
    write_post("b", date="2023-05-20")
    write_post("c", date="2023-11-01")
    write_post("d", date="2024-02-14")
    page = soup(client.get("/archive/"))
    assert [h.get_text() for h in page.select("h2")] == ["2024", "2023"]
    year_2023 = page.select("section.archive-year")[1]
    assert [h.get_text() for h in year_2023.select("h3")] == ["November", "May"]
    assert [a.get_text() for a in year_2023.select("a")] == ["C", "B", "A"]


def test_standalone_page_is_not_a_post(client, write_post):
    write_post("about", title="About us", kind="page", body="Who we are.")
    write_post("review")
    response = client.get("/about/")
    assert response.status_code == 200
    assert "Who we are." in response.get_data(as_text=True)
    assert titles(client.get("/")) == ["Review"]
    assert client.get("/posts/about/").status_code == 404
    assert client.get("/review/").status_code == 404
    nav = [a.get_text() for a in soup(client.get("/")).select(".site-nav a")]
    assert "About us" in nav


def future(days: int = 30) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).date().isoformat()


@pytest.fixture
def hidden_posts(write_post):
    write_post("public", date="2024-01-01", tags=["t"])
    write_post("draft", date="2024-01-02", draft=True, tags=["t"])
    write_post("scheduled", date=future(), tags=["t"])


HIDDEN_URLS = ["/posts/draft/", "/posts/scheduled/"]


def test_drafts_and_scheduled_posts_are_hidden(client, hidden_posts):
    for url in HIDDEN_URLS:
        assert client.get(url).status_code == 404
    assert titles(client.get("/")) == ["Public"]
    assert titles(client.get("/tags/t/")) == ["Public"]
    archive = client.get("/archive/").get_data(as_text=True)
    assert "Draft" not in archive and "Scheduled" not in archive
    assert "(1 post)" in client.get("/tags/").get_data(as_text=True)


def test_show_drafts_shows_them_with_banners(config, site, hidden_posts):
    from twombly import create_app

    client = create_app({**config, "SHOW_DRAFTS": True}, site=site).test_client()
    assert titles(client.get("/")) == ["Scheduled", "Draft", "Public"]
    draft = soup(client.get("/posts/draft/"))
    assert "Draft" in draft.select_one(".status-banner").get_text()
    scheduled = soup(client.get("/posts/scheduled/"))
    assert "Scheduled" in scheduled.select_one(".status-banner").get_text()
    assert soup(client.get("/posts/public/")).select_one(".status-banner") is None


BAD_FRONT_MATTER = {
    "no-title": (
        "---\ndate: 2024-01-01\n---\nBody\n",
        "pages/no-title.md:1: missing required key 'title'",
    ),
    "no-date": ("---\ntitle: T\n---\nBody\n", "pages/no-date.md:1: missing required key 'date'"),
    "bad-date": (
        "---\ntitle: T\ndate: someday\n---\nBody\n",
        "pages/bad-date.md:3: 'date' is not a date",
    ),
    "tags-string": (
        "---\ntitle: T\ndate: 2024-01-01\ntags: drama\n---\nB\n",
        "pages/tags-string.md:4: tags must be a list",
    ),
    "rating-high": (
        "---\ntitle: T\ndate: 2024-01-01\nreview:\n  title: X\n  rating: 7\n---\nB\n",
        "pages/rating-high.md:6: review rating must be a whole or half star from 0.5 to 5, not 7",
    ),
    "bad-yaml": (
        "---\ntitle: [unclosed\ndate: 2024-01-01\n---\nB\n",
        "pages/bad-yaml.md:2: YAML does not parse",  # where the list opened
    ),
    "no-fence": (
        "title: T\ndate: 2024-01-01\n\nBody\n",
        "pages/no-fence.md:1: front matter must open with a '---' line",
    ),
    "unclosed": (
        "---\ntitle: T\ndate: 2024-01-01\nBody\n",
        "pages/unclosed.md:1: front matter is not closed",
    ),
}


@pytest.mark.parametrize("slug", sorted(BAD_FRONT_MATTER))
def test_bad_front_matter_is_left_out_and_logged(site, config, write_post, caplog, slug):
    from twombly import create_app

    text, message = BAD_FRONT_MATTER[slug]
    write_post(slug, raw=text)
    write_post("good", title="Good one")
    with caplog.at_level(logging.ERROR, logger="twombly"):
        client = create_app(config, site=site).test_client()
    assert any(message in record.getMessage() for record in caplog.records), caplog.text
    assert client.get(f"/posts/{slug}/").status_code == 404
    assert titles(client.get("/")) == ["Good one"]


@pytest.mark.parametrize(
    "text, message",
    [
        ("> A quote first, and no front matter\n", "pages/odd.md:1: front matter must open"),
        ("`code` first\n", "pages/odd.md:1: front matter must open"),
        ("---\ntitle: T\ndate: 2024-01-01\n---\nA\x0cB\n", "pages/odd.md:5: cannot be read"),
    ],
)
def test_a_file_flatpages_cannot_read_is_named_and_the_site_keeps_serving(
    client, write_post, caplog, text, message
):
    write_post("good", title="Good one")
    assert titles(client.get("/")) == ["Good one"]
    write_post("odd", raw=text)  # FlatPages reads all files or none: this one stops it
    with caplog.at_level(logging.ERROR, logger="twombly"):
        response = client.get("/")
    assert response.status_code == 200
    assert titles(response) == ["Good one"]
    assert message in caplog.text
    assert client.get("/posts/good/").status_code == 200


def test_two_files_with_one_slug_name_both(site, config, write_post, caplog):
    from twombly import create_app

    write_post("her", title="First")
    (site / "pages" / "old").mkdir()
    (site / "pages" / "old" / "her.md").write_text(
        "---\ntitle: Second\ndate: 2020-01-01\n---\nx\n"
    )
    with caplog.at_level(logging.ERROR, logger="twombly"):
        client = create_app(config, site=site).test_client()
    assert "pages/old/her.md:1: slug 'her' is also used by pages/her.md" in caplog.text
    assert "pages/her.md:1: slug 'her' is also used by pages/old/her.md" in caplog.text
    assert client.get("/posts/her/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/posts/..%2f..%2fsite.toml/",
        "/posts/../../site.toml",
        "/posts/%2e%2e%2fsite.toml/",
        "/..%2fsite.toml/",
        "/static/../site.toml",
        "/posts/nope/",
        "/nope/deeper/",
        "/tags/%00/",
    ],
)
def test_unknown_and_traversal_urls_are_404_pages(client, write_post, url):
    write_post("real")
    response = client.get(url)
    assert response.status_code == 404
    assert "There is nothing at this address" in response.get_data(as_text=True)
    assert soup(response).select_one("h1").get_text() == "Not Found"


def test_comment_markup_is_inert(client, write_post, write_comments):
    write_post("film")
    payloads = [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
    ]
    comments = [
        {"id": f"c{i}", "parent": None, "author": "<b>x</b>", "body": body,
         "created": "2024-01-02T00:00:00Z", "status": "approved"}
        for i, body in enumerate(payloads)
    ]  # fmt: skip
    write_comments("film", comments)
    page = soup(client.get("/posts/film/"))
    comments = page.select_one(".comment-list")
    assert comments.find("script") is None
    assert comments.find("img") is None
    assert comments.find("b") is None
    for tag in comments.find_all(True):
        assert not any(attr.startswith("on") for attr in tag.attrs)
        assert not tag.get("href", "").startswith("javascript")


def test_corrupt_comment_file_keeps_the_post_readable(client, write_post, site, caplog):
    write_post("film")
    (site / "comments" / "film.json").write_text("{not json", encoding="utf-8")
    with caplog.at_level(logging.ERROR):
        response = client.get("/posts/film/")
    assert response.status_code == 200
    assert "Comments are unavailable" in response.get_data(as_text=True)
    assert "film.json" in caplog.text
