"""Letterboxd in and out: `flask import letterboxd` and /letterboxd.csv."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
import yaml

from .freezing import freeze

EXPORT = Path(__file__).parent / "data" / "letterboxd"


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def import_export(runner, export: Path):
    return runner.invoke(args=["import", "letterboxd", str(export)])


def test_an_export_becomes_draft_reviews_and_diary_entries(runner, site):
    result = import_export(runner, EXPORT)
    assert result.exit_code == 0, result.output
    assert "Imported 2 draft reviews and 4 diary entries; skipped 7 rows." in result.output
    paterson = (site / "pages/paterson.md").read_text(encoding="utf-8")
    meta = yaml.safe_load(paterson.split("---\n")[1])
    assert meta["draft"] is True and meta["tags"] == ["poetry"]
    assert meta["review"] == {"title": "Paterson", "year": 2016, "rating": 4.5,
                              "watched": date(2021, 3, 4)}  # fmt: skip
    assert 'A bus driver writes poems, "quietly".\n\nA second paragraph.\n' in paterson
    amelie = yaml.safe_load(
        (site / "pages/amelie.md").read_text(encoding="utf-8").split("---\n")[1]
    )
    assert amelie["review"]["rewatch"] is True and len(amelie["review"]["watched"]) == 2
    assert amelie["review"]["rating"] == 4 and amelie["tags"] == ["paris", "whimsy"]
    logs = yaml.safe_load((site / "diary.yaml").read_text(encoding="utf-8"))
    titles = [entry["title"] for entry in logs]
    assert titles == [
        "Crouching Tiger, Hidden Dragon",
        "千と千尋の神隠し",
        "Only Rated",
        "Only Watched",
    ]
    assert "rating" not in logs[0] and logs[1]["rewatch"] is True and logs[2]["rating"] == 2.5
    skipped = [
        "skipped reviews.csv line 7 (Empty, 2020): the review is empty",
        "skipped diary.csv line 2 (Paterson, 2016): already in the diary",
        "skipped diary.csv line 5 (Bad Date, 1999): the date 'someday' is not a date",
        "skipped diary.csv line 6 (Bad Rating, 1999): the rating 4.3 is not a whole or half star",
        "skipped ratings.csv line 2 (Paterson, 2016): already in the diary",
        "skipped watched.csv line 2 (Paterson, 2016): already in the diary",
        "skipped watched.csv line 4 (No Date, 1970): the date '' is not a date",
    ]
    for line in skipped:
        assert line in result.output
    assert runner.invoke(args=["check"]).exit_code == 0


def test_importing_twice_changes_nothing(runner, site):
    assert import_export(runner, EXPORT).exit_code == 0
    before = tree(site / "pages") | {"diary.yaml": (site / "diary.yaml").read_bytes()}
    again = import_export(runner, EXPORT)
    assert again.exit_code == 0, again.output
    assert "Imported 0 draft reviews and 0 diary entries" in again.output
    assert (
        "skipped reviews.csv line 2 (Paterson, 2016): already reviewed in pages/paterson.md"
        in again.output
    )
    assert tree(site / "pages") | {"diary.yaml": (site / "diary.yaml").read_bytes()} == before


def test_a_zip_export_and_a_film_already_reviewed(runner, site, write_post, tmp_path):
    write_post("my-paterson", review={"title": "Paterson", "year": 2016, "rating": 5})
    (site / "pages/amelie.md").write_text("---\ntitle: Mine\ndate: 2020-01-01\n---\nMine.\n")
    (site / "diary.yaml").write_text("# my diary\n- title: Old\n  watched: 2000-01-01", "utf-8")
    archive = tmp_path / "letterboxd-export.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for path in EXPORT.iterdir():
            out.write(path, path.name)
        out.writestr("likes/films.csv", "Date,Name\n")
    result = import_export(runner, archive)
    assert result.exit_code == 0, result.output
    # The site's own Paterson review has no watched date: the export's viewing is logged.
    assert "Imported 1 draft review and 5 diary entries" in result.output
    assert "already reviewed in pages/my-paterson.md" in result.output
    assert (
        site / "pages/amelie.md"
    ).read_text() == "---\ntitle: Mine\ndate: 2020-01-01\n---\nMine.\n"
    assert (site / "pages/amelie-2001.md").is_file()
    assert (
        (site / "diary.yaml")
        .read_text("utf-8")
        .startswith("# my diary\n- title: Old\n  watched: 2000-01-01\n- title:")
    )


@pytest.mark.parametrize("name", ["nothing.txt", "folder"])
def test_something_else_is_refused_with_a_message(runner, tmp_path, name):
    target = tmp_path / name
    target.mkdir() if name == "folder" else target.write_text("hello")
    result = import_export(runner, target)
    assert result.exit_code != 0
    assert "Error:" in result.output and str(target) in result.output


def test_a_broken_log_file_stops_the_import(runner, site):
    (site / "diary.yaml").write_text("- title: [oops\n", encoding="utf-8")
    result = import_export(runner, EXPORT)
    assert result.exit_code != 0 and "diary.yaml:2: YAML does not parse" in result.output
    assert not (site / "pages/paterson.md").exists()


def test_the_export_lists_every_published_review(client, runner, site, write_post, tmp_path):
    write_post(
        "her",
        date="2014-01-20",
        tags=["drama", "romance"],
        body='Words, "quoted".\n\n```spoiler\nThe end.\n```\n',
        review={
            "title": "Her",
            "year": 2013,
            "director": ["Spike Jonze"],
            "rating": 4.5,
            "watched": ["2014-01-18", "2014-01-19"],
            "imdb": "tt1798709",
            "tmdb": 152601,
        },
    )
    write_post("essay", date="2015-01-01")
    write_post("secret", draft=True, review={"title": "Secret", "rating": 1})
    response = client.get("/letterboxd.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 1
    row = rows[0]
    assert {k: row[k] for k in ("Title", "Year", "Directors", "Rating", "WatchedDate", "Rewatch",
                                "Tags", "imdbID", "tmdbID")} == {
        "Title": "Her", "Year": "2013", "Directors": "Spike Jonze", "Rating": "4.5",
        "WatchedDate": "2014-01-19", "Rewatch": "true", "Tags": "drama, romance",
        "imdbID": "tt1798709", "tmdbID": "152601"}  # fmt: skip
    assert "Words, &quot;quoted&quot;." in row["Review"] or 'Words, "quoted".' in row["Review"]
    assert "The end" not in row["Review"]
    build = tmp_path / "build"
    assert freeze(runner, build, "--base-url", "https://example.org/blog/").exit_code == 0
    assert (build / "letterboxd.csv").read_bytes() == response.data
