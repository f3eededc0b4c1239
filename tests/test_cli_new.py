"""`flask new`: a complete draft in pages/, never over an existing file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from twombly.content.catalog import reload_catalog


def test_new_review_writes_complete_front_matter(app, runner, site):
    result = runner.invoke(
        args=["new", "Her: a love story", "--review", "Her", "--year", "2013",
              "--director", "Spike Jonze", "--cast", "Joaquin Phoenix", "--rating", "4.5",
              "--tag", "drama", "--tag", "science fiction"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    path = site / "pages" / "her-a-love-story.md"
    assert Path(result.output.strip()) == path
    assert path.read_text(encoding="utf-8") == (
        "---\n"
        'title: "Her: a love story"\n'
        f"date: {date.today().isoformat()}\n"
        'tags: ["drama", "science fiction"]\n'
        'tagline: ""\n'
        'summary: ""\n'
        "draft: true\n"
        "comments: open\n"
        "spoilers: false\n"
        "review:\n"
        '  title: "Her"\n'
        "  year: 2013\n"
        '  director: "Spike Jonze"\n'
        '  cast: ["Joaquin Phoenix"]\n'
        "  genres: []\n"
        "  runtime:\n"
        "  watched:\n"
        "  rating: 4.5\n"
        '  poster: ""\n'
        "  imdb:\n"
        "  tmdb:\n"
        "---\n"
        "\n"
    )
    with app.app_context():
        post = reload_catalog().entries["her-a-love-story"]
    assert post.draft and post.review.director == "Spike Jonze" and post.review.rating == 4.5
    assert not catalog_problems(app)


def catalog_problems(app):
    with app.app_context():
        return [str(problem) for problem in reload_catalog().problems]


def test_new_plain_post_is_a_valid_draft(app, runner, site):
    result = runner.invoke(args=["new", "Notes on Éric Rohmer"])
    assert result.exit_code == 0, result.output
    text = (site / "pages" / "notes-on-eric-rohmer.md").read_text(encoding="utf-8")
    assert 'title: "Notes on Éric Rohmer"\n' in text
    assert "draft: true\n" in text and "review:" not in text
    with app.app_context():
        assert reload_catalog().entries["notes-on-eric-rohmer"].draft
    assert not catalog_problems(app)


def test_new_refuses_to_overwrite(runner, site, write_post):
    existing = write_post("her", body="My careful words.")
    before = existing.read_text(encoding="utf-8")
    result = runner.invoke(args=["new", "Her"])
    assert result.exit_code == 1
    assert f"{existing} already exists" in result.output
    assert existing.read_text(encoding="utf-8") == before


def test_new_refuses_a_slug_another_page_uses(runner, site, write_post):
    write_post("elsewhere", raw="---\ntitle: Elsewhere\ndate: 2024-01-01\nslug: her\n---\nHi.\n")
    result = runner.invoke(args=["new", "Her"])
    assert result.exit_code == 1
    assert "the slug 'her' is already used" in result.output
    assert not (site / "pages" / "her.md").exists()


def test_new_review_options_need_review(runner, site):
    result = runner.invoke(args=["new", "Her", "--year", "2013"])
    assert result.exit_code == 2
    assert "need --review" in result.output
    assert not (site / "pages" / "her.md").exists()


def test_new_rejects_a_rating_out_of_range(runner, site):
    result = runner.invoke(args=["new", "Her", "--review", "Her", "--rating", "7"])
    assert result.exit_code == 2
    assert not (site / "pages" / "her.md").exists()
