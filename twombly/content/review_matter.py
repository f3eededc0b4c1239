"""The `review:` block of a post's front matter: the film's facts, typed and checked.

Every problem is raised through `fail(key, message)`, which names the file and the key's line.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from twombly.content.pages import FrontMatterError
from twombly.content.post import Review

REVIEW_KEYS = frozenset(
    {"title", "year", "director", "cast", "rating", "genres", "runtime", "watched", "rewatch",
     "tmdb", "imdb", "country", "language", "poster"}
)  # fmt: skip
IMDB_ID = re.compile(r"^(tt|nm)\d{5,10}$")
TMDB_ID = re.compile(r"^\d{1,10}$")
LONGEST_FILM = 60 * 24 * 30  # minutes: anything longer is a typing slip

Fail = Callable[[str, str], FrontMatterError]


def read_review(block: Any, fail: Fail) -> Review | None:
    """The Review in a front matter's `review` value (None when there is none)."""
    if block is None:
        return None
    if not isinstance(block, dict):
        raise fail("review", "review must be a mapping (title, year, director, ...)")
    unknown = sorted(map(str, set(block) - REVIEW_KEYS))  # YAML keys need not be text
    if unknown:
        raise fail("review", f"review has unknown keys: {', '.join(unknown)}")
    read = _ReviewReader(block, fail)
    title = read.text("title")
    if title is None:
        raise fail("title", "missing required key 'title' in review")
    return Review(
        title=title,
        year=read.year(),
        directors=read.names("director"),
        cast=read.names("cast"),
        rating=read.rating(),
        genres=read.names("genres"),
        runtime=read.runtime(),
        watched=read.watched(),
        rewatch=read.flag("rewatch"),
        tmdb=read.identifier("tmdb", TMDB_ID, "a TMDb movie id such as 152601"),
        imdb=read.identifier("imdb", IMDB_ID, "an IMDb id such as tt1798709"),
        country=read.text("country"),
        language=read.text("language"),
        poster=read.text("poster"),
    )


class _ReviewReader:
    def __init__(self, block: dict, fail: Fail) -> None:
        self.block = block
        self.fail = fail

    def text(self, key: str) -> str | None:
        value = self.block.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, (dict, list)):
            raise self.fail(key, f"review {key} must be text")
        return str(value).strip() or None

    def names(self, key: str) -> tuple[str, ...]:
        """A name, or a list of them (director, cast, genres)."""
        value = self.block.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(n, str) and n.strip() for n in value):
            raise self.fail(key, f"review {key} must be a name or a list of names")
        return tuple(dict.fromkeys(name.strip() for name in value))

    def year(self) -> int | None:
        year = self.block.get("year")
        if year is None:
            return None
        if isinstance(year, bool) or not isinstance(year, int) or not 1800 <= year <= 9999:
            raise self.fail("year", f"review year must be a year such as 2013, not {year!r}")
        return year

    def rating(self) -> float | None:
        rating = self.block.get("rating")
        if rating is None:
            return None
        if isinstance(rating, bool) or not isinstance(rating, (int, float)):
            raise self.fail("rating", f"review rating must be a number of stars, not {rating!r}")
        if not math.isfinite(rating) or not 0.5 <= rating <= 5 or (rating * 2) % 1:
            raise self.fail(
                "rating",
                f"review rating must be a whole or half star from 0.5 to 5, not {rating}",
            )
        return float(rating)

    def runtime(self) -> int | None:
        runtime = self.block.get("runtime")
        if runtime is None:
            return None
        if isinstance(runtime, bool) or not isinstance(runtime, int):
            raise self.fail(
                "runtime", f"review runtime must be minutes such as 126, not {runtime!r}"
            )
        if not 1 <= runtime <= LONGEST_FILM:
            raise self.fail("runtime", f"review runtime must be from 1 to {LONGEST_FILM} minutes")
        return runtime

    def watched(self) -> tuple[date, ...]:
        value = self.block.get("watched")
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        days = [self.day(item) for item in items]
        return tuple(sorted(set(days)))

    def day(self, value: Any) -> date:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                return date.fromisoformat(value.strip())
        raise self.fail(
            "watched",
            f"review watched must be a date (YYYY-MM-DD) or a list of them, not {value!r}",
        )

    def flag(self, key: str) -> bool:
        value = self.block.get(key, False)
        if not isinstance(value, bool):
            raise self.fail(key, f"review {key} must be true or false, not {value!r}")
        return value

    def identifier(self, key: str, pattern: re.Pattern, example: str) -> str | None:
        value = self.block.get(key)
        if value is None:
            return None
        text = str(value).strip() if isinstance(value, (str, int)) else ""
        if isinstance(value, bool) or not pattern.match(text):
            raise self.fail(key, f"review {key} must be {example}, not {value!r}")
        return text
