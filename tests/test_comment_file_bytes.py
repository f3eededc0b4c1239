"""The comments file is written with orjson: it must equal json.dumps byte for byte."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from twombly.comments.model import serialize
from twombly.comments.store import Comment, CommentStore

HOSTILE = [
    "Ça va? “Yes” — naïve café",
    "🎬🍿 emoji and \U0001f9d1\u200d\U0001f4bb joined",
    "quotes \" and ' and backslashes \\ \\\\ \\u0041",
    "line\u2028separator\u2029paragraph",
    "tab\there\r\nline\nbreaks",
    "\x00\x01\x07\x08\x0b\x0c\x1b\x1f\x7f\ufffe\uffff controls and non-characters",
    "\ufeff\x7f\x85 \ufdd0 \U0010ffff odd code points",
    "</script><!-- & < > -->",
]
text = st.text(min_size=1, max_size=30) | st.sampled_from(HOSTILE)
comments = st.builds(
    Comment,
    id=text,
    author=text,
    body=text,
    created=text,
    status=st.sampled_from(["approved", "pending", "spam"]),
    parent=st.none() | text,
    website=st.none() | text,
    edited=st.none() | text,
)


def expected_bytes(slug: str, items: list[Comment]) -> bytes:
    document = {"post": slug, "comments": [comment.to_json() for comment in items]}
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


@given(st.text(max_size=20), st.lists(comments, max_size=4))
def test_the_file_is_json_dumps_with_two_space_indent(slug: str, items: list) -> None:
    assert serialize(slug, items) == expected_bytes(slug, items)


@pytest.mark.parametrize("hostile", [text for text in HOSTILE if "controls" not in text])
def test_a_stored_comment_is_written_as_json_dumps_would(tmp_path, hostile):
    """Through the store: hostile text a comment may hold, in the fixed key order."""
    store = CommentStore(tmp_path)
    first = store.add("her", author="Ann", body=f"Body: {hostile}")
    second = store.add(
        "her", author="Bob", body=hostile, website="https://b.example/", parent=first.id
    )
    store.update("her", second.id, body=f"Edited: {hostile}")
    written = (tmp_path / "her.json").read_bytes()
    assert written == expected_bytes("her", store.read("her"))
    document = json.loads(written)
    assert list(document) == ["post", "comments"]
    assert list(document["comments"][0]) == ["id", "parent", "author", "body", "created", "status"]
    assert list(document["comments"][1]) == [
        "id",
        "parent",
        "author",
        "website",
        "body",
        "created",
        "edited",
        "status",
    ]
    assert document["comments"][1]["body"] == f"Edited: {hostile}"
