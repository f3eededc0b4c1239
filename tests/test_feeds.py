"""Atom feeds, sitemap.xml and robots.txt: what feed readers and crawlers receive."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import feedparser
import pytest
from bs4 import BeautifulSoup

BASE = "https://reviews.example"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
HER_BODY = (
    "Theodore falls for Samantha. See [the about page](/about/) and ![a still](still.jpg).\n\n"
    "A second paragraph with *emphasis*."
)


@pytest.fixture
def blog(write_post, write_comments):
    """Three published posts, a draft, a scheduled post and a standalone page."""
    write_post(
        "her",
        body=HER_BODY,
        title="her",
        date="2014-01-20",
        updated="2014-02-01T10:30:00Z",
        tags=["drama", "Science Fiction"],
        tagline="Are human emotions innate?",
        review={"title": "Her", "year": 2013, "director": "Spike Jonze", "rating": 4.5},
    )
    write_post("arrival", title="Arrival", date="2016-11-11", tags=["Science Fiction"])
    write_post("old-comedy", title="Old comedy", date="2010-05-01", tags=["comedy"])
    write_post("secret", title="Secret", date="2015-01-01", draft=True, tags=["drama", "hidden"])
    write_post("someday", title="Someday", date="2999-01-01", tags=["drama", "future"])
    write_post("about", title="About", date="2013-01-01", kind="page", summary="Who we are.")
    write_comments(
        "her",
        [
            {"id": "c1", "parent": None, "author": "Ann", "website": "https://ann.example/",
             "body": "Loved *it*. <script>alert(1)</script>",
             "created": "2014-01-21T09:30:00Z", "status": "approved"},
            {"id": "c2", "parent": None, "author": "Spammer", "body": "buy pills",
             "created": "2014-01-21T10:00:00Z", "status": "spam"},
            {"id": "c3", "parent": "c1", "author": "Bo", "body": "Agreed, [see](/posts/arrival/).",
             "created": "2014-01-22T11:00:00Z", "edited": "2014-01-23T08:00:00Z",
             "status": "approved"},
            {"id": "c4", "parent": None, "author": "Waiting", "body": "not yet",
             "created": "2014-01-24T11:00:00Z", "status": "pending"},
        ],
    )  # fmt: skip


def parse_feed(client, url: str) -> feedparser.FeedParserDict:
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def test_site_feed_holds_published_posts_in_full(client, blog):
    feed = parse_feed(client, "/feed.xml")
    assert feed.feed.title == "Test Reviews"
    assert feed.feed.link == f"{BASE}/"
    assert {link.rel: link.href for link in feed.feed.links}["self"] == f"{BASE}/feed.xml"
    assert [entry.title for entry in feed.entries] == ["Arrival", "her", "Old comedy"]
    assert feed.feed.updated == "2016-11-11T00:00:00+00:00"

    her = feed.entries[1]
    assert her.link == f"{BASE}/posts/her/"
    assert her.id == "tag:reviews.example,2014-01-20:/posts/her/"
    assert her.published == "2014-01-20T00:00:00+00:00"
    assert her.updated == "2014-02-01T10:30:00+00:00"
    assert [tag.term for tag in her.tags] == ["drama", "science-fiction"]
    content = her.content[0]
    assert content.type == "text/html"
    assert "<em>emphasis</em>" in content.value
    assert "Are human emotions innate?" in content.value
    assert "Spike Jonze" in content.value and "4.5 out of 5" in content.value
    assert f'href="{BASE}/about/"' in content.value
    assert f'src="{BASE}/static/images/still.jpg"' in content.value


def test_feeds_leave_out_drafts_and_scheduled_posts_even_when_shown(client, app, blog):
    app.config["SHOW_DRAFTS"] = True
    assert "Secret" in client.get("/").get_data(as_text=True)
    for url in ("/feed.xml", "/tags/drama/feed.xml"):
        titles = [entry.title for entry in parse_feed(client, url).entries]
        assert "Secret" not in titles and "Someday" not in titles
    assert client.get("/tags/hidden/feed.xml").status_code == 404
    assert client.get("/posts/secret/comments.xml").status_code == 404
    assert client.get("/posts/someday/comments.xml").status_code == 404
    sitemap = client.get("/sitemap.xml").get_data(as_text=True)
    assert "secret" not in sitemap and "someday" not in sitemap and "/tags/hidden/" not in sitemap


def test_feed_length_is_configurable(client, app, blog):
    assert len(parse_feed(client, "/feed.xml").entries) == 3
    app.config["FEEDS_ENTRIES"] = 2
    shorter = parse_feed(client, "/feed.xml")
    assert [entry.title for entry in shorter.entries] == ["Arrival", "her"]


def test_tag_feed(client, blog):
    feed = parse_feed(client, "/tags/science-fiction/feed.xml")
    assert feed.feed.title == "Test Reviews: tagged “Science Fiction”"
    assert feed.feed.link == f"{BASE}/tags/science-fiction/"
    assert [entry.title for entry in feed.entries] == ["Arrival", "her"]
    drama = parse_feed(client, "/tags/drama/feed.xml")
    assert [entry.title for entry in drama.entries] == ["her"]


@pytest.mark.parametrize(
    "url", ["/tags/nope/feed.xml", "/posts/nope/comments.xml", "/posts/about/comments.xml"]
)
def test_unknown_tag_or_post_feed_is_404(client, blog, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "There is nothing at this address" in response.get_data(as_text=True)


def test_comment_feed_holds_only_approved_comments_sanitized(client, blog):
    feed = parse_feed(client, "/posts/her/comments.xml")
    assert feed.feed.title == "Comments on “her”"
    assert feed.feed.link == f"{BASE}/posts/her/"
    assert feed.feed.updated == "2014-01-23T08:00:00+00:00"
    assert [entry.author for entry in feed.entries] == ["Bo", "Ann"]
    bo, ann = feed.entries
    assert bo.link == f"{BASE}/posts/her/#comment-c3"
    assert bo.published == "2014-01-22T11:00:00+00:00"
    assert bo.updated == "2014-01-23T08:00:00+00:00"
    assert f'href="{BASE}/posts/arrival/"' in bo.content[0].value
    assert ann.author_detail.href == "https://ann.example/"
    body = BeautifulSoup(ann.content[0].value, "html.parser")
    assert body.find("em").get_text() == "it"
    assert body.find("script") is None
    assert "<script>alert(1)</script>" in body.get_text()  # shown as text, as on the page
    raw = client.get("/posts/her/comments.xml").get_data(as_text=True)
    assert "buy pills" not in raw and "not yet" not in raw


def test_comment_feed_of_a_post_without_comments_is_empty(client, blog):
    feed = parse_feed(client, "/posts/arrival/comments.xml")
    assert feed.entries == []
    assert feed.feed.updated == "2016-11-11T00:00:00+00:00"


def test_unreadable_comment_file_answers_503(client, blog, site):
    (site / "comments" / "her.json").write_text("{ not json", encoding="utf-8")
    assert client.get("/posts/her/comments.xml").status_code == 503
    assert (site / "comments" / "her.json").read_text(encoding="utf-8") == "{ not json"


def test_feeds_and_sitemap_are_deterministic(client, app, blog):
    urls = [
        "/feed.xml",
        "/rss.xml",
        "/feed.json",
        "/comments.xml",
        "/tags/drama/feed.xml",
        "/posts/her/comments.xml",
        "/sitemap.xml",
    ]
    first = [client.get(url).data for url in urls]
    app.extensions.pop("twombly.catalog")  # rebuild everything from the files
    assert [client.get(url).data for url in urls] == first


def test_empty_site_feed_parses(client):
    feed = parse_feed(client, "/feed.xml")
    assert feed.entries == []


def test_sitemap_lists_exactly_the_published_urls(client, blog):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    root = ET.fromstring(response.data)
    assert root.tag == f"{SITEMAP}urlset"
    entries = {
        url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
        for url in root.iter(f"{SITEMAP}url")
    }
    assert entries == {
        f"{BASE}/": "2016-11-11",
        f"{BASE}/archive/": "2016-11-11",
        f"{BASE}/tags/": "2016-11-11",
        f"{BASE}/tags/comedy/": "2010-05-01",
        f"{BASE}/tags/drama/": "2014-02-01T10:30:00Z",
        f"{BASE}/tags/science-fiction/": "2016-11-11",
        f"{BASE}/posts/arrival/": "2016-11-11",
        f"{BASE}/posts/her/": "2014-02-01T10:30:00Z",
        f"{BASE}/posts/old-comedy/": "2010-05-01",
        f"{BASE}/about/": "2013-01-01",
        **{
            f"{BASE}/{path}": "2014-02-01T10:30:00Z"  # the one review's last change
            for path in (
                "films/",
                "films/by-year/",
                "films/by-rating/",
                "films/by-watched/",
                "directors/",
                "directors/spike-jonze/",
                "actors/",
                "genres/",
                "years/",
                "years/2010s/",
                "ratings/",
                "diary/",
            )
        },
    }
    for location in entries:
        assert client.get(location.removeprefix(BASE)).status_code == 200


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert "User-agent: *" in lines
    assert f"Sitemap: {BASE}/sitemap.xml" in lines


def test_a_link_that_does_not_parse_is_left_as_it_is(client, write_post, write_comments):
    write_post("odd", body="See [this](//[x]/) and ![still](//[y]/a.jpg).")
    write_comments("odd", [{"id": "c1", "author": "Ann", "body": '<a href="//[z]/">odd</a>',
                            "created": "2024-01-02T10:00:00Z", "status": "approved"}])  # fmt: skip
    for url in ("/feed.xml", "/posts/odd/comments.xml"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert parse_feed(client, url).entries


def test_rss_feed_holds_the_same_entries(client, blog):
    response = client.get("/rss.xml")
    assert response.status_code == 200 and response.mimetype == "application/rss+xml"
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "rss20"
    atom = parse_feed(client, "/feed.xml")
    assert [entry.id for entry in feed.entries] == [entry.id for entry in atom.entries]
    assert [entry.title for entry in feed.entries] == ["Arrival", "her", "Old comedy"]
    her = feed.entries[1]
    assert her.link == f"{BASE}/posts/her/"
    assert her.published_parsed[:3] == (2014, 1, 20)
    assert [tag.term for tag in her.tags] == ["drama", "Science Fiction"]
    content = her.content[0].value
    assert "<em>emphasis</em>" in content and "Spike Jonze" in content
    assert f'src="{BASE}/static/images/still.jpg"' in content
    assert {link.rel: link.href for link in feed.feed.links}["self"] == f"{BASE}/rss.xml"


def test_rss_feed_of_a_site_without_description_parses(client, app):
    app.config["DESCRIPTION"] = ""
    feed = feedparser.parse(client.get("/rss.xml").data)
    assert not feed.bozo and feed.feed.description == "Test Reviews"


RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def check_json_feed_1_1(document: dict) -> None:
    """The JSON Feed 1.1 rules: version URL, title, items each with a string id, content, and
    RFC 3339 dates; authors as objects."""
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert isinstance(document["title"], str) and document["title"]
    assert isinstance(document["items"], list)
    assert all(isinstance(author.get("name"), str) for author in document.get("authors", []))
    ids = [item["id"] for item in document["items"]]
    assert all(isinstance(ident, str) and ident for ident in ids) and len(set(ids)) == len(ids)
    for item in document["items"]:
        assert isinstance(item["content_html"], str)
        assert RFC3339.match(item["date_published"]), item["date_published"]
        assert RFC3339.match(item.get("date_modified", item["date_published"]))
        assert all(isinstance(tag, str) for tag in item.get("tags", []))
        assert all(key in JSON_FEED_ITEM_KEYS or key.startswith("_") for key in item)


JSON_FEED_ITEM_KEYS = {"id", "url", "external_url", "title", "content_html", "content_text",
                       "summary", "image", "banner_image", "date_published", "date_modified",
                       "authors", "tags", "language", "attachments"}  # fmt: skip


def test_json_feed_holds_the_same_entries(client, blog):
    response = client.get("/feed.json")
    assert response.status_code == 200 and response.mimetype == "application/feed+json"
    document = json.loads(response.data)
    check_json_feed_1_1(document)
    assert document["feed_url"] == f"{BASE}/feed.json"
    assert document["home_page_url"] == f"{BASE}/"
    atom = parse_feed(client, "/feed.xml")
    assert [item["id"] for item in document["items"]] == [entry.id for entry in atom.entries]
    her = document["items"][1]
    assert her["url"] == f"{BASE}/posts/her/"
    assert her["date_published"] == "2014-01-20T00:00:00Z"
    assert her["date_modified"] == "2014-02-01T10:30:00Z"
    assert her["tags"] == ["drama", "Science Fiction"]
    assert her["_review"] == {"title": "Her", "year": 2013, "director": "Spike Jonze",
                              "rating": 4.5}  # fmt: skip
    assert "<em>emphasis</em>" in her["content_html"] and "Spike Jonze" in her["content_html"]
    assert [item["title"] for item in document["items"]] == ["Arrival", "her", "Old comedy"]


def test_site_comment_feed_holds_approved_comments_newest_first(client, blog, write_comments):
    approved = {"created": "2017-01-01T09:00:00Z", "status": "approved"}
    write_comments("arrival", [{"id": "a1", "author": "Cy", "body": "Heptapods!", **approved}])
    write_comments("secret", [{"id": "s1", "author": "Dee", "body": "hidden draft", **approved}])
    feed = parse_feed(client, "/comments.xml")
    assert feed.feed.link == f"{BASE}/"
    assert [entry.author for entry in feed.entries] == ["Cy", "Bo", "Ann"]
    assert feed.entries[0].link == f"{BASE}/posts/arrival/#comment-a1"
    assert feed.feed.updated == "2017-01-01T09:00:00+00:00"
    raw = client.get("/comments.xml").text
    assert "buy pills" not in raw and "not yet" not in raw and "hidden draft" not in raw


def test_site_comment_feed_of_a_site_without_comments_parses(client):
    assert parse_feed(client, "/comments.xml").entries == []


def test_an_edited_post_shows_its_new_text_in_every_feed(client, app, blog, write_post):
    """A post's feed HTML is built once and used by each feed it is in, until it changes."""
    assert "Theodore falls for Samantha" in client.get("/tags/drama/feed.xml").text
    write_post("her", body="Theodore writes letters.", date="2014-01-20", tags=["drama"])
    app.extensions["flatpages"][None].reload()
    for url in ("/feed.xml", "/rss.xml", "/feed.json", "/tags/drama/feed.xml"):
        text = client.get(url).text
        assert "Theodore writes letters." in text and "Theodore falls" not in text, url
