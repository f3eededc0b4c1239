"""A kept page's ETag and its compressed copies, which the page cache keeps beside it: both
follow every change of the page, and a kept page answers as the page rendered afresh would."""

from __future__ import annotations

import gzip
from typing import Any

import brotli
import pytest
from flask import Flask

from twombly import create_app

from .comment_helpers import send_comment

DECOMPRESS = {"br": brotli.decompress, "gzip": gzip.decompress}


@pytest.fixture
def cached_app(site, config: dict[str, Any], write_post) -> Flask:
    """A production server: the page cache on, pages read once."""
    write_post("her", body="A film about a voice.", tags=["drama"])
    production = {**config, "TESTING": False, "FLATPAGES_AUTO_RELOAD": False}
    return create_app(production, site=site)


def test_a_kept_page_gets_a_new_etag_when_a_comment_arrives(cached_app) -> None:
    reader = cached_app.test_client()
    first = reader.get("/posts/her/")
    kept = reader.get("/posts/her/")
    etag = first.headers["ETag"]
    assert kept.headers["ETag"] == etag and kept.data == first.data
    assert reader.get("/posts/her/", headers={"If-None-Match": etag}).status_code == 304
    writer = cached_app.test_client()
    assert send_comment(writer, "her", body="The letters scene!").status_code == 303
    changed = reader.get("/posts/her/", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and "The letters scene!" in changed.text
    assert changed.headers["ETag"] != etag
    again = reader.get("/posts/her/", headers={"If-None-Match": changed.headers["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_a_compressed_reader_gets_the_fresh_page_after_a_change(cached_app, encoding) -> None:
    reader = cached_app.test_client()
    asks = {"Accept-Encoding": encoding}
    plain = reader.get("/posts/her/")
    packed = [reader.get("/posts/her/", headers=asks) for _ in range(2)]  # made, then kept
    for answer in packed:
        assert answer.headers["Content-Encoding"] == encoding
        assert DECOMPRESS[encoding](answer.data) == plain.data
        assert answer.headers["ETag"] == f'{plain.headers["ETag"][:-1]}:{encoding}"'
    unchanged = reader.get(
        "/posts/her/", headers={**asks, "If-None-Match": packed[0].headers["ETag"]}
    )
    assert unchanged.status_code == 304
    writer = cached_app.test_client()
    assert send_comment(writer, "her", body="The letters scene!").status_code == 303
    fresh = reader.get("/posts/her/", headers={**asks, "If-None-Match": packed[0].headers["ETag"]})
    assert fresh.status_code == 200 and fresh.headers["ETag"] != packed[0].headers["ETag"]
    assert b"The letters scene!" in DECOMPRESS[encoding](fresh.data)
    assert DECOMPRESS[encoding](fresh.data) == reader.get("/posts/her/").data


def test_a_session_reader_is_never_sent_a_kept_compressed_copy(cached_app) -> None:
    reader = cached_app.test_client()
    reader.get("/posts/her/", headers={"Accept-Encoding": "gzip"})  # kept, with its copy
    writer = cached_app.test_client()
    assert send_comment(writer, "her", body="The letters scene!").status_code == 303
    own = writer.get("/posts/her/", headers={"Accept-Encoding": "gzip"})
    assert own.headers["Cache-Control"] == "private"
    assert b"Edit or delete" in gzip.decompress(own.data)
