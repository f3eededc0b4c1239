"""The extensions every part of the app shares: the rate limiter and the page cache."""

from __future__ import annotations

from flask import Flask, request
from flask_caching import Cache
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

# Limits are per client address; behind a proxy, ProxyFix makes remote_addr the real client.
limiter = Limiter(key_func=get_remote_address, default_limits=[])
# Rendered pages (twombly/web/cache.py picks the backend and decorates the views).
cache = Cache(with_jinja2_ext=False)


@limiter.request_filter
def is_read() -> bool:
    """Every limit is on a POST (comments, logins): a GET or HEAD is never counted, so the
    limiter's check before each request stops here instead of looking for limits."""
    return request.method in ("GET", "HEAD")


def init_app(app: Flask) -> None:
    limiter.init_app(app)
