"""Behind a proxy the app sees the real client; without one, forged X-Forwarded-* change nothing.

Driven through the real comment POST, rate-limited per client address at 1 per minute, and
through what a reader sees (HSTS, redirect targets).
"""

from __future__ import annotations

import json

import pytest

from twombly import create_app

from .comment_helpers import csrf_token

PROXY = "127.0.0.1"


@pytest.fixture
def make_client(config, site, write_post):
    write_post("her", title="her")

    def make(hops: int):
        config["PROXY_TRUSTED_HOPS"] = hops
        config["COMMENTS_RATE_LIMIT"] = "1 per minute"
        client = create_app(config, site=site).test_client()
        client.environ_base["REMOTE_ADDR"] = PROXY  # every request comes from the proxy
        return client

    return make


def comment(client, forwarded_for: str, author: str):
    """Send the comment form as a reader behind `forwarded_for`; the response."""
    headers = {"X-Forwarded-For": forwarded_for}
    token = csrf_token(client, "her")
    data = {"name": author, "body": "A fine review.", "csrf_token": token}
    return client.post("/posts/her/comments/", data=data, headers=headers)


def authors(site) -> list[str]:
    path = site / "comments" / "her.json"
    return [c["author"] for c in json.loads(path.read_text("utf-8"))["comments"]]


def test_without_a_proxy_forged_addresses_do_not_escape_the_limit(make_client, site):
    client = make_client(0)
    assert comment(client, "203.0.113.1", "Ann").status_code == 303
    forged = comment(client, "203.0.113.2", "Bob")
    assert forged.status_code == 429
    assert "several comments in a short time" in forged.get_data(as_text=True)
    assert authors(site) == ["Ann"]


def test_behind_one_proxy_each_client_has_its_own_limit(make_client, site):
    client = make_client(1)
    assert comment(client, "203.0.113.1", "Ann").status_code == 303
    assert comment(client, "203.0.113.2", "Bob").status_code == 303
    assert comment(client, "203.0.113.1", "Ann again").status_code == 429
    assert authors(site) == ["Ann", "Bob"]


def test_behind_one_proxy_a_client_cannot_forge_its_address(make_client, site):
    """nginx appends the address it saw: only the last entry is trusted with one hop."""
    client = make_client(1)
    assert comment(client, "10.9.9.9, 203.0.113.1", "Ann").status_code == 303
    assert comment(client, "10.8.8.8, 203.0.113.1", "Mallory").status_code == 429
    assert authors(site) == ["Ann"]


def test_two_hops_trust_the_second_to_last_address(make_client, site):
    client = make_client(2)
    assert comment(client, "10.9.9.9, 203.0.113.7, 198.51.100.1", "Ann").status_code == 303
    assert comment(client, "10.8.8.8, 203.0.113.8, 198.51.100.1", "Bob").status_code == 303
    assert comment(client, "10.7.7.7, 203.0.113.7, 198.51.100.2", "Ann").status_code == 429


def test_forwarded_https_gives_hsts_only_behind_a_trusted_proxy(make_client):
    trusted = make_client(1).get("/", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" in trusted.headers
    untrusted = make_client(0).get("/", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in untrusted.headers


def test_forwarded_host_is_used_for_redirects_only_behind_a_trusted_proxy(make_client):
    headers = {"X-Forwarded-Host": "reviews.example", "X-Forwarded-Proto": "https"}
    behind = make_client(1).get("/page/1/", headers=headers)
    assert behind.headers["Location"] == "https://reviews.example/"
    direct = make_client(0).get("/page/1/", headers=headers)
    assert direct.headers["Location"] == "http://localhost/"


def test_negative_hops_are_refused(config, site):
    config["PROXY_TRUSTED_HOPS"] = -1
    with pytest.raises(ValueError, match="trusted_hops"):
        create_app(config, site=site)
