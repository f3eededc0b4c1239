"""Merge two copies of a comments file by comment id: git's merge driver for comments/*.json.

The server takes comments while the owner moderates on a laptop; git's line merge would see
both sides append to the same list and conflict. Here each comment is merged on its own,
field by field, against the common ancestor:
- a comment added on either side is kept; the result is ordered by time;
- a change (moderation, edit, deletion) on one side wins over the other side's unchanged copy;
- a field changed differently on both sides keeps the newer comment (its `edited`, else its
  `created` time; ours on a tie), and a note says so;
- a reply whose parent was deleted moves up to the nearest ancestor still there.
The result must pass the same check as any comments file, or nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import orjson

from twombly.comments.model import (
    FIELD_ORDER,
    Comment,
    CommentFileError,
    checked,
    parse,
    serialize,
)


class MergeError(Exception):
    """The copies cannot be merged by id: a file does not parse, or belongs to another post."""


def _read(path: Path, raw: bytes) -> tuple[str | None, dict[str, Comment]]:
    """A copy's post and its comments by id (an empty ancestor: a file added on both sides)."""
    if not raw.strip():
        return None, {}
    try:
        slug = orjson.loads(raw).get("post")
    except (orjson.JSONDecodeError, AttributeError):
        raise MergeError(f"{path}: does not parse as a comments file") from None
    if not isinstance(slug, str):
        raise MergeError(f'{path}: no "post" name')
    try:
        return slug, {comment.id: comment for comment in parse(path, slug, raw)}
    except CommentFileError as error:
        raise MergeError(str(error)) from error


def _moment(comment: Comment) -> str:
    return comment.edited or comment.created


def _merge_one(
    base: Comment | None, ours: Comment | None, theirs: Comment | None, notes: list[str]
) -> Comment | None:
    if ours == theirs:
        return ours
    if ours == base:
        return theirs
    if theirs == base:
        return ours
    if ours is None or theirs is None:
        kept = ours or theirs
        assert kept is not None
        notes.append(f"comment {kept.id}: deleted on one side, changed on the other; kept it")
        return kept
    if base is not None:
        merged = _merge_fields(base, ours, theirs)
        if merged is not None:
            return merged
    newer = theirs if _moment(theirs) > _moment(ours) else ours
    side = "theirs" if newer is theirs else "ours"
    notes.append(f"comment {ours.id}: changed on both sides; kept the newer change ({side})")
    return newer


def _merge_fields(base: Comment, ours: Comment, theirs: Comment) -> Comment | None:
    """The comment with each side's own changes, or None when a field changed on both."""
    fields = {}
    for name in FIELD_ORDER:
        was, mine, other = getattr(base, name), getattr(ours, name), getattr(theirs, name)
        if mine == other or other == was:
            fields[name] = mine
        elif mine == was:
            fields[name] = other
        else:
            return None
    return Comment(**fields)


def _reattach(merged: dict[str, Comment], everything: Iterable[dict[str, Comment]]) -> None:
    """Point replies whose parent is gone at the nearest ancestor that is still there."""
    parents: dict[str, str | None] = {}
    for copy in everything:
        for comment in copy.values():
            parents.setdefault(comment.id, comment.parent)
    for comment_id, comment in merged.items():
        parent, seen = comment.parent, set()
        while parent is not None and parent not in merged and parent not in seen:
            seen.add(parent)
            parent = parents.get(parent)
        if parent != comment.parent:
            merged[comment_id] = comment._replace(parent=parent if parent in merged else None)


def merge(
    base: bytes, ours: bytes, theirs: bytes, name: str = "comments"
) -> tuple[bytes, list[str]]:
    """The merged file's bytes and notes on what was decided; MergeError when impossible."""
    _, old = _read(Path(f"{name} (ancestor)"), base)
    slug, mine = _read(Path(f"{name} (ours)"), ours)
    other_slug, other = _read(Path(f"{name} (theirs)"), theirs)
    if slug is None or other_slug is None or slug != other_slug:
        raise MergeError(f"{name}: the two copies are not the comments of one post")
    notes: list[str] = []
    order = {comment_id: index for index, comment_id in enumerate([*mine, *other, *old])}
    merged = {}
    for comment_id in order:
        kept = _merge_one(old.get(comment_id), mine.get(comment_id), other.get(comment_id), notes)
        if kept is not None:
            merged[comment_id] = kept
    _reattach(merged, (mine, other, old))
    result = sorted(merged.values(), key=lambda c: (c.created_at, order[c.id]))
    try:
        for comment in result:
            checked(comment)
        data = serialize(slug, result)
        parse(Path(name), slug, data)
    except (ValueError, CommentFileError) as error:
        raise MergeError(f"{name}: the merged file would not be valid: {error}") from error
    return data, [f"{name}: {note}" for note in notes]
