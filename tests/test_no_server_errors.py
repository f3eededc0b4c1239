"""No request a reader or a scanner can make gets a 5xx: every link works, hostile input is a 4xx.

The crawler follows every link of a generated site (pages, feeds, the sitemap, whatever links
the theme grows); the hostile requests are what scanners and broken clients actually send.
"""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from .sample_site import fill

BASE_URL = "https://reviews.example/"
LINK_ATTRIBUTES = {"a": "href", "link": "href", "script": "src", "img": "src", "form": "action"}
XML_LINKS = re.compile(r"""<loc>([^<]+)</loc>|\bhref=["']([^"']+)["']""")

HOSTILE_PATHS = [
    # odd and broken percent-encodings, NUL bytes, overlong and surrogate UTF-8
    "/%ff/", "/posts/%ff/", "/%00", "/posts/%00/", "/tags/%00/", "/%c0%ae%c0%ae/",
    "/%c0%af/", "/%e0%80%af/", "/%ed%a0%80/", "/%f4%90%80%80/", "/%zz/", "/%", "/posts/%/",
    "/posts/her/%0d%0aSet-Cookie:%20a=b", "/static/css/site.css%00.txt", "/pygments.css%00",
    # overlong paths and segments
    "/" + "a" * 8000 + "/", "/posts/" + "x" * 5000 + "/", "/static/" + "a/" * 2000 + "b.css",
    "/tags/" + "t" * 4096 + "/page/2/",
    # traversal and probing
    "/static/../site.toml", "/static/%2e%2e/site.toml", "/static/..%2f..%2fsite.toml",
    "/static/..%5csite.toml", "/static/css/", "/static/", "/.git/config", "/../../etc/passwd",
    "/wp-login.php", "/posts/her/../../../site.toml", "//", "///evil.example//", "/\\evil.example",
    # pages and page numbers out of range or not numbers
    "/page/0/", "/page/-1/", "/page/abc/", "/page/99999999999999999999999999/", "/page/1.5/",
    "/tags/drama/page/0/", "/tags/drama/page/abc/", "/tags/nope/", "/posts/", "/tags/drama/x/",
    # bad query strings
    "/?page=-1", "/?page=abc", "/?page=%ff", "/?%00=%00", "/tags/?" + "a=1&" * 2000,
    "/posts/her/?q=%e0%80%af", "/archive/?year=-1&year=abc", "/?;;;&&&===",
]  # fmt: skip
RAW_PATHS = ["/\xff\xfe/", "/posts/\xc0\xaf/", "/tags/\x00/"]  # undecoded bytes, as WSGI gives
RAW_QUERIES = ["page=\xff", "\xff\xfe=\xc0", "reply=\xff", "page=" + "9" * 5000]
WRONG_METHODS = ["POST", "PUT", "DELETE", "PATCH", "TRACE", "PROPFIND", "CONNECT"]
HOSTILE_HEADERS = [
    {"Range": "bytes=abc"},
    {"Range": "bytes=999999999-"},
    {"If-Modified-Since": "yesterday"},
    {"If-None-Match": '"' + "x" * 5000},
    {"Cookie": "session=%ff%00garbage"},
    {"Accept": "\xff/\xfe"},
    {"Accept-Language": "*;q=abc"},
    {"Content-Type": "multipart/form-data; boundary="},
]


@pytest.fixture
def full_site(write_post, write_comments):
    fill(write_post, write_comments)
    write_post("unfinished", draft=True)
    write_post("next-year", date="2999-01-01")


@pytest.fixture
def config(config):
    config["BASE_URL"] = BASE_URL
    return config


def local_path(url: str, page_url: str) -> str | None:
    """The site path a link points at, or None for another site, a fragment or a mailto."""
    absolute = urljoin(urljoin(BASE_URL, page_url), url)
    parts = urlsplit(absolute)
    if f"{parts.scheme}://{parts.netloc}/" != BASE_URL:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def links_in(response, page_url: str) -> set[str]:
    text = response.get_data(as_text=True)
    if response.mimetype == "text/html":
        tree = BeautifulSoup(text, "html.parser")
        found = [
            tag.get(attribute)
            for name, attribute in LINK_ATTRIBUTES.items()
            for tag in tree.find_all(name)
            if tag.get(attribute)
        ]
    elif response.mimetype.endswith("xml"):
        found = [loc or href for loc, href in XML_LINKS.findall(text)]
    else:
        found = []
    paths = (local_path(url.strip(), page_url) for url in found)
    return {path for path in paths if path}


def crawl(client, start: list[str]) -> dict[str, int]:
    """Every page reachable from `start`, with its status; forms are only fetched with GET."""
    seen: dict[str, int] = {}
    queue = deque(start)
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        with client.get(url) as response:
            seen[url] = response.status_code
            if response.status_code == 200:
                queue.extend(links_in(response, url))
    return seen


def assert_error_page(response, label: str) -> None:
    assert response.status_code < 500, f"{label}: {response.status_code}"
    if response.status_code >= 400:
        assert response.mimetype == "text/html", label
        assert "<main" in response.get_data(as_text=True), f"{label}: not a theme page"
        assert "Content-Security-Policy" in response.headers, label


def test_every_link_of_the_site_works(app, client, full_site):
    start = ["/", "/robots.txt", "/sitemap.xml", "/404.html"]
    start += [rule.rule for rule in app.url_map.iter_rules() if not rule.arguments]
    seen = crawl(client, start)
    linked = {url: status for url, status in seen.items() if url not in start}
    assert len(linked) > 8, sorted(linked)
    assert "/posts/her/" in linked and "/tags/drama/" in linked and "/about/" in linked
    assert not any(status >= 500 for status in seen.values()), seen
    broken = {url: status for url, status in linked.items() if status not in (200, 405)}
    assert not broken, f"broken links: {broken}"
    assert not any("unfinished" in url or "next-year" in url for url in seen)


@pytest.mark.parametrize("path", HOSTILE_PATHS, ids=lambda path: path[:40])
def test_hostile_paths_get_a_page(client, full_site, path):
    with client.get(path) as response:
        assert_error_page(response, path)


@pytest.mark.parametrize("path", RAW_PATHS, ids=repr)
def test_undecodable_path_bytes_get_a_page(client, full_site, path):
    with client.get("/", environ_overrides={"PATH_INFO": path}) as response:
        assert_error_page(response, repr(path))


@pytest.mark.parametrize("query", RAW_QUERIES, ids=lambda query: repr(query[:20]))
def test_undecodable_query_bytes_get_a_page(client, full_site, query):
    for path in ("/", "/posts/her/", "/tags/drama/"):
        with client.get(path, environ_overrides={"QUERY_STRING": query}) as response:
            assert_error_page(response, f"{path}?{query!r}")


@pytest.mark.parametrize("method", WRONG_METHODS)
def test_wrong_methods_get_a_405_page(client, full_site, method):
    for path in ("/", "/posts/her/", "/tags/", "/archive/", "/about/", "/pygments.css"):
        with client.open(path, method=method) as response:
            assert response.status_code == 405, f"{method} {path}"
            assert "GET" in response.headers["Allow"]
            assert_error_page(response, f"{method} {path}")


@pytest.mark.parametrize("headers", HOSTILE_HEADERS, ids=lambda headers: next(iter(headers)))
def test_hostile_headers_get_a_page(client, full_site, headers):
    for path in ("/", "/posts/her/", "/static/css/site.css", "/no/such/"):
        with client.get(path, headers=headers) as response:
            assert_error_page(response, f"{headers} {path}")
