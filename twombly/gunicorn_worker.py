"""The gunicorn worker `make serve` runs (gunicorn.conf.py): gevent's own HTTP server in each
worker, with gunicorn's `keepalive` setting as the limit on waiting for a request.

gunicorn's `gevent_pywsgi` worker hands each connection to gevent's pywsgi instead of gunicorn's
own HTTP parser and response writer, which spend less time per request (measured in bench/,
alternated in one session: a cached post page with 200 comments at 1.26 x the rate of the
`gevent` worker, comments at 1.17 x). But that worker waits for a connection's next request
for as long as the client likes, so idle keep-alive connections would pile up until every
greenlet of the pool holds one. This worker gives each request line, and then its headers,
`keepalive` seconds to arrive, as gunicorn's own gevent worker does; with `keepalive = 0` it
answers one request per connection and gives it the worker `timeout` instead. And, as
gunicorn's own gevent worker does when there are several workers, each worker accepts one new
connection at a time (gevent's server takes up to 100 at once), so that a worker blocked for a
moment (a comment's fsync) does not sit on connections another worker could serve.
"""

from __future__ import annotations

import socket
from typing import Any

import gevent
from gunicorn.workers.ggevent import GeventPyWSGIWorker, PyWSGIHandler, PyWSGIServer


class TimedHandler(PyWSGIHandler):
    """pywsgi's connection handler, with a deadline on reading each request's head."""

    wait_seconds: float = 5.0
    keep_alive = True

    def read_requestline(self) -> str:
        # A socket error here ends the connection quietly, as a client hanging up does.
        with gevent.Timeout(self.wait_seconds, socket.timeout):
            return super().read_requestline()

    def read_request(self, raw_requestline: str) -> bool:
        # A ValueError is pywsgi's "bad request": a 400 and a line in the error log.
        late = ValueError(f"request headers took longer than {self.wait_seconds:g} s")
        with gevent.Timeout(self.wait_seconds, late):
            parsed = super().read_request(raw_requestline)
        if not self.keep_alive:
            self.close_connection = True
        return parsed

    def finalize_headers(self) -> None:
        super().finalize_headers()
        if not self.keep_alive and self.request_version == "HTTP/1.1":
            # pywsgi says so itself only to HTTP/1.0 clients
            self.response_headers.append((b"Connection", b"close"))


class OneAcceptServer(PyWSGIServer):
    """gevent's server taking one new connection at a time, leaving the rest to other workers."""

    max_accept = 1


class Worker(GeventPyWSGIWorker):
    """gunicorn's gevent_pywsgi worker with TimedHandler, timed by this worker's settings,
    taking its share of new connections."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keepalive = self.cfg.keepalive
        self.wsgi_handler = type(
            "TimedHandler",
            (TimedHandler,),
            {"wait_seconds": keepalive or self.cfg.timeout, "keep_alive": keepalive > 0},
        )
        if self.cfg.workers > 1:
            self.server_class = OneAcceptServer
