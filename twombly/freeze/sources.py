"""What each frozen page is made from, and when that last changed, so a re-freeze can skip it.

Frozen-Flask skips a URL whose file was last modified at or after the `last_modified` time its
generator yields. Files tell when they changed by their mtime: a page's Markdown and comments
files, the posts it shows, and what every page shows (templates, static files, site.toml, the
standalone pages in the navigation, the engine and the installed libraries). Two things have
no mtime, so the destination's marker keeps a stamp of each from the last freeze: the settings
(the base URL among them) and the catalog's shape (which posts are published, in which order,
with which tags, and whether their comments are open). When a stamp differs, every page, or
every page that lists or links posts, is rendered again; Frozen-Flask still rewrites a file
only when its bytes change.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import sysconfig
import time
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from flask import Flask, current_app, request, url_for

from twombly.comments.page import comments_closed
from twombly.comments.store import store
from twombly.config import DEFAULTS
from twombly.content import catalog
from twombly.content.post import Post
from twombly.films.library import people_slugs

# A file written less than this long after its newest input is not trusted to be newer: file
# times are coarse (2 s on FAT, a clock tick elsewhere) and an edit may land in the same tick.
SLACK = 2.0
# Settings that never change what a freeze writes (where it writes, the live server's cache and
# limits), and any that may hold a password: the marker is published with the site.
NOT_OUTPUT = re.compile(
    r"DESTINATION|CACHE|RATE_?LIMIT|STORAGE_URI|REDIS|SECRET|PASSWORD|TOKEN|KEY"
)
ENGINE = Path(__file__).resolve().parent.parent  # the twombly package
Entry = tuple[str, dict[str, Any], datetime | None]  # what a Frozen-Flask generator yields


def settings_stamp(config: dict[str, Any]) -> str:
    """The settings a page may show (the base URL among them), as a digest."""
    return digest({key: config.get(key) for key in DEFAULTS if not NOT_OUTPUT.search(key)})


def catalog_stamp() -> str:
    """What neighbours, related posts and listings follow from, and what the clock changes:
    the published posts in order with their tags, comments open or closed, the pages, and the
    addresses of the people in reviews (a name's number can move when another's leaves)."""
    posts = [
        (post.slug, [(tag.name, tag.slug) for tag in post.tags], comments_closed(post))
        for post in catalog.published_posts()
    ]
    pages = [page.slug for page in catalog.standalone_pages()]
    return digest([posts, pages, people_slugs(catalog.catalog())])


def digest(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, default=str)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


class Sources:
    """When the inputs of the current app's pages last changed, for one freeze."""

    def __init__(self, app: Flask, *, every_page: bool = False, structure: bool = False) -> None:
        self.every_page = every_page  # the settings changed: render every page again
        self.structure = structure  # the catalog's shape changed: every page that links posts
        comments = store().folder
        self.comments_folder = mtime(comments)
        self.post_files: dict[str, float] = {}
        self.comment_files = times_in(comments)
        self.site = max(
            newest(Path(app.root_path, app.template_folder or "templates")),
            newest(Path(app.static_folder or "static")),
            mtime(Path(app.root_path, "site.toml")),
            newest(ENGINE),
            *(mtime(Path(folder)) for folder in library_folders()),
            *self.files(catalog.standalone_pages()),
        )
        self.deadlines: dict[str, float] = {}  # URL -> the time its file must be newer than

    @staticmethod
    def current() -> Sources:
        """The sources of the freeze running in the current app."""
        return current_app.extensions["twombly.freeze.sources"]

    def file(self, post: Post) -> float:
        """Its Markdown file (read once a freeze); gone since it was read: render again."""
        if post.file not in self.post_files:
            self.post_files[post.file] = mtime(Path(post.file), missing=math.inf)
        return self.post_files[post.file]

    def files(self, posts: Iterable[Post]) -> list[float]:
        return [self.file(post) for post in posts]

    def comments(self, post: Post) -> float:
        """Its comments file; without one, the folder (whose time changes when one is deleted)."""
        return self.comment_files.get(f"{post.slug}.json", self.comments_folder)

    def entry(
        self, endpoint: str, values: dict[str, Any], *times: float, structural: bool = False
    ) -> Entry:
        """A generator's item: the page is rendered again unless its file is newer than `times`
        and what every page shows; `structural` pages also when the catalog's shape changed."""
        newest_input = max((self.site, *times))
        if self.every_page or (structural and self.structure) or newest_input == math.inf:
            return endpoint, values, None
        deadline = newest_input + SLACK
        self.deadlines[url_path(endpoint, values)] = deadline
        # Frozen-Flask compares this with datetime.fromtimestamp() of the file's mtime.
        return endpoint, values, datetime.fromtimestamp(deadline)

    def settle(self, path: Path, url: str) -> None:
        """A page rendered again to the same bytes keeps its old mtime, so each freeze would
        render it again: once its inputs are old enough to trust, mark the file as current."""
        deadline = self.deadlines.get(url)
        if deadline is not None and path.stat().st_mtime < deadline <= time.time():
            os.utime(path)


def url_path(endpoint: str, values: dict[str, Any]) -> str:
    """The URL Frozen-Flask freezes for an endpoint: url_for's path below the base URL's path."""
    return unquote(url_for(endpoint, **values))[len(request.script_root) :]


def mtime(path: Path, missing: float = 0.0) -> float:
    """When `path` last changed (`missing` when it is not there)."""
    try:
        return path.stat().st_mtime
    except OSError:
        return missing


def newest(folder: Path) -> float:
    """The newest mtime of a folder, its subfolders and their files (links followed)."""
    times = [mtime(folder)]
    for top, folders, names in os.walk(folder, followlinks=True):
        folders[:] = [name for name in folders if name != "__pycache__"]
        times += (mtime(Path(top, name)) for name in (*folders, *names))
    return max(times)


def times_in(folder: Path) -> dict[str, float]:
    """The mtime of each file in a folder, by name (one listing, not one stat call per post)."""
    try:
        with os.scandir(folder) as entries:
            return {entry.name: entry.stat().st_mtime for entry in entries if entry.is_file()}
    except OSError:
        return {}


def library_folders() -> set[str]:
    """Where installed libraries live: installing or upgrading any changes the folder's mtime."""
    paths = sysconfig.get_paths()
    return {paths["purelib"], paths["platlib"]}
