"""Search in Chromium over the frozen copy (under a sub-path, on a static host sending the
`flask headers` rules) and over the live server, which builds its index in the background."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import expect

from twombly import create_app

from .accessibility import assert_accessible
from .browser import live_server
from .search_site import DRAFT_WORD, SCHEDULED_WORD, SPOILER_WORD, build_site
from .test_browser_frozen_csp import static_host
from .test_browser_security import RECORD_VIOLATIONS

CONFIG = {"TESTING": True, "SECRET_KEY": "test-secret", "TITLE": "Test Reviews",
          "FLATPAGES_AUTO_RELOAD": True}  # fmt: skip


@pytest.fixture(scope="module")
def frozen_copy(tmp_path_factory):
    """The copy frozen for https://<host>/blog/ into host/blog/, with host/_headers."""
    root = tmp_path_factory.mktemp("search")
    app = create_app({**CONFIG, "SEARCH_LIVE_INDEX": False}, site=build_site(root / "site"))
    return app, root / "host"


@pytest.fixture(scope="module")
def live_app(tmp_path_factory):
    root = tmp_path_factory.mktemp("search-live")
    config = {**CONFIG, "SEARCH_LIVE_INDEX": True, "SEARCH_REFRESH_SECONDS": 0}
    return create_app(config, site=build_site(root / "site"))


def watched(page):
    """Record console errors and CSP violations on `page`."""
    page.errors = []
    page.on("console", lambda msg: msg.type == "error" and page.errors.append(msg.text))
    page.add_init_script(RECORD_VIOLATIONS)
    return page


def results(page) -> list[str]:
    return page.locator("#search-results h2 a").all_inner_texts()


def search_for(page, words: str) -> str:
    """Type `words` in the search field; the status line once the results are in."""
    page.fill("#search-query", words)
    status = page.locator("#search-status", has_text=words)
    status.wait_for()
    return status.inner_text()


def check_search(page, search_url: str, post_url: str) -> None:
    """What a reader does on /search/: words, spoiler and draft words, filters, a result."""
    page.goto(search_url)
    page.wait_for_selector("#search-filters:not([hidden])")  # Pagefind loaded its index
    assert "match" in search_for(page, "ghostwriter")
    assert results(page)[0] == "her"
    for hidden in (SPOILER_WORD, DRAFT_WORD, SCHEDULED_WORD):
        assert search_for(page, hidden).startswith("Nothing matches"), hidden
        assert results(page) == []
    page.fill("#search-query", "")
    page.select_option("#search-director", "Spike Jonze")
    expect(page.locator("#search-results li")).to_have_count(2)
    assert sorted(results(page)) == ["Adaptation", "her"]
    page.select_option("#search-sort", "date:asc")
    expect(page.locator("#search-results h2 a").first).to_have_text("her")
    page.select_option("#search-sort", "date:desc")
    expect(page.locator("#search-results h2 a").first).to_have_text("Adaptation")
    page.select_option("#search-year", "2013")
    expect(page.locator("#search-results li")).to_have_count(1)
    assert results(page) == ["her"]
    assert page.locator("#search-results .stars").first.get_attribute("aria-label") == (
        "Rated 4.5 out of 5"
    )
    assert_accessible(page)
    page.get_by_role("link", name="her", exact=True).click()
    page.wait_for_url(post_url)
    assert page.evaluate("window.__violations") == []
    assert page.errors == []


def test_the_frozen_copy_searches_under_a_sub_path(frozen_copy, page):
    app, host = frozen_copy
    runner = app.test_cli_runner()
    with static_host(host) as origin:
        base = f"{origin}/blog/"
        frozen = runner.invoke(args=["freeze", "--destination", str(host / "blog"),
                                     "--base-url", base])  # fmt: skip
        assert frozen.exit_code == 0, frozen.output
        app.config["FREEZE_BASE_URL"] = base
        (host / "_headers").write_text(runner.invoke(args=["headers"]).output, "utf-8")
        response = watched(page).goto(f"{base}posts/her/")
        assert "wasm-unsafe-eval" not in response.headers["content-security-policy"]
        page.get_by_label("Search the reviews").fill("ghostwriter")
        page.keyboard.press("Enter")  # the header's field, from any page
        page.wait_for_url(re.compile(r"/blog/search/\?q=ghostwriter$"))
        page.locator("#search-results li").first.wait_for()
        assert results(page)[0] == "her"
        check_search(page, f"{base}search/", f"{base}posts/her/")
    html = (host / "blog/search/index.html").read_text(encoding="utf-8")
    assert "Search needs JavaScript" in BeautifulSoup(html, "html.parser").noscript.text


def wait_for_index(app, since: Path | None = None, seconds: float = 60) -> Path:
    """The live index's folder, once a build (newer than `since`) has been swapped in."""
    from twombly.search.live import current_bundle

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        bundle = current_bundle(app)
        if bundle is not None and bundle != since:
            return bundle
        time.sleep(0.2)
    raise AssertionError("the live server built no search index")


def test_the_live_server_builds_its_index_and_answers_without_javascript(live_app, page):
    client = live_app.test_client()
    with live_server(live_app) as url:
        client.get("/")  # the first request starts the builder
        first = wait_for_index(live_app)
        check_search(watched(page), f"{url}/search/", f"{url}/posts/her/")
        response = client.get("/search/?q=ghostwriter")
        shown = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        assert shown.select("#search-results h2 a")[0].text == "her"

        site = Path(live_app.root_path)
        new = "---\ntitle: New\ndate: 2016-03-01\n---\n\nPalimpsest.\n"
        (site / "pages/new.md").write_text(new, encoding="utf-8")
        client.get("/")  # content changed: a new index replaces the first
        wait_for_index(live_app, since=first)
        page.goto(f"{url}/search/?q=palimpsest")
        expect(page.locator("#search-results li")).to_have_count(1)
        assert results(page) == ["New"]
        page.goto("about:blank")  # Pagefind's worker stops fetching before the server does
