"""In Chromium: no page of the theme breaks its own Content-Security-Policy, and the policy
stops script that slips into a page, while comment payloads stay text.
"""

from __future__ import annotations

import json

import pytest

from .admin_helpers import PASSWORD, pending, set_password
from .sample_site import APPROVED, fill

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""
XSS_PAYLOADS = [
    "<script>window.__xss = 1; alert('script')</script>",
    "<img src=x onerror=\"window.__xss = 2; alert('img')\">",
    "<svg onload=\"alert('svg')\"></svg>",
    "[click me](javascript:alert('link'))",
    '<a href="javascript:alert(1)">link</a>',
    "<iframe src=\"javascript:alert('frame')\"></iframe>",
    "\"><script>alert('attribute')</script>",
    "<style>body { display: none }</style>",
    "![x](x\" onerror=\"alert('markdown image'))",
    "<details open ontoggle=\"alert('toggle')\">",
]


@pytest.fixture
def watched(page):
    """The page, recording CSP violations, dialogs and console errors."""
    seen = {"dialogs": [], "console": []}

    def on_dialog(dialog):
        seen["dialogs"].append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on(
        "console",
        lambda msg: msg.type in ("error", "warning") and seen["console"].append(msg.text),
    )
    page.add_init_script(RECORD_VIOLATIONS)
    page.seen = seen
    return page


def visit(page, url: str) -> list[str]:
    """Open `url`, check its CSP header, return the CSP violations the browser reported."""
    response = page.goto(url)
    assert response.ok, url
    assert "default-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("load")
    return page.evaluate("window.__violations")


PAGES = ["/", "/page/2/", "/posts/her/", "/tags/", "/tags/drama/", "/archive/", "/about/",
         "/admin/login/"]  # fmt: skip


def test_no_page_of_the_theme_violates_the_policy(watched, server_url, write_post, write_comments):
    fill(write_post, write_comments)
    for path in PAGES:
        assert visit(watched, server_url + path) == [], path
    assert watched.seen["console"] == []  # a header Chromium does not understand is logged
    missing = watched.goto(f"{server_url}/no/such/page/")
    assert missing.status == 404
    assert watched.evaluate("window.__violations") == []
    assert watched.seen["dialogs"] == []
    assert all("status of 404" in message for message in watched.seen["console"])


def test_json_ld_data_blocks_are_allowed(watched, server_url, write_post, write_comments):
    fill(write_post, write_comments)
    visit(watched, f"{server_url}/posts/her/")
    blocks = watched.locator('script[type="application/ld+json"]')
    assert blocks.count() == 1
    assert '"@type"' in blocks.inner_text()
    assert watched.evaluate("window.__violations") == []


def test_the_policy_blocks_script_that_reaches_a_page(watched, server_url, write_post):
    """Post bodies are the author's raw HTML; if a script got in, the CSP still stops it."""
    write_post("leak", body="\n\n".join(XSS_PAYLOADS[:3]))
    violations = visit(watched, f"{server_url}/posts/leak/")
    assert watched.evaluate("window.__xss") is None
    assert watched.seen["dialogs"] == []
    assert any(v.startswith("script-src") for v in violations), violations


def test_comment_payloads_render_as_text(watched, server_url, write_post, write_comments):
    write_post("her")
    comments = [
        {"id": f"x{n}", "author": payload, "body": payload, **APPROVED}
        for n, payload in enumerate(XSS_PAYLOADS)
    ]
    comments.append({"id": "web", "author": "Web", "body": "hi", "website": "javascript:alert(1)",
                     **APPROVED})  # fmt: skip
    write_comments("her", comments)
    assert visit(watched, f"{server_url}/posts/her/") == []
    assert watched.seen["dialogs"] == []
    assert watched.evaluate("window.__xss") is None
    bodies = watched.locator(".comment-body")
    assert bodies.count() == len(comments)
    assert (
        watched.locator(".comment-body script, .comment-body img, .comment-body iframe").count()
        == 0
    )
    for link in watched.locator(".comments a[href]").all():
        assert not link.get_attribute("href").lower().startswith("javascript:")


def test_moderation_pages_keep_the_policy(watched, server_url, runner, write_post, write_comments):
    """The owner's pages show pending comments, payloads included: still no script runs."""
    write_post("her")
    write_comments(
        "her",
        [pending(f"p{n}", payload, "2024-01-02T10:00:00Z", payload)
         for n, payload in enumerate(XSS_PAYLOADS)],
    )  # fmt: skip
    assert set_password(runner).exit_code == 0
    assert visit(watched, f"{server_url}/admin/login/") == []
    watched.get_by_label("Password").fill(PASSWORD)
    watched.get_by_role("button", name="Log in").click()
    watched.wait_for_url(f"{server_url}/admin/")
    assert watched.locator(".admin-comment").count() == len(XSS_PAYLOADS)
    watched.locator("#admin-p0").get_by_role("button", name="Approve").click()
    watched.get_by_text("was approved").wait_for()
    assert watched.evaluate("window.__violations") == []
    assert watched.evaluate("window.__xss") is None
    assert watched.seen == {"dialogs": [], "console": []}


def test_xss_payloads_through_the_real_comment_form(watched, server_url, app, write_post, site):
    """Each payload is typed into the form as a reader would (name and body), sent, and shown."""
    app.config["COMMENTS_RATE_LIMIT"] = "1000 per minute"
    write_post("her")
    for payload in XSS_PAYLOADS:
        response = watched.goto(f"{server_url}/posts/her/")
        assert "script-src 'self';" in response.headers["content-security-policy"]
        watched.get_by_label("Name", exact=True).fill(payload[:80])
        watched.get_by_role("textbox", name="Comment").fill(payload)
        with watched.expect_navigation() as landed:
            watched.get_by_role("button", name="Send comment").click()
        assert "default-src 'self'" in landed.value.headers["content-security-policy"]
        assert "#comment-" in watched.url
        assert watched.evaluate("window.__violations") == []
    assert watched.locator(".comment-list .comment").count() == len(XSS_PAYLOADS)
    bodies = watched.locator(".comment-body").all_inner_texts()
    assert "<script>window.__xss = 1; alert('script')</script>" in bodies
    assert not watched.locator(
        ".comment-list :is(script, img, svg, iframe, style, details)"
    ).count()
    assert watched.evaluate("window.__xss") is None
    assert watched.seen["dialogs"] == []
    stored = (site / "comments" / "her.json").read_text("utf-8")
    assert all(json.dumps(payload, ensure_ascii=False)[1:-1] in stored for payload in XSS_PAYLOADS)


def test_a_javascript_web_address_is_refused_by_the_form(watched, server_url, write_post):
    write_post("her")
    watched.goto(f"{server_url}/posts/her/")
    watched.get_by_label("Name", exact=True).fill("Mallory")
    watched.get_by_label("Website (optional)").fill("javascript:alert(document.domain)")
    watched.get_by_role("textbox", name="Comment").fill("Click my name.")
    watched.get_by_role("button", name="Send comment").click()
    watched.wait_for_load_state()
    assert watched.locator(".comment-list .comment").count() == 0
    assert "http:// or https://" in watched.locator("#comment-form").inner_text()
    assert watched.seen["dialogs"] == []
