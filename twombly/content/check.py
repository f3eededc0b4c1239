"""`flask check` for pages/: every problem as `path:line: message`, and the report."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pyromark
from flask import current_app
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from twombly.content.catalog import Catalog, now
from twombly.content.front_matter import unknown_keys
from twombly.content.markdown import OPTIONS, SPOILER
from twombly.content.pages import read_front_matter
from twombly.content.post import Post
from twombly.images.library import FOLDER, image_sources, site_image, site_image_name
from twombly.images.process import ImageError

HTML_ADDRESS = re.compile(r"(?:href|src)=[\"']([^\"']+)")  # <a href="url">, <img src="url">
POST_PATH = re.compile(r"^/posts/(?P<slug>[^/]+)/?$")


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    message: str
    warning: bool = False

    def __str__(self) -> str:
        kind = "warning: " if self.warning else ""
        return f"{self.path}:{self.line}: {kind}{self.message}"


@dataclass(frozen=True)
class Report:
    problems: list[Problem]
    pages: int
    comment_files: int

    @property
    def errors(self) -> int:
        return sum(not problem.warning for problem in self.problems)

    @property
    def warnings(self) -> int:
        return sum(problem.warning for problem in self.problems)

    def summary(self) -> str:
        checked = f"{_count(self.pages, 'page')} and {_count(self.comment_files, 'comment file')}"
        if not self.problems:
            return f"No problems in {checked}."
        return f"{_count(self.errors, 'error')}, {_count(self.warnings, 'warning')} in {checked}."


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def page_problems(site: Catalog) -> list[Problem]:
    """Every problem of the pages in `site`: front matter, unknown keys, broken links."""
    problems = [Problem(p.path, p.line, p.message) for p in site.problems]
    for entry in site.entries.values():
        problems += _unknown_key_warnings(entry)
        problems += _broken_links(entry, site)
        problems += _image_problems(entry)
    return problems


def _image_problems(entry: Post) -> Iterator[Problem]:
    """A poster or body image that is missing, unreadable or too large (errors), and body
    images without alt text (warnings); images from elsewhere are not looked at."""
    front = read_front_matter(entry.file)
    poster = entry.review.poster if entry.review else None
    if poster:
        line = _line_with(front.meta, "poster:", 2)
        yield from _image_file_problems(entry, line, poster, "poster")
    for src, alt in image_sources(entry.page.html):
        if site_image_name(src) is None:
            continue
        line = _line_with(front.body, src, front.body_line)
        yield from _image_file_problems(entry, line, src, "image")
        if not alt.strip():
            message = f"image '{src}' has no alt text: describe it for readers who cannot see it"
            yield Problem(entry.source, line, message, warning=True)


def _image_file_problems(entry: Post, line: int, src: str, what: str) -> Iterator[Problem]:
    name = site_image_name(src)
    if name is None:
        yield Problem(entry.source, line, f"{what} '{src}' must be a file in static/{FOLDER}/")
        return
    try:
        site_image(name)
    except ImageError as error:
        yield Problem(entry.source, line, f"{what} static/{FOLDER}/{name}: {error}")


def _line_with(text: str, needle: str, first_line: int) -> int:
    """The number of the first line of `text` holding `needle` (else the first line)."""
    for number, line in enumerate(text.split("\n"), start=first_line):
        if needle in line:
            return number
    return first_line


def _unknown_key_warnings(entry: Post) -> Iterator[Problem]:
    for line, key in unknown_keys(entry):
        yield Problem(entry.source, line, f"unknown key '{key}' is ignored", warning=True)


def _broken_links(entry: Post, site: Catalog) -> Iterator[Problem]:
    front = read_front_matter(entry.file)
    here = f"/{entry.slug}/" if entry.is_page else f"/posts/{entry.slug}/"
    images = {src for src, _ in image_sources(entry.page.html) if site_image_name(src)}
    for line, address in body_links(front.body, front.body_line):
        if address in images:  # one of static/images/: checked by _image_problems
            continue
        path = site_path(address, here)
        found = POST_PATH.match(path or "")
        if found:
            yield from _post_link_problems(entry, site, line, found.group("slug"))
        elif path is not None and not leads_somewhere(path, site):
            message = f"link to a page that does not exist: {path}"
            yield Problem(entry.source, line, message, warning=True)


def _post_link_problems(entry: Post, site: Catalog, line: int, slug: str) -> Iterator[Problem]:
    target = site.entries.get(slug)
    if target is None or target.is_page:
        yield Problem(entry.source, line, f"link to a post that does not exist: /posts/{slug}/")
    elif entry.is_public(now()) and not target.is_public(now()):
        message = f"link to /posts/{slug}/, which readers cannot see yet (draft or scheduled)"
        yield Problem(entry.source, line, message, warning=True)


def body_links(body: str, first_line: int) -> Iterator[tuple[int, str]]:
    """(line, address) for each link, image and link definition in Markdown, and each href
    or src in raw HTML, as pyromark reads the body: nothing in code is taken for a link, and
    the Markdown inside a spoiler fence is read like the rest."""
    for line, _, address in sorted(_links(body)):
        yield first_line + line, address


def _links(body: str) -> list[tuple[int, int, str]]:
    """(line from 0, offset, address) of each link in `body`, in no particular order."""
    definitions = pyromark.reference_definitions(body, options=OPTIONS).values()
    found = [(definition["span"]["start"], definition["dest"]) for definition in definitions]
    in_spoiler, inner = False, []
    events = pyromark.events_with_range(body, options=OPTIONS, merge_text=True)
    for event, span in events:
        match event:
            case {"Start": {"Link": {"link_type": "Inline", "dest_url": address}}} | {
                "Start": {"Image": {"link_type": "Inline", "dest_url": address}}
            }:
                found.append((span["start"], address))
            case {"Html": html} | {"InlineHtml": html}:
                found += [(span["start"] + m.start(), m[1]) for m in HTML_ADDRESS.finditer(html)]
            case {"Start": {"CodeBlock": {"Fenced": info}}}:
                in_spoiler = info.split(" ")[0] == SPOILER
            case {"End": "CodeBlock"}:
                in_spoiler = False
            case {"Text": text} if in_spoiler:
                top = body.count("\n", 0, span["start"])
                inner += [(top + line, span["start"] + at, url) for line, at, url in _links(text)]
    return [(body.count("\n", 0, at), at, address) for at, address in found] + inner


def site_path(address: str, here: str) -> str | None:
    """The path on this site a link leads to (a relative one read from `here`, the page's own
    path), or None when it leads elsewhere, or nowhere a path names (`#notes`, `mailto:`)."""
    base = urlsplit(current_app.config["BASE_URL"])
    try:
        url = urlsplit(address)
    except ValueError:
        return None
    if url.scheme or url.netloc:
        root = base.path.rstrip("/")
        same_site = url.scheme in ("http", "https") and url.netloc == base.netloc
        if not same_site or not url.path.startswith(root + "/"):
            return None
        return url.path.removeprefix(root)
    return urljoin(here, url.path) if url.path else None


def leads_somewhere(path: str, site: Catalog) -> bool:
    """Whether a site path is one of the site's addresses with something behind it."""
    adapter = current_app.url_map.bind("localhost")
    try:
        try:
            endpoint, values = adapter.match(path, method="GET")
        except RequestRedirect as redirect:  # /archive -> /archive/
            endpoint, values = adapter.match(urlsplit(redirect.new_url).path, method="GET")
    except HTTPException:
        return False
    if endpoint == "blog.page":
        return values["slug"] in site.entries and site.entries[values["slug"]].is_page
    if endpoint in ("blog.tag", "feeds.tag_feed"):
        return any(
            tag.slug == values["tag"] for post in site.entries.values() for tag in post.tags
        )
    if endpoint == "feeds.comment_feed":
        return values["slug"] in site.entries
    if endpoint == "static":
        return Path(current_app.static_folder or "static", values["filename"]).is_file()
    return True


def page_slugs(site: Catalog) -> set[str]:
    """Slugs of every page file, those left out (a front matter error, a shared slug) included."""
    built = {post.slug for post in site.by_page.values()}
    return built | {Path(problem.path).stem for problem in site.problems}
