"""Comments from a frozen copy on another origin: the Origin header stands in for CSRF."""

from __future__ import annotations

import json

import pytest

from .comment_helpers import csrf_token

STATIC = "https://static.example"


@pytest.fixture
def her(app, write_post):
    app.config["COMMENTS_ALLOWED_ORIGINS"] = [STATIC + "/", "http://mirror.example:8080"]
    write_post("her", title="her")


def cross_post(client, origin: str | None, **fields):
    data = {
        "name": "Ann",
        "body": "From the static copy.",
        "return_to": f"{STATIC}/posts/her/",
        **fields,
    }
    headers = {"Origin": origin} if origin is not None else {}
    return client.post("/posts/her/comments/", data=data, headers=headers)


def stored(site) -> list[dict]:
    return json.loads((site / "comments" / "her.json").read_text("utf-8"))["comments"]


def test_allowed_origin_posts_without_a_token_and_goes_back(client, site, her):
    response = cross_post(client, STATIC, return_to=f"{STATIC}/posts/her/#comments")
    assert response.status_code == 303
    new_id = stored(site)[0]["id"]
    page, note = response.headers["Location"].split("?note=")
    assert page == f"{STATIC}/posts/her/"
    assert note.endswith(f"#comment-{new_id}")


def test_origins_compare_without_case_or_default_port(client, site, her):
    response = cross_post(
        client, "HTTPS://Static.Example:443", return_to="https://static.example/posts/her/"
    )
    assert response.status_code == 303
    response = cross_post(
        client, "http://mirror.example:8080", return_to="http://mirror.example:8080/b/posts/her/"
    )
    assert response.status_code == 303


@pytest.mark.parametrize(
    "origin",
    ["https://evil.example", "http://static.example", "null", "https://static.example:8443"],
)
def test_other_origins_are_403(client, site, her, origin):
    response = cross_post(client, origin, return_to=f"{origin}/posts/her/")
    assert response.status_code == 403
    assert not (site / "comments" / "her.json").exists()


def test_allowed_origin_must_return_to_itself(client, site, her):
    for target in ("https://evil.example/", "javascript:alert(1)", ""):
        response = cross_post(client, STATIC, return_to=target)
        assert response.status_code == 400
        assert "not on the sending site" in response.get_data(as_text=True)
    assert not (site / "comments" / "her.json").exists()


def test_allowed_origin_still_gets_form_errors(client, site, her):
    assert cross_post(client, STATIC, name="").status_code == 400


def test_no_allowed_origins_means_every_foreign_origin_is_403(app, client, site, her):
    app.config["COMMENTS_ALLOWED_ORIGINS"] = []
    assert cross_post(client, STATIC).status_code == 403


def test_allowed_origins_from_the_environment_as_text(app, client, site, her):
    app.config["COMMENTS_ALLOWED_ORIGINS"] = "https://a.example, https://static.example"
    assert cross_post(client, STATIC).status_code == 303


def test_same_origin_and_no_origin_need_the_csrf_token(client, site, her):
    assert cross_post(client, None).status_code == 400
    assert cross_post(client, "http://localhost").status_code == 400
    assert not (site / "comments" / "her.json").exists()
    token = csrf_token(client, "her")
    for origin in (None, "http://localhost"):
        response = cross_post(client, origin, csrf_token=token)
        assert response.status_code == 303
        assert response.headers["Location"].startswith("/posts/her/#comment-")
    assert len(stored(site)) == 2


def test_the_public_address_is_same_origin_behind_an_untrusted_tls_proxy(client, site, her):
    """Behind nginx with TLS but trusted_hops = 0 the app sees http; base_url says https."""
    public = "https://reviews.example"  # the test config's BASE_URL
    assert cross_post(client, public).status_code == 400  # same-origin: the token is required
    token = csrf_token(client, "her")
    response = cross_post(client, public, csrf_token=token)
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/posts/her/#comment-")
