"""The extensions every part of the app shares: the rate limiter, the page cache and the
compression of answers."""

from __future__ import annotations

import time

from flask import Flask, current_app, request
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
    compress.init_app(app)  # after http_cache's hook is registered: it runs before it
    app.after_request(read_static_file)  # registered after Flask-Compress: runs before it
    # Flask-Limiter's own headers (RATELIMIT_HEADERS_ENABLED) put Retry-After on every answer,
    # so the redirect after a stored comment told the browser to wait before following it.
    app.after_request(rate_limit_headers)
