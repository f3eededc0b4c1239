"""Every address of the browse pages and the diary, with the posts each is made from: what the
freeze writes and the sitemap lists."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from twombly.content.post import Post
from twombly.films.diary import diary_years
from twombly.films.library import SORTS, library


@dataclass(frozen=True)
class Address:
    endpoint: str
    values: dict[str, Any]
    posts: list[Post]  # the reviews it shows
    diary: bool = False  # it also shows the log file's entries


def browse_addresses(*, public: bool = False) -> Iterator[Address]:
    """Each browse page, people page, decade, the ratings, the diary and its years (`public`:
    of the published reviews alone, whatever SHOW_DRAFTS says)."""
    shown = library(public=public)
    everything = [film.post for film in shown.films]
    for sort in SORTS:
        yield Address("films.films", {} if sort == "title" else {"sort": sort}, everything)
    for kind, endpoint in (("directors", "director"), ("actors", "actor"), ("genres", "genre")):
        yield Address(f"films.{kind}", {}, everything)
        for slug, group in getattr(shown, kind).items():
            yield Address(f"films.{endpoint}", {"slug": slug}, [f.post for f in group.films])
    yield Address("films.years", {}, everything)
    for decade, groups in shown.decades.items():
        posts = [film.post for group in groups for film in group.films]
        yield Address("films.decade", {"decade": decade}, posts)
    yield Address("films.ratings", {}, everything)
    yield Address("films.diary", {}, everything, diary=True)
    for year in diary_years():
        yield Address("films.diary_year", {"year": year}, everything, diary=True)
