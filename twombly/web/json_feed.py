"""JSON Feed 1.1 (https://jsonfeed.org/version/1.1): the site's feed built as data.

The document holds the same entries as the Atom and RSS feeds: the same ids, full content,
tags and dates; the film facts are also given as data under `_review` (an extension, as the
format allows for names starting with an underscore).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from flask import current_app

from twombly.content.post import Post

VERSION = "https://jsonfeed.org/version/1.1"
MIMETYPE = "application/feed+json"


def feed_document(
    home_page_url: str, feed_url: str, items: list[dict[str, Any]]
) -> dict[str, Any]:
    """The top-level object, titled and described from the site's settings."""
    config = current_app.config
    document: dict[str, Any] = {
        "version": VERSION,
        "title": config["TITLE"],
        "home_page_url": home_page_url,
        "feed_url": feed_url,
    }
    if config["DESCRIPTION"]:
        document["description"] = config["DESCRIPTION"]
    document["authors"] = [{"name": config["AUTHOR"] or config["TITLE"]}]
    document["language"] = config["LANGUAGE"]
    document["items"] = items
    return document


def post_item(post: Post, *, item_id: str, url: str, content_html: str) -> dict[str, Any]:
    """One post as an item: its id and address, full HTML, dates, tags and film facts."""
    item: dict[str, Any] = {"id": item_id, "url": url, "title": post.title}
    item["content_html"] = content_html
    if post.summary:
        item["summary"] = post.summary
    item["date_published"] = rfc3339(post.date)
    item["date_modified"] = rfc3339(post.modified)
    if post.tags:
        item["tags"] = [tag.name for tag in post.tags]
    if post.review:
        review = post.review
        facts = {
            "title": review.title,
            "year": review.year,
            "director": review.director,
            "cast": list(review.cast),
            "genres": list(review.genres),
            "runtime": review.runtime,
            "watched": [day.isoformat() for day in review.watched],
            "rating": review.rating,
            "imdb": review.imdb,
            "tmdb": review.tmdb,
        }
        item["_review"] = {key: value for key, value in facts.items() if value not in (None, [])}
    return item


def rfc3339(moment: datetime) -> str:
    """A date-time with its offset, as JSON Feed wants it: 2014-01-20T00:00:00Z."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def dumps(document: dict[str, Any]) -> bytes:
    """The document as UTF-8 JSON, keys in the order built (the same bytes each time)."""
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
