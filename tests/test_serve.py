"""`make serve`'s gunicorn settings: the access log names the real client behind a proxy only."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"


def serve_and_log(site: Path, hops: int, headers: dict[str, str]) -> str:
    """Serve `site` with gunicorn.conf.py, send one request, return the access log line."""
    env = {
        **os.environ,
        "BIND": "127.0.0.1:0",
        "WEB_CONCURRENCY": "1",
        "TWOMBLY_PROXY_TRUSTED_HOPS": str(hops),
        "TWOMBLY_SECRET_KEY": "test",
    }
    command = [str(GUNICORN), "--config", str(PROJECT / "gunicorn.conf.py"),
               "--no-control-socket", f"twombly:create_app(site={str(site)!r})"]  # fmt: skip
    server = subprocess.Popen(
        command, env=env, cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        url = _listening_url(server)
        request = urllib.request.Request(f"{url}/tags/", headers=headers)
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
            assert "Content-Security-Policy" in response.headers
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=10)
    return next(line for line in output.splitlines() if '"GET /tags/ HTTP/1.1"' in line)


def _listening_url(server: subprocess.Popen) -> str:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        line = server.stdout.readline()
        if match := re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", line):
            # The worker boots after the master listens; the socket queues us until then.
            return match.group(1)
        if not line and server.poll() is not None:
            break
    pytest.fail("gunicorn did not start")


FORGED = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}


def test_without_a_proxy_the_log_shows_the_socket_address(site):
    line = serve_and_log(site, 0, FORGED)
    assert line.startswith("127.0.0.1 - ")
    assert "203.0.113.9" not in line


def test_behind_a_proxy_the_log_shows_the_forwarded_client(site):
    assert serve_and_log(site, 1, FORGED).startswith("203.0.113.9 - ")
