"""Rendered pages kept in each worker's memory, served again until the content changes.

A page without cookies is the same for every reader (the comment form's token is signed per
post, not per session), so a worker keeps the bytes of each rendered HTML/XML page and answers
the next cookie-less GET for the same URL from memory, without going through Flask at all.
A kept page is dropped when anything it may show has changed:
- the comments folder's mtime: every comment write (CommentStore writes a temporary file and
  renames it) and every new comments file changes it;
- the page set: FlatPages reads pages afresh (auto-reload, `flask freeze`'s check);
- time: a page is kept at most `PAGE_CACHE_SECONDS` (scheduled posts go live, files edited
  in place by hand show up within that time).
Requests during a freeze (each page is asked for once), with cookies (a reader's flashed
notice, their own comments' edit links), query strings or conditional headers, and responses
that set cookies or are not 200 are never kept.
A page is kept apart for each scheme and host it was asked for, directly or through the
proxy's X-Forwarded-* headers: HSTS goes out only over https, and the headers are the same
as the app would give that very request.
Several requests of a worker (threads, or gevent greenlets) may miss the same page at once
(every page expires together); one of them renders it while the others wait for its bytes,
instead of rendering the same page side by side under one interpreter lock.
Off in debug and testing (`PAGE_CACHE_SECONDS = 0` turns it off everywhere).
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask

CACHED_TYPES = ("text/html", "application/atom+xml", "application/xml", "text/xml")
UNCACHEABLE_REQUEST_HEADERS = (
    "HTTP_COOKIE",
    "HTTP_AUTHORIZATION",
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_RANGE",
)
# What a response may differ by besides the path: the scheme and host, as the request came and
# as a proxy forwarded them (ProxyFix reads these after this middleware, when trusted).
VARIANT_KEYS = (
    "wsgi.url_scheme",
    "HTTP_HOST",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PREFIX",
)
RENDER_LOCKS = 64  # pages rendered one at a time per lock; a URL always takes the same one
StartResponse = Callable[..., Any]
Key = tuple[str, ...]


@dataclass(frozen=True)
class Kept:
    status: str
    headers: list[tuple[str, str]]
    body: bytes
    version: tuple[Any, ...]
    until: float


class PageCache:
    """WSGI middleware in front of the Flask app; see the module's docstring."""

    def __init__(self, app: Flask, seconds: float, entries: int) -> None:
        self.app = app
        self.wsgi_app = app.wsgi_app
        self.seconds = seconds
        self.entries = entries
        self.comments = Path(app.root_path, app.config["COMMENTS_DIR"])
        self._kept: OrderedDict[Key, Kept] = OrderedDict()
        self._lock = threading.Lock()
        self._render_locks = [threading.Lock() for _ in range(RENDER_LOCKS)]

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        key = self.key(environ)
        if key is None:
            return self.wsgi_app(environ, start_response)
        kept = self._fresh(key)
        if kept is None:
            with self._render_locks[hash(key) % RENDER_LOCKS]:
                kept = self._fresh(key)  # another thread may have rendered it meanwhile
                if kept is None:
                    return self._render(key, self.version(), environ, start_response)
        start_response(kept.status, list(kept.headers))
        return [kept.body]

    def _fresh(self, key: Key) -> Kept | None:
        """The kept page for `key` if nothing it shows has changed since, else None."""
        kept = self._kept.get(key)
        if kept is None or time.monotonic() >= kept.until or kept.version != self.version():
            return None
        return kept

    def _render(
        self, key: Key, version: tuple[Any, ...], environ: dict[str, Any], start: StartResponse
    ) -> Iterable[bytes]:
        seen: dict[str, Any] = {}

        def remember_start(status: str, headers: list[tuple[str, str]], *args: Any) -> Any:
            seen.update(status=status, headers=headers)
            return start(status, headers, *args)

        result = self.wsgi_app(environ, remember_start)
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        if self.keepable(seen.get("status", ""), seen.get("headers", [])):
            self._keep(
                key,
                Kept(
                    seen["status"], seen["headers"], body, version, time.monotonic() + self.seconds
                ),
            )
        return [body]

    def key(self, environ: dict[str, Any]) -> Key | None:
        """What a request that may be answered from memory is kept under, else None: its URL
        path, then the scheme and host it came with (VARIANT_KEYS). None during a freeze, which
        asks for each page once."""
        if environ.get("REQUEST_METHOD") != "GET" or environ.get("QUERY_STRING"):
            return None
        if self.app.config["FREEZING"]:
            return None
        if any(environ.get(header) for header in UNCACHEABLE_REQUEST_HEADERS):
            return None
        path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
        return (path, *(environ.get(name) or "" for name in VARIANT_KEYS))

    def kept_paths(self) -> set[str]:
        """The URL paths of the pages kept now."""
        return {key[0] for key in list(self._kept)}

    def version(self) -> tuple[Any, ...]:
        """What every kept page was rendered from: comments folder and page set."""
        try:
            comments = os.stat(self.comments).st_mtime_ns
        except OSError:
            comments = None
        pages = self.app.extensions["flatpages"][None].__dict__.get("_pages")
        return (comments, id(pages))

    @staticmethod
    def keepable(status: str, headers: list[tuple[str, str]]) -> bool:
        if not status.startswith("200"):
            return False
        names = {name.lower(): value for name, value in headers}
        if "set-cookie" in names:
            return False
        return names.get("content-type", "").split(";")[0].strip() in CACHED_TYPES

    def _keep(self, key: Key, kept: Kept) -> None:
        with self._lock:
            self._kept[key] = kept
            self._kept.move_to_end(key)
            while len(self._kept) > self.entries:
                self._kept.popitem(last=False)


def init_app(app: Flask) -> None:
    seconds = float(app.config["PAGE_CACHE_SECONDS"])
    if seconds > 0 and not app.debug and not app.testing:
        app.wsgi_app = PageCache(app, seconds, int(app.config["PAGE_CACHE_ENTRIES"]))
