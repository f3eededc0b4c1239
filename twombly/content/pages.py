"""Flask-FlatPages over `pages/`, with front matter strictly between `---` lines.

Flask-FlatPages guesses where YAML metadata ends and gets it wrong on some bodies, so the split
is done here: a file must open with a `---` line, and its front matter ends at the next `---`
(or `...`) line. Anything else becomes a `FrontMatterError` when the page is read as a post.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import yaml
from flask import Flask, current_app
from flask_flatpages import FlatPages, Page
from werkzeug.utils import import_string

from twombly import front_matter_cache
from twombly.content import markdown as render_cache

FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

FENCE = "---"
FENCE_ENDINGS = ("---", "...")


@dataclass(frozen=True)
class FrontMatterSplit:
    meta: str
    body: str
    body_line: int  # 1-based line number where the body starts
    problem: str | None = None


def split_front_matter(text: str) -> FrontMatterSplit:
    """Split a file into its YAML front matter and its Markdown body."""
    text = text.removeprefix("\ufeff")
    lines = text.split("\n")
    if lines[0].rstrip() != FENCE:
        return FrontMatterSplit("", text, 1, "front matter must open with a '---' line")
    for number, line in enumerate(lines[1:], start=1):
        if line.rstrip() in FENCE_ENDINGS:
            meta = "\n".join(lines[1:number])
            body = "\n".join(lines[number + 1 :])
            return FrontMatterSplit(meta, body, number + 2)
    return FrontMatterSplit("", text, 1, "front matter is not closed by a '---' line")


class SitePage(Page):
    """A page whose front matter is read by libyaml when it can be (8x faster than PyYAML's
    pure-Python parser, which still reads anything libyaml refuses, for its exact messages)."""

    @cached_property
    def meta(self) -> dict[str, Any]:
        known = front_matter_cache.cache()
        meta = known.get(self._meta) if known else None
        if meta is None:
            meta = self._parse_meta()
            if known:
                known.put(self._meta, meta)
        return meta

    def _parse_meta(self) -> dict[str, Any]:
        try:
            documents = list(yaml.load_all(self._meta, Loader=FAST_LOADER))
        except yaml.YAMLError:
            return Page.meta.func(self)
        if not all(doc is None or isinstance(doc, dict) for doc in documents):
            return Page.meta.func(self)
        meta: dict[str, Any] = {}
        for doc in documents:
            meta.update(doc or {})
        return meta


class SitePages(FlatPages):
    """FlatPages whose pages carry where they came from and how their front matter split."""

    def _conditional_auto_reset(self) -> None:
        # FlatPages reads `self.app` here, which warns; current_app is the same app.
        auto = self.config("auto_reload")
        if auto == "if debug":
            auto = current_app.debug
        if auto:
            self.reload()

    def _load_file(self, path: str, filename: str, rel_path: str) -> Page:
        page = super()._load_file(path, filename, rel_path)
        page.filename = filename
        return page

    def _parse(self, content: str, path: str, rel_path: str) -> Page:
        split = split_front_matter(content)
        renderer = self.config("html_renderer")
        if not callable(renderer):
            renderer = import_string(renderer)
        page = SitePage(
            path, split.meta, split.body, self._smart_html_renderer(renderer), rel_path
        )
        page.front_matter = split
        return page


def init_app(app: Flask) -> SitePages:
    """Register the site's FlatPages and report bad front matter once, at start-up."""
    render_cache.init_app(app)
    front_matter_cache.init_app(app)
    pages = SitePages(app)
    with app.app_context():
        from twombly.content.catalog import catalog

        catalog()
    return pages
