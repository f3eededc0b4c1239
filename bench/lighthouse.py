"""Readers' speed: Lighthouse (mobile preset) on the live server and on the frozen copy.

    python bench/lighthouse.py [--only live|frozen] [--path /posts/her/ ...]

Lighthouse comes from bench/node_modules (`npm ci` in bench/, pinned by package-lock.json) and
drives Debian's chromium through CHROME_PATH (default: `chromium` on the PATH); it never
downloads a browser. The live server is gunicorn with the production settings on the shipped
site; the frozen copy is `flask freeze` of the same site, served by a plain static server that
sends the .br / .gz copies as they are (as nginx's brotli_static / gzip_static do). For each
page: the four scores, the bytes transferred, and HTML + CSS + JS transferred.
"""

from __future__ import annotations

import argparse
import json
import mimetypes
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import urlopen

from measure import BENCH, WORK, fresh_folder, say, venv_tool
from servers import gunicorn

PROJECT = BENCH.parent
LIGHTHOUSE = BENCH / "node_modules/.bin/lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# Home, the her review, a tag page, the archive, and the films and search pages where the
# site has them.
PATHS = ("/", "/posts/her/", "/tags/drama/", "/archive/", "/films/", "/search/")
CODE = {"Document", "Stylesheet", "Script"}
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"


def chrome_path() -> str:
    path = os.environ.get("CHROME_PATH") or shutil.which("chromium")
    if not path:
        sys.exit("Debian's chromium is needed: apt-get install chromium (or set CHROME_PATH)")
    return path


def lighthouse(url: str, chrome: str) -> dict:
    """One Lighthouse run (its default, the mobile preset) on `url`: the JSON report."""
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: cd bench && npm ci")
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder, "report.json")
        subprocess.run(
            [LIGHTHOUSE, url, "--quiet", "--output=json", f"--output-path={report}",
             f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"],
            check=True,
            env={**os.environ, "CHROME_PATH": chrome},
        )  # fmt: skip
        return json.loads(report.read_text(encoding="utf-8"))


def scores(report: dict) -> dict[str, int]:
    """Each category's score out of 100."""
    return {name: round(100 * report["categories"][name]["score"]) for name in CATEGORIES}


def transferred(report: dict) -> tuple[int, int]:
    """Bytes transferred for the page: everything, and its HTML, CSS and JS alone."""
    requests = report["audits"]["network-requests"]["details"]["items"]
    total = sum(item.get("transferSize", 0) for item in requests)
    code = sum(item.get("transferSize", 0) for item in requests if item["resourceType"] in CODE)
    return total, code


class PrecompressedHandler(SimpleHTTPRequestHandler):
    """A static file server that sends a file's .br or .gz copy to a client accepting it."""

    def send_head(self):  # the name http.server calls
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepted = self.headers.get("Accept-Encoding", "")
        for suffix, encoding in ((".br", "br"), (".gz", "gzip")):
            copy = path.with_name(path.name + suffix)
            if encoding in accepted and path.is_file() and copy.is_file():
                data = copy.read_bytes()
                self.send_response(200)
                self.send_header("Content-Type", mimetypes.guess_type(path.name)[0] or "")
                self.send_header("Content-Encoding", encoding)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Vary", "Accept-Encoding")
                self.end_headers()
                return _Bytes(data)
        return super().send_head()

    def log_message(self, *args: object) -> None:
        pass


class _Bytes:
    """What send_head returns: a file-like object http.server copies to the socket."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, size: int = -1) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


@contextmanager
def static_server(folder: Path) -> Iterator[str]:
    """Serve `folder` on a free port of 127.0.0.1 until the block ends; yields its address."""
    handler = partial(PrecompressedHandler, directory=folder)
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            server.shutdown()


def exists(url: str) -> bool:
    try:
        with urlopen(url) as response:
            return response.status == 200
    except HTTPError:
        return False


def freeze(destination: Path, base_url: str) -> None:
    subprocess.run(
        [venv_tool("flask"), "--app", str(PROJECT / "app.py"), "freeze", "--destination",
         str(destination), "--base-url", base_url],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip


def measure(label: str, base: str, paths: list[str], chrome: str) -> list[dict]:
    rows = []
    for path in paths:
        if not exists(base + path):
            say(f"{label:6} {path:14} (not on this site)")
            continue
        report = lighthouse(base + path, chrome)
        total, code = transferred(report)
        rows.append({"where": label, "path": path, **scores(report), "bytes": total, "code": code})
        figures = "  ".join(f"{name} {value:3}" for name, value in scores(report).items())
        say(f"{label:6} {path:14} {figures}  transfer {total / 1024:5.1f} KB "
            f"(HTML+CSS+JS {code / 1024:4.1f} KB)")  # fmt: skip
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("live", "frozen"))
    parser.add_argument("--path", action="append", help="a page to measure (default: all)")
    args = parser.parse_args()
    chrome, paths = chrome_path(), args.path or list(PATHS)
    rows = []
    if args.only != "frozen":
        with gunicorn(PROJECT, workers=1) as server:
            rows += measure("live", server.url.rstrip("/"), paths, chrome)
    if args.only != "live":
        frozen = fresh_folder(WORK / "lighthouse")
        with static_server(frozen) as url:
            freeze(frozen, f"{url}/")
            rows += measure("frozen", url, paths, chrome)
    below = [row for row in rows if any(row[name] < 100 for name in CATEGORIES)]
    say(f"{len(rows)} pages measured; {len(below)} below 100 in some category")


if __name__ == "__main__":
    main()
