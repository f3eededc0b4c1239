"""`flask new`: a new draft in pages/, with every front matter key ready to fill in."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from slugify import slugify


class NewPostError(Exception):
    """The post cannot be created; the message says why."""


@dataclass(frozen=True)
class ReviewDraft:
    title: str
    year: int | None = None
    director: str | None = None
    rating: float | None = None
    cast: tuple[str, ...] = ()


@dataclass(frozen=True)
class Draft:
    title: str
    day: date
    tags: tuple[str, ...] = ()
    review: ReviewDraft | None = None

    @property
    def slug(self) -> str:
        return slugify(self.title)


def _scalar(value: object) -> str:
    """A YAML scalar: JSON is valid YAML, and quoting keeps titles with ':' or '#' intact."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return json.dumps(value, ensure_ascii=False)


def _flow_list(items: tuple[str, ...]) -> str:
    return "[" + ", ".join(_scalar(item) for item in items) + "]"


def front_matter(draft: Draft) -> str:
    """The whole file: complete front matter (draft: true) and an empty body."""
    lines = [
        "---",
        f"title: {_scalar(draft.title)}",
        f"date: {draft.day.isoformat()}",
        f"tags: {_flow_list(draft.tags)}",
        'tagline: ""',
        'summary: ""',
        "draft: true",
        "comments: open",
        "spoilers: false",
    ]
    if draft.review:
        review = draft.review
        lines += [
            "review:",
            f"  title: {_scalar(review.title)}",
            f"  year: {_scalar(review.year)}".rstrip(),
            f"  director: {_scalar(review.director)}".rstrip(),
            f"  cast: {_flow_list(review.cast)}",
            "  genres: []",
            "  runtime:",
            "  watched:",
            f"  rating: {_scalar(review.rating)}".rstrip(),
            '  poster: ""',
            "  imdb:",
            "  tmdb:",
        ]
    lines += ["---", "", ""]
    return "\n".join(lines)


def write_draft(draft: Draft, pages_dir: Path, taken: Mapping[str, str]) -> Path:
    """Create pages/<slug>.md; never replace a file or reuse another post's slug.

    `taken` maps each slug in use to the file using it, so a clash can name that file.
    """
    slug = draft.slug
    if not slug:
        raise NewPostError(f"the title {draft.title!r} gives no usable file name")
    path = pages_dir / f"{slug}.md"
    if slug in taken and not path.exists():
        raise NewPostError(
            f"the slug '{slug}' is already used by {taken[slug]}; choose another title"
        )
    pages_dir.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as out:
            out.write(front_matter(draft))
    except FileExistsError:
        raise NewPostError(f"{path} already exists; it was left as it is") from None
    return path
