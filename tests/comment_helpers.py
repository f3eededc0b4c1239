"""Helpers for the comment tests: send the form as a reader's browser would."""

from __future__ import annotations

import re
from typing import Any

from bs4 import BeautifulSoup
from flask.testing import FlaskClient

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def csrf_token(client: FlaskClient, slug: str) -> str:
    """The token of the comment form on the post page, as a browser would have it."""
    page = client.get(f"/posts/{slug}/").get_data(as_text=True)
    found = CSRF.search(page)
    assert found, "the post page has no comment form"
    return found.group(1)


def send_comment(client: FlaskClient, slug: str, **fields: Any):
    """POST the comment form with a valid CSRF token; fields default to a valid comment."""
    data = {"name": "Ann", "website": "", "body": "A fine review.", "homepage": "", "parent": ""}
    data.update(fields)
    if "csrf_token" not in data:
        data["csrf_token"] = csrf_token(client, slug)
    return client.post(f"/posts/{slug}/comments/", data=data)


def comment_id(response) -> str:
    """The id a Post/Redirect/Get answer points at."""
    assert response.status_code == 303, response.status_code
    return response.headers["Location"].rsplit("#comment-", 1)[1]


def comment_record(slug: str, author: str, *, id: str, created: str, **extra: Any) -> dict:
    return {
        "id": id,
        "parent": extra.pop("parent", None),
        "author": author,
        "body": extra.pop("body", f"Words by {author}."),
        "created": created,
        "status": extra.pop("status", "approved"),
        **extra,
    }
