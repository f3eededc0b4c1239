"""CommentStore: one JSON file per post under comments/, safe for many writers at once.

Every change is made under the post's file lock: the file is read afresh (or taken from the
snapshot this process last read or wrote, when its inode, size and times are unchanged),
changed, written to a temporary file in the same folder, fsynced and moved over the old one
with os.replace: readers see the old file or the new one, never half of either. A file that
does not parse is never written to.

New comments go through the spool (`comment_files.Spool`): a writer spools its comment and
then either takes the lock and writes every spooled comment of the post at once, or finds its
comment already written by the writer before it. `add` returns only once the comment is
durably in the post's file.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from flask import Flask, current_app

from twombly.comments.files import CommentWriteError, PostLock, Spool, post_lock, stat_key
from twombly.comments.merge import POLL_SECONDS, await_merge, merge, write_if_idle
from twombly.comments.model import (
    STATUSES,
    Comment,
    CommentFileError,
    Snapshot,
    document_text,
    new_id,
    parse,
    timestamp,
)

__all__ = [
    "STATUSES",
    "Comment",
    "CommentFileError",
    "CommentStore",
    "CommentWriteError",
    "Thread",
    "UnknownComment",
    "document_text",
    "store",
    "threads",
    "timestamp",
]

log = logging.getLogger(__name__)
MAX_DEPTH = 3
Result = TypeVar("Result")


class UnknownComment(LookupError):
    pass


@dataclass
class Thread:
    """A comment with its visible replies, for display."""

    comment: Comment
    replies: list[Thread] = field(default_factory=list)


class CommentStore:
    """Read and change the comments of each post, one `<slug>.json` file per post."""

    def __init__(self, folder: str | os.PathLike[str], lock_timeout: float = 10.0) -> None:
        self.folder = Path(folder)
        self.lock_timeout = lock_timeout
        self._cache: dict[Path, tuple[tuple[int, ...], Snapshot]] = {}
        self._gates: dict[str, threading.Lock] = {}
        self._file_locks: dict[str, PostLock] = {}

    def path(self, slug: str) -> Path:
        return self.folder / f"{slug}.json"

    def gate(self, slug: str) -> threading.Lock:
        """The thread lock this process's writers of one post queue at (see `await_merge`)."""
        gate = self._gates.get(slug)
        return gate if gate is not None else self._gates.setdefault(slug, threading.Lock())

    def file_lock(self, slug: str) -> PostLock:
        """The post's lock against other processes (and threads, see PostLock)."""
        lock = self._file_locks.get(slug)
        if lock is None:
            lock = self._file_locks.setdefault(slug, post_lock(self.path(slug), self.lock_timeout))
        return lock

    def slugs(self) -> list[str]:
        if not self.folder.is_dir():
            return []
        return sorted(path.stem for path in self.folder.glob("*.json"))

    def read(self, slug: str) -> list[Comment]:
        """All comments of a post, in creation order; [] when it has no file yet."""
        snapshot = self.snapshot(slug)
        return list(snapshot.comments) if snapshot else []

    def approved(self, slug: str) -> list[Comment]:
        return [c for c in self.read(slug) if c.status == "approved"]

    def get(self, slug: str, comment_id: str) -> Comment:
        for comment in self.read(slug):
            if comment.id == comment_id:
                return comment
        raise UnknownComment(comment_id)

    def find(self, comment_id: str) -> tuple[str, Comment]:
        """The post slug and comment for an id, searching every file.

        An unreadable file does not hide the other files' comments; it is only reported
        (raised) when the id is found nowhere else, as the id may be in it.
        """
        unreadable: CommentFileError | None = None
        for slug in self.slugs():
            try:
                return slug, self.get(slug, comment_id)
            except UnknownComment:
                continue
            except CommentFileError as error:
                unreadable = unreadable or error
        if unreadable is not None:
            raise unreadable
        raise UnknownComment(comment_id)

    def add(
        self,
        slug: str,
        *,
        author: str,
        body: str,
        website: str | None = None,
        parent: str | None = None,
        status: str = "approved",
        now: datetime | None = None,
    ) -> Comment:
        """Add a comment at the end; a reply too deep is attached to the deepest allowed level.

        Returns once the comment is durably in the post's file.
        """
        moment = now or datetime.now(UTC)
        if parent is not None:
            parent = _attach_point(self.read(slug), parent)
        comment = Comment(
            id=new_id(moment),
            parent=parent,
            author=author,
            website=website or None,
            body=body,
            created=timestamp(moment),
            status=_checked_status(status),
        )
        spool = Spool(self.folder, slug)
        if not os.path.isdir(self.folder):
            self._make_folder()
        written = write_if_idle(self, slug, spool, comment)
        if written is not None:
            return written
        while not spool.drop(comment.id, comment.to_json()):
            comment = _replace(comment, id=new_id(moment))
        return await_merge(self, slug, spool, comment)

    def update(self, slug: str, comment_id: str, *, body: str) -> Comment:
        def edit(comments: list[Comment]) -> Comment:
            index = _index_of(comments, comment_id)
            comments[index] = _replace(comments[index], body=body, edited=timestamp())
            return comments[index]

        return self._change(slug, edit)

    def set_status(self, slug: str, comment_id: str, status: str) -> Comment:
        def moderate(comments: list[Comment]) -> Comment:
            index = _index_of(comments, comment_id)
            comments[index] = _replace(comments[index], status=_checked_status(status))
            return comments[index]

        return self._change(slug, moderate)

    def delete(self, slug: str, comment_id: str) -> Comment:
        """Remove a comment; its replies move up to its own parent."""

        def remove(comments: list[Comment]) -> Comment:
            removed = comments.pop(_index_of(comments, comment_id))
            for index, comment in enumerate(comments):
                if comment.parent == removed.id:
                    comments[index] = _replace(comment, parent=removed.parent)
            return removed

        return self._change(slug, remove)

    def snapshot(self, slug: str) -> Snapshot | None:
        """The post's file as validated comments; None when it has no file yet.

        Parsed again only when its inode, size or times changed, and then only the comments
        added at its end when the rest is what this process read or wrote last.
        """
        path = self.path(slug)
        try:
            with path.open("rb") as file:
                key = stat_key(os.fstat(file.fileno()))
                cached = self._cache.get(path)
                if cached and cached[0] == key:
                    return cached[1]
                raw = file.read()
        except FileNotFoundError:
            return None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise CommentFileError(path, f"does not parse: {error}") from error
        snapshot = parse(path, slug, text, cached[1] if cached else None)
        self._cache[path] = (key, snapshot)
        return snapshot

    def remember(self, slug: str, snapshot: Snapshot) -> None:
        """Keep what was just written (under the lock) as the file now on disk."""
        path = self.path(slug)
        self._cache[path] = (stat_key(path.stat()), snapshot)

    def _make_folder(self) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommentWriteError(f"{self.folder}: could not create: {error}") from error

    def _change(self, slug: str, change: Callable[[list[Comment]], Result]) -> Result:
        """Apply `change` to the post's comments under its lock and write the file."""
        lock = self.file_lock(slug)
        try:
            self._make_folder()
            lock.acquire(poll_interval=POLL_SECONDS)
        except OSError as error:
            raise CommentWriteError(f"{self.path(slug)}: could not lock: {error}") from error
        try:
            outcome: list[Result] = []
            merge(self, slug, Spool(self.folder, slug), change=lambda c: outcome.append(change(c)))
            return outcome[0]
        finally:
            lock.release()


