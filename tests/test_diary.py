"""The watch diary, a year in review, and the checks of the film facts and the log file."""

from __future__ import annotations

import pytest
from PIL import Image

from twombly import create_app

from .film_site import films, soup  # noqa: F401 (a fixture)


@pytest.mark.usefixtures("films")
def test_the_diary_lists_every_viewing_newest_first_by_month(client):
    page = soup(client, "/diary/")
    months = [h.get_text() for h in page.select("main h2")]
    assert months[:3] == ["December 2021", "November 2021", "October 2021"]
    assert months[-1] == "January 2019"
    days = [t["datetime"] for t in page.select(".diary-entry time")]
    assert days == sorted(days, reverse=True)
    reviews = [e for e in page.select(".diary-entry") if e.select_one("a")]
    assert len(reviews) == 36 + 4  # 36 reviews, four of them seen twice
    text = page.get_text(" ")
    assert "An essay" not in text and "Secret Film" not in text
    assert "Paterson" in text and "Amélie" in text  # from the log file
    june = page.select_one("#month-2021-6").parent
    amelie = next(e for e in june.select(".diary-entry") if "Amélie" in e.get_text())
    assert amelie.select_one(".rewatch")
    january = [e.get_text(" ", strip=True) for e in page.select("#month-2019-1 ~ ul li")]
    assert [("rewatch" in e) for e in january] == [True, False]  # Film 00 seen the 10th and 12th
    assert [a["href"] for a in page.select(".sort-nav a")] == [
        "/diary/2021/", "/diary/2020/", "/diary/2019/"
    ]  # fmt: skip


@pytest.mark.usefixtures("films")
def test_a_year_in_review_sums_up_the_year(client):
    page = soup(client, "/diary/2021/")
    totals = {
        div.select_one("dt").get_text(): div.select_one("dd").get_text(" ", strip=True)
        for div in page.select(".year-totals div")
    }
    # 2021: films 24-35 (one seen twice), Paterson, Amélie twice
    assert totals["Films watched"] == "14"
    assert totals["Viewings"].startswith("16 (3 rewatches)")
    minutes = sum(90 + n for n in range(24, 36)) + (90 + 30) + 118
    assert totals["Hours watched"].startswith(f"{minutes / 60:.1f}")
    assert "(2 without a runtime)" in totals["Hours watched"]
    ratings = page.select_one("#ratings-heading").parent
    assert len(ratings.select("svg rect.chart-bar")) == 10
    assert ratings.select_one("svg")["aria-hidden"] == "true"
    rows = {r.th.get_text(): r.td.get_text() for r in ratings.select("table tbody tr")}
    assert sum(map(int, rows.values())) == 14  # Amélie is not rated
    assert rows["4"] == str(1 + sum(1 + (n % 9) / 2 == 4 for n in [*range(24, 36), 30]))
    decades = page.select_one("#decades-heading").parent
    assert [r.th.get_text() for r in decades.select("tbody tr")] == [
        "1990s",
        "2000s",
        "2010s",
        "2020s",
    ]
    directors = [li.get_text(" ", strip=True) for li in page.select("#directors-heading ~ ol li")]
    assert len(directors) == 5 and directors[0].endswith("(4 films)")
    assert page.select_one("#directors-heading ~ ol a")["href"].startswith("/directors/")
    best = page.select("#best-heading ~ ol li")
    assert "5 out of 5" in best[0].get_text()
    assert client.get("/diary/2018/").status_code == 404


@pytest.mark.usefixtures("films")
def test_the_charts_keep_inside_the_content_security_policy(client):
    html = client.get("/diary/2021/").get_data(as_text=True)
    assert " style=" not in html and "<script" not in html


CHECKS = {
    "rating: 4.3": "pages/bad.md:6: review rating must be a whole or half star from 0.5 to 5",
    "rating: 0": "pages/bad.md:6: review rating must be a whole or half star from 0.5 to 5",
    "watched: [2020-01-01, yesterday]": "pages/bad.md:6: review watched must be a date",
    "runtime: long": "pages/bad.md:6: review runtime must be minutes",
    "imdb: 1798709": "pages/bad.md:6: review imdb must be an IMDb id",
    "tmdb: abc": "pages/bad.md:6: review tmdb must be a TMDb movie id",
    "rewatch: often": "pages/bad.md:6: review rewatch must be true or false",
    "genres: {a: b}": "pages/bad.md:6: review genres must be a name or a list of names",
    "director: [Ann, 3]": "pages/bad.md:6: review director must be a name or a list of names",
}


@pytest.mark.parametrize("line", CHECKS)
def test_flask_check_names_each_bad_film_fact(runner, write_post, line):
    write_post(
        "bad", raw=f"---\ntitle: T\ndate: 2024-01-01\nreview:\n  title: X\n  {line}\n---\nB\n"
    )
    result = runner.invoke(args=["check"])
    assert result.exit_code == 1
    assert CHECKS[line] in result.output


def test_flask_check_accepts_every_film_fact(runner, write_post, images):
    Image.new("RGB", (60, 90)).save(images / "her.jpg")  # the poster must be there
    write_post(
        "good",
        review={"title": "X", "director": ["Ann", "Bob"], "rating": 0.5, "genres": ["Drama"],
                "runtime": 126, "watched": ["2020-01-01", "2021-02-02"], "rewatch": True,
                "tmdb": 152601, "imdb": "tt1798709", "country": "USA", "language": "English",
                "poster": "her.jpg"},
    )  # fmt: skip
    result = runner.invoke(args=["check"])
    assert result.exit_code == 0, result.output


def test_flask_check_names_a_bad_log_entry_by_line(runner, site, write_post):
    write_post("fine")
    (site / "diary.yaml").write_text(
        "- title: Good\n  watched: 2020-01-01\n- title: No date\n  rating: 3\n"
        "- title: Bad rating\n  watched: 2020-01-01\n  rating: 4.3\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["check"])
    assert result.exit_code == 1
    assert "diary.yaml:3: an entry must say when the film was watched" in result.output
    assert "diary.yaml:7: review rating must be a whole or half star" in result.output


def test_a_broken_log_file_leaves_the_diary_working(client, site, write_post, runner):
    write_post("fine", review={"title": "Fine", "watched": "2020-02-02"})
    (site / "diary.yaml").write_text("- title: [unclosed\n", encoding="utf-8")
    assert "Fine" in client.get("/diary/").get_data(as_text=True)
    assert (
        "diary.yaml:2: YAML does not parse: while parsing a flow sequence"
        in runner.invoke(args=["check"]).output
    )


def test_a_kept_diary_page_follows_the_log_file(site, config, write_post):
    write_post("fine", review={"title": "Fine", "watched": "2020-02-02"})
    settings = {**config, "TESTING": False, "FLATPAGES_AUTO_RELOAD": False}
    client = create_app(settings, site=site).test_client()
    assert "Paterson" not in client.get("/diary/").get_data(as_text=True)
    (site / "diary.yaml").write_text(
        "- title: Paterson\n  watched: 2020-03-03\n  rating: 4\n", "utf-8"
    )
    assert "Paterson" in client.get("/diary/").get_data(as_text=True)
    assert "Paterson" in client.get("/diary/2020/").get_data(as_text=True)
