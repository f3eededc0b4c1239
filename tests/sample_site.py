"""A small site with one of every kind of page, for tests that visit them all."""

from __future__ import annotations

APPROVED = {"parent": None, "created": "2014-01-21T09:30:00Z", "status": "approved"}


def fill(write_post, write_comments) -> None:
    """Five reviews over two years (two index pages at PER_PAGE 3), tags, an About page."""
    write_post(
        "her",
        body="A paragraph about the film.\n\n```python\nprint('her')\n```\n",
        title="her",
        date="2014-01-20",
        tags=["drama", "Science Fiction"],
        tagline="Are human emotions innate?",
        review={"title": "Her", "year": 2013, "director": "Spike Jonze", "rating": 4.5},
    )
    for day in range(1, 5):
        write_post(f"film-{day}", date=f"2015-0{day}-01", tags=["drama"])
    write_post("about", title="About", kind="page", body="Who writes here.")
    write_comments(
        "her",
        [
            {"id": "c1", "author": "Ann", "body": "Good *review*.", **APPROVED},
            {"id": "c2", "author": "Bob", "body": "Agreed.", **APPROVED, "parent": "c1"},
        ],
    )
