"""`make serve`'s gunicorn settings, run for real: gunicorn's gevent worker, its parser and
keep-alive, the access log (the real client behind a proxy only) and the app's logging."""

from __future__ import annotations

import http.client
import socket
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

from .comment_helpers import CSRF
from .notify_servers import webhook_server
from .serving import comment_form, exchange, gunicorn, read_until_closed, status_of


def serve_and_log(site: Path, hops: int, headers: dict[str, str]) -> str:
    """Send one request through gunicorn, return its access log line."""
    with gunicorn(site, hops) as (url, output):
        request = urllib.request.Request(f"{url}/tags/", headers=headers)
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
            assert "Content-Security-Policy" in response.headers
    return next(line for line in output if '"GET /tags/ HTTP/1.1"' in line)


def raw_status(url: str, target: bytes) -> int:
    """Send a request line as raw bytes, as a scanner would; the response's status code."""
    request = b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    return status_of(exchange(url, request))


FORGED = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}


def test_without_a_proxy_the_log_shows_the_socket_address(site):
    line = serve_and_log(site, 0, FORGED)
    assert line.startswith("127.0.0.1 - ")
    assert "203.0.113.9" not in line


def test_behind_a_proxy_the_log_shows_the_forwarded_client(site):
    assert serve_and_log(site, 1, FORGED).startswith("203.0.113.9 - ")


RAW_TARGETS = [b"/%ff/", b"/\xff\xfe/", b"/posts/\xc0\xaf/", b"//evil.example", b"/%00",
               b"/" + b"a" * 4000, b"/?page=\xff", b"/static/../../etc/passwd", b"*",
               b"/%"]  # fmt: skip


def test_raw_hostile_requests_never_get_a_5xx(site):
    with gunicorn(site) as (url, _):
        statuses = {target[:20]: raw_status(url, target) for target in RAW_TARGETS}
        statuses[b"long line"] = raw_status(url, b"/" + b"a" * 9000)  # over gunicorn's 4094
    assert all(status < 500 for status in statuses.values()), statuses
    assert statuses[b"long line"] == 414  # gunicorn refuses it before the app sees it


def test_connections_are_kept_open_between_requests(site, write_post):
    """The workers keep the connection: a second request goes over the same socket."""
    write_post("her", body="A film about a voice.")
    with gunicorn(site) as (url, _):
        connection = http.client.HTTPConnection(urlsplit(url).hostname, urlsplit(url).port)
        bodies = []
        for _ in range(3):
            connection.request("GET", "/posts/her/")
            response = connection.getresponse()
            bodies.append(response.read())
            assert response.status == 200
            assert response.headers["Connection"] != "close"
            assert response.headers["Vary"] == "Cookie, Accept-Encoding"
            assert "Content-Security-Policy" in response.headers
            socket_in_use = connection.sock
        assert socket_in_use is not None and connection.sock is socket_in_use
        connection.close()
    assert bodies[0] == bodies[1] == bodies[2]
    assert b"A film about a voice." in bodies[0]


