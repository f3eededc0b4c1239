"""The comment model and the bytes of `comments/<slug>.json`: validate, parse, serialize.

One check (`entry_problem`) decides what a stored comment may be: it is applied to every
comment of a file that is read, and to every comment the store is about to write.
"""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

import orjson

STATUSES = ("approved", "pending", "spam")
FIELD_ORDER = ("id", "parent", "author", "website", "body", "created", "edited", "status")
REQUIRED = ("id", "author", "body", "created", "status")
OPTIONAL = ("parent", "website", "edited")
FIELDS = frozenset(FIELD_ORDER)
# What no text may hold: control characters but tab and line breaks, U+FFFE and U+FFFF (XML
# refuses them all, so feeds would break), lone surrogates (not writable as UTF-8). The forms
# also refuse tabs and line breaks in one-line fields (ONE_LINE).
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
ONE_LINE = re.compile("[\x00-\x1f\ud800-\udfff\ufffe\uffff]")
# In a file's bytes such characters appear only as escapes (JSON forbids raw control
# characters) or, for U+FFFE/U+FFFF, as UTF-8 starting EF BF: a file with neither (the usual
# case) needs no look at its texts one by one.
ESCAPE = re.compile(rb"\\[ubf]")
NONCHARACTER = b"\xef\xbf"


class CommentFileError(Exception):
    """A comments file that cannot be read; it is left exactly as it is."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path


class InvalidComment(ValueError):
    """A comment the store refuses to write: it would not pass the check of a file."""


class Comment(NamedTuple):
    """One comment, immutable (the store shares its parsed files); change it with `_replace`."""

    id: str
    author: str
    body: str
    created: str
    status: str = "approved"
    parent: str | None = None
    website: str | None = None
    edited: str | None = None

    @property
    def created_at(self) -> datetime:
        return datetime.fromisoformat(self.created)

    def to_json(self) -> dict[str, Any]:
        """The comment as stored: keys in FIELD_ORDER, `website` and `edited` only when set."""
        record = {"id": self.id, "parent": self.parent, "author": self.author}
        if self.website is not None:
            record["website"] = self.website
        record["body"], record["created"] = self.body, self.created
        if self.edited is not None:
            record["edited"] = self.edited
        record["status"] = self.status
        return record


def timestamp(moment: datetime | None = None) -> str:
    moment = (moment or datetime.now(UTC)).astimezone(UTC)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def new_id(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def text_problem(value: str, one_line: bool = False) -> str | None:
    """Why a text cannot be stored (a control character, a lone surrogate), or None."""
    found = (ONE_LINE if one_line else FORBIDDEN).search(value)
    if found is None:
        return None
    if found.group() >= "\ud800":
        return "holds a character that is not valid text"
    return f"holds a control character (U+{ord(found.group()):04X})"


def entry_problem(
    item: Any, seen: set[str] | frozenset[str] = frozenset(), texts: bool = True
) -> str | None:
    """Why one JSON object is not a valid comment, or None.

    `seen`: the ids before it; `texts=False` skips the text check (see ESCAPE).
    """
    if not isinstance(item, dict):
        return "is not an object"
    for key in REQUIRED:
        if not isinstance(item.get(key), str):
            return f'"{key}" is missing or not text'
    for key in OPTIONAL:
        if item.get(key) is not None and not isinstance(item[key], str):
            return f'"{key}" must be text or null'
    if not item.keys() <= FIELDS:
        return f"unknown keys: {', '.join(sorted(item.keys() - FIELDS))}"
    if texts:
        for key, value in item.items():
            problem = value is not None and text_problem(value)
            if problem:
                return f'"{key}" {problem}'
    if item["status"] not in STATUSES:
        return f'"status" must be one of {", ".join(STATUSES)}'
    if item["id"] in seen:
        return f"duplicate id {item['id']!r}"
    try:
        datetime.fromisoformat(item["created"])
    except ValueError:
        return f'"created" is not an ISO date: {item["created"]!r}'
    return None


def checked(comment: Comment) -> Comment:
    """The comment itself, or InvalidComment when a file holding it would not validate."""
    problem = entry_problem(comment.to_json())
    if problem:
        raise InvalidComment(f"comment {comment.id}: {problem}")
    return comment


class Parsed(NamedTuple):
    """A file's comments, and each as the JSON object the store writes (`Comment.to_json`):
    its keys in the designed order, whatever the file they were read from had."""

    comments: tuple[Comment, ...]
    records: list[dict[str, Any]]

    @classmethod
    def of(
        cls, comments: list[Comment] | tuple[Comment, ...], earlier: Parsed | None = None
    ) -> Parsed:
        """`comments` with their records; those of `earlier`'s comments when they come first."""
        kept = len(earlier.comments) if earlier is not None else 0
        if earlier is not None and list(comments[:kept]) == list(earlier.comments):
            return cls(tuple(comments), earlier.records + [c.to_json() for c in comments[kept:]])
        return cls(tuple(comments), [comment.to_json() for comment in comments])


def parse(path: Path, slug: str, raw: bytes) -> tuple[Comment, ...]:
    """The validated comments of a file's bytes; CommentFileError names what is wrong."""
    return parse_after(path, slug, raw).comments


def parse_after(path: Path, slug: str, raw: bytes, earlier: Parsed | None = None) -> Parsed:
    """`parse`, given what the file held before: when its records all come first, unchanged
    (another writer added comments), their comments are taken as they are. Equal JSON values
    pass the same check, so only the records after them are checked and built."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise CommentFileError(path, f"does not parse: {error}") from error
    if not isinstance(data, dict) or not isinstance(data.get("comments"), list):
        raise CommentFileError(path, 'expected an object with a "comments" list')
    if data.get("post", slug) != slug:
        raise CommentFileError(path, f'"post" is {data.get("post")!r}, expected {slug!r}')
    records = data["comments"]
    kept = _unchanged(records, earlier)
    comments = list(earlier.comments) if earlier is not None and kept else []
    seen = {comment.id for comment in comments}
    texts = ESCAPE.search(raw) is not None or NONCHARACTER in raw
    for number, item in enumerate(records[kept:], start=kept + 1):
        problem = entry_problem(item, seen, texts)
        if problem:
            raise CommentFileError(path, f"comment {number}: {problem}")
        seen.add(item["id"])
        comments.append(Comment(**item))
    if earlier is None or not kept:
        return Parsed.of(comments)
    # the first `kept` comments are earlier's own: their records need no comparing again
    added = [comment.to_json() for comment in comments[kept:]]
    return Parsed(tuple(comments), earlier.records + added)


def _unchanged(records: list[Any], earlier: Parsed | None) -> int:
    """How many of `records` are the earlier records, at the start and unchanged: all or 0.

    A file written by the store holds its records as `to_json` made them; one written by hand
    in another way (a key left out) is never taken as unchanged, and so is read whole."""
    if earlier is None or len(records) < len(earlier.records):
        return 0
    return len(earlier.records) if records[: len(earlier.records)] == earlier.records else 0


def serialize(slug: str, comments: list[Comment] | tuple[Comment, ...]) -> bytes:
    """The file's bytes: `json.dumps(doc, indent=2, ensure_ascii=False) + "\\n"`, via orjson."""
    return dump(slug, Parsed.of(comments).records)


def dump(slug: str, records: list[dict[str, Any]]) -> bytes:
    """The bytes of a file holding `records` (made by `Comment.to_json`)."""
    document = {"post": slug, "comments": records}
    return orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n"
