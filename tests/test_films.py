"""The browse pages: films in four orders, directors, actors, genres, decades and ratings."""

from __future__ import annotations

import html
import json
import re

import pytest
from bs4 import BeautifulSoup

from .film_site import films, soup  # noqa: F401 (a fixture)
from .freezing import broken_links, freeze, frozen_files

pytestmark = pytest.mark.usefixtures("films")
BROWSE = ["/films/", "/films/by-year/", "/films/by-rating/", "/films/by-watched/",
          "/directors/", "/actors/", "/genres/", "/years/", "/ratings/",
          "/directors/jean-renoir/", "/directors/jean-renoir-2/", "/actors/tony-leung/",
          "/genres/science-fiction/", "/years/1990s/"]  # fmt: skip


def titles(page: BeautifulSoup) -> list[str]:
    return [a.get_text() for a in page.select(".film-title a")]


def test_every_browse_page_answers(client):
    for url in BROWSE:
        assert soup(client, url).select_one("h1"), url


def test_the_films_page_has_four_orders_and_no_draft(client):
    by_title = titles(soup(client, "/films/"))
    assert by_title == sorted(f"Film {n:02d}" for n in range(36))
    by_year = titles(soup(client, "/films/by-year/"))
    assert by_year[0] == "Film 35" and by_year[-1] == "Film 00"  # released 2020 ... 1950
    ratings = [s["aria-label"] for s in soup(client, "/films/by-rating/").select(".film .stars")]
    assert ratings[0] == "Rated 5 out of 5" and ratings[-1] == "Rated 1 out of 5"
    by_watched = titles(soup(client, "/films/by-watched/"))
    assert by_watched[:2] == ["Film 35", "Film 34"]
    page = soup(client, "/films/")
    assert "Secret Film" not in page.get_text()
    sorts = [a["href"] for a in page.select(".sort-nav a")]
    assert sorts == ["/films/", "/films/by-year/", "/films/by-rating/", "/films/by-watched/"]
    assert client.get("/films/by-colour/").status_code == 404


def test_people_whose_names_slug_alike_are_told_apart(client):
    listed = {
        a.get_text(): a["href"] for a in soup(client, "/directors/").select(".people-list a")
    }
    assert listed["Jean Renoir"] == "/directors/jean-renoir/"
    assert listed["Jean Renoír"] == "/directors/jean-renoir-2/"
    assert "Hidden Person" not in listed  # directs only a draft
    one = titles(soup(client, "/directors/jean-renoir/"))
    other = titles(soup(client, "/directors/jean-renoir-2/"))
    assert one and other and not set(one) & set(other)
    assert client.get("/directors/hidden-person/").status_code == 404


def test_a_persons_page_lists_films_newest_first_with_the_average(client):
    page = soup(client, "/directors/agnes-varda/")
    numbers = [n for n in range(36) if n % 5 == 0]  # Agnès Varda directs every fifth film
    assert titles(page) == [f"Film {n:02d}" for n in sorted(numbers, reverse=True)]
    average = sum(1 + (n % 9) / 2 for n in numbers) / len(numbers)
    assert (
        f"average rating {round(average, 2):g} out of 5" in page.select_one(".person-summary").text
    )
    assert page.select_one("h1").get_text() == "Films directed by Agnès Varda"
    actor = soup(client, "/actors/adele-haenel/")
    assert all(d.select_one("a") for d in actor.select(".film-directors"))


def test_decades_group_by_year_and_ratings_by_stars(client):
    page = soup(client, "/years/1990s/")
    assert [h.get_text() for h in page.select("h2")] == ["1998", "1996", "1994", "1992", "1990"]
    decades = [a["href"] for a in soup(client, "/years/").select(".people-list a")]
    assert decades[0] == "/years/2020s/" and decades[-1] == "/years/1950s/"
    assert client.get("/years/1995s/").status_code == 404
    assert client.get("/years/1970/").status_code == 404
    headings = [h.get_text() for h in soup(client, "/ratings/").select("h2")]
    assert headings[0] == "5 stars" and headings[-1] == "1 star" and len(headings) == 9


def test_the_review_box_links_people_genres_and_elsewhere(client):
    box = soup(client, "/posts/film-03/").select_one(".review-box")
    links = {a.get_text(): a["href"] for a in box.select("a")}
    assert links["Wong Kar-wai"] == "/directors/wong-kar-wai/"
    assert links["Adèle Haenel"] == "/actors/adele-haenel/"
    assert links["Drama"] == "/genres/drama/"
    assert links["IMDb"] == "https://www.imdb.com/title/tt1000003/"
    assert links["TMDb"] == "https://www.themoviedb.org/movie/503"
    assert links["Films of the 1950s"] == "/years/1950s/"
    text = box.get_text(" ", strip=True)
    assert "1 h 33 min" in text and "April 10, 2019" in text
    nav = [a["href"] for a in soup(client, "/").select(".site-nav a")]
    assert "/films/" in nav and "/diary/" in nav


def test_the_sitemap_lists_the_browse_pages(client):
    sitemap = client.get("/sitemap.xml").get_data(as_text=True)
    for url in [*BROWSE, "/diary/", "/diary/2021/"]:
        assert f"<loc>https://reviews.example{url}</loc>" in sitemap, url
    assert "hidden-person" not in sitemap


def test_a_sub_path_freeze_writes_every_browse_page(runner, tmp_path):
    build = tmp_path / "build"
    result = freeze(runner, build, "--base-url", "https://example.org/blog/")
    assert result.exit_code == 0, result.output
    files = frozen_files(build)
    for url in [*BROWSE, "/diary/", "/diary/2019/", "/diary/2021/"]:
        assert url.lstrip("/") + "index.html" in files, url
    assert "letterboxd.csv" in files
    assert broken_links(build, "https://example.org/blog/", "/blog/") == []
    page = files["directors/jean-renoir-2/index.html"].decode()
    assert 'href="/blog/posts/' in page
    assert not re.search(r'href="/(films|directors|actors|posts)/', page)


def test_the_movie_json_ld_links_its_people_and_other_sites(client):
    page = soup(client, "/posts/film-00/")
    (data,) = [json.loads(s.string) for s in page.select('script[type="application/ld+json"]')]
    movie = data["itemReviewed"]
    assert movie["director"]["url"] == "https://reviews.example/directors/agnes-varda/"
    assert movie["actor"][0]["url"] == "https://reviews.example/actors/anna-karina/"
    assert movie["genre"] == ["Drama"] and movie["duration"] == "PT1H30M"
    assert movie["sameAs"] == ["https://www.imdb.com/title/tt1000000/",
                               "https://www.themoviedb.org/movie/500"]  # fmt: skip
    feed = html.unescape(client.get("/feed.xml").get_data(as_text=True))
    assert "Science Fiction. 2 h 05 min. Watched December 10, 2021. Rated 5 out of 5." in feed
