"""Helpers for the tests that run `make serve`'s gunicorn for real and talk to it over sockets."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .comment_helpers import CSRF

PROJECT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"


@contextmanager
def gunicorn(
    site: Path, hops: int = 0, args: str = "", env: dict[str, str] | None = None
) -> Iterator[tuple[str, list[str]]]:
    """Serve `site` with gunicorn.conf.py (and command-line `args`, environment `env`); yields
    its URL and, once stopped, its output lines. One worker unless `env` says otherwise."""
    environment = {
        **os.environ,
        # a worker still booting when the test ends holds the master for the graceful timeout
        "GUNICORN_CMD_ARGS": f"--graceful-timeout 3 {args}",
        "BIND": "127.0.0.1:0",
        "WEB_CONCURRENCY": "1",
        "TWOMBLY_PROXY_TRUSTED_HOPS": str(hops),
        "TWOMBLY_SECRET_KEY": "test",
        **(env or {}),
    }
    command = [str(GUNICORN), "--config", str(PROJECT / "gunicorn.conf.py"),
               "--no-control-socket", f"twombly:create_app(site={str(site)!r})"]  # fmt: skip
    server = subprocess.Popen(
        command,
        env={name: value for name, value in environment.items() if value is not None},
        cwd=PROJECT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    # every line, read from the one buffered stream (reading the pipe beside it loses lines)
    reader = threading.Thread(
        target=lambda: lines.extend(line.rstrip("\n") for line in server.stdout)
    )
    try:
        url = _listening_url(server, lines)
        reader.start()
        yield url, lines
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        if reader.ident is not None:  # started
            reader.join(timeout=10)
        server.stdout.close()


def _listening_url(server: subprocess.Popen, lines: list[str]) -> str:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        line = server.stdout.readline()
        if line:
            lines.append(line.rstrip("\n"))
        if match := re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", line):
            # The worker boots after the master listens; the socket queues us until then.
            return match.group(1)
        if not line and server.poll() is not None:
            break
    pytest.fail("gunicorn did not start:\n" + "\n".join(lines))


def address(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname, parts.port


def read_until_closed(connection: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (or resets it after)."""
    reply = b""
    try:
        while chunk := connection.recv(65536):
            reply += chunk
    except ConnectionResetError:
        # the server closes at once after refusing a request it did not read to the end:
        # the answer arrives, then the reset
        assert reply, "reset before any answer"
    return reply


def exchange(url: str, request: bytes) -> bytes:
    """Send raw bytes on a new connection; everything the server sends back."""
    with socket.create_connection(address(url), timeout=10) as connection:
        connection.sendall(request)
        return read_until_closed(connection)


def status_of(reply: bytes) -> int:
    return int(reply.split(b" ", 2)[1])


def comment_form(
    url: str, slug: str, context: ssl.SSLContext | None = None, **fields: str
) -> tuple[str, bytes]:
    """The session cookie and a url-encoded comment form, as a browser on the post page has."""
    cookies = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(cookies), urllib.request.HTTPSHandler(context=context)
    )
    page = opener.open(f"{url}/posts/{slug}/", timeout=10).read().decode()
    data = {"csrf_token": CSRF.search(page).group(1), "name": "Ann", "body": "Lovely."}
    data |= {"website": "", "homepage": "", **fields}
    cookie = "; ".join(f"{c.name}={c.value}" for c in cookies)
    return cookie, urllib.parse.urlencode(data).encode()
