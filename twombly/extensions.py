"""The extensions every part of the app shares: the rate limiter, the page cache and the
compression of answers."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, g, request
from flask_caching import Cache
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.wrappers import Response

# Limits are per client address; behind a proxy, ProxyFix makes remote_addr the real client.
limiter = Limiter(key_func=get_remote_address, default_limits=[])
# Rendered pages (twombly/web/cache.py picks the backend and decorates the views).
cache = Cache(with_jinja2_ext=False)
# Pages, feeds and static files compressed for browsers that accept it (COMPRESS_* settings).
compress = Compress()


def backend_call(method: Callable[..., Any], *args: Any) -> Any:
    """A page cache call; when the backend fails (Redis down), the answer is made as if the
    cache were off, and the log says why."""
    try:
        return method(*args)
    except Exception:
        current_app.logger.exception("page not cached: the cache backend failed")
        return None


def compressed_copy_key(request: Any) -> str:
    """COMPRESS_CACHE_KEY: a kept page's ETag (web/cache.py puts it in `g`), "" for any other
    answer. A tag names the page's bytes, so a compressed copy kept under it is never stale."""
    return g.get("twombly_kept_etag") or ""


class CompressedCopies:
    """COMPRESS_CACHE_BACKEND: the compressed copies of kept pages, in the page cache beside
    them; Flask-Compress asks with keys "<encoding>;<compressed_copy_key>". Any other answer
    (key "<encoding>;") is compressed afresh each time."""

    def get(self, key: str) -> bytes | None:
        return backend_call(cache.get, f"compressed:{key}") if self.kept(key) else None

    def set(self, key: str, value: bytes) -> None:
        if self.kept(key):
            backend_call(cache.set, f"compressed:{key}", value)

    @staticmethod
    def kept(key: str) -> bool:
        return bool(key.partition(";")[2])


@limiter.request_filter
def is_read() -> bool:
    """Every limit is on a POST (comments, logins): a GET or HEAD is never counted, so the
    limiter's check before each request stops here instead of looking for limits."""
    return request.method in ("GET", "HEAD")


def rate_limit_headers(response: Response) -> Response:
    """X-RateLimit-* on answers to rate-limited requests; Retry-After on a 429 alone."""
    current = limiter.current_limit
    if current is None:
        return response
    response.headers["X-RateLimit-Limit"] = str(current.limit.amount)
    response.headers["X-RateLimit-Remaining"] = str(current.remaining)
    response.headers["X-RateLimit-Reset"] = str(current.reset_at)
    if response.status_code == 429:
        response.headers["Retry-After"] = str(max(1, int(current.reset_at - time.time())))
    return response


def read_static_file(response: Response) -> Response:
    """Read a static text file whole before Flask-Compress compresses it: it compresses a
    streamed answer without ever closing its file. Static files (and the search index's
    scripts, served from instance/search/) are small."""
    if (
        request.endpoint in ("static", "search.bundle")
        and response.is_streamed
        and response.mimetype in current_app.config["COMPRESS_MIMETYPES"]
    ):
        response.direct_passthrough = False
        response.make_sequence()
    return response


def init_app(app: Flask) -> None:
    limiter.init_app(app)
    app.config["COMPRESS_CACHE_KEY"] = compressed_copy_key
    app.config["COMPRESS_CACHE_BACKEND"] = CompressedCopies
    compress.init_app(app)  # after http_cache's hook is registered: it runs before it
    app.after_request(read_static_file)  # registered after Flask-Compress: runs before it
    # Flask-Limiter's own headers (RATELIMIT_HEADERS_ENABLED) put Retry-After on every answer,
    # so the redirect after a stored comment told the browser to wait before following it.
    app.after_request(rate_limit_headers)
