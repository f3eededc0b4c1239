"""Every error a reader can meet is a page in the theme, with its proper status."""

from __future__ import annotations

from flask import Flask, render_template, request
from werkzeug.exceptions import BadRequest, HTTPException, InternalServerError

MESSAGES = {
    400: "The request could not be understood. Please go back and try again.",
    403: "You are not allowed to do that here.",
    404: "There is nothing at this address. It may have moved, or never existed.",
    405: "This address does not accept that kind of request.",
    408: "The request took too long to arrive. Please try again.",
    413: "That was too much to send at once. Please shorten it and try again.",
    429: "Too many requests from your address. Please wait a minute and try again.",
    500: "Something went wrong on our side. Please try again later.",
    503: "This is unavailable just now. Please try again later.",
}


def render_error(error: HTTPException) -> tuple[str, int]:
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
    )


def error_response(error: HTTPException) -> tuple[str, int, list[tuple[str, str]]]:
    """The themed page, with the error's own headers (Allow on a 405...) but not its type."""
    headers = [(name, value) for name, value in error.get_headers() if name != "Content-Type"]
    return (*render_error(error), headers)


def refuse_undecodable_query() -> None:
    """A query string of raw non-UTF-8 bytes is a 400, not a UnicodeDecodeError in request.args.

    gunicorn refuses such a request line itself; other servers pass the bytes on.
    """
    try:
        request.query_string.decode()
    except UnicodeDecodeError:
        raise BadRequest("The address holds bytes that are not text. Please check it.") from None


def refuse_missing_host() -> None:
    """An HTTP/1.1 request without a Host header is a 400 (RFC 9112, section 3.2).

    gunicorn refuses two Host headers but lets a request without one through.
    """
    if request.environ.get("SERVER_PROTOCOL") == "HTTP/1.1" and not request.environ.get(
        "HTTP_HOST"
    ):
        raise BadRequest("The request names no host.")


def init_app(app: Flask) -> None:
    app.before_request(refuse_missing_host)
    app.before_request(refuse_undecodable_query)
    app.register_error_handler(HTTPException, error_response)
    app.register_error_handler(InternalServerError, error_response)
