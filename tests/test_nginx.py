"""The README's production setup, run for real: Debian's nginx with deploy/nginx.conf (the
README's text) in front of `make serve`'s gunicorn, over TLS on a port of its own."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from twombly.config import site_settings
from twombly.web.security import static_host_headers

from .serving import PROJECT, comment_form, gunicorn

SNIPPET = PROJECT / "deploy" / "nginx.conf"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def nginx_binary() -> str:
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Debian's nginx is required under CI=true (.ci/run installs it)")
        pytest.skip("nginx is not installed")
    return found


def site_config(folder: Path, upstream: str, tls_port: int) -> str:
    """deploy/nginx.conf with this machine's ports, certificate and folders put in."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", folder / "key.pem", "-out", folder / "cert.pem", "-days", "1",
         "-subj", "/CN=127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    headers = folder / "twombly-headers.conf"
    headers.write_text(static_host_headers(site_settings(PROJECT), "nginx"), "utf-8")
    text = SNIPPET.read_text("utf-8")
    for old, new in {
        "listen 443 ssl;": f"listen 127.0.0.1:{tls_port} ssl;",
        "listen 80;": f"listen 127.0.0.1:{free_port()};",
        "/etc/letsencrypt/live/reviews.example/fullchain.pem": str(folder / "cert.pem"),
        "/etc/letsencrypt/live/reviews.example/privkey.pem": str(folder / "key.pem"),
        "server 127.0.0.1:8000;": f"server {upstream};",
        "/srv/twombly/static/": f"{PROJECT / 'static'}/",
        "/etc/nginx/twombly-headers.conf": str(headers),
    }.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


@contextmanager
def nginx(folder: Path, upstream: str) -> Iterator[int]:
    """Debian's nginx serving deploy/nginx.conf in front of `upstream`; yields its TLS port."""
    binary = nginx_binary()
    tls_port = free_port()
    (folder / "twombly.conf").write_text(site_config(folder, upstream, tls_port), "utf-8")
    user = "user root;\n" if os.geteuid() == 0 else ""
    (folder / "nginx.conf").write_text(
        f"{user}daemon off;\nworker_processes 1;\npid {folder}/nginx.pid;\n"
        f"error_log {folder}/error.log;\nevents {{ worker_connections 64; }}\n"
        f"http {{\n include /etc/nginx/mime.types;\n access_log {folder}/access.log;\n"
        + "".join(f" {kind}_temp_path {folder}/{kind};\n"
                  for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        + f" include {folder}/twombly.conf;\n}}\n",
        "utf-8",
    )  # fmt: skip
    server = subprocess.Popen(
        [
            binary,
            "-p",
            str(folder),
            "-e",
            str(folder / "error.log"),
            "-c",
            str(folder / "nginx.conf"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", tls_port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log = (folder / "error.log").read_text("utf-8", errors="replace")
                    pytest.fail(f"nginx did not start: {log}")
                time.sleep(0.05)
        yield tls_port
    finally:
        server.terminate()
        server.wait(timeout=10)


def post(port: int, form: bytes, headers: dict[str, str], context: ssl.SSLContext) -> int:
    connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=10, context=context)
    headers = {"Content-Type": "application/x-www-form-urlencoded", **headers}
    connection.request("POST", "/posts/her/comments/", body=form, headers=headers)
    status = connection.getresponse().status
    connection.close()
    return status


def stored(site: Path) -> list[str]:
    path = site / "comments" / "her.json"
    if not path.exists():
        return []
    return [c["author"] for c in json.loads(path.read_text("utf-8"))["comments"]]


def test_the_readme_shows_the_tested_nginx_configuration():
    assert SNIPPET.read_text("utf-8") in (PROJECT / "README.md").read_text("utf-8")


def test_a_comment_through_nginx_on_another_port_is_accepted(site, write_post, tmp_path):
    """The reader's browser is on https://127.0.0.1:<port>/: nginx passes the port on with the
    Host, so the app sees the comment come from its own origin; a forged Host is refused."""
    write_post("her", body="A film about a voice.")
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    with gunicorn(site, hops=1) as (url, output), nginx(tmp_path, url[len("http://") :]) as port:
        origin = f"https://127.0.0.1:{port}"
        cookie, form = comment_form(origin, "her", context, name="Ann")
        accepted = post(port, form, {"Cookie": cookie, "Origin": origin}, context)
        cookie, form = comment_form(origin, "her", context, name="Mallory")
        forged = {"Cookie": cookie, "Origin": origin, "Host": "evil.example"}
        refused = post(port, form, forged, context)
        too_large = post(port, b"body=" + b"x" * 100_000, {"Origin": origin}, context)
    assert accepted == 303
    assert refused == 403
    assert too_large == 413  # by nginx: the app never saw it
    assert stored(site) == ["Ann"]
    assert sum("POST /posts/her/comments/" in line for line in output) == 2
    assert any(line.startswith("127.0.0.1 - ") and " 303 " in line for line in output)
