"""A reader who sends a comment from a frozen copy is told on the static page what became of it."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from twombly.comments.notes import AWAITING, PUBLISHED

STATIC = "https://static.example"


@pytest.fixture
def her(app, write_post):
    app.config["COMMENTS_ALLOWED_ORIGINS"] = [STATIC]
    write_post("her")
    write_post("other")


def send(client) -> str:
    """Post a comment as the frozen page would; the note the live server sends back with."""
    data = {"name": "<b>Ann</b>", "body": "From the copy.", "return_to": f"{STATIC}/posts/her/"}
    response = client.post("/posts/her/comments/", data=data, headers={"Origin": STATIC})
    assert response.status_code == 303
    return parse_qs(urlsplit(response.headers["Location"]).query)["note"][0]


def notice(client, note: str, slug: str = "her") -> str | None:
    response = client.get(f"/posts/{slug}/comments.json", query_string={"note": note},
                          headers={"Origin": STATIC})  # fmt: skip
    assert response.status_code == 200
    return response.get_json().get("notice")


@pytest.mark.parametrize(("moderation", "expected"), [(True, AWAITING), (False, PUBLISHED)])
def test_the_note_tells_the_reader_what_became_of_the_comment(
    app, client, her, moderation, expected
):
    app.config["COMMENTS_MODERATION"] = moderation
    note = send(client)
    assert notice(client, note) == expected
    assert "Ann" not in note and "Ann" not in expected  # no text the reader typed


def test_a_forged_or_misplaced_note_shows_nothing(app, client, her):
    app.config["COMMENTS_MODERATION"] = True
    note = send(client)
    payload, _, signature = note.rpartition(".")
    forged = payload + "." + ("A" if signature[0] != "A" else "B") + signature[1:]
    assert notice(client, forged) is None
    assert notice(client, "not-a-note") is None
    assert notice(client, note, slug="other") is None  # signed for another post
    assert "notice" not in client.get("/posts/her/comments.json").get_json()
