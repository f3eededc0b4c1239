"""A request's body is read whole before the app sees it: within a deadline, never past the limit.

gunicorn puts a deadline on a request's line and headers (`keepalive` seconds) but leaves the
body to the app, which reads it when it parses the form. A client that sends a POST's head and
then a byte now and then would hold its connection, one of a worker's `worker_connections`,
for as long as it likes. So the body is read here first, within `[server] body_timeout`
seconds, and the app gets it from memory; a client too slow gets a 408.

A chunked body has no length to check beforehand: it is read up to one byte past
MAX_CONTENT_LENGTH, and a longer one gets the 413 a Content-Length over the limit gets (before
this, Werkzeug handed the form parser the first 64 KiB as if that were all).

When the body was not read to its end (too slow, too long), the connection's reading side is
shut, so gunicorn closes the connection after the answer instead of waiting for the rest.
The deadline uses gevent's Timeout, so it holds under gunicorn's gevent worker (`make serve`);
other servers read the body without one.
"""

from __future__ import annotations

import io
import socket
from collections.abc import Iterable
from contextlib import AbstractContextManager, nullcontext, suppress
from typing import Any

from flask import Flask, abort, request

# The status the app answers with when the body did not arrive whole (408, or 400 for a client
# that went away mid-body).
REFUSED = "twombly.body_refused"


def has_body(environ: dict[str, Any]) -> bool:
    chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
    return chunked or environ.get("CONTENT_LENGTH", "") not in ("", "0")


def declared_length(environ: dict[str, Any]) -> int | None:
    try:
        return int(environ.get("CONTENT_LENGTH", ""))
    except ValueError:
        return None


def deadline(seconds: float) -> AbstractContextManager[Any]:
    """gevent's Timeout when gevent runs the server (it raises itself); else no deadline."""
    try:
        from gevent import Timeout, monkey
    except ImportError:
        return nullcontext()
    return Timeout(seconds) if monkey.is_module_patched("socket") else nullcontext()


class WholeBody:
    """WSGI middleware: the body read into memory first (see the module's docstring)."""

    def __init__(self, app: Any, limit: int | None, seconds: float) -> None:
        self.app, self.limit, self.seconds = app, limit, seconds

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        length = declared_length(environ)
        if not has_body(environ):
            return self.app(environ, start_response)
        if self.limit is not None and length is not None and length > self.limit:
            stop_reading(environ)  # Flask answers 413 without reading it
            return self.app(environ, start_response)
        body, refused = self.read(environ, length)
        if refused or (self.limit is not None and len(body) > self.limit):
            stop_reading(environ)
        if refused:
            environ[REFUSED] = refused
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))  # over the limit: Flask's 413
        environ.pop("HTTP_TRANSFER_ENCODING", None)
        return self.app(environ, start_response)

    def read(self, environ: dict[str, Any], length: int | None) -> tuple[bytes, int | None]:
        """The body (a chunked one up to a byte past the limit), or the status to answer when
        it did not arrive whole: 408 when too slow, 400 when the client went away."""
        # Exactly the declared length: some servers' streams (Werkzeug's) are the raw socket.
        size = length if length is not None else -1 if self.limit is None else self.limit + 1
        timer = deadline(self.seconds)
        try:
            with timer:
                body = environ["wsgi.input"].read(size)
        except (OSError, ValueError):
            return b"", 400
        except BaseException as error:
            if error is not timer:
                raise
            return b"", 408
        return (b"", 400) if length is not None and len(body) < length else (body, None)


def stop_reading(environ: dict[str, Any]) -> None:
    """Shut the connection's reading side: gunicorn then closes it after the answer."""
    connection = environ.get("gunicorn.socket")
    if connection is not None:
        with suppress(OSError):  # already gone
            connection.shutdown(socket.SHUT_RD)


def refuse_incomplete_body() -> None:
    if status := request.environ.get(REFUSED):
        abort(status)


def init_app(app: Flask) -> None:
    app.wsgi_app = WholeBody(  # type: ignore[method-assign]
        app.wsgi_app, app.config["MAX_CONTENT_LENGTH"], float(app.config["SERVER_BODY_TIMEOUT"])
    )
    app.before_request(refuse_incomplete_body)
