"""What browsers and caches in front may keep: content-hashed static addresses, validators,
304 answers and Cache-Control for each kind of response.

- Static files (and the code style sheet): `url_for('static', filename=...)` adds
  `?v=<hash of the file's bytes>`, live and in the frozen copy (which drops the query from
  file names). A request carrying the current hash may be kept a year, unchanged
  (`immutable`); without it, the answer must be checked again each time (`no-cache`).
- Every other answer gets an ETag from its bytes and answers 304 to a matching If-None-Match
  (a kept page brings the tag it got when it was rendered, cache.py; Flask-Compress adds the
  encoding to it).
  Pages and feeds (cache.py) may be kept `[cache] max_age` seconds by readers without a
  session, shared caches too; anything else is `no-cache`: kept, but checked each time.
- A reader with a session cookie (their notices, their edit links, the owner), or an answer
  that sets a cookie, is never `public`: cache.py marks such pages `private`.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from typing import Any

from flask import Flask, current_app, request
from pygments.formatters import HtmlFormatter
from werkzeug.security import safe_join
from werkzeug.wrappers import Response

YEAR = 365 * 24 * 3600
VERSIONED = ("static", "blog.pygments_css")  # endpoints whose addresses carry a content hash


@cache
def pygments_css() -> str:
    """The code highlighting styles: light, and dark when the reader's system prefers it."""
    light = HtmlFormatter(style="friendly").get_style_defs(".highlight")
    dark = HtmlFormatter(style="monokai").get_style_defs(".highlight")
    return f"{light}\n\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n"


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=6).hexdigest()


def static_version(filename: str) -> str | None:
    """The hash of a static file's bytes (read again only when its size or mtime changes);
    None for a file that is not there."""
    path = safe_join(current_app.static_folder or "static", filename)
    try:
        status = os.stat(path) if path else None
    except OSError:
        return None
    if status is None or not os.path.isfile(path):
        return None
    known: dict[str, tuple[int, int, str]] = current_app.extensions["twombly.static_versions"]
    stamp = (status.st_mtime_ns, status.st_size)
    if known.get(path, (None, None))[:2] != stamp:
        with open(path, "rb") as file:
            known[path] = (*stamp, digest(file.read()))
    return known[path][2]


def current_version(endpoint: str | None, values: dict[str, Any]) -> str | None:
    if endpoint == "static" and "filename" in values:
        return static_version(str(values["filename"]))
    if endpoint == "blog.pygments_css":
        return digest(pygments_css().encode())
    return None


def add_version(endpoint: str, values: dict[str, Any]) -> None:
    """url_defaults: the content hash on every address of a versioned endpoint."""
    if endpoint in VERSIONED and "v" not in values:
        version = current_version(endpoint, values)
        if version:
            values["v"] = version


def cache_headers(response: Response) -> Response:
    """after_request: validators, 304s and Cache-Control for GET and HEAD answers."""
    if request.method not in ("GET", "HEAD") or response.status_code not in (200, 304):
        return response
    if request.endpoint in VERSIONED:
        version = current_version(request.endpoint, request.view_args or {})
        if version and request.args.get("v") == version:
            response.cache_control.no_cache = None
            response.cache_control.public = True
            response.cache_control.max_age = YEAR
            response.cache_control.immutable = True
    if response.status_code == 200 and not response.is_streamed:
        # Flask-Compress has run: the tag is of the bytes sent, one per encoding. (Static
        # files are streamed: Flask tagged them, and it or Flask-Compress answered the 304.)
        if "ETag" not in response.headers:
            response.add_etag()
        response.make_conditional(request)
    if "Cache-Control" not in response.headers:  # not a page (cache.py), nor personal
        if "Set-Cookie" in response.headers:
            response.cache_control.private = True
        response.cache_control.no_cache = True  # kept, but checked each time (a 304 is cheap)
    return response


def init_app(app: Flask) -> None:
    app.extensions["twombly.static_versions"] = {}
    app.url_defaults(add_version)
    app.after_request(cache_headers)  # runs after cache.py's, which marks personal pages
