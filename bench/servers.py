"""Servers and load for the benchmarks: gunicorn over a site, nginx over a frozen copy, wrk."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import peers
from measure import BENCH, busy_cores, free_port, venv_tool, wait_for_port, wait_quiet

NGINX_CONF = """worker_processes 1;
daemon off;
user root;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        index index.html;
    }}
}}
"""


@dataclass(frozen=True)
class Server:
    url: str
    pid: int


@contextmanager
def gunicorn(site: Path, workers: int = 4, env: dict[str, str] | None = None) -> Iterator[Server]:
    """gunicorn (sync workers) serving `site` on a free 127.0.0.1 port."""
    port = free_port()
    command = [
        venv_tool("gunicorn"),
        "--config",
        str(BENCH / "gunicorn_bench.py"),
        "--chdir",
        str(site),
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "app:app",
    ]
    settings = {**os.environ, "TWOMBLY_SECRET_KEY": "bench-secret", **(env or {})}
    process = subprocess.Popen(command, env=settings, start_new_session=True)
    try:
        wait_for_port(port)
        time.sleep(0.5 + 0.2 * workers)  # let every worker import the app
        yield Server(f"http://127.0.0.1:{port}", process.pid)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def worker_rss_mb(master_pid: int) -> list[float]:
    """Resident memory of each child of a process, in MB."""
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master_pid}$", text, re.M):
            match = re.search(r"^VmRSS:\s+(\d+) kB", text, re.M)
            if match:
                sizes.append(int(match.group(1)) / 1024)
    return sizes


@contextmanager
def nginx(root: Path) -> Iterator[str]:
    """nginx (Debian package, own config in a temporary folder) serving `root` on 127.0.0.1."""
    binary = peers.debian_tool("nginx")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="twombly-nginx-") as tmp:
        conf = Path(tmp, "nginx.conf")
        conf.write_text(NGINX_CONF.format(tmp=tmp, port=port, root=root.resolve()))
        process = subprocess.Popen([binary, "-p", tmp, "-c", str(conf)], start_new_session=True)
        try:
            wait_for_port(port)
            yield f"http://127.0.0.1:{port}"
        finally:
            os.killpg(process.pid, signal.SIGQUIT)
            process.wait(timeout=30)


@dataclass(frozen=True)
class Load:
    rate: float  # requests per second
    p50_ms: float
    p99_ms: float
    errors: int
    machine_before: float  # cores busy just before the run (others)

    def line(self) -> str:
        return (
            f"{self.rate:8.0f} req/s  p50 {self.p50_ms:6.1f} ms  p99 {self.p99_ms:6.1f} ms"
            f"  errors {self.errors}"
        )


def wrk(url: str, seconds: int = 10, connections: int = 32, threads: int = 2) -> Load:
    """A bounded load from wrk (Debian package): -t2 -c32 -d10s, with latency percentiles."""
    binary = peers.debian_tool("wrk")
    before = wait_quiet()
    result = subprocess.run(
        [binary, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    )
    return parse_wrk(result.stdout, before)


def parse_wrk(output: str, before: float) -> Load:
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", output, re.M))
    errors = 0
    for match in re.finditer(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(match.group(1))
    socket_errors = re.search(r"Socket errors: (.*)", output)
    if socket_errors:
        errors += sum(
            int(n) for n in re.findall(r"(?:read|write|timeout) (\d+)", socket_errors[1])
        )
    return Load(rate, _ms(percentiles["50"]), _ms(percentiles["99"]), errors, before)


def _ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def write_comments(site: Path, slug: str, count: int) -> None:
    """`count` approved comments on a post, one in five a reply, in the DESIGN.md format."""
    start = datetime(2020, 1, 1, tzinfo=UTC)
    comments = []
    for number in range(count):
        moment = start + timedelta(minutes=number)
        parent = comments[number - 1]["id"] if number % 5 == 4 else None
        comments.append(
            {
                "id": f"{moment:%Y%m%dT%H%M%SZ}-{number:06x}",
                "parent": parent,
                "author": f"Reader {number}",
                "body": f"Comment number {number}: *the ending* stays with me, [see](https://example.org/{number}).",
                "created": moment.isoformat().replace("+00:00", "Z"),
                "status": "approved",
            }
        )
    document = {"post": slug, "comments": comments}
    path = site / "comments" / f"{slug}.json"
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def machine_load(seconds: float = 0.5) -> float:
    return busy_cores(seconds)
