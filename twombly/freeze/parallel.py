"""Building URLs into files on every core: Markdown rendered first, then URLs built by forks.

Frozen-Flask builds one URL after another on one core. Each page is independent once the
catalog is loaded, so after rendering every post body (render_cache.prerender, in parallel,
kept in this process's memory) the URLs are shared out to forked workers that inherit the
loaded app, catalog and rendered HTML. The files written are the same bytes; only the order
in which they are written differs. Fewer than PARALLEL_FROM URLs (a re-freeze after an edit)
and `FREEZE_WORKERS = 1` build in one process.

A file is only written when its bytes change (so rsync and mtimes see real changes only), and
only read back to compare when one of the same size is already there.
"""

from __future__ import annotations

import functools
import mimetypes
import os
import warnings
from collections.abc import Iterator
from multiprocessing import get_context
from typing import NamedTuple

from flask import Response
from flask.testing import FlaskClient
from flask_frozen import Freezer, MimetypeMismatchWarning, conditional_context, patch_url_for
from werkzeug.test import EnvironBuilder, run_wsgi_app

from twombly.content import catalog
from twombly.content import markdown as render_cache

PARALLEL_FROM = 200  # URLs; below this, forking costs more than it saves


class Built(NamedTuple):
    url: str
    name: str  # the file, relative to the destination
    size: int
    written: bool


class ParallelFreezer(Freezer):
    """A Freezer that builds a given list of URLs, in forked worker processes when it pays."""

    def workers(self, urls: int) -> int:
        configured = int(self.app.config.get("FREEZE_WORKERS") or 0)
        if configured:
            return configured
        return (os.cpu_count() or 1) if urls >= PARALLEL_FROM else 1

    def build(self, urls: list[str], existing: set[str]) -> Iterator[Built]:
        """Build each URL into its file; `existing` names the files already in the folder."""
        global _building
        self.root.mkdir(parents=True, exist_ok=True)
        _building = _Builder(self, existing)
        try:
            workers = self.workers(len(urls))
            if workers < 2:
                yield from map(_build_one, urls)
                return
            prerender(workers)
            with get_context("fork").Pool(workers) as pool:
                chunk = max(1, min(16, len(urls) // (workers * 8)))
                yield from pool.imap_unordered(_build_one, urls, chunksize=chunk)
        finally:
            _building = None

    def build_one(
        self, url: str, existing: set[str], made: set[str], client: FlaskClient
    ) -> Built:
        """Get `url` from the app as Frozen-Flask does, and write its file if the bytes changed."""
        config = self.app.config
        with conditional_context(patch_url_for(self.app), config["FREEZER_RELATIVE_URLS"]):
            response = self._get(url, client)
        if response.status_code != 200:
            raise ValueError(f"Unexpected status {response.status!r} on URL {url}")
        name = self.urlpath_to_filepath(url)
        self._check_mimetype(name, response.mimetype, response.content_type)
        content = response.get_data()
        response.close()
        return Built(url, name, len(content), self._write(name, content, existing, made))

    def _get(self, url: str, client: FlaskClient) -> Response:
        """GET `url` as Frozen-Flask's test client would. The client's environ for this base URL
        is built once per process and copied with the path set: building it per URL cost more
        than many a page. A redirect goes through the client, which follows it as configured."""
        environ = dict(_client_environ(client, self.app.config["FREEZER_BASE_URL"]))
        wsgi_path = url.encode("utf-8").decode("latin-1")  # PEP 3333's str of the raw bytes
        environ["PATH_INFO"] = environ["REQUEST_URI"] = environ["RAW_URI"] = wsgi_path
        body, status, headers = run_wsgi_app(self.app, environ, buffered=True)
        response = Response(body, status, headers)
        if not 300 <= response.status_code < 400:
            return response
        response.close()
        return client.get(
            url,
            follow_redirects=self.app.config["FREEZER_REDIRECT_POLICY"] == "follow",
            base_url=self.app.config["FREEZER_BASE_URL"],
        )

    def _check_mimetype(self, name: str, mimetype: str | None, content_type: str | None) -> None:
        """Warn, as Frozen-Flask does, when a static host would guess another type."""
        if self.app.config["FREEZER_IGNORE_MIMETYPE_WARNINGS"]:
            return
        guessed, _ = mimetypes.guess_type(name.rpartition("/")[2])
        guessed = guessed or self.app.config["FREEZER_DEFAULT_MIMETYPE"]
        if guessed != mimetype:
            warnings.warn(
                f"Filename extension of {name.rpartition('/')[2]!r} (type {guessed}) does not "
                f"match Content-Type: {content_type}",
                MimetypeMismatchWarning,
                stacklevel=2,
            )

    def _write(self, name: str, content: bytes, existing: set[str], made: set[str]) -> bool:
        path = self.root / name
        if name in existing:
            try:
                if path.stat().st_size == len(content) and path.read_bytes() == content:
                    return False
            except OSError:
                pass
        folder = os.path.dirname(name)
        if folder not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(folder)
        path.write_bytes(content)
        return True


class _Builder:
    """What one process needs to build URLs: the freezer, the files there, a client."""

    def __init__(self, freezer: ParallelFreezer, existing: set[str]) -> None:
        self.freezer = freezer
        self.existing = existing
        self.made: set[str] = set()
        self.client = freezer.app.test_client(use_cookies=False)  # no page sees another's


@functools.cache
def _environ_for(base_url: str | None, environ_base: tuple[tuple[str, str], ...]) -> dict:
    return EnvironBuilder(base_url=base_url, environ_base=dict(environ_base)).get_environ()


def _client_environ(client: FlaskClient, base_url: str | None) -> dict:
    """What the client's GET of any path under `base_url` carries, its path aside."""
    return _environ_for(base_url, tuple(sorted(client.environ_base.items())))


_building: _Builder | None = None  # what this process (or a forked worker) builds with


def _build_one(url: str) -> Built:
    assert _building is not None
    return _building.freezer.build_one(url, _building.existing, _building.made, _building.client)


def prerender(workers: int) -> int:
    """Render the body of every published post and page, across `workers` processes."""
    entries = [*catalog.published_posts(), *catalog.standalone_pages()]
    return render_cache.renderer().prerender((entry.page.body for entry in entries), workers)
