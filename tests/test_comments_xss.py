"""Hostile comments, sent through the form, come out as inert text and safe links."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from twombly.comments.markup import ALLOWED_TAGS

from .comment_helpers import comment_id, send_comment, soup

PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<svg onload=alert(1)><circle r=1 /></svg>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    '![x](https://img.example/x.png "title" onerror="alert(1)")',
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#x3C;img src=x onerror=alert(1)&#x3E;",
    '<iframe src="https://evil.example"></iframe>',
    "[a](&#106;avascript:alert(1))",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '[x](https://ok.example/" onmouseover="alert(1))',
    "```\n</code></pre><script>alert(1)</script>\n```",
    "<details open ontoggle=alert(1)>",
    "[x]: javascript:alert(1)\n\n[ref][x]",
]


@pytest.fixture
def her(app, write_post):
    app.config["COMMENTS_RATE_LIMIT"] = "1000 per minute"
    write_post("her", title="her")


def assert_inert(node) -> None:
    for tag in node.find_all(True):
        assert tag.name in ALLOWED_TAGS, tag
        assert set(tag.attrs) <= {"href", "title", "rel"}, tag
        if tag.name == "a" and tag.get("href"):
            assert urlsplit(tag["href"]).scheme in ("http", "https", "mailto", ""), tag
            assert tag["rel"] == ["nofollow", "ugc", "noopener"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_in_the_body_is_inert(client, her, payload):
    new_id = comment_id(send_comment(client, "her", body=payload))
    page = soup(client.get("/posts/her/"))
    body = page.select_one(f"#comment-{new_id} .comment-body")
    assert_inert(body)
    assert not page.select(
        ".comment-list :is(script, svg, img, iframe, details, style, .comment-body div)"
    )


@pytest.mark.parametrize("payload", PAYLOADS[:4])
def test_payload_in_the_name_is_text(client, her, payload):
    new_id = comment_id(send_comment(client, "her", name=payload[:80]))
    author = soup(client.get("/posts/her/")).select_one(f"#comment-{new_id} .comment-author")
    assert author.get_text() == payload[:80]
    assert author.find(True) is None


@pytest.mark.parametrize(
    "website", ["javascript:alert(1)", "data:text/html,x", 'https://x.example/"><script>']
)
def test_hostile_websites_are_refused_or_escaped(client, her, website):
    response = send_comment(client, "her", website=website)
    if response.status_code == 400:
        return
    new_id = comment_id(response)
    page = soup(client.get("/posts/her/"))
    link = page.select_one(f"#comment-{new_id} .comment-author a")
    assert link["href"] == website
    assert not page.select(".comment-list script")
