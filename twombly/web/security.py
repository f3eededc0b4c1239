"""Security headers on every response, and the same headers for a static host of the frozen copy.

A short `after_request` hook rather than Flask-Talisman: the policy depends only on two config
keys (the comment endpoint's origin, and whether the request came over https), the theme has no
inline script or style to sign with a nonce, and HTTPS redirects belong to the proxy in front.
Keeping the policy a plain function of the config lets `flask headers` print the very same
headers for a static host (a `_headers` file, or nginx `add_header` lines).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import click
from flask import Flask, Response, current_app, request
from flask.cli import with_appcontext

from twombly.comments.origins import origin_of

HSTS = "max-age=31536000; includeSubDomains"

# Powerful browser features a blog never uses, switched off for the page and any frame in it.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)


def content_security_policy(config: Mapping[str, Any], *, wasm: bool = False) -> str:
    """The site's own files only; the comment endpoint may be posted to and fetched from.

    `wasm`: the search page (and its Pagefind bundle) may compile WebAssembly, which
    Pagefind's search runs on; no other page may.
    """
    endpoint = origin_of(config.get("COMMENTS_ENDPOINT") or "")
    with_endpoint = f"'self' {endpoint}" if endpoint else "'self'"
    directives = {
        "default-src": "'self'",
        "script-src": "'self' 'wasm-unsafe-eval'" if wasm else "'self'",
        "style-src": "'self'",
        "img-src": "'self'",
        "connect-src": with_endpoint,
        "form-action": with_endpoint,
        "frame-ancestors": "'none'",
        "base-uri": "'self'",
        "object-src": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def security_headers(
    config: Mapping[str, Any], *, https: bool, wasm: bool = False
) -> dict[str, str]:
    """Every security header for a response; HSTS only when the response goes out over https."""
    headers = {
        "Content-Security-Policy": content_security_policy(config, wasm=wasm),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Permissions-Policy": PERMISSIONS_POLICY,
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    if https:
        headers["Strict-Transport-Security"] = HSTS
    return headers


def add_security_headers(response: Response) -> Response:
    """after_request hook: every header the view did not set itself. Behind a proxy, ProxyFix
    has already made request.is_secure true. (The names present are read once: a setdefault
    per header would read them all again for each.)"""
    present = {name.lower() for name, _ in response.headers.items()}
    for name, value in security_headers(current_app.config, https=request.is_secure).items():
        if name.lower() not in present:
            response.headers.add(name, value)
    return response


# The search page and the Pagefind bundle it loads: the only paths whose policy allows WebAssembly.
SEARCH_PATHS = ("search/", "pagefind/")


def static_host_headers(config: Mapping[str, Any], style: str, *, search: bool = False) -> str:
    """The headers for the frozen copy: a `_headers` file, or nginx `add_header` lines.

    The `_headers` file gives every path the site's headers, then the search paths their own
    policy (`!` drops the one inherited from `/*` first, as Cloudflare Pages reads it). nginx
    lines are for one `location`: `search` prints the search paths' lines.
    """
    address = config.get("FREEZE_BASE_URL") or config["BASE_URL"]  # where the copy is served
    https = urlsplit(address).scheme == "https"
    headers = security_headers(config, https=https, wasm=search and style == "nginx")
    if style == "nginx":
        return "".join(f'add_header {name} "{value}" always;\n' for name, value in headers.items())
    lines = ["/*", *(f"  {name}: {value}" for name, value in headers.items())]
    wasm_policy = content_security_policy(config, wasm=True)
    prefix = urlsplit(address).path.rstrip("/") + "/"
    for path in SEARCH_PATHS:
        lines += [f"{prefix}{path}*", "  ! Content-Security-Policy"]
        lines.append(f"  Content-Security-Policy: {wasm_policy}")
    return "\n".join(lines) + "\n"


@click.command("headers")
@click.option(
    "--format",
    "style",
    type=click.Choice(["netlify", "nginx"]),
    default="netlify",
    show_default=True,
    help="netlify: a _headers file (Netlify, Cloudflare Pages); nginx: add_header lines.",
)
@click.option(
    "--search",
    is_flag=True,
    help="nginx: the lines for the search page and /pagefind/, which run WebAssembly.",
)
@with_appcontext
def headers_command(style: str, search: bool) -> None:
    """Print the security headers for serving the frozen copy from a static host."""
    click.echo(static_host_headers(current_app.config, style, search=search), nl=False)


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)
