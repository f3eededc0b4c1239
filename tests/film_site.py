"""A site of a few dozen generated film reviews, for the browse pages, the diary and the year."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

DIRECTORS = ["Agnès Varda", "Jean Renoir", "Jean Renoír", "Wong Kar-wai", "Céline Sciamma"]
ACTORS = ["Anna Karina", "Tony Leung", "Delphine Seyrig", "Adèle Haenel"]
GENRES = ["Drama", "Romance", "Science Fiction"]
REVIEWS = 36

LOG = """\
# Films seen without a review.
- title: Paterson
  year: 2016
  director: Jim Jarmusch
  runtime: 118
  watched: 2021-03-04
  rating: 4
- title: "Amélie"
  year: 2001
  watched: [2021-05-01, 2021-06-01]
  rewatch: true
"""


def fill(write_post, site: Path) -> None:
    """36 reviews over 2019-2021, five directors (two whose names slug alike), four actors,
    three genres, ratings from 1 to 5 in half stars; a draft review; a log file of two films."""
    for n in range(REVIEWS):
        year = 2019 + n // 12
        month = n % 12 + 1
        write_post(
            f"film-{n:02d}",
            title=f"Review {n}",
            date=f"{year}-{month:02d}-15",
            tags=["films"],
            review={
                "title": f"Film {n:02d}",
                "year": 1950 + n * 2,
                "director": DIRECTORS[n % len(DIRECTORS)],
                "cast": [ACTORS[n % len(ACTORS)], ACTORS[(n + 1) % len(ACTORS)]],
                "genres": [GENRES[n % len(GENRES)]],
                "rating": 1 + (n % 9) / 2,
                "runtime": 90 + n,
                "watched": [f"{year}-{month:02d}-10"]
                + ([f"{year}-{month:02d}-12"] if n % 10 == 0 else []),
                "imdb": f"tt{1000000 + n}",
                "tmdb": 500 + n,
            },
        )
    write_post(
        "secret-film",
        title="Secret",
        date="2021-01-01",
        draft=True,
        review={"title": "Secret Film", "year": 2020, "director": "Hidden Person", "rating": 5,
                "watched": "2021-01-01"},
    )  # fmt: skip
    (site / "diary.yaml").write_text(LOG, encoding="utf-8")


@pytest.fixture
def films(site, write_post):
    """The generated site, and a post that is not a review."""
    fill(write_post, site)
    write_post("essay", title="An essay", date="2020-05-05", body="Not a review.")


def soup(client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")
