"""The blog's pages: index, posts, tags, archive, standalone pages and the code style sheet."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Generic, TypeVar

from flask import Blueprint, Response, current_app, render_template
from werkzeug.exceptions import NotFound

from twombly.comments.page import render_post
from twombly.content import catalog
from twombly.content.archive import archive_years
from twombly.content.catalog import find_post
from twombly.web import http_cache
from twombly.web.cache import cached_page

bp = Blueprint("blog", __name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Pagination(Generic[T]):
    items: list[T]
    number: int
    pages: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def per_page() -> int:
    return max(1, int(current_app.config["PER_PAGE"]))


def page_count(total: int) -> int:
    """How many listing pages `total` items fill (at least one, even when empty)."""
    return max(1, math.ceil(total / per_page()))


def paginate(items: list[T], number: int) -> Pagination[T]:
    """Page `number` (1-based) of `items`; NotFound when it is out of range."""
    if not 1 <= number <= page_count(len(items)):
        raise NotFound()
    start = (number - 1) * per_page()
    return Pagination(items[start : start + per_page()], number, page_count(len(items)))


@bp.get("/", defaults={"number": 1})
@bp.get("/page/<int:number>/")
@cached_page
def index(number: int) -> str:
    """Newest posts first, a page at a time."""
    page = paginate(catalog.published_posts(), number)
    return render_template("index.html", pagination=page)


@bp.get("/posts/<slug>/")
@cached_page
def post(slug: str) -> str:
    """One post with its approved comments."""
    return render_post(find_post(slug))


@bp.get("/tags/")
@cached_page
def tags() -> str:
    """Every tag with how many posts carry it."""
    return render_template("tags.html", tag_counts=catalog.tag_counts())


@bp.get("/tags/<tag>/", defaults={"number": 1})
@bp.get("/tags/<tag>/page/<int:number>/")
@cached_page
def tag(tag: str, number: int) -> str:
    """The posts that carry one tag."""
    found = catalog.find_tag(tag)
    if found is None:
        raise NotFound()
    page = paginate(catalog.posts_tagged(tag), number)
    return render_template("tag.html", tag=found, pagination=page)


@bp.get("/archive/")
@cached_page
def archive() -> str:
    """Every post, by year and month."""
    return render_template("archive.html", years=archive_years())


@bp.get("/pygments.css")
def pygments_css() -> Response:
    """Code highlighting: a light style, and a dark one when the reader's system prefers it."""
    return Response(http_cache.pygments_css(), mimetype="text/css")


@bp.get("/<slug>/")
@cached_page
def page(slug: str) -> str:
    """A standalone page such as About."""
    return render_template("page.html", post=find_post(slug, kind="page"))
