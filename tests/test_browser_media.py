"""In Chromium: a spoiler opens from the keyboard, and a poster loads as WebP, within the CSP."""

from __future__ import annotations

from PIL import Image

from .test_browser_security import RECORD_VIOLATIONS

SECRET = "Samantha leaves with the other operating systems."


def test_a_spoiler_opens_with_the_keyboard_and_the_poster_is_webp(
    page, server_url, images, write_post
):
    Image.new("RGB", (600, 900), (20, 60, 120)).save(images / "her.jpg")
    review = {"title": "Her", "year": 2013, "poster": "her.jpg"}
    body = f"Theodore writes letters.\n\n```spoiler\n{SECRET}\n```\n"
    write_post("her", body=body, review=review, spoilers=True)
    page.add_init_script(RECORD_VIOLATIONS)
    assert page.goto(f"{server_url}/posts/her/").ok
    page.wait_for_load_state("load")

    secret = page.get_by_text(SECRET)
    assert not secret.is_visible()
    page.locator("details.spoiler > summary").focus()
    page.keyboard.press("Enter")
    assert page.locator("details.spoiler").get_attribute("open") is not None
    assert secret.is_visible()

    poster = page.locator(".review-box picture img")
    assert poster.evaluate("img => img.complete && img.naturalWidth > 0")
    assert poster.evaluate("img => img.currentSrc").endswith(".webp")
    assert page.evaluate("window.__violations") == []
