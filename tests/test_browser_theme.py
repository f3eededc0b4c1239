"""The theme in a real browser: the review reads well on a phone and a wide screen."""

from __future__ import annotations

import pytest

from .accessibility import assert_accessible


@pytest.fixture
def her(write_post, write_comments):
    write_post(
        "her",
        body="A paragraph about the film.",
        title="her",
        date="2014-01-20",
        tagline="Are human emotions innate?",
        review={"title": "Her", "year": 2013, "rating": 4.5},
    )
    write_comments(
        "her",
        [{"id": "c1", "parent": None, "author": "Ann", "body": "Good review.",
          "created": "2014-01-21T09:30:00Z", "status": "approved"}],
    )  # fmt: skip


@pytest.mark.parametrize("width", [320, 1280])
def test_review_fits_the_screen(page, server_url, her, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{server_url}/posts/her/")
    assert page.locator("h1").inner_text() == "her"
    assert page.get_by_role("img", name="Rated 4.5 out of 5").is_visible()
    assert page.locator(".comment-body").inner_text() == "Good review."
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow, "the page scrolls sideways"


def test_skip_link_takes_keyboard_users_to_the_content(page, server_url, her):
    page.goto(f"{server_url}/posts/her/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


@pytest.mark.parametrize("path", ["/", "/posts/her/", "/tags/", "/archive/"])
def test_axe_finds_no_serious_violation(page, server_url, her, path):
    response = page.goto(f"{server_url}{path}")
    assert response.status == 200
    assert_accessible(page)
