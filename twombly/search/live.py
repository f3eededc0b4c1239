"""The live server's index: built by a child process into instance/search/, swapped in whole.

Rendering every post and running Pagefind takes seconds on a large site, so no worker does it
while readers wait: a worker that sees the content changed (checked at most every
`[search] refresh_seconds`) starts `python -m twombly.search`, which renders the published pages
with the app's test client, writes a new bundle into a folder named by its stamp, and points the
`current` link at it with one `os.replace`. A file lock lets one builder run at a time, whatever
the number of workers; the previous bundle is kept so a reader halfway through a search still
finds the files it started with.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import threading
import time
from importlib.metadata import version
from pathlib import Path

from filelock import FileLock, Timeout
from flask import Flask

from twombly.config import DEFAULTS, is_freezing
from twombly.content import catalog
from twombly.search.index import Page, write_index
from twombly.search.pages import indexed_paths

log = logging.getLogger("twombly")
FOLDER = "search"  # in instance/
CURRENT = "current"  # the link to the bundle readers are served
# What the child process is built with: the published site only, no cache, no builder of its own.
CHILD_CONFIG = {"SHOW_DRAFTS": False, "DEBUG": False, "SEARCH_LIVE_INDEX": False}


def folder(app: Flask) -> Path:
    return Path(app.instance_path, FOLDER)


def current_bundle(app: Flask) -> Path | None:
    """The bundle readers are served now, or None before the first one is built."""
    link = folder(app) / CURRENT
    return link.resolve() if link.is_dir() else None


def built_stamp(app: Flask) -> str | None:
    bundle = current_bundle(app)
    return bundle.name if bundle else None


def content_stamp(app: Flask) -> str:
    """What the index is built from, cheaply: the indexed files and when they changed, the
    theme's newest file, the settings and Pagefind's version."""
    entries = catalog.public_posts() + catalog.public_pages()
    files = sorted((post.slug, post.file, mtime_ns(post.file)) for post in entries)
    theme = newest_ns(Path(app.root_path, app.template_folder or "templates"))
    settings = {key: app.config.get(key) for key in ("LANGUAGE", "BASE_URL", "TITLE")}
    text = json.dumps([files, theme, settings, version("pagefind")], default=str)
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def mtime_ns(path: str) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return 0


def newest_ns(root: Path) -> int:
    times = [mtime_ns(str(root))]
    for top, _, names in os.walk(root, followlinks=True):
        times += (mtime_ns(os.path.join(top, name)) for name in names)
    return max(times)


def build(app: Flask) -> bool:
    """Build the live index unless it is current or another process is building it; run in the
    child process. Returns whether a new bundle was swapped in."""
    base = folder(app)
    base.mkdir(parents=True, exist_ok=True)
    lock = FileLock(base / ".build.lock")
    try:
        lock.acquire(timeout=0)
    except Timeout:
        return False
    try:
        with app.app_context():
            stamp = content_stamp(app)
            if stamp == built_stamp(app):
                return False
            write_index(rendered_pages(app), base / stamp, app.config["LANGUAGE"])
            swap(base, stamp)
        return True
    finally:
        lock.release()


def rendered_pages(app: Flask) -> list[Page]:
    """Every indexed page as the live server answers it."""
    client = app.test_client()
    pages = []
    for path in indexed_paths():
        response = client.get(path)
        if response.status_code == 200:
            pages.append((path, response.get_data(as_text=True)))
    return pages


def swap(base: Path, stamp: str) -> None:
    """Point `current` at the new bundle in one step; keep the one before, remove older ones."""
    link = base / CURRENT
    previous = link.resolve().name if link.is_dir() else None
    staged = base / f".{CURRENT}-{os.getpid()}"
    staged.unlink(missing_ok=True)
    staged.symlink_to(stamp, target_is_directory=True)
    os.replace(staged, link)
    for entry in base.iterdir():
        if entry.is_dir() and not entry.is_symlink() and entry.name not in (stamp, previous):
            shutil.rmtree(entry, ignore_errors=True)


class Refresher:
    """A before-request hook: start a builder when the published content has changed."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.checked = -float("inf")
        self.child: subprocess.Popen[bytes] | None = None

    def __call__(self) -> None:
        config = self.app.config
        if not config["SEARCH_LIVE_INDEX"] or is_freezing():
            return
        now = time.monotonic()
        if now - self.checked < float(config["SEARCH_REFRESH_SECONDS"]):
            return
        self.checked = now
        if self.child is not None and self.child.poll() is None:
            return  # still building
        if content_stamp(self.app) != built_stamp(self.app):
            self.child = start_builder(self.app)


def start_builder(app: Flask) -> subprocess.Popen[bytes]:
    """`python -m twombly.search SITE` with this app's settings in its environment."""
    env = dict(os.environ)
    for key in DEFAULTS:
        value = app.config.get(key)
        try:
            env[f"TWOMBLY_{key}"] = json.dumps(value)
        except TypeError:
            continue
    command = [sys.executable, "-m", "twombly.search", app.root_path]
    process = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL)
    # Reap it when it ends, whether or not another request comes to ask.
    threading.Thread(target=process.wait, name="twombly-search-builder", daemon=True).start()
    return process


def init_app(app: Flask) -> None:
    app.before_request(Refresher(app))
