"""The comment model and the bytes of `comments/<slug>.json`: validate, parse, serialize.

A `Snapshot` is one version of a file as text and comments. Because a new comment is an
addition at the end of the file, a snapshot can be extended (`extended`, `appended_text`)
without parsing or serializing the comments it already holds: a long thread costs what
its new comments cost, not what all of them cost.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

STATUSES = ("approved", "pending", "spam")
FIELD_ORDER = ("id", "parent", "author", "website", "body", "created", "edited", "status")
REQUIRED = {"id": str, "author": str, "body": str, "created": str, "status": str}
OPTIONAL = {"parent": str, "website": str, "edited": str}
CLOSE = "\n  ]\n}\n"  # how a canonical file with at least one comment ends

_encode = json.JSONEncoder(ensure_ascii=False).encode


class CommentFileError(Exception):
    """A comments file that cannot be read; it is left exactly as it is."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path


@dataclass(frozen=True)
class Comment:
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
        values = {key: getattr(self, key) for key in FIELD_ORDER}
        return {
            key: values[key] for key in FIELD_ORDER if values[key] is not None or key == "parent"
        }


def timestamp(moment: datetime | None = None) -> str:
    moment = (moment or datetime.now(UTC)).astimezone(UTC)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def new_id(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


class Snapshot:
    """One version of a post's file: its text, comments and their ids.

    Whether the text is in the canonical layout is checked (by serializing once) only when
    a comment is to be added to it, so a reader that never writes never pays for it.
    """

    def __init__(
        self,
        slug: str,
        comments: tuple[Comment, ...],
        text: str,
        ids: frozenset[str] | None = None,
        canonical: bool | None = None,
    ) -> None:
        self.slug, self.comments, self.text = slug, comments, text
        self.ids = frozenset(c.id for c in comments) if ids is None else ids
        self._canonical = canonical

    @property
    def canonical(self) -> bool:
        if self._canonical is None:
            self._canonical = self.text == document_text(self.slug, self.comments)
        return self._canonical

    def extended(self, new: list[Comment], text: str) -> Snapshot:
        ids = self.ids | {c.id for c in new}
        return Snapshot(self.slug, self.comments + tuple(new), text, ids, canonical=True)


def entries_text(comments: list[Comment] | tuple[Comment, ...]) -> str:
    """The comments as they stand inside the file's "comments" list, joined by commas."""
    entries = []
    for comment in comments:
        fields = ",\n".join(
            f"      {_encode(key)}: {_encode(value)}" for key, value in comment.to_json().items()
        )
        entries.append(f"    {{\n{fields}\n    }}")
    return ",\n".join(entries)


def document_text(slug: str, comments: list[Comment] | tuple[Comment, ...]) -> str:
    """`json.dumps({"post": slug, "comments": [...]}, ensure_ascii=False, indent=2) + "\\n"`,
    byte for byte, built with the C string encoder (the indenting encoder is pure Python and
    was most of the time of adding a comment to a long thread)."""
    if not comments:
        return json.dumps({"post": slug, "comments": []}, ensure_ascii=False, indent=2) + "\n"
    return f'{{\n  "post": {_encode(slug)},\n  "comments": [\n{entries_text(comments)}{CLOSE}'


def appended_text(slug: str, snapshot: Snapshot | None, new: list[Comment]) -> str:
    """The file after adding `new` at the end: the old text kept, only `new` serialized."""
    if snapshot is None or not snapshot.comments or not snapshot.canonical:
        old = snapshot.comments if snapshot else ()
        return document_text(slug, old + tuple(new))
    return f"{snapshot.text[: -len(CLOSE)]},\n{entries_text(new)}{CLOSE}"


def parse(path: Path, slug: str, text: str, previous: Snapshot | None = None) -> Snapshot:
    """Validate a file's text; when it is `previous` with comments added, parse only those."""
    if previous is not None:
        grown = _parse_addition(slug, text, previous)
        if grown is not None:
            return grown
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise CommentFileError(path, f"does not parse: {error}") from error
    return Snapshot(slug, tuple(validated(path, slug, data)), text)


def _parse_addition(slug: str, text: str, previous: Snapshot) -> Snapshot | None:
    """The new snapshot when `text` is exactly `previous.text` plus canonical new entries.

    Anything else (an edit, a deletion, another layout) returns None for a full parse, which
    also gives the precise error for a broken file.
    """
    old = previous.text
    if not previous.comments or not text.endswith(CLOSE) or not previous.canonical:
        return None
    head = old[: -len(CLOSE)]
    if len(text) <= len(old) or not text.startswith(head) or text[len(head)] != ",":
        return None
    addition = text[len(head) + 1 : -len(CLOSE)]
    try:
        items = json.loads(f"[{addition}]")
    except json.JSONDecodeError:
        return None
    if not isinstance(items, list) or not items:
        return None
    seen = set(previous.ids)
    new = []
    for item in items:
        if _entry_problem(item, seen):
            return None
        seen.add(item["id"])
        new.append(_comment(item))
    if f"\n{entries_text(new)}" != addition:
        return None
    return previous.extended(new, text)


def validated(path: Path, slug: str, data: Any) -> list[Comment]:
    if not isinstance(data, dict) or not isinstance(data.get("comments"), list):
        raise CommentFileError(path, 'expected an object with a "comments" list')
    if data.get("post", slug) != slug:
        raise CommentFileError(path, f'"post" is {data.get("post")!r}, expected {slug!r}')
    comments = []
    seen: set[str] = set()
    for number, item in enumerate(data["comments"], start=1):
        problem = _entry_problem(item, seen)
        if problem:
            raise CommentFileError(path, f"comment {number}: {problem}")
        seen.add(item["id"])
        comments.append(_comment(item))
    return comments


def comment_from(item: Any) -> Comment | None:
    """A comment from one JSON object, or None when the object is not a valid comment."""
    return None if _entry_problem(item, set()) else _comment(item)


def _comment(item: dict[str, Any]) -> Comment:
    return Comment(**{key: item.get(key) for key in FIELD_ORDER})


def _entry_problem(item: Any, seen: set[str]) -> str | None:
    if not isinstance(item, dict):
        return "is not an object"
    for key, kind in REQUIRED.items():
        if not isinstance(item.get(key), kind):
            return f'"{key}" is missing or not text'
    for key, kind in OPTIONAL.items():
        if item.get(key) is not None and not isinstance(item[key], kind):
            return f'"{key}" must be text or null'
    unknown = set(item) - set(FIELD_ORDER)
    if unknown:
        return f"unknown keys: {', '.join(sorted(unknown))}"
    if item["status"] not in STATUSES:
        return f'"status" must be one of {", ".join(STATUSES)}'
    if item["id"] in seen:
        return f"duplicate id {item['id']!r}"
    try:
        datetime.fromisoformat(item["created"])
    except ValueError:
        return f'"created" is not an ISO date: {item["created"]!r}'
    return None
