"""The watch diary: every date a film was seen, from reviews' `watched` and the log file, and
a year's viewings summed up (films, hours, ratings, decades, people, best films)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from twombly.content.archive import Month, by_month
from twombly.content.post import Post, Review
from twombly.films.library import Film, library
from twombly.films.logs import read_logs

HALF_STARS = [n / 2 for n in range(1, 11)]
TOP = 5


@dataclass(frozen=True)
class Viewing:
    """A film seen on a day: from a review post (`post`) or from the log file."""

    day: date
    review: Review
    rewatch: bool
    post: Post | None = None
    film: Film | None = None


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    share: float  # of the longest bar, 0 to 1


def viewings() -> list[Viewing]:
    """Every viewing readers may see, newest first (the same day: by title)."""
    seen = [(film.review, film.post, film) for film in library().films]
    seen += [(log.review, None, None) for log in read_logs().logs]
    found = [
        Viewing(day, review, review.rewatch or index > 0, post, film)
        for review, post, film in seen
        for index, day in enumerate(review.watched)
    ]
    found.sort(key=lambda viewing: viewing.review.title.casefold())
    found.sort(key=lambda viewing: viewing.day, reverse=True)
    return found


def diary_months(shown: list[Viewing]) -> list[Month[Viewing]]:
    """Viewings grouped by month, newest first."""
    return by_month(shown, lambda viewing: viewing.day)


def diary_years() -> list[int]:
    return sorted({viewing.day.year for viewing in viewings()}, reverse=True)


def bars(counts: list[tuple[str, int]]) -> list[Bar]:
    """Chart bars for (label, count) pairs, each as a share of the largest count."""
    most = max((count for _, count in counts), default=0) or 1
    return [Bar(label, count, count / most) for label, count in counts]


class YearInReview:
    """The viewings of one year, summed up."""

    def __init__(self, year: int, shown: list[Viewing]) -> None:
        self.year = year
        self.viewings = [viewing for viewing in shown if viewing.day.year == year]

    @property
    def films(self) -> int:
        return len({(v.review.title, v.review.year) for v in self.viewings})

    @property
    def rewatches(self) -> int:
        return sum(viewing.rewatch for viewing in self.viewings)

    @property
    def minutes(self) -> int:
        return sum(viewing.review.runtime or 0 for viewing in self.viewings)

    @property
    def hours(self) -> str:
        return f"{self.minutes / 60:.1f}".removesuffix(".0")

    @property
    def without_runtime(self) -> int:
        return sum(viewing.review.runtime is None for viewing in self.viewings)

    @cached_property
    def ratings(self) -> list[Bar]:
        counted = Counter(v.review.rating for v in self.viewings if v.review.rating is not None)
        return bars([(f"{stars:g}", counted[stars]) for stars in HALF_STARS])

    @cached_property
    def decades(self) -> list[Bar]:
        counted = Counter(v.review.year // 10 * 10 for v in self.viewings if v.review.year)
        return bars([(f"{decade}s", counted[decade]) for decade in sorted(counted)])

    @cached_property
    def directors(self) -> list[tuple[str, int]]:
        return self._most_seen(lambda review: review.directors)

    @cached_property
    def actors(self) -> list[tuple[str, int]]:
        return self._most_seen(lambda review: review.cast)

    def _most_seen(self, people) -> list[tuple[str, int]]:
        counted = Counter(name for v in self.viewings for name in people(v.review))
        ranked = sorted(counted.items(), key=lambda item: (-item[1], item[0].casefold()))
        return ranked[:TOP]

    @cached_property
    def best(self) -> list[Viewing]:
        """The best-rated films of the year, each once (its latest viewing)."""
        seen: dict[tuple, Viewing] = {}
        for viewing in self.viewings:
            if viewing.review.rating is not None:
                seen.setdefault((viewing.review.title, viewing.review.year), viewing)
        ranked = sorted(seen.values(), key=lambda v: (-(v.review.rating or 0), v.review.title))
        return ranked[:TOP]
