"""Security headers on every kind of response, live; and the same set for a static host."""

from __future__ import annotations

import pytest
from werkzeug.exceptions import InternalServerError

from twombly import create_app

from .sample_site import fill

PAGE_TYPES = {
    "index": ("/", 200),
    "index page 2": ("/page/2/", 200),
    "post": ("/posts/her/", 200),
    "tag": ("/tags/drama/", 200),
    "tags": ("/tags/", 200),
    "archive": ("/archive/", 200),
    "page": ("/about/", 200),
    "static css": ("/static/css/site.css", 200),
    "pygments css": ("/pygments.css", 200),
    "site feed": ("/feed.xml", 200),
    "tag feed": ("/tags/drama/feed.xml", 200),
    "comment feed": ("/posts/her/comments.xml", 200),
    "sitemap": ("/sitemap.xml", 200),
    "robots": ("/robots.txt", 200),
    "admin login": ("/admin/login/", 200),
    "not found": ("/no/such/thing/", 404),
    "missing static": ("/static/none.css", 404),
}
SELF_ONLY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'"],
    "connect-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}


@pytest.fixture
def filled(write_post, write_comments):
    fill(write_post, write_comments)


def csp(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    policy = {}
    for directive in response.headers["Content-Security-Policy"].split(";"):
        name, *sources = directive.split()
        policy[name] = sources
    return policy


# The search page alone may compile WebAssembly, which Pagefind's search runs on.
SEARCH_PAGE = {**SELF_ONLY, "script-src": ["'self'", "'wasm-unsafe-eval'"]}


def assert_secure_headers(response, policy=SELF_ONLY) -> None:
    assert csp(response) == policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "geolocation=()" in response.headers["Permissions-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("url, status", PAGE_TYPES.values(), ids=PAGE_TYPES.keys())
def test_every_page_type_has_the_headers(client, filled, url, status):
    with client.get(url) as response:
        assert response.status_code == status
        assert_secure_headers(response)
        assert "Strict-Transport-Security" not in response.headers


def test_every_url_without_arguments_has_the_headers(app, client, filled):
    """Feeds, sitemap, robots.txt, 404.html and whatever else is added later."""
    rules = [
        rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments - set(rule.defaults or ())
    ]
    assert len(rules) >= 4
    for rule in rules:
        response = client.get(rule.rule)
        assert response.status_code in (200, 302), rule.rule  # /admin/ sends to its login
        assert_secure_headers(response, SEARCH_PAGE if rule.rule == "/search/" else SELF_ONLY)


def test_wrong_method_gets_a_405_page_with_allow_and_the_headers(client, filled):
    response = client.delete("/posts/her/")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert response.mimetype == "text/html"
    assert "does not accept that kind of request" in response.get_data(as_text=True)
    assert_secure_headers(response)


def test_server_error_page_has_the_headers(app, client):
    def broken() -> str:
        raise InternalServerError()

    app.add_url_rule("/broken/", view_func=broken)
    response = client.get("/broken/")
    assert response.status_code == 500
    assert "Something went wrong" in response.get_data(as_text=True)
    assert_secure_headers(response)


def test_hsts_only_over_https(client, filled):
    secure = client.get("/", base_url="https://reviews.example")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "Strict-Transport-Security" not in client.get("/").headers


def test_comment_endpoint_origin_may_be_posted_to_and_fetched(config, site, write_post):
    config["COMMENTS_ENDPOINT"] = "https://comments.example:8443/some/path/"
    write_post("her")
    app = create_app(config, site=site)
    policy = csp(app.test_client().get("/posts/her/"))
    assert policy["form-action"] == ["'self'", "https://comments.example:8443"]
    assert policy["connect-src"] == ["'self'", "https://comments.example:8443"]
    assert policy["script-src"] == ["'self'"]


def test_headers_for_a_static_host(config, site):
    config["BASE_URL"] = "https://reviews.example/"
    config["COMMENTS_ENDPOINT"] = "https://comments.example/"
    runner = create_app(config, site=site).test_cli_runner()
    netlify = runner.invoke(args=["headers"])
    assert netlify.exit_code == 0, netlify.output
    lines = netlify.output.splitlines()
    assert lines[0] == "/*"
    assert "  X-Content-Type-Options: nosniff" in lines
    assert "  Strict-Transport-Security: max-age=31536000; includeSubDomains" in lines
    assert any(
        line.startswith("  Content-Security-Policy: default-src 'self'")
        and "form-action 'self' https://comments.example;" in line
        for line in lines
    )
    nginx = runner.invoke(args=["headers", "--format", "nginx"])
    assert 'add_header Referrer-Policy "strict-origin-when-cross-origin" always;' in nginx.output
    assert "wasm-unsafe-eval" not in nginx.output


def test_headers_for_a_static_host_let_the_search_page_alone_run_webassembly(config, site):
    config["FREEZE_BASE_URL"] = "https://you.example/reviews/"
    runner = create_app(config, site=site).test_cli_runner()
    blocks = runner.invoke(args=["headers"]).output.split("\n/")
    assert "wasm-unsafe-eval" not in blocks[0]  # /*: every page
    for path in ("reviews/search/*", "reviews/pagefind/*"):
        block = next(block for block in blocks if block.startswith(path)).splitlines()
        assert block[1] == "  ! Content-Security-Policy"  # the policy of /* replaced
        assert "script-src 'self' 'wasm-unsafe-eval';" in block[2]
    nginx = runner.invoke(args=["headers", "--format", "nginx", "--search"]).output
    assert "script-src 'self' 'wasm-unsafe-eval';" in nginx


def test_no_hsts_for_a_static_host_on_plain_http(config, site):
    config["BASE_URL"] = "http://reviews.example/"
    output = create_app(config, site=site).test_cli_runner().invoke(args=["headers"]).output
    assert "X-Content-Type-Options: nosniff" in output
    assert "Strict-Transport-Security" not in output


def test_static_host_hsts_follows_the_copys_own_address(config, site):
    config["BASE_URL"] = "http://127.0.0.1:5000/"
    config["FREEZE_BASE_URL"] = "https://you.example/reviews/"
    output = create_app(config, site=site).test_cli_runner().invoke(args=["headers"]).output
    assert "Strict-Transport-Security: max-age=31536000; includeSubDomains" in output
