"""Frozen-Flask generator of the browse pages, the diary and the Letterboxd export.

Each of them is rendered again when any review changes: a film that leaves a director's page
changes that page, though the page no longer shows the film's file. The diary pages also follow
the log file, and its folder (whose time changes when the file is deleted).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from twombly.films.addresses import browse_addresses
from twombly.films.library import library
from twombly.films.logs import log_path
from twombly.freeze.sources import Entry, Sources, mtime

ENDPOINTS = frozenset(
    {"films.films", "films.directors", "films.director", "films.actors", "films.actor",
     "films.genres", "films.genre", "films.years", "films.decade", "films.ratings",
     "films.diary", "films.diary_year", "films.letterboxd_csv"}
)  # fmt: skip


def log_time() -> float:
    """When the log file last changed, or was deleted."""
    log = log_path()
    return max(mtime(log), mtime(Path(log).parent))


def film_pages() -> Iterator[Entry]:
    sources = Sources.current()
    reviews = sources.files(film.post for film in library().films)
    logs = log_time()
    for address in browse_addresses():
        times = [*reviews, logs] if address.diary else reviews
        yield sources.entry(address.endpoint, address.values, *times, structural=True)
    yield sources.entry("films.letterboxd_csv", {}, *reviews, structural=True)
