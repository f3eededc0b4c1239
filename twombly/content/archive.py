"""The archive: the posts readers can see, grouped by year and month, newest first."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from typing import Generic, TypeVar

from twombly.content.catalog import published_posts
from twombly.content.post import Post

T = TypeVar("T")


@dataclass(frozen=True)
class Month(Generic[T]):
    """One month's items: posts in the archive, viewings in the diary."""

    year: int
    month: int
    items: list[T]

    @property
    def label(self) -> str:
        return f"{date(self.year, self.month, 1):%B}"


@dataclass(frozen=True)
class Year:
    year: int
    months: list[Month[Post]]


def by_month(items: Iterable[T], day: Callable[[T], date]) -> list[Month[T]]:
    """Items, in order of their `day`, grouped by its month."""
    months = groupby(items, key=lambda item: (day(item).year, day(item).month))
    return [Month(year, month, list(in_month)) for (year, month), in_month in months]


def archive_years() -> list[Year]:
    """Visible posts grouped by year, then month, newest first."""
    months = by_month(published_posts(), lambda post: post.date)
    return [Year(year, list(in_year)) for year, in_year in groupby(months, lambda m: m.year)]
