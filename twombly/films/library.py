"""The reviewed films and the people who made them: what the browse pages list.

Content-level code: it reads the catalog and knows nothing of requests or templates. People
get their address from python-slugify; two names that slugify alike (Renoir and Renoír) are
told apart by a number, given in the order the names first appear in the site's posts (oldest
first, drafts included), so a person's address does not move when a post is published.
"""

from __future__ import annotations

import weakref
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from statistics import mean

from slugify import slugify

from twombly.content.catalog import Catalog, catalog, now, visible
from twombly.content.post import Post, Review

SORTS = ("title", "year", "rating", "watched")
_SLUGS: weakref.WeakKeyDictionary[Catalog, dict[str, str]] = weakref.WeakKeyDictionary()
_LIBRARIES: weakref.WeakKeyDictionary[object, Library] = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class Person:
    name: str
    slug: str


@dataclass(frozen=True)
class Film:
    """A review post and the film it reviews, with its people as Persons."""

    post: Post
    directors: tuple[Person, ...]
    cast: tuple[Person, ...]
    genres: tuple[Person, ...]  # a genre's name and slug, like a person's

    @property
    def review(self) -> Review:
        assert self.post.review is not None
        return self.post.review

    @property
    def title(self) -> str:
        return self.review.title

    @property
    def last_watched(self) -> date | None:
        return self.review.watched[-1] if self.review.watched else None


@dataclass(frozen=True)
class Group:
    """Films under one heading: a person, a genre, a year, a number of stars."""

    key: object
    label: str
    films: list[Film]

    @property
    def average(self) -> float | None:
        ratings = [film.review.rating for film in self.films if film.review.rating is not None]
        return round(mean(ratings), 2) if ratings else None


def name_slug(name: str) -> str:
    return slugify(name) or "unnamed"


def people_slugs(site: Catalog) -> dict[str, str]:
    """Every director's and actor's name in the site's posts -> its address segment."""
    found = _SLUGS.get(site)
    if found is None:
        found = _SLUGS[site] = _assign_slugs(site)
    return found


def _assign_slugs(site: Catalog) -> dict[str, str]:
    names: dict[str, None] = {}
    for post in reversed(site.posts):  # oldest first
        if post.review:
            names.update(dict.fromkeys((*post.review.directors, *post.review.cast)))
    slugs: dict[str, str] = {}
    taken: Counter[str] = Counter()
    for name in names:
        base = name_slug(name)
        taken[base] += 1
        slugs[name] = base if taken[base] == 1 else f"{base}-{taken[base]}"
    # A numbered address may be another name's own slug ("a-2"): number it further.
    while len(set(slugs.values())) < len(slugs):
        seen: set[str] = set()
        for name, slug in slugs.items():
            if slug in seen:
                slugs[name] = f"{slug}-2"
            seen.add(slugs[name])
    return slugs


class Library:
    """The visible review posts as films, with the groupings the browse pages show."""

    def __init__(self, posts: list[Post], slugs: dict[str, str]) -> None:
        def people(names: tuple[str, ...]) -> tuple[Person, ...]:
            return tuple(Person(name, slugs.get(name) or name_slug(name)) for name in names)

        self.films = [
            Film(
                post,
                people(post.review.directors),
                people(post.review.cast),
                tuple(Person(genre, name_slug(genre)) for genre in post.review.genres),
            )
            for post in posts
            if post.review
        ]

    @cached_property
    def by_slug(self) -> dict[str, Film]:
        """Each film by its post's slug: what a review box looks its people up in."""
        return {film.post.slug: film for film in self.films}

    def sorted(self, by: str) -> list[Film]:
        """The films by title (A-Z), release year, rating (highest first) or last watched."""
        films = sorted(self.films, key=lambda film: film.title.casefold())
        if by == "year":
            films.sort(key=lambda film: film.review.year or 0, reverse=True)
        elif by == "rating":
            films.sort(key=lambda film: film.review.rating or 0, reverse=True)
        elif by == "watched":
            films.sort(key=lambda film: film.last_watched or date.min, reverse=True)
        return films

    @cached_property
    def directors(self) -> dict[str, Group]:
        return self._by_person(lambda film: film.directors)

    @cached_property
    def actors(self) -> dict[str, Group]:
        return self._by_person(lambda film: film.cast)

    @cached_property
    def genres(self) -> dict[str, Group]:
        return self._by_person(lambda film: film.genres)

    def _by_person(self, people) -> dict[str, Group]:
        groups: dict[str, Group] = {}
        for film in self.sorted("year"):  # newest first within each group
            for person in people(film):
                group = groups.setdefault(person.slug, Group(person, person.name, []))
                if film not in group.films:
                    group.films.append(film)
        return dict(sorted(groups.items(), key=lambda item: item[1].label.casefold()))

    @cached_property
    def decades(self) -> dict[int, list[Group]]:
        """Each decade of release (1990, 2010, ...) -> its films grouped by year, newest first."""
        decades: dict[int, list[Group]] = {}
        for film in self.sorted("year"):
            year = film.review.year
            if year is None:
                continue
            groups = decades.setdefault(year // 10 * 10, [])
            if not groups or groups[-1].key != year:
                groups.append(Group(year, str(year), []))
            groups[-1].films.append(film)
        return dict(sorted(decades.items(), reverse=True))

    @cached_property
    def ratings(self) -> list[Group]:
        """The rated films grouped by stars, highest first."""
        groups: dict[float, Group] = {}
        for film in self.sorted("title"):
            rating = film.review.rating
            if rating is not None:
                label = f"{rating:g} stars"
                groups.setdefault(rating, Group(rating, label, [])).films.append(film)
        return [groups[rating] for rating in sorted(groups, reverse=True)]


def library(*, public: bool = False) -> Library:
    """The films readers can see now, built once per set of visible posts; `public`: the
    published ones, whatever SHOW_DRAFTS says (what the sitemap lists)."""
    shown = catalog().visible(now(), show_hidden=False) if public else visible()
    found = _LIBRARIES.get(shown)
    if found is None:
        found = _LIBRARIES[shown] = Library(shown.posts, people_slugs(catalog()))
    return found


def person_slug(name: str) -> str:
    """The address segment of a director's or actor's name (see `people_slugs`)."""
    return people_slugs(catalog()).get(name) or name_slug(name)
