"""A comment's web address is a link only when it is http(s), on the page and in its feed."""

from __future__ import annotations

import pytest

from .sample_site import APPROVED

HOSTILE = ["javascript:alert(1)", " JaVaScRiPt:alert(1)", "data:text/html,<script>x</script>",
           "vbscript:msgbox(1)", "//evil.example/"]  # fmt: skip


@pytest.mark.parametrize("website", HOSTILE)
def test_hostile_web_address_is_not_a_link(client, write_post, write_comments, website):
    write_post("her")
    comment = {"id": "c1", "author": "Mallory", "body": "Hi.", "website": website, **APPROVED}
    write_comments("her", [comment])
    page = client.get("/posts/her/").get_data(as_text=True)
    assert 'class="comment-author" id="comment-c1-author">Mallory</span>' in page
    feed = client.get("/posts/her/comments.xml").get_data(as_text=True)
    assert "<name>Mallory</name>" in feed and "<uri>" not in feed


def test_http_web_address_is_a_link(client, write_post, write_comments):
    write_post("her")
    comment = {"id": "c1", "author": "Ann", "body": "Hi.", "website": "https://ann.example/",
               **APPROVED}  # fmt: skip
    write_comments("her", [comment])
    page = client.get("/posts/her/").get_data(as_text=True)
    assert '<a href="https://ann.example/" rel="nofollow ugc noopener">Ann</a>' in page
    assert "<uri>https://ann.example/</uri>" in client.get("/posts/her/comments.xml").text
