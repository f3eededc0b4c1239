"""Posts: the typed model of a post or standalone page, built from a FlatPages page."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property, lru_cache

from flask_flatpages import Page
from markupsafe import Markup
from slugify import slugify

from twombly.content.markdown import has_spoiler, render_without_spoilers

FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)
WORDS_PER_MINUTE = 230


@dataclass(frozen=True)
class Review:
    """The film a post reviews: its facts, and when and how the author saw it."""

    title: str
    year: int | None = None
    directors: tuple[str, ...] = ()
    cast: tuple[str, ...] = ()
    rating: float | None = None
    genres: tuple[str, ...] = ()
    runtime: int | None = None  # minutes
    watched: tuple[date, ...] = ()  # oldest first
    rewatch: bool = False
    tmdb: str | None = None
    imdb: str | None = None
    country: str | None = None
    language: str | None = None
    poster: str | None = None  # an image under static/images/

    @property
    def director(self) -> str | None:
        """The directors' names as one line, for text that names them all at once."""
        return ", ".join(self.directors) or None

    @property
    def imdb_url(self) -> str | None:
        return f"https://www.imdb.com/title/{self.imdb}/" if self.imdb else None

    @property
    def tmdb_url(self) -> str | None:
        return f"https://www.themoviedb.org/movie/{self.tmdb}" if self.tmdb else None

    @property
    def runtime_text(self) -> str:
        hours, minutes = divmod(self.runtime or 0, 60)
        return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"

    @property
    def rating_tenths(self) -> int:
        """The rating in half stars (0-10), for the star meter's CSS class."""
        return round((self.rating or 0) * 2)

    @property
    def rating_text(self) -> str:
        return f"{self.rating:g} out of 5"


@dataclass(frozen=True)
class Tag:
    name: str
    slug: str


@dataclass(frozen=True, eq=False)
class Post:
    slug: str
    title: str
    date: datetime
    source: str  # the file, as messages name it: pages/her.md
    file: str  # the file's full path
    page: Page
    updated: datetime | None = None
    tags: tuple[Tag, ...] = ()
    tagline: str | None = None
    summary_text: str | None = None
    draft: bool = False
    comments_open: bool = True
    kind: str = "post"
    review: Review | None = None
    image: str | None = None
    spoilers: bool = False  # the author's warning under the title

    @property
    def is_page(self) -> bool:
        return self.kind == "page"

    @property
    def html(self) -> Markup:
        return Markup(self.page.html)

    @property
    def has_spoiler(self) -> bool:
        """Whether the body holds a spoiler block."""
        return has_spoiler(self.page.html)

    @cached_property
    def public_html(self) -> Markup:
        """The body without its spoiler blocks: what summaries and feeds may show."""
        if not self.has_spoiler:
            return self.html
        return Markup(render_without_spoilers(self.page.body))

    @property
    def modified(self) -> datetime:
        return self.updated or self.date

    @cached_property
    def summary(self) -> str:
        if self.summary_text:
            return self.summary_text
        first = FIRST_PARAGRAPH.search(self.public_html)
        return Markup(first.group(1)).striptags() if first else ""

    @cached_property
    def reading_minutes(self) -> int:
        return max(1, round(len(self.page.body.split()) / WORDS_PER_MINUTE))

    def is_scheduled(self, now: datetime) -> bool:
        return self.date > now

    def is_public(self, now: datetime) -> bool:
        return not self.draft and not self.is_scheduled(now)


def human_date(moment: datetime) -> str:
    """A date as readers see it: January 20, 2014."""
    return f"{moment:%B} {moment.day}, {moment:%Y}"


@lru_cache(maxsize=4096)
def tag_slug(name: str) -> str:
    """A tag's slug; a site has few tags, each on many posts, so each is slugified once."""
    return slugify(name)
