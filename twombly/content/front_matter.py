"""Front matter to Post: typed, validated values, and errors that name the file and line."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from functools import cached_property
from typing import Any

import yaml
from flask_flatpages import Page
from werkzeug.routing import Map

from twombly.content.pages import (
    FrontMatterError,
    fence_problem,
    page_file,
    read_front_matter,
    source_name,
)
from twombly.content.post import Post, Tag, tag_slug
from twombly.content.review_matter import read_review

KNOWN_KEYS = frozenset(
    {"title", "date", "updated", "tags", "tagline", "summary", "draft", "comments", "kind",
     "review", "image", "slug", "spoilers"}
)  # fmt: skip
# YAML errors better placed where the string or list began than where YAML gave up.
STARTED_AT_CONTEXT = ("while scanning a quoted scalar", "while parsing a flow")
SLUG_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def post_from_page(page: Page, root: str, reserved: frozenset[str] = frozenset()) -> Post:
    """Build a Post from a page read under `root`, or raise FrontMatterError naming the line.

    `reserved`: lower-case names a standalone page may not take (the site's own routes).
    """
    file = page_file(root, page)
    source = source_name(file, root)
    problem = fence_problem(file)
    if problem:
        raise FrontMatterError(source, 1, problem)
    try:
        meta = page.meta
    except yaml.YAMLError as error:
        raise _yaml_error(file, source, error) from error
    except Exception as error:
        # Not a mapping (FlatPages merges YAML documents with dict.update), or a value PyYAML's
        # constructors fail on without a YAMLError: `!!int abc`, `!!bool maybe`, `!!timestamp x`.
        raise FrontMatterError(
            source, 2, f"front matter must be a mapping of keys ({error})"
        ) from error
    return _Reader(source, file, meta).post(page, reserved)


def reserved_names(routes: Map) -> frozenset[str]:
    """The first segment of each route not starting with an argument (admin, tags, feed.xml...),
    in lower case: a standalone page, served at /<slug>/, may not take one."""
    segments = (rule.rule.split("/")[1] for rule in routes.iter_rules())
    return frozenset(name.lower() for name in segments if name and "<" not in name)


def without_shared_slugs(posts: list[Post]) -> tuple[list[Post], list[FrontMatterError]]:
    """The posts whose slug no other file has, and an error naming the others for each file
    that shares one: none of them is published, so none takes over another's address."""
    by_slug: dict[str, list[Post]] = {}
    for post in posts:
        by_slug.setdefault(post.slug, []).append(post)
    kept, problems = [], []
    for sharing in by_slug.values():
        if len(sharing) == 1:
            kept += sharing
            continue
        for post in sharing:
            others = ", ".join(other.source for other in sharing if other is not post)
            message = f"slug '{post.slug}' is also used by {others}"
            problems.append(FrontMatterError(post.source, _slug_line(post), message))
    return kept, problems


def _slug_line(post: Post) -> int:
    """The line of the `slug` key (1 when the slug is the file's name)."""
    return _Reader(post.source, post.file, post.page.meta).line_of("slug")


def unknown_keys(post: Post) -> list[tuple[int, str]]:
    """(line, key) for every front matter key that Twombly does not use."""
    meta = post.page.meta
    reader = _Reader(post.source, post.file, meta)
    return [(reader.line_of(key), key) for key in meta if key not in KNOWN_KEYS]


def _yaml_error(file: str, source: str, error: yaml.YAMLError) -> FrontMatterError:
    """The YAML error with its line in the file, as parsing the text between the fences gives it.

    FlatPages parses its own cut of the file, fences included; parsing Twombly's cut again
    gives the message and line as the author sees them (the fallback: FlatPages' own).
    """
    first_line = 1
    try:
        list(yaml.safe_load_all(read_front_matter(file).meta))
    except yaml.YAMLError as own:
        error, first_line = own, 2
    mark = getattr(error, "problem_mark", None)
    if str(getattr(error, "context", "")).startswith(STARTED_AT_CONTEXT):
        # An unclosed quote or bracket: YAML reads on to the end; the line it began on helps.
        mark = getattr(error, "context_mark", None) or mark
    line = mark.line + first_line if mark else 1
    return FrontMatterError(source, line, f"YAML does not parse: {_yaml_problem(error)}")


def _yaml_problem(error: yaml.YAMLError) -> str:
    problem = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None)
    return f"{context}, {problem}" if context else problem


