"""Freeze-test support: run `flask freeze`, map frozen files to URLs, check every link."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from click.testing import Result
from flask.testing import FlaskCliRunner

from .browser import serving

LINK_ATTRIBUTES = ("href", "src", "action")
# Where a frozen page differs from the live one: the comment form's target, and the CSRF token
# a static page cannot carry; with no live server to post to, the form is a "closed" line
# and the comments have no "Reply" links. The copy's search page also says that search needs
# JavaScript there (the live server answers without it).
SEARCH_NOTE = re.compile(
    rb'<noscript><p class="notice search-needs-script">.*?</noscript>\n', re.DOTALL
)
COMMENT_FORM = re.compile(
    rb'<form class="comment-form".*?</form>\n<script [^>]*comments\.js[^>]*></script>\n'
    rb'|<p class="comments-closed comments-closed-copy">.*?</p>\n'
    rb'|\n *<a class="comment-reply".*?</a>',
    re.DOTALL,
)
FORM_TARGET = re.compile(rb'(<form class="comment-form"[^>]* action=")[^"]*"')
CSRF_TOKEN = re.compile(rb'<input id="csrf_token"[^>]*>')


def without_comment_form(page: bytes) -> bytes:
    return SEARCH_NOTE.sub(b"", COMMENT_FORM.sub(b"", page))


def without_form_target(page: bytes) -> bytes:
    return SEARCH_NOTE.sub(b"", CSRF_TOKEN.sub(b"", FORM_TARGET.sub(rb'\1"', page)))


def freeze(runner: FlaskCliRunner, destination: Path, *options: str) -> Result:
    return runner.invoke(args=["freeze", "--destination", str(destination), *options])


def frozen_files(root: Path) -> dict[str, bytes]:
    """Every page a freeze wrote, by path relative to `root` (the .git folder, the marker and
    the search index in pagefind/, which no route of the site answers, aside)."""
    return {
        name: path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
        and ".git" not in path.parts
        and not path.name.startswith(".twombly")
        and not (name := path.relative_to(root).as_posix()).startswith("pagefind/")
    }


def url_of(name: str) -> str:
    """The URL a frozen file answers: posts/her/index.html -> /posts/her/."""
    return "/" + name.removesuffix("index.html")


def file_of(url_path: str) -> str:
    """The file a static host serves for a URL path: /posts/her/ -> posts/her/index.html."""
    name = url_path.lstrip("/")
    return name + "index.html" if name == "" or name.endswith("/") else name


def internal_links(html: str, base_url: str, prefix: str = "/") -> list[str]:
    """Every href/src/action path in `html` that points into the site (under `prefix`)."""
    site = urlsplit(base_url)
    links = []
    for element in BeautifulSoup(html, "html.parser").find_all(True):
        for attribute in LINK_ATTRIBUTES:
            value = element.get(attribute)
            if not value or value.startswith("#"):
                continue
            target = urlsplit(value)
            if target.netloc and target.netloc != site.netloc:
                continue
            links.append(target.path)
    return [link for link in links if link.startswith(prefix)]


def broken_links(root: Path, base_url: str, prefix: str = "/") -> list[tuple[str, str]]:
    """(page, link) for every internal link in a frozen HTML file with no frozen file behind it."""
    broken = []
    for name, data in frozen_files(root).items():
        if not name.endswith(".html"):
            continue
        for link in internal_links(data.decode("utf-8"), base_url, prefix):
            target = root / file_of(link.removeprefix(prefix.rstrip("/")))
            if not target.is_file():
                broken.append((name, link))
    return broken


@contextmanager
def static_server(folder: Path) -> Iterator[str]:
    """Serve `folder` with Python's http.server on 127.0.0.1, as `python -m http.server` would."""

    class QuietHandler(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=folder))
    with serving(server) as url:
        yield url
