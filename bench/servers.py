"""Servers and load for the benchmarks: gunicorn over a site, nginx over a frozen copy, wrk."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import runpy
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
from measure import (
    BENCH,
    CLOCK_TICKS,
    NOISY,
    WORK,
    busy_cores,
    free_port,
    machine_cpu,
    say,
    venv_tool,
    wait_for_port,
    wait_quiet,
)

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


def gunicorn_settings() -> str:
    """How the benchmarks' gunicorn runs: the production worker class, threads, keep-alive."""
    settings = runpy.run_path(str(BENCH / "gunicorn_bench.py"))
    worker = settings.get("worker_class", "sync")
    keepalive = f"keep-alive {settings.get('keepalive', 2)} s"
    if worker == "gthread":
        return f"gthread workers x {settings['threads']} threads, {keepalive}"
    if worker == "sync":
        return "sync workers"
    connections = settings.get("worker_connections", 1000)
    return f"{worker} workers, up to {connections} connections each, {keepalive}"


@contextmanager
def gunicorn(
    site: Path,
    workers: int = 4,
    env: dict[str, str] | None = None,
    app: str = "app:app",
    name: str = "gunicorn",
) -> Iterator[Server]:
    """gunicorn with the production settings but no access log (bench/gunicorn_bench.py)
    serving `app` from the folder `site` on a free 127.0.0.1 port."""
    port = free_port()
    command = [
        venv_tool("gunicorn"),
        "--config",
        str(BENCH / "gunicorn_bench.py"),
        "--chdir",
        str(site),
        *_serving_args(port, workers),
        app,
    ]
    settings = {**os.environ, "TWOMBLY_SECRET_KEY": "bench-secret", **(env or {})}
    with _serving(command, settings, port, workers, name) as server:
        yield server


ISSO_CONFIG = """[general]
dbpath = {db}
host = {website}
[moderation]
enabled = false
[guard]
enabled = false
[server]
listen = http://127.0.0.1:{port}/
"""


@contextmanager
def isso(folder: Path, website: str, workers: int = 4) -> Iterator[Server]:
    """Isso (bench/.peers/isso) under gunicorn with sync workers, its SQLite file in `folder`,
    for the site at `website` (which it checks it can reach when it starts).

    Isso's guard (a rate limit of 2 comments a minute per address) is off, as for its
    fastest figure measured here, and moderation off, as for Twombly."""
    port = free_port()
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "isso.cfg"
    settings = ISSO_CONFIG.format(db=folder / "comments.db", website=website, port=port)
    config.write_text(settings, encoding="utf-8")
    venv = peers.isso_venv()
    command = [
        str(venv / "bin" / "gunicorn"),
        *_serving_args(port, workers),
        "isso.run",
    ]
    env = {**os.environ, "ISSO_SETTINGS": str(config)}
    # The database is made by one process first: four workers making it at once collide.
    setup = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import isso.run"],
        env=env,
        cwd=folder,
        capture_output=True,
        text=True,
    )
    if setup.returncode != 0:
        raise SystemExit(f"Isso could not make its database:\n{setup.stderr}")
    # started in its own folder: gunicorn reads ./gunicorn.conf.py, and Twombly's is not Isso's
    with _serving(command, env, port, workers, "isso", cwd=folder) as server:
        yield server


def _serving_args(port: int, workers: int) -> list[str]:
    """gunicorn's options for a benchmarked server: workers, a loopback port, warnings only."""
    return ["--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--log-level", "warning"]


@contextmanager
def _serving(
    command: list[str],
    env: dict[str, str],
    port: int,
    workers: int,
    name: str,
    cwd: Path | None = None,
) -> Iterator[Server]:
    """Run a server until the block ends, in its own process group in this session.

    Its output (Twombly's line per comment decision among it) goes to bench/.work/<name>.log,
    as a server's log would; warnings and errors in it are printed when the server stops."""
    WORK.mkdir(parents=True, exist_ok=True)
    log_path = WORK / f"{name}.log"
    with log_path.open("w", encoding="utf-8") as log:
        process = subprocess.Popen(
            command, env=env, cwd=cwd, process_group=0, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            wait_for_port(port)
            time.sleep(0.5 + 0.2 * workers)  # let every worker import the app
            yield Server(f"http://127.0.0.1:{port}", process.pid)
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
    _print_problems(log_path)


def _print_problems(log_path: Path, most: int = 20) -> None:
    """The server log's warnings, errors and tracebacks (not its INFO lines)."""
    lines = log_path.read_text(encoding="utf-8", errors="replace").splitlines()
    problems = [line for line in lines if re.search(r"WARNING|ERROR|CRITICAL|Traceback", line)]
    for line in problems[:most]:
        say(f"  server log: {line}")
    if len(problems) > most:
        say(f"  server log: ... {len(problems) - most} more in {log_path}")


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


def tree_cpu(pid: int) -> float:
    """CPU seconds used so far by a process and its children (a server and its workers)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(stat.parent.name) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return total


@contextmanager
def nginx(root: Path) -> Iterator[Server]:
    """nginx (Debian package, own config in a temporary folder) serving `root` on 127.0.0.1."""
    binary = peers.debian_tool("nginx")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="twombly-nginx-") as tmp:
        conf = Path(tmp, "nginx.conf")
        conf.write_text(NGINX_CONF.format(tmp=tmp, port=port, root=root.resolve()))
        process = subprocess.Popen([binary, "-p", tmp, "-c", str(conf)], process_group=0)
        try:
            wait_for_port(port)
            yield Server(f"http://127.0.0.1:{port}", process.pid)
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
    others: float = 0.0  # cores used during the run by processes other than server and wrk

    @property
    def noisy(self) -> bool:
        return self.others > NOISY

    def line(self) -> str:
        return (
            f"{self.rate:8.0f} req/s  p50 {self.p50_ms:6.1f} ms  p99 {self.p99_ms:6.1f} ms"
            f"  errors {self.errors}  others {self.others:.2f} cores"
        )


def wrk(
    url: str,
    seconds: int = 10,
    connections: int = 32,
    threads: int = 2,
    server: Server | None = None,
) -> Load:
    """A bounded load from wrk (Debian package): -t2 -c32 -d10s, with latency percentiles; with
    `server`, also the cores the rest of the machine used meanwhile."""
    binary = peers.debian_tool("wrk")
    before = wait_quiet()
    busy_before, server_before = machine_cpu()[0], tree_cpu(server.pid) if server else 0.0
    started = time.perf_counter()
    process = subprocess.Popen(
        [binary, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        stdout=subprocess.PIPE,
        text=True,
    )
    output = process.stdout.read() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"wrk failed on {url}:\n{output[-2000:]}")
    elapsed = time.perf_counter() - started
    load = parse_wrk(output, before)
    if server is None:
        return load
    ours = tree_cpu(server.pid) - server_before + usage.ru_utime + usage.ru_stime
    others = max(0.0, machine_cpu()[0] - busy_before - ours) / elapsed
    return dataclasses.replace(load, others=others)


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
