"""/letterboxd.csv: every published review in Letterboxd's import format, so the owner can take
their reviews to Letterboxd (Settings, Import & export, Import your data)."""

from __future__ import annotations

import csv
import io

from twombly.content.catalog import public_posts
from twombly.content.markdown import SPOILER_LEFT_OUT
from twombly.content.post import Post

COLUMNS = ("Title", "Year", "Directors", "Rating", "WatchedDate", "Rewatch", "Review", "Tags",
           "imdbID", "tmdbID")  # fmt: skip


def export_rows(posts: list[Post]) -> list[dict[str, str]]:
    """One row per review, oldest first: its film, rating, last viewing, text and tags."""
    rows = []
    for post in reversed(posts):
        review = post.review
        if review is None:
            continue
        last = review.watched[-1] if review.watched else None
        rows.append(
            {
                "Title": review.title,
                "Year": str(review.year or ""),
                "Directors": ", ".join(review.directors),
                "Rating": f"{review.rating:g}" if review.rating is not None else "",
                "WatchedDate": last.isoformat() if last else "",
                "Rewatch": "true" if review.rewatch or len(review.watched) > 1 else "false",
                "Review": review_text(post),
                "Tags": ", ".join(tag.name for tag in post.tags),
                "imdbID": review.imdb or "",
                "tmdbID": review.tmdb or "",
            }
        )
    return rows


def review_text(post: Post) -> str:
    """The review as the HTML Letterboxd takes, with any spoiler block left out (the CSV is
    public, like a feed)."""
    return str(post.public_html).replace(SPOILER_LEFT_OUT, "").strip()


def export_csv() -> str:
    """The CSV text of every published review (never a draft or a scheduled post)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(export_rows(public_posts()))
    return out.getvalue()