def threads(comments: list[Comment]) -> Iterator[Thread]:
    """Top-level threads of the given comments; a reply whose parent is absent stands alone."""
    nodes = {comment.id: Thread(comment) for comment in comments}
    for node in nodes.values():
        parent = nodes.get(node.comment.parent or "")
        if parent is None:
            continue
        parent.replies.append(node)
    return (node for node in nodes.values() if node.comment.parent not in nodes)


def _attach_point(comments: list[Comment], parent_id: str) -> str:
    by_id = {c.id: c for c in comments}
    if parent_id not in by_id:
        raise UnknownComment(parent_id)
    chain = [parent_id]
    while by_id[chain[-1]].parent in by_id and by_id[chain[-1]].parent not in chain:
        chain.append(by_id[chain[-1]].parent)
    # chain runs from the parent up to its top-level comment: depth of the parent = len(chain)
    return chain[len(chain) - MAX_DEPTH + 1] if len(chain) >= MAX_DEPTH else parent_id


def _index_of(comments: list[Comment], comment_id: str) -> int:
    for index, comment in enumerate(comments):
        if comment.id == comment_id:
            return index
    raise UnknownComment(comment_id)


def _replace(comment: Comment, **changes: Any) -> Comment:
    return Comment(**{**asdict(comment), **changes})


def _checked_status(status: str) -> str:
    if status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}")
    return status


def init_app(app: Flask) -> None:
    folder = Path(app.root_path, app.config["COMMENTS_DIR"])
    app.extensions["twombly.comments"] = CommentStore(folder)


def store() -> CommentStore:
    """The current app's comment store."""
    return current_app.extensions["twombly.comments"]
