"""`make serve`'s gunicorn against hostile clients, over raw sockets: a parser that refuses
ambiguous requests, a log line (never a traceback) and an access line for each, chunked bodies
held to the size limit, and deadlines that shed clients who send slowly."""

from __future__ import annotations

import re
import socket
import threading
import time
from contextlib import suppress

import pytest

from .serving import address, comment_form, exchange, gunicorn, read_until_closed, status_of

ACCESS = re.compile(r'" (?P<status>\d{3}) ')
POST = b"POST /posts/her/comments/ HTTP/1.1\r\nHost: x\r\n"
AMBIGUOUS = {
    "two different lengths": POST + b"Content-Length: 1\r\nContent-Length: 2\r\n\r\nab",
    "a length with a sign": POST + b"Content-Length: +0\r\n\r\n",
    "a length with an underscore": POST + b"Content-Length: 1_0\r\n\r\n0123456789",
    "a NUL in a header name": b"GET / HTTP/1.1\r\nHost: x\r\nX-A\x00b: 1\r\n\r\n",
    "an unknown transfer coding": POST + b"Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n",
    "no Host": b"GET /tags/ HTTP/1.1\r\nConnection: close\r\n\r\n",
    "two Hosts": b"GET /tags/ HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
    "garbage": b"GARBAGE\r\n\r\n",
}
# Both Transfer-Encoding and Content-Length, then a second request on the same connection:
# answering that one would mean the two ends disagree on where the first request ended.
SMUGGLED = (
    POST + b"Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n"
    b"GET /tags/ HTTP/1.1\r\nHost: x\r\n\r\n"
)


@pytest.fixture
def her(write_post):
    write_post("her", body="A film about a voice.")


def test_ambiguous_requests_are_refused_and_logged_in_one_line_each(site, her):
    with gunicorn(site) as (url, output):
        replies = {name: exchange(url, request) for name, request in AMBIGUOUS.items()}
        smuggled = exchange(url, SMUGGLED)
    statuses = {name: status_of(reply) for name, reply in replies.items()}
    # RFC 9112 (6.1): a transfer coding the server does not know is a 501, which gunicorn sends
    assert statuses == {**dict.fromkeys(AMBIGUOUS, 400), "an unknown transfer coding": 501}
    assert status_of(smuggled) == 400
    assert smuggled.count(b"HTTP/1.1 ") == 1  # the connection was not reused
    assert not any("Traceback" in line or "ERROR" in line for line in output), output
    warnings = [line for line in output if "Invalid request from ip=127.0.0.1" in line]
    assert len(warnings) == len(AMBIGUOUS), output  # "no Host" is the app's 400, no warning
    logged = [ACCESS.search(line) for line in output if line.startswith("127.0.0.1 - [")]
    assert sorted(int(line["status"]) for line in logged) == sorted([*statuses.values(), 400]), (
        output
    )


def chunked_comment(url: str, size: int) -> bytes:
    """A comment form with a body of `size` characters, sent in chunks; the reply."""
    cookie, form = comment_form(url, "her", body="x" * size)
    chunks = b"".join(
        b"%x\r\n%s\r\n" % (len(form[start : start + 8192]), form[start : start + 8192])
        for start in range(0, len(form), 8192)
    )
    head = (
        f"POST /posts/her/comments/ HTTP/1.1\r\nHost: x\r\nCookie: {cookie}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    return exchange(url, head.encode() + chunks + b"0\r\n\r\n")


def test_a_chunked_body_over_the_limit_is_refused_whole(site, her):
    """Over MAX_CONTENT_LENGTH (64 KiB) without a Content-Length: 413, nothing stored."""
    with gunicorn(site, args="--keep-alive 1") as (url, output):
        too_large = chunked_comment(url, 100_000)
        fitting = chunked_comment(url, 1_000)  # the same way, under the limit: stored
    assert status_of(too_large) == 413
    assert b"too much to send at once" in too_large
    assert status_of(fitting) == 303
    assert [line for line in output if "comment accepted" in line].__len__() == 1
    assert any("comment refused post=her id=- reason=too large" in line for line in output)


def trickle(connections: list[socket.socket], stop: threading.Event) -> None:
    """Send one byte on each connection every 0.3 s, as a slow attacker does."""
    while not stop.wait(0.3):
        for connection in connections:
            with suppress(OSError):  # shed by the server
                connection.send(b"a")


def test_clients_that_send_slowly_are_shed_and_others_are_served(site, her):
    """Twice as many slow clients as a worker holds connections, sending a POST's head and
    then a byte of body now and then, or a byte of the head now and then: each is cut off
    after its deadline (a 408, or closed unanswered), and a reader who comes after them all
    is served within seconds. One more leaves mid-body: a 400 in the log, no traceback."""
    settings = {"TWOMBLY_SERVER_BODY_TIMEOUT": "1"}
    args = "--keep-alive 1 --worker-connections 5"
    with gunicorn(site, args=args, env=settings) as (url, output):
        head = (
            POST
            + b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 900\r\n\r\n"
        )
        slow = [socket.create_connection(address(url), timeout=10) for _ in range(10)]
        for number, connection in enumerate(slow):
            connection.sendall(head if number < 7 else POST + b"X-Slow: ")
        stop = threading.Event()
        sender = threading.Thread(target=trickle, args=(slow, stop))
        sender.start()
        gone = socket.create_connection(address(url), timeout=10)
        gone.sendall(head + b"name=An")  # then goes away mid-body
        gone.close()
        try:
            started = time.monotonic()
            reader = exchange(url, b"GET /tags/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            waited = time.monotonic() - started
            replies = [read_until_closed(connection) for connection in slow]
            shed_after = time.monotonic() - started
        finally:
            stop.set()
            sender.join()
            for connection in slow:
                connection.close()
    assert status_of(reader) == 200
    assert waited < 6
    assert [status_of(reply) for reply in replies[:7]] == [408] * 7
    assert replies[7:] == [b""] * 3  # their heads never ended: closed
    assert shed_after < 8
    assert not any("Traceback" in line or "ERROR" in line for line in output), output
    assert sum(" 408 " in line for line in output) == 7  # in the access log
