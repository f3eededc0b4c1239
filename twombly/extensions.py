"""The app's rate limiter (Flask-Limiter), shared by every route that needs a limit."""

from __future__ import annotations

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

# Limits are per client address; behind a proxy, ProxyFix makes remote_addr the real client.
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def init_app(app: Flask) -> None:
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    limiter.init_app(app)
    if not (app.config.get("RATELIMIT_DEFAULT") or app.config.get("RATELIMIT_APPLICATION")):
        _skip_app_wide_check(app)


def _skip_app_wide_check(app: Flask) -> None:
    """Flask-Limiter checks app-wide and default limits before every request. With none set,
    that check finds nothing to count, yet it cost every page, frozen file and comment about
    0.1 ms; each limit of ours sits on its route, whose decorator checks it on its own."""
    hooks = app.before_request_funcs.get(None, [])
    check = limiter._check_request_limit
    if check in hooks:
        hooks.remove(check)
