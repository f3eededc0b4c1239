"""The comments file is written with a fast serializer: it must equal json.dumps byte for byte."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from twombly.comments.store import Comment, document_text

text = st.text(min_size=1, max_size=30)
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


@given(st.text(max_size=20), st.lists(comments, max_size=4))
def test_document_text_is_json_dumps_with_two_space_indent(slug: str, items: list) -> None:
    document = {"post": slug, "comments": [comment.to_json() for comment in items]}
    expected = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    assert document_text(slug, items) == expected
