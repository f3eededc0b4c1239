"""The browse pages and a year in review in a real browser: axe finds nothing serious, in the
light and the dark theme, and the charts fit a phone's screen."""

from __future__ import annotations

import pytest

from .accessibility import assert_accessible
from .film_site import films  # noqa: F401 (a fixture)

PAGES = ["/films/", "/directors/agnes-varda/", "/diary/2021/"]


@pytest.mark.usefixtures("films")
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_browse_pages_have_no_serious_accessibility_problem(page, server_url, scheme):
    page.emulate_media(color_scheme=scheme)
    for path in PAGES:
        page.goto(f"{server_url}{path}")
        assert_accessible(page)


@pytest.mark.usefixtures("films")
def test_the_year_in_review_fits_a_phone(page, server_url):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{server_url}/diary/2021/")
    assert page.locator("svg.chart-svg").first.is_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow, "the page scrolls sideways"
    bar = page.locator("rect.chart-bar").nth(7)  # 4 stars
    colour = bar.evaluate("element => getComputedStyle(element).fill")
    assert colour not in ("", "none", "rgb(0, 0, 0)")
