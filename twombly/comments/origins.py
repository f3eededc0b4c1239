"""Where a POST comes from: this site, or a frozen copy on another origin that may post here.

A static copy of the site cannot carry a CSRF token, so for the origins listed in
`comments.allowed_origins` the browser's `Origin` header stands in for it; a browser always sends
that header on a cross-origin form POST and a page cannot forge it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, request

DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: str) -> str | None:
    """`scheme://host[:port]` of an http(s) URL, lower-cased, default port left out."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    if port is None or port == DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def allowed_origins() -> set[str]:
    """The configured origins; a string (from the environment) may list them with commas."""
    configured = current_app.config.get("COMMENTS_ALLOWED_ORIGINS") or []
    if isinstance(configured, str):
        configured = configured.replace(",", " ").split()
    return {origin for origin in map(origin_of, configured) if origin}


def foreign_origin() -> str | None:
    """The request's `Origin` when it is not this site's own; None for same-origin or none.

    The site's own origin is the address this request reached, or the public `base_url`: behind
    a TLS-terminating proxy that is not trusted (`proxy.trusted_hops = 0`) the request looks
    like plain http, yet the reader's browser is on the https site. When `base_url` is one of
    the allowed origins, the frozen copy lives there and this server answers at another
    address, so a POST from `base_url` is a cross-origin one.
    """
    header = request.headers.get("Origin")
    if header is None:
        return None
    origin = origin_of(header)
    if origin == origin_of(request.host_url):
        return None
    public = origin_of(current_app.config["BASE_URL"])
    if origin == public and public not in allowed_origins():
        return None
    return header


def is_allowed(origin: str) -> bool:
    normalized = origin_of(origin)
    return normalized is not None and normalized in allowed_origins()
