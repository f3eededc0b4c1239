"""Any front matter at all yields a valid Post or a FrontMatterError naming the file and line.

Never another exception: one odd file must not take the whole site down at start-up.
"""

from __future__ import annotations

import itertools
import os
import string
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from twombly import create_app
from twombly.content.catalog import reload_catalog
from twombly.content.front_matter import KNOWN_KEYS, SLUG_PATTERN, unknown_keys
from twombly.content.pages import FrontMatterError
from twombly.content.post import Post
from twombly.content.review_matter import REVIEW_KEYS

OFFSETS = st.integers(-23 * 60, 23 * 60).map(lambda minutes: timezone(timedelta(minutes=minutes)))
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(),
    st.sampled_from(["", "open", "closed", "post", "page", "2014-01-20", "not a date", "-"]),
    st.dates(),
    st.datetimes(timezones=st.none() | OFFSETS),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(SCALARS, inner, max_size=4),
    max_leaves=12,
)
# Often-valid values for the keys that matter, so that many examples get all the way to a Post.
LIKELY = {
    "title": st.text(min_size=1) | VALUES,
    "date": st.dates() | st.datetimes(timezones=st.none() | OFFSETS) | VALUES,
    "tags": st.lists(st.text(string.ascii_letters + " -", min_size=1), max_size=4) | VALUES,
    "rating": st.floats(0, 5) | st.integers(1, 10).map(lambda n: n / 2) | VALUES,
    "year": st.integers(1800, 2100) | VALUES,
    "slug": st.from_regex(SLUG_PATTERN, fullmatch=True) | VALUES,
}
REVIEWS = st.fixed_dictionaries(
    {},
    optional={key: LIKELY.get(key, VALUES) for key in REVIEW_KEYS} | {"extra": VALUES},
)
MAPPINGS = st.fixed_dictionaries(
    {},
    optional={key: LIKELY.get(key, VALUES) for key in KNOWN_KEYS} | {"review": REVIEWS | VALUES},
).flatmap(lambda known: st.dictionaries(SCALARS, VALUES, max_size=3).map(known.__or__))
FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """The pages/ folder of an app, inside its app context."""
    site = tmp_path_factory.mktemp("site")
    (site / "pages").mkdir()
    app = create_app({"TESTING": True, "SECRET_KEY": "test"}, site=site)
    with app.app_context():
        yield site / "pages"


VERSIONS = itertools.count(1)


def read(pages, front_matter: str) -> Post | FrontMatterError:
    """Write pages/some-post.md and read it as the site does: its Post, or its problem."""
    file = pages / "some-post.md"
    text = f"---\n{front_matter}\n---\n\nA paragraph of the review.\n"
    file.write_text(text, encoding="utf-8", newline="")
    version = next(VERSIONS)  # FlatPages reads a file again when its mtime changes
    os.utime(file, ns=(version, version))
    site = reload_catalog()
    return next(iter(site.problems), None) or next(iter(site.entries.values()))


def assert_valid(result: Post | FrontMatterError) -> None:
    if isinstance(result, FrontMatterError):
        assert result.path == "pages/some-post.md"
        assert result.line >= 1 and result.message
        assert str(result).startswith(f"pages/some-post.md:{result.line}: ")
        return
    post = result
    assert SLUG_PATTERN.match(post.slug)
    assert isinstance(post.title, str) and post.title
    for moment in (post.date, post.updated or post.date):
        assert isinstance(moment, datetime) and moment.utcoffset() == timedelta(0)
    assert all(tag.slug and isinstance(tag.name, str) for tag in post.tags)
    assert post.kind in ("post", "page")
    if post.review:
        assert isinstance(post.review.title, str)
        assert post.review.rating is None or 0 <= post.review.rating <= 5
        assert post.review.year is None or 1800 <= post.review.year <= 9999
    assert post.is_public(datetime.now(UTC)) in (True, False)
    assert post.summary and post.reading_minutes >= 1
    assert all(isinstance(line, int) for line, _ in unknown_keys(post))


@FAST
@given(MAPPINGS)
def test_any_front_matter_mapping(pages, meta):
    assert_valid(read(pages, yaml.safe_dump(meta, allow_unicode=True)))


@FAST
@given(VALUES)
def test_any_yaml_document(pages, document):
    assert_valid(read(pages, yaml.safe_dump(document, allow_unicode=True)))


@FAST
@given(st.text())
def test_any_text(pages, text):
    assert_valid(read(pages, text))


@pytest.mark.parametrize(
    "front_matter, line, message",
    [
        ("42", 2, "must be a mapping"),
        ("- a\n- b", 2, "must be a mapping"),
        ("title: x\ndate: 0001-01-01T00:00:00+05:00", 3, "'date' is out of range"),
        ("title: x\ndate: 2024-01-01\nreview: {1: a, title: b}", 4, "unknown keys: 1"),
        ("title: x\ndate: !!timestamp '2000-01-01 00:00:00+00:00:00.1'", 2, "mapping of keys"),
        ("title: x\ndate: 2024-01-01\ndraft: !!bool maybe", 2, "mapping of keys"),
        ("title: !!int abc\ndate: 2024-01-01", 2, "mapping of keys"),
        ("title: x\ndate: 2024-01-01\ntagline: a\x07b", 4, "unacceptable character #x0007"),
    ],
)
def test_what_hypothesis_found(pages, front_matter, line, message):
    error = read(pages, front_matter)
    assert isinstance(error, FrontMatterError)
    assert error.line == line and message in error.message


def test_a_valid_mapping_is_a_post(pages):
    meta = {"title": "her", "date": date(2014, 1, 20), "tags": ["drama"]}
    post = read(pages, yaml.safe_dump(meta))
    assert isinstance(post, Post) and post.title == "her"
