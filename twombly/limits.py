"""The app's rate limiter (Flask-Limiter), shared by every route that needs a limit."""

from __future__ import annotations

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from . import limiter_storage  # noqa: F401  (registers the `memory://` storage without threads)

# Limits are per client address; behind a proxy, ProxyFix makes remote_addr the real client.
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def init_app(app: Flask) -> None:
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    limiter.init_app(app)
