"""Rendered pages kept for readers without a session, with Flask-Caching.

Each worker keeps its own pages in memory (SimpleCache, at most `[cache] threshold` of them), or
all workers share them in Redis when `[cache] redis_url` is set. A page is kept under its path
alone (never the Host or X-Forwarded-* headers a client sends) and stamps of what it shows, so a
kept page is never stale:
- the comments folder, and for a post its comments file (inode, mtime, size): the store writes
  each change to a new file renamed into the folder, so a comment shows at once in every worker;
- this worker's catalog: once FlatPages has read the pages again, every page has a new key;
- the stamps of pages/, templates/, site.toml and comments written in place, when the server
  follows its files (follow.py): the same in every worker, so a shared cache is never stale;
- any other file a page shows, named by `stamp_file` (the diary's log file);
- time: a page is kept `[cache] timeout` seconds at most, so a scheduled post goes live late
  by that much at the most.
Readers with a session cookie (their notices, their edit links, the owner) and `flask freeze`
always get a fresh page, and only 200 responses are kept.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from importlib.util import find_spec
from pathlib import Path
from typing import Any, TypeVar

from flask import Flask, Response, current_app, g, make_response, request

from twombly.comments.store import store
from twombly.config import is_freezing
from twombly.content.catalog import catalog
from twombly.extensions import backend_call, cache
from twombly.web.follow import files_key

F = TypeVar("F", bound=Callable[..., Any])


def cached_page(view: F) -> F:
    """Keep `view`'s pages for readers without a session; every answer varies by Cookie.

    What is kept is the response's bytes, type and ETag, so a kept page is sent as it is,
    without being encoded or hashed again.
    """

    @functools.wraps(view)
    def page(*args: Any, **kwargs: Any) -> Response:
        key = None if render_afresh() else page_key()
        kept = backend_call(cache.get, key) if key else None
        if kept is not None:
            response = current_app.response_class(kept[0], mimetype=kept[1])
            response.set_etag(kept[2])
        else:
            response = make_response(view(*args, **kwargs))
            if key and response.status_code == 200:
                response.add_etag()  # the tag http_cache.py would give it, computed once
                kept = (response.get_data(), response.mimetype, response.get_etag()[0])
                backend_call(cache.set, key, kept)
        if kept is not None:
            g.setdefault("twombly_kept_etag", kept[2])  # Flask-Compress keeps its copies under it
        response.vary.add("Cookie")  # also on a kept page, which never opened the session
        if response.status_code == 200 and not has_session_cookie():
            # as long as this server may keep it, a browser or a shared cache may too
            response.cache_control.public = True
            response.cache_control.max_age = int(current_app.config["CACHE_MAX_AGE"])
        return response

    return page  # type: ignore[return-value]


def render_afresh() -> bool:
    """True with the cache off, for a reader with a session cookie, for an address with a
    query string (`?reply=<id>` puts a reply form on the page), and in `flask freeze`."""
    off = current_app.config["CACHE_TYPE"] == "NullCache"
    return off or has_session_cookie() or bool(request.query_string) or is_freezing()


def has_session_cookie() -> bool:
    """Whether the request carries a session cookie; the session itself is left unread."""
    return current_app.config["SESSION_COOKIE_NAME"] in request.cookies


def page_key() -> str:
    """The request's path, with stamps of the content and the comments the page shows."""
    slug = (request.view_args or {}).get("slug")
    comments = stamp(store().folder)
    if slug is not None:
        comments += "/" + stamp(store().path(slug))
    files = current_app.extensions["twombly.cache"]["files"].get(request.endpoint)
    if files is not None:
        comments += "/" + stamp(files())
    # "page+etag": what is kept under it, so a shared cache never hands this engine a value
    # kept by an older one in another shape.
    return f"page+etag:{request.path}:{files_key()}:{content_generation()}:{comments}"


def stamp_file(app: Flask, endpoint: str, file: Callable[[], Path]) -> None:
    """Key the pages of `endpoint` also by the file `file()` names, which they show."""
    app.extensions["twombly.cache"]["files"][endpoint] = file


def stamp(path: Path) -> str:
    """What changes when `path` is replaced or written to."""
    try:
        status = os.stat(path)
    except (OSError, ValueError):  # missing, or a NUL byte from the URL in the name
        return "-"
    return f"{status.st_ino}.{status.st_mtime_ns}.{status.st_size}"


def content_generation() -> int:
    """A number that goes up each time this worker's catalog is built from the pages again."""
    state = current_app.extensions["twombly.cache"]
    current = catalog()
    if state["catalog"] is not current:
        state["catalog"] = current
        state["generation"] += 1
    return state["generation"]


def keep_personal_pages_private(response: Response) -> Response:
    """after_request hook: what a reader with a session gets may hold their notices, their
    edit links or the owner's admin bar, so no shared cache in front may keep it."""
    if has_session_cookie() and "Cache-Control" not in response.headers:
        response.cache_control.private = True
        response.vary.add("Cookie")
    return response


def backend(app: Flask) -> str:
    """The cache type when `[cache] type` is not set: off in debug and tests, else per worker,
    or shared in Redis."""
    if app.debug or app.testing:
        return "NullCache"
    return "RedisCache" if app.config["CACHE_REDIS_URL"] else "SimpleCache"


def init_app(app: Flask) -> None:
    config = app.config
    config["CACHE_TYPE"] = config["CACHE_TYPE"] or backend(app)
    if config["CACHE_TYPE"] == "RedisCache" and find_spec("redis") is None:
        raise RuntimeError(
            "[cache] redis_url needs the Redis client: pip install 'twombly[redis]'"
        )
    cache.init_app(app)
    app.extensions["twombly.cache"] = {"catalog": None, "generation": 0, "files": {}}
    app.after_request(keep_personal_pages_private)
