"""The confirmation a reader sees after sending a comment, on the live site or a frozen copy.

On the live site it is a flashed message. A frozen copy's reader is sent back to a static page
that cannot read the live server's session, so the live server adds a short note to the
address (`?note=...`), signed with the app's secret key by itsdangerous; the copy's script
hands it back when it reads the comments, and the live server answers with the confirmation
only for a note it signed, for that post, in the last hour. A forged or old note shows
nothing, and the note holds no text a reader typed.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer

SALT = "twombly.comments.frozen-note"
MAX_AGE = 3600  # seconds: long enough to come back to the page, not a lasting link
PUBLISHED = "Thank you: your comment is published."
AWAITING = "Thank you: your comment is awaiting moderation and will appear once approved."


def confirmation(status: str) -> str:
    """What the sender is told: published, or awaiting moderation (a comment kept as spam
    gets the usual answer)."""
    if status == "approved" or not current_app.config["COMMENTS_MODERATION"]:
        return PUBLISHED
    return AWAITING


def serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=SALT)


def return_address(page: str, slug: str, comment_id: str, status: str) -> str:
    """The frozen page to send the reader back to, with the signed note and the comment's
    anchor."""
    published = confirmation(status) == PUBLISHED
    note = serializer().dumps({"post": slug, "published": published})
    parts = urlsplit(page.split("#")[0])
    query = [(name, value) for name, value in parse_qsl(parts.query) if name != "note"]
    query.append(("note", note))
    return urlunsplit(parts._replace(query=urlencode(query), fragment=f"comment-{comment_id}"))


def read_note(note: str | None, slug: str) -> str | None:
    """The confirmation a note signed here for this post stands for; None for any other."""
    if not note:
        return None
    try:
        data: Any = serializer().loads(note, max_age=MAX_AGE)
    except BadData:
        return None
    if not isinstance(data, dict) or data.get("post") != slug:
        return None
    return PUBLISHED if data.get("published") is True else AWAITING
