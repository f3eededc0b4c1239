"""Behind a proxy the app sees the real client; without one, forged X-Forwarded-* change nothing.

Until the comment form lands, a rate-limited probe route stands in for the comment POST: it uses
the app's real limiter, keyed on the client address exactly as the comment endpoint is.
"""

from __future__ import annotations

import pytest
from flask import request

from twombly import create_app
from twombly.limits import limiter

PROXY = "127.0.0.1"


@pytest.fixture
def make_client(config, site):
    def make(hops: int):
        config["PROXY_TRUSTED_HOPS"] = hops
        app = create_app(config, site=site)

        @limiter.limit("1 per minute")
        def limited() -> str:
            return f"client {request.remote_addr}"

        app.add_url_rule("/limited/", view_func=limited, methods=["POST"])
        return app.test_client()

    return make


def post(client, forwarded_for: str | None = None, **headers: str):
    if forwarded_for:
        headers["X-Forwarded-For"] = forwarded_for
    return client.post("/limited/", headers=headers, environ_base={"REMOTE_ADDR": PROXY})


def test_without_a_proxy_forged_addresses_do_not_escape_the_limit(make_client):
    client = make_client(0)
    first = post(client, "203.0.113.1")
    assert first.status_code == 200
    assert first.get_data(as_text=True) == f"client {PROXY}"
    forged = post(client, "203.0.113.2")
    assert forged.status_code == 429
    assert "Too Many Requests" in forged.get_data(as_text=True)


def test_behind_one_proxy_each_client_has_its_own_limit(make_client):
    client = make_client(1)
    first = post(client, "203.0.113.1")
    assert first.get_data(as_text=True) == "client 203.0.113.1"
    assert post(client, "203.0.113.2").status_code == 200
    assert post(client, "203.0.113.1").status_code == 429


def test_behind_one_proxy_a_client_cannot_forge_its_address(make_client):
    """nginx appends the address it saw: only the last entry is trusted with one hop."""
    client = make_client(1)
    assert post(client, "10.9.9.9, 203.0.113.1").get_data(as_text=True) == "client 203.0.113.1"
    assert post(client, "10.8.8.8, 203.0.113.1").status_code == 429


def test_two_hops_trust_the_second_to_last_address(make_client):
    client = make_client(2)
    response = post(client, "10.9.9.9, 203.0.113.7, 198.51.100.1")
    assert response.get_data(as_text=True) == "client 203.0.113.7"


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
