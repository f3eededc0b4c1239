"""Addresses on the site's public address (BASE_URL), whatever address served the request."""

from __future__ import annotations

from typing import Any

from flask import current_app, request, url_for


def absolute_url(path: str | None = None) -> str:
    """`path` (default: this request's) on the site's public address, BASE_URL."""
    base = current_app.config["BASE_URL"].rstrip("/")
    return base + (request.path if path is None else path)


def site_path(endpoint: str, **values: Any) -> str:
    """An endpoint's path within the site, without the sub-path this request was served under."""
    return url_for(endpoint, **values).removeprefix(request.script_root)


def external_url(endpoint: str, **values: Any) -> str:
    """An endpoint's URL on the site's public address, whatever address served this request."""
    return absolute_url(site_path(endpoint, **values))
