"""Every error a reader can meet is a page in the theme, with its proper status."""

from __future__ import annotations

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException, InternalServerError

MESSAGES = {
    400: "The request could not be understood. Please go back and try again.",
    403: "You are not allowed to do that here.",
    404: "There is nothing at this address. It may have moved, or never existed.",
    405: "This address does not accept that kind of request.",
    413: "That was too much to send at once. Please shorten it and try again.",
    429: "Too many requests from your address. Please wait a minute and try again.",
    500: "Something went wrong on our side. Please try again later.",
    503: "This is unavailable just now. Please try again later.",
}


def render_error(error: HTTPException) -> tuple[str, int, list[tuple[str, str]]]:
    code = error.code or 500
    custom = error.description if error.description != type(error).description else None
    return (
        render_template(
            "error.html",
            code=code,
            title=error.name,
            message=custom or MESSAGES.get(code, error.description),
        ),
        code,
        _extra_headers(error),
    )


def _extra_headers(error: HTTPException) -> list[tuple[str, str]]:
    """The error's own headers (Allow on a 405, Retry-After...), less its plain-text type."""
    return [(name, value) for name, value in error.get_headers() if name != "Content-Type"]


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, render_error)
    app.register_error_handler(InternalServerError, render_error)
