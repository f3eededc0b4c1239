"""Behind a reverse proxy: trust exactly `[proxy] trusted_hops` X-Forwarded-* headers.

With Werkzeug's ProxyFix, `request.remote_addr` (the rate limits' key, and the access log's
client) is the address the nearest trusted proxy saw, and `request.is_secure` follows the
proxy's X-Forwarded-Proto. With 0 hops (the default) nothing is wrapped: a client that sends
its own X-Forwarded-For changes nothing.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def init_app(app: Flask) -> None:
    hops = int(app.config["PROXY_TRUSTED_HOPS"])
    if hops < 0:
        raise ValueError(f"[proxy] trusted_hops must be 0 or more, not {hops}")
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
