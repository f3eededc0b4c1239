"""An incremental freeze: rebuild only the URLs whose inputs changed since the last freeze.

The destination's manifest (build_folder) says which file each URL was written to, its size
and the fingerprint of its inputs (freeze_inputs). A URL is rebuilt when its fingerprint
differs, or its file is gone or has another size; every other URL keeps its file untouched.
Files no URL has any more are removed, so the folder always ends as a cold freeze leaves it.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from flask_frozen import Page as FrozenPage

from twombly.freeze.destination import (
    Manifest,
    files_in,
    forget_manifest,
    mark,
    read_manifest,
    remove_files,
    write_manifest,
)
from twombly.freeze.inputs import Route, engine_version, url_fingerprints
from twombly.freeze.parallel import ParallelFreezer

ShowProgress = Callable[[Iterable[FrozenPage], int], Iterable[FrozenPage]]


class Plan:
    """Every URL of the site with its fingerprint, and which of them need building."""

    def __init__(self, freezer: ParallelFreezer, root: Path) -> None:
        urls, routes = generated_urls(freezer)
        freezer._check_endpoints({endpoint for _, endpoint, _ in urls})
        self.fingerprints = url_fingerprints(dict.fromkeys(url for url, _, _ in urls), routes)
        self.existing = files_in(root, freezer.app.config["FREEZER_DESTINATION_IGNORE"])
        previous = read_manifest(root, engine_version())
        self.kept: Manifest = {
            url: previous[url]
            for url, fingerprint in self.fingerprints.items()
            if url in previous
            and previous[url][1] == fingerprint
            and self._intact(root, previous[url])
        }
        self.to_build = [url for url in self.fingerprints if url not in self.kept]

    def _intact(self, root: Path, entry: tuple[str, str, int]) -> bool:
        name, _, size = entry
        if name not in self.existing:
            return False
        try:
            return os.stat(os.path.join(root, name)).st_size == size
        except OSError:
            return False


def generated_urls(freezer: ParallelFreezer) -> tuple[list[Any], dict[str, Route]]:
    """Frozen-Flask's (url, endpoint, last_modified) of every URL, and the endpoint and values
    each URL generator gave (so fingerprinting need not match every URL against the routes)."""
    given: list[Any] = []

    def recording(generator: Callable[[], Iterable[Any]]) -> Callable[[], Iterator[Any]]:
        @functools.wraps(generator)
        def wrapped() -> Iterator[Any]:
            for item in generator():
                given.append(item)
                yield item

        return wrapped

    generators = freezer.url_generators
    freezer.url_generators = [recording(generator) for generator in generators]
    try:
        urls = list(freezer._generate_all_urls())
    finally:
        freezer.url_generators = generators
    routes: dict[str, Route] = {}
    for (url, endpoint, _), item in zip(urls, given, strict=False):
        if isinstance(item, tuple) and endpoint and isinstance(item[1], Mapping):
            routes.setdefault(url, (endpoint, item[1]))
    return urls, routes


def write_site(
    freezer: ParallelFreezer, root: Path, show_progress: ShowProgress
) -> tuple[int, int, int]:
    """Freeze into `root`: (files written, files left as they were, stale files removed)."""
    plan = Plan(freezer, root)
    forget_manifest(root)
    manifest: Manifest = dict(plan.kept)
    written = 0

    def pages() -> Iterator[FrozenPage]:
        nonlocal written
        for url, (name, _, _) in plan.kept.items():
            yield FrozenPage(url, Path(name))
        for result in freezer.build(plan.to_build, plan.existing):
            manifest[result.url] = (result.name, plan.fingerprints[result.url], result.size)
            written += result.written
            yield FrozenPage(result.url, Path(result.name))

    for _ in show_progress(pages(), len(plan.fingerprints)):
        pass
    stale = plan.existing - {name for name, _, _ in manifest.values()}
    remove_files(root, stale)
    write_manifest(root, engine_version(), manifest)
    mark(root)
    return written, len(manifest) - written, len(stale)
