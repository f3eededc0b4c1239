"""A running server follows its files: pages/, comments/, templates/ and site.toml.

`git pull`, a post saved in an editor, a comments file fixed by hand: each worker sees it
within about a second, without a restart. At most once a second, the first request asks the
kernel which watched folders changed since the last look (watch.py: inotify, else a walk
every few seconds), so a request costs a clock reading, never a walk of pages/. Then only
what changed is read again:

- pages/: Flask-FlatPages forgets its page list and reads the files that changed (it keeps
  the others), and the catalog is rebuilt from them;
- site.toml: the settings that can change live apply at once (config.LIVE_SETTINGS), the
  log names the others, which need a restart;
- templates/: Jinja reloads a changed template by itself (TEMPLATES_AUTO_RELOAD);
- comments/: the store reads a changed file on its next use anyway.

Each part's stamp (a digest of its files' names, inodes, times and sizes, the same in every
worker) is part of every cached page's key (cache.py), so no cached page outlives a change,
even in a cache shared between workers.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from pathlib import Path

from flask import Flask, current_app

from twombly.config import is_freezing, reload_settings
from twombly.content.pages import EXTENSION, flatpages
from twombly.web.watch import Inotify, Part, Polling, changes, stamp, visible

log = logging.getLogger("twombly")

# How often a worker looks for changes, in seconds.
CHECK_SECONDS = 1.0


def is_page_file(name: str) -> bool:
    return visible(name) and name.endswith(EXTENSION)


def is_comment_file(name: str) -> bool:
    return visible(name) and name.endswith(".json")


def anything(name: str) -> bool:
    return True


class Follower:
    """One worker's view of the site's files, and what it did about their changes."""

    def __init__(self, app: Flask) -> None:
        self.root = Path(app.root_path)
        self.parts = [
            Part("pages", Path(app.root_path, app.config["FLATPAGES_ROOT"]), is_page_file),
            # The store writes a new file and renames it into place, which the comments
            # folder's own time (in every page's key) shows: only a file written in place,
            # by hand, needs a new stamp.
            Part("comments", app.extensions["twombly.comments"].folder, is_comment_file, True),
            Part("templates", Path(app.root_path, app.template_folder or "templates"), visible),
            Part("settings", self.root / "site.toml", anything),
        ]
        self.stamps = {part.name: stamp(part) for part in self.parts}
        self.key = self._key()
        self.source: Inotify | Polling | None = None  # started by the first request
        self.next_check = 0.0
        self.lock = threading.Lock()

    def _key(self) -> str:
        joined = "/".join(self.stamps[part.name] for part in self.parts)
        return hashlib.blake2b(joined.encode(), digest_size=8).hexdigest()

    def check(self) -> None:
        """Look for changes if the last look is a second old, and act on them."""
        now = time.monotonic()
        if now < self.next_check or is_freezing() or not self.lock.acquire(blocking=False):
            return
        try:
            self.next_check = now + CHECK_SECONDS
            if self.source is None:
                # Watch first, then compare with the stamps taken at start-up: nothing that
                # changed in between is missed.
                self.source = changes(self, self.root, self.parts)
                candidates = {part.name for part in self.parts}
            else:
                candidates = self.source.changed()
            if candidates:
                self.apply(candidates)
        except OSError as error:  # no more inotify watches, say: the page is served anyway
            log.error("could not look for changed files: %s", error)
        finally:
            self.lock.release()

    def apply(self, candidates: set[str]) -> None:
        """Read again what really changed among `candidates` (their stamps tell)."""
        changed = set()
        for part in self.parts:
            if part.name in candidates:
                fresh = stamp(part)
                if fresh != self.stamps[part.name]:
                    self.stamps[part.name] = fresh
                    changed.add(part.name)
        if not changed:
            return
        self.key = self._key()
        if "pages" in changed:
            flatpages().reload()  # read again on the next use: this request's
        if "settings" in changed:
            reload_settings(current_app)
        if changed - {"comments"}:
            log.info("read again after a change: %s", ", ".join(sorted(changed)))


def files_key() -> str:
    """A stamp of the site's files for cache keys; "" when the server does not follow them."""
    follower = current_app.extensions.get("twombly.follow")
    return follower.key if follower is not None else ""


def check_files() -> None:
    """before_request: follow the files (cheap: a clock reading on most requests)."""
    current_app.extensions["twombly.follow"].check()


def init_app(app: Flask) -> None:
    """Follow the files, except under the debug server (it reloads by itself) and in tests
    (they write files and ask at once). Commands make no requests, so they never look."""
    if app.config["SERVER_FOLLOW_FILES"] and not (app.debug or app.testing):
        app.extensions["twombly.follow"] = Follower(app)
        app.before_request(check_files)
