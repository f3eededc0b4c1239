"""Post bodies rendered to HTML once per content: a reused Markdown parser and a cache by hash.

Rendering Markdown is the largest cost of a freeze and of a post's first view. Building a
`markdown.Markdown` with its extensions costs as much as converting a post, so each thread keeps
one and resets it between documents (the output is the same as `markdown.markdown`'s). The HTML
is kept by the hash of the text and the Markdown settings: in memory, and in a folder
(`instance/cache/markdown/` by default) that survives restarts and re-freezes, so an unchanged
post is never rendered twice. `prerender` fills that cache with every core before a freeze.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import markdown
from flask import Flask, current_app

from twombly.markdown_skip import SkipUnmatchable

MEMORY_ENTRIES = 8192


class MarkdownRenderer:
    """Markdown to HTML with fixed extensions, cached by content hash."""

    def __init__(
        self,
        extensions: Sequence[Any],
        configs: Mapping[str, Any],
        folder: Path | None = None,
    ) -> None:
        self.extensions = list(extensions)
        self.configs = dict(configs)
        self.folder = folder
        self._signature = (
            f"{markdown.__version__}|{self.extensions!r}|{sorted(self.configs.items())!r}"
        )
        self._local = threading.local()
        self._memory: OrderedDict[str, str] = OrderedDict()
        self._lock = threading.Lock()

    def key(self, text: str) -> str:
        return hashlib.sha256(f"{self._signature}\0{text}".encode()).hexdigest()

    def render(self, text: str) -> str:
        key = self.key(text)
        html = self._remembered(key)
        if html is None:
            html = self._read(key)
            if html is None:
                html = self.convert(text)
                self._store(key, html)
            self._remember(key, html)
        return html

    def convert(self, text: str) -> str:
        """Render without the cache, on this thread's reused parser."""
        parser = getattr(self._local, "parser", None)
        if parser is None:
            parser = markdown.Markdown(
                extensions=[*self.extensions, SkipUnmatchable()],
                extension_configs=self.configs,
            )
            self._local.parser = parser
        return parser.reset().convert(text)

    def prerender(self, texts: Iterable[str], workers: int | None = None) -> int:
        """Render every text not yet cached, across `workers` processes; how many were rendered."""
        missing: dict[str, str] = {}
        for text in texts:
            key = self.key(text)
            if key not in missing and self._remembered(key) is None and not self._cached(key):
                missing[key] = text
        workers = workers or os.cpu_count() or 1
        if len(missing) < 2 * workers or workers < 2:
            for key, text in missing.items():
                self._store(key, self.convert(text))
            return len(missing)
        global _forked
        _forked = self
        chunk = max(1, len(missing) // (workers * 4))
        try:
            with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
                rendered = pool.map(_render_in_child, missing.items(), chunksize=chunk)
                for key, html in zip(missing, rendered, strict=True):
                    self._remember(key, html)
        finally:
            _forked = None
        return len(missing)

    def _remembered(self, key: str) -> str | None:
        with self._lock:
            html = self._memory.get(key)
            if html is not None:
                self._memory.move_to_end(key)
            return html

    def _remember(self, key: str, html: str) -> None:
        with self._lock:
            self._memory[key] = html
            while len(self._memory) > MEMORY_ENTRIES:
                self._memory.popitem(last=False)

    def _path(self, key: str) -> Path | None:
        return self.folder / key[:2] / f"{key}.html" if self.folder else None

    def _cached(self, key: str) -> bool:
        path = self._path(key)
        return path is not None and path.is_file()

    def _read(self, key: str) -> str | None:
        path = self._path(key)
        if path is None:
            return None
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def _store(self, key: str, html: str) -> None:
        """Write the HTML atomically; a cache that cannot be written is simply not used."""
        path = self._path(key)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(html)
            os.replace(tmp, path)
        except OSError:
            with contextlib.suppress(OSError, UnboundLocalError):
                os.unlink(tmp)


_forked: MarkdownRenderer | None = None  # the renderer a forked prerender child works for


def _render_in_child(item: tuple[str, str]) -> str:
    key, text = item
    assert _forked is not None
    html = _forked.convert(text)
    _forked._store(key, html)
    return html


def renderer() -> MarkdownRenderer:
    """The current app's renderer."""
    return current_app.extensions["twombly.markdown"]


def render_markdown(text: str) -> str:
    """FlatPages' HTML renderer for post bodies."""
    return renderer().render(text)


def init_app(app: Flask) -> MarkdownRenderer:
    folder = app.config["MARKDOWN_CACHE_DIR"]
    built = MarkdownRenderer(
        app.config["FLATPAGES_MARKDOWN_EXTENSIONS"],
        app.config["FLATPAGES_EXTENSION_CONFIGS"],
        Path(app.instance_path, folder) if folder else None,
    )
    app.extensions["twombly.markdown"] = built
    app.config.setdefault("FLATPAGES_HTML_RENDERER", render_markdown)
    return built
