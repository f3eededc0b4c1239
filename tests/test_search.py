"""Search without a browser: what the frozen index holds, and the server's own ranked answer."""

from __future__ import annotations

import gzip
import json

import pytest
from bs4 import BeautifulSoup

from .freezing import freeze
from .search_site import DRAFT_WORD, SCHEDULED_WORD, SPOILER_WORD, build_site


@pytest.fixture
def reviews(site, write_comments):
    """The search site's posts in the test's own site folder, with an approved comment."""
    build_site(site)
    write_comments("her", [{"id": "c1", "author": "Ann", "body": "Commentonlyword here.",
                            "parent": None, "created": "2014-01-21T09:30:00Z",
                            "status": "approved"}])  # fmt: skip


def records(root) -> dict[str, dict]:
    """The page records of a frozen copy's Pagefind index, by URL."""
    found = {}
    for path in (root / "pagefind/fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        record = json.loads(data.removeprefix(b"pagefind_dcd"))
        found[record["url"]] = record
    return found


def titles(client, query: str) -> list[str]:
    response = client.get("/search/", query_string={"q": query})
    assert response.status_code == 200
    html = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    return [link.text for link in html.select("#search-results h2 a")]


def test_the_frozen_index_holds_published_posts_their_facts_and_no_hidden_text(
    runner, reviews, tmp_path
):
    build = tmp_path / "build"
    assert freeze(runner, build, "--base-url", "https://example.org/blog/").exit_code == 0
    found = records(build)
    assert set(found) == {"/posts/her/", "/posts/lost-in-translation/", "/posts/adaptation/",
                          "/about/"}  # fmt: skip
    her = found["/posts/her/"]
    assert her["meta"]["title"] == "her" and her["meta"]["rating"] == "4.5 out of 5"
    assert her["filters"]["director"] == ["Spike Jonze"]
    assert her["filters"]["year"] == ["2013"] and her["filters"]["decade"] == ["2010s"]
    assert "ghostwriter" in her["content"] and "Are human emotions innate" in her["content"]
    everything = json.dumps(found)
    for hidden in (SPOILER_WORD, DRAFT_WORD, SCHEDULED_WORD, "Commentonlyword", "Skip to"):
        assert hidden not in everything, hidden
    page = BeautifulSoup((build / "search/index.html").read_text("utf-8"), "html.parser")
    form = page.select_one("#search-form")
    assert form["data-base"] == "/blog/" and form["data-bundle"] == "/blog/pagefind/"
    assert "Search needs JavaScript" in page.noscript.text
    assert not (build / "pagefind/pagefind-ui.js").exists()  # Pagefind's own UI is not used
    entry = json.loads((build / "pagefind/pagefind-entry.json").read_bytes())  # loaded first
    assert entry["languages"]["en"]["page_count"] == 4


def test_the_server_ranks_title_then_film_facts_then_body(client, write_post):
    write_post("in-body", title="Quiet", date="2024-01-03", body="Orchid season again.")
    write_post("in-title", title="Orchid", date="2024-01-01")
    write_post("in-facts", title="A film", date="2024-01-02",
               review={"title": "The Orchid Thief", "director": "Someone"})  # fmt: skip
    assert titles(client, "orchid") == ["Orchid", "A film", "Quiet"]
    assert titles(client, "orch") == ["Orchid", "A film", "Quiet"]  # the words it begins
    assert titles(client, "orchid season") == ["Quiet"]  # every word must occur


def test_the_server_finds_no_spoiler_draft_scheduled_or_comment_words(client, reviews):
    assert titles(client, "ghostwriter")[0] == "her"
    assert sorted(titles(client, "Spike Jonze")) == ["Adaptation", "her"]
    for hidden in (SPOILER_WORD, DRAFT_WORD, SCHEDULED_WORD, "Commentonlyword"):
        response = client.get("/search/", query_string={"q": hidden})
        assert "Nothing matches" in response.get_data(as_text=True)
        assert titles(client, hidden) == []


@pytest.mark.parametrize("query", ["", "   ", "<script>", "a" * 5000, "日本語", "%00", "((("])
def test_any_query_gets_a_page(client, reviews, query):
    response = client.get("/search/", query_string={"q": query})
    assert response.status_code == 200
    assert "<script>" not in response.get_data(as_text=True).split("<main", 1)[1]


def test_every_page_links_to_search_and_the_live_index_waits_for_its_first_build(client, reviews):
    for url in ("/", "/posts/her/", "/about/"):
        html = BeautifulSoup(client.get(url).get_data(as_text=True), "html.parser")
        form = html.select_one("header form[role=search]")
        assert form["action"] == "/search/" and form.select_one("input[name=q]")
    assert client.get("/pagefind/pagefind.js").status_code == 404  # no index built yet


def test_each_director_of_a_film_is_a_filter_of_its_own(client, write_post):
    coen = {"title": "Fargo", "year": 1996, "director": ["Joel Coen", "Ethan Coen"]}
    write_post("fargo", title="Fargo", date="2020-01-01", review=coen)
    page = BeautifulSoup(client.get("/posts/fargo/").get_data(as_text=True), "html.parser")
    filters = page.select('meta[data-pagefind-filter="director[content]"]')
    assert [meta["content"] for meta in filters] == ["Joel Coen", "Ethan Coen"]
