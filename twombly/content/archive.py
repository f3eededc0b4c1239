"""The archive: the posts readers can see, grouped by year and month, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import groupby

from twombly.content.catalog import published_posts
from twombly.content.post import Post


@dataclass(frozen=True)
class Month:
    year: int
    month: int
    posts: list[Post]

    @property
    def label(self) -> str:
        return datetime(self.year, self.month, 1).strftime("%B")


@dataclass(frozen=True)
class Year:
    year: int
    months: list[Month]


def archive_years() -> list[Year]:
    """Visible posts grouped by year, then month, newest first."""
    years = []
    for year, in_year in groupby(published_posts(), key=lambda post: post.date.year):
        months = [
            Month(year, month, list(posts))
            for month, posts in groupby(in_year, key=lambda post: post.date.month)
        ]
        years.append(Year(year, months))
    return years