def test_each_comment_decision_is_logged_by_the_server(site, write_post):
    """The decision lines reach gunicorn's output, not only the access log's request line."""
    write_post("her", body="A film about a voice.")
    with gunicorn(site) as (url, output):
        page = urllib.request.urlopen(f"{url}/posts/her/", timeout=10).read().decode()
        token = CSRF.search(page).group(1)
        form = urllib.parse.urlencode(
            {"csrf_token": token, "name": "Ann", "body": "Lovely.", "website": "", "homepage": ""}
        ).encode()
        connection = http.client.HTTPConnection(urlsplit(url).hostname, urlsplit(url).port)
        connection.request(
            "POST",
            "/posts/her/comments/",
            body=form,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert connection.getresponse().status == 303
        connection.close()
    accepted = [line for line in output if "comment accepted post=her id=" in line]
    assert len(accepted) == 1, output
    assert "Lovely." not in accepted[0]


def test_an_idle_connection_is_closed_after_keepalive_seconds(site):
    with gunicorn(site, args="--keep-alive 1") as (url, _):
        address = (urlsplit(url).hostname, urlsplit(url).port)
        with socket.create_connection(address, timeout=10) as silent:
            started = time.monotonic()
            assert read_until_closed(silent) == b""
            assert time.monotonic() - started < 5
        with socket.create_connection(address, timeout=10) as reader:
            reader.sendall(b"GET /tags/ HTTP/1.1\r\nHost: x\r\n\r\n")
            reply = read_until_closed(reader)  # the answer, then the close a second later
    assert reply.startswith(b"HTTP/1.1 200")
    assert reply.count(b"HTTP/1.1 ") == 1


def test_headers_that_never_end_are_cut_off_after_keepalive_seconds(site):
    with gunicorn(site, args="--keep-alive 1") as (url, _):
        address = (urlsplit(url).hostname, urlsplit(url).port)
        with socket.create_connection(address, timeout=10) as slow:
            slow.sendall(b"GET /tags/ HTTP/1.1\r\nHost: x\r\n")
            started = time.monotonic()
            reply = read_until_closed(slow)
            assert time.monotonic() - started < 5
    assert not reply.startswith(b"HTTP/1.1 200")


MALFORMED = [
    b"GARBAGE\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n",
    b"GET / HTTP/1.1\r\nHo\x00st: x\r\n\r\n",
    b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
]


def test_a_malformed_request_gets_a_400_and_one_log_line(site):
    """Not a traceback per request: the log stays readable when scanners come by."""
    with gunicorn(site) as (url, output):
        address = (urlsplit(url).hostname, urlsplit(url).port)
        for request in MALFORMED:
            with socket.create_connection(address, timeout=10) as client:
                client.sendall(request)
                assert read_until_closed(client).startswith(b"HTTP/1.1 400"), request
    warnings = [line for line in output if "Invalid request from ip=127.0.0.1" in line]
    assert len(warnings) == len(MALFORMED), output
    assert not any("Traceback" in line for line in output), output


def test_concurrent_comments_keep_the_limit_and_never_fail(site, write_post):
    """Twenty comments at once from one address through `make serve`'s default: one gevent
    worker, whose memory storage counts them all; five get in, the others are refused, none
    gets a 5xx, and no warning is given."""
    write_post("her", body="A film about a voice.")
    with gunicorn(site, env={"WEB_CONCURRENCY": None}) as (url, output):
        page = urllib.request.urlopen(f"{url}/posts/her/", timeout=10).read().decode()
        token = CSRF.search(page).group(1)
        fields = {"csrf_token": token, "name": "Ann", "body": "Lovely.", "website": ""}
        form = urllib.parse.urlencode({**fields, "homepage": ""}).encode()

        def send(_: int) -> int:
            connection = http.client.HTTPConnection(urlsplit(url).hostname, urlsplit(url).port)
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
            connection.request("POST", "/posts/her/comments/", body=form, headers=headers)
            status = connection.getresponse().status
            connection.close()
            return status

        with ThreadPoolExecutor(20) as pool:
            statuses = list(pool.map(send, range(20)))
    assert sorted(statuses) == [303] * 5 + [429] * 15
    assert sum("Booting worker" in line for line in output) == 1
    assert not any("rate limits are not kept" in line for line in output)


def test_without_keepalive_each_connection_serves_one_request(site):
    with gunicorn(site, args="--keep-alive 0") as (url, _):
        address = (urlsplit(url).hostname, urlsplit(url).port)
        with socket.create_connection(address, timeout=10) as reader:
            request = b"GET /tags/ HTTP/1.1\r\nHost: x\r\n\r\n"
            reader.sendall(request * 2)
            reply = read_until_closed(reader)
    assert reply.startswith(b"HTTP/1.1 200")
    assert reply.count(b"HTTP/1.1 ") == 1
    assert b"\r\nConnection: close\r\n" in reply


def test_a_gevent_worker_sends_the_notification_after_answering(site, write_post):
    """The background send runs in a greenlet of gunicorn's gevent worker."""
    write_post("her", title="Her")
    with webhook_server() as (port, received):
        hook = {"TWOMBLY_NOTIFY_URLS": f"json://127.0.0.1:{port}/hook"}
        with gunicorn(site, env=hook) as (url, output):
            cookie, form = comment_form(url, "her", body="Heard.")
            connection = http.client.HTTPConnection(urlsplit(url).hostname, urlsplit(url).port)
            headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
            connection.request("POST", "/posts/her/comments/", body=form, headers=headers)
            assert connection.getresponse().status == 303
            connection.close()
            deadline = time.monotonic() + 20
            while not received and time.monotonic() < deadline:
                time.sleep(0.05)
    assert [message["title"] for message in received] == ["New comment on “Her”"], output
    assert "Heard." in received[0]["message"]