class _Reader:
    """Reads typed values out of a front matter mapping, failing with the key's line number."""

    def __init__(self, source: str, file: str, meta: dict[str, Any]) -> None:
        self.source = source
        self.file = file
        self.meta = meta

    @cached_property
    def lines(self) -> list[str]:
        """The front matter's lines, read from the file only when a line number is needed."""
        return read_front_matter(self.file).meta.split("\n")

    def line_of(self, key: str) -> int:
        pattern = re.compile(rf"^\s*{re.escape(str(key))}\s*:")
        for number, line in enumerate(self.lines, start=2):
            if pattern.match(line):
                return number
        return 1

    def line_in(self, block: str, key: str) -> int:
        """The line of `key` inside the indented mapping under `block`, else `block`'s own."""
        start = self.line_of(block)
        pattern = re.compile(rf"^\s+{re.escape(key)}\s*:")
        for number, line in enumerate(self.lines[start - 1 :], start=start + 1):
            if line.strip() and not line[0].isspace():
                break
            if pattern.match(line):
                return number
        return start

    def fail(self, key: str, message: str) -> FrontMatterError:
        return FrontMatterError(self.source, self.line_of(key), message)

    def fail_in_review(self, key: str, message: str) -> FrontMatterError:
        return FrontMatterError(self.source, self.line_in("review", key), message)

    def post(self, page: Page, reserved: frozenset[str]) -> Post:
        kind = self.choice("kind", ("post", "page"), "post")
        comments = self.meta.get("comments", "open")
        if isinstance(comments, bool):
            comments = "open" if comments else "closed"
        if comments not in ("open", "closed"):
            raise self.fail("comments", f"comments must be 'open' or 'closed', not {comments!r}")
        return Post(
            slug=self.slug(page, reserved if kind == "page" else frozenset()),
            title=self.text("title", required=True),
            date=self.moment("date", required=True),
            updated=self.moment("updated"),
            tags=self.tags(),
            tagline=self.text("tagline"),
            summary_text=self.text("summary"),
            draft=self.flag("draft"),
            comments_open=comments == "open",
            kind=kind,
            review=read_review(self.meta.get("review"), self.fail_in_review),
            image=self.text("image"),
            spoilers=self.flag("spoilers"),
            source=self.source,
            file=self.file,
            page=page,
        )

    def slug(self, page: Page, reserved: frozenset[str]) -> str:
        slug = self.meta.get("slug", page.path.rsplit("/", 1)[-1])
        # Without case: on a case-insensitive disk a frozen /Tags/ is the folder of /tags/.
        if isinstance(slug, str) and slug.lower() in reserved:
            raise self.fail(
                "slug",
                f"slug {slug!r} is reserved for the site's own /{slug} address; choose another",
            )
        if not isinstance(slug, str) or not SLUG_PATTERN.match(slug):
            raise self.fail("slug", f"slug {slug!r} may hold only letters, digits, '-' and '_'")
        return slug

    def text(self, key: str, *, required: bool = False) -> str | None:
        value = self.meta.get(key)
        if value is None or value == "":
            if required:
                raise self.fail(key, f"missing required key '{key}'")
            return None
        if isinstance(value, (dict, list)):
            raise self.fail(key, f"'{key}' must be text")
        return str(value).strip()

    def flag(self, key: str) -> bool:
        value = self.meta.get(key, False)
        if not isinstance(value, bool):
            raise self.fail(key, f"'{key}' must be true or false, not {value!r}")
        return value

    def choice(self, key: str, allowed: tuple[str, ...], default: str) -> str:
        value = self.meta.get(key, default)
        if value not in allowed:
            raise self.fail(key, f"'{key}' must be one of {', '.join(allowed)}, not {value!r}")
        return value

    def moment(self, key: str, *, required: bool = False) -> datetime | None:
        value = self.meta.get(key)
        if value is None:
            if required:
                raise self.fail(key, f"missing required key '{key}'")
            return None
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value.strip())
            except ValueError:
                raise self.fail(
                    key, f"'{key}' is not a date: {value!r} (use YYYY-MM-DD)"
                ) from None
        if isinstance(value, datetime):
            try:
                return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
            except OverflowError:  # e.g. 0001-01-01T00:00+05:00 is before year 1 in UTC
                raise self.fail(key, f"'{key}' is out of range: {value}") from None
        if isinstance(value, date):
            return datetime.combine(value, time(), tzinfo=UTC)
        raise self.fail(key, f"'{key}' is not a date: {value!r} (use YYYY-MM-DD)")

    def tags(self) -> tuple[Tag, ...]:
        value = self.meta.get("tags", [])
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail("tags", "tags must be a list, e.g. [drama, romance]")
        tags: dict[str, Tag] = {}
        for item in value:
            if not isinstance(item, (str, int, float)) or not tag_slug(str(item)):
                raise self.fail("tags", f"tag {item!r} must be a word or phrase")
            tag = Tag(str(item).strip(), tag_slug(str(item)))
            tags.setdefault(tag.slug, tag)
        return tuple(tags.values())
