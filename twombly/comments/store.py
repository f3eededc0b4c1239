"""CommentStore: one JSON file per post under comments/, safe for many writers at once.

Every change (add, edit, delete, moderate) takes the same path: under the post's file lock
(`comments/<slug>.json.lock`, `filelock.FileLock`) the file is read, changed, written to a
temporary file in the same folder, fsynced and moved over the old one with `os.replace`, and
the folder is fsynced. Readers see the old file or the new one, never half of either. A file
that does not parse is never written to. The writers of a post in one process queue in
order, and the first writes the changes of all who wait (turns.py).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from flask import Flask, current_app

from twombly.comments.closing import ClosedPosts
from twombly.comments.files import (
    CommentWriteError,
    file_lock,
    fsync_folder,
    replace_durably,
    stat_key,
)
from twombly.comments.model import (
    STATUSES,
    Comment,
    CommentFileError,
    InvalidComment,
    Parsed,
    checked,
    dump,
    new_id,
    parse_after,
    timestamp,
)
from twombly.comments.turns import PostQueue, Turn

__all__ = [
    "STATUSES",
    "Comment",
    "CommentFileError",
    "CommentStore",
    "CommentWriteError",
    "InvalidComment",
    "UnknownComment",
    "store",
    "timestamp",
]

MAX_DEPTH = 3
# How often a writer waiting for a post's lock tries it again, in seconds.
POLL_SECONDS = 0.005
Result = TypeVar("Result")


class UnknownComment(LookupError):
    pass


class CommentStore:
    """Read and change the comments of each post, one `<slug>.json` file per post."""

    def __init__(self, folder: str | os.PathLike[str], lock_timeout: float = 10.0) -> None:
        self.folder = Path(folder)
        self.lock_timeout = lock_timeout
        # slug -> (stat_key of the file, what it holds): a file is parsed again only once changed
        self._cache: dict[str, tuple[tuple[int, int, int], Parsed]] = {}
        # slug -> the changes to the post's file waiting in this process
        self._queues: dict[str, PostQueue] = {}
        self.closed = ClosedPosts(self.folder, lock_timeout)

    def path(self, slug: str) -> Path:
        return self.folder / f"{slug}.json"

    def slugs(self) -> list[str]:
        if not self.folder.is_dir():
            return []
        return sorted(path.stem for path in self.folder.glob("*.json"))

    def read(self, slug: str) -> list[Comment]:
        """All comments of a post, in creation order; [] when it has no file yet."""
        return list(self._load(slug))

    def approved(self, slug: str) -> list[Comment]:
        return [c for c in self._load(slug) if c.status == "approved"]

    def get(self, slug: str, comment_id: str) -> Comment:
        comments = self._load(slug)
        return comments[_index_of(comments, comment_id)]

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

        Only for posts that exist (the caller checks): this creates the post's files.
        """
        moment = now or datetime.now(UTC)
        comment = Comment(
            id=new_id(moment),
            parent=parent,
            author=author,
            website=website or None,
            body=body,
            created=timestamp(moment),
            status=status,
        )
        checked(comment)

        def append(comments: list[Comment]) -> Comment:
            new = comment if parent is None else comment._replace(parent=attach(comments, parent))
            taken = {c.id for c in comments}
            while new.id in taken:  # two writers drew the same id in the same second
                new = new._replace(id=new_id(moment))
            comments.append(new)
            return new

        self._make_folder()
        return self._change(slug, append)

    def add_many(self, slug: str, new: list[Comment]) -> list[Comment]:
        """Add comments made elsewhere (an import) but those whose id is already there; the
        file stays in time order and a reply too deep attaches at the deepest allowed level."""
        for comment in new:
            checked(comment)

        def merge(comments: list[Comment]) -> list[Comment]:
            added = [c for c in new if c.id not in {old.id for old in comments}]
            for comment in added:
                parent = comment.parent
                if parent is not None and parent not in {c.id for c in comments}:
                    parent = None  # its parent was not brought in
                comments.append(comment._replace(parent=parent and attach(comments, parent)))
            comments.sort(key=lambda c: c.created_at)
            return added

        self._make_folder()
        return self._change(slug, merge) if new else []

    def update(self, slug: str, comment_id: str, *, body: str) -> Comment:
        return self._set_fields(slug, comment_id, body=body, edited=timestamp())

    def set_status(self, slug: str, comment_id: str, status: str) -> Comment:
        return self._set_fields(slug, comment_id, status=status)

    def delete(self, slug: str, comment_id: str) -> Comment:
        """Remove a comment; its replies move up to its own parent."""

        def remove(comments: list[Comment]) -> Comment:
            removed = comments.pop(_index_of(comments, comment_id))
            for index, comment in enumerate(comments):
                if comment.parent == removed.id:
                    comments[index] = comment._replace(parent=removed.parent)
            return removed

        return self._change_existing(slug, comment_id, remove)

    def _load(self, slug: str) -> tuple[Comment, ...]:
        """The post's validated comments; () when it has no file yet."""
        path = self.path(slug)
        try:
            with path.open("rb") as file:
                key = stat_key(os.fstat(file.fileno()))
                cached = self._cache.get(slug)
                if cached is not None and cached[0] == key:
                    return cached[1].comments
                raw = file.read()
        except FileNotFoundError:
            return ()
        except OSError as error:
            raise CommentFileError(path, f"cannot be read: {error.strerror or error}") from error
        parsed = parse_after(path, slug, raw, cached[1] if cached is not None else None)
        self._cache[slug] = (key, parsed)
        return parsed.comments

    def _make_folder(self) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommentWriteError(f"{self.folder}: could not create: {error}") from error

    def _set_fields(self, slug: str, comment_id: str, **fields: str) -> Comment:
        """Change some fields of one existing comment, checked before it is written."""

        def change(comments: list[Comment]) -> Comment:
            index = _index_of(comments, comment_id)
            comments[index] = checked(comments[index]._replace(**fields))
            return comments[index]

        return self._change_existing(slug, comment_id, change)

    def _change_existing(
        self, slug: str, comment_id: str, change: Callable[[list[Comment]], Result]
    ) -> Result:
        """`_change` for a post that has comments: never creates a file for one that has not."""
        if not self.path(slug).is_file():
            raise UnknownComment(comment_id)
        return self._change(slug, change)

    def _change(self, slug: str, change: Callable[[list[Comment]], Result]) -> Result:
        """Apply `change` to the post's comments and write the file, once it is on disk.

        The writers of a post in this process queue in order (turns.py), and the first writes
        the changes of all waiting with one read and one write: only it polls the file lock.
        """
        queue = self._queues.setdefault(slug, PostQueue())
        message = f"{self.path(slug)}: could not lock within {self.lock_timeout} s"
        write = functools.partial(self._write, slug)
        return queue.submit(change, write, self.lock_timeout, message)

    def _write(self, slug: str, take: Callable[[], list[Turn]]) -> None:
        """Under the post's file lock, apply the changes `take` gives and write the file (not
        when every one failed). The folder is fsynced once the lock is released: the next
        writer need not wait for it, and its own fsync makes this writer's rename durable."""
        path = self.path(slug)
        with file_lock(path, self.lock_timeout, POLL_SECONDS):
            turns = take()
            comments = list(self._load(slug))
            for turn in turns:
                comments = turn.apply(comments)
            if all(turn.error is not None for turn in turns):
                return
            written = Parsed.of(comments, self._cache[slug][1] if slug in self._cache else None)
            self._cache[slug] = (replace_durably(path, dump(slug, written.records)), written)
        fsync_folder(self.folder)


def attach(comments: list[Comment], parent_id: str) -> str:
    """Where a reply to `parent_id` goes: the parent, or its ancestor at the deepest level."""
    by_id = {c.id: c for c in comments}
    if parent_id not in by_id:
        raise UnknownComment(parent_id)
    chain = [parent_id]
    while by_id[chain[-1]].parent in by_id and by_id[chain[-1]].parent not in chain:
        chain.append(by_id[chain[-1]].parent)
    # chain runs from the parent up to its top-level comment: depth of the parent = len(chain)
    return chain[len(chain) - MAX_DEPTH + 1] if len(chain) >= MAX_DEPTH else parent_id


def _index_of(comments: Sequence[Comment], comment_id: str) -> int:
    for index, comment in enumerate(comments):
        if comment.id == comment_id:
            return index
    raise UnknownComment(comment_id)


def init_app(app: Flask) -> None:
    folder = Path(app.root_path, app.config["COMMENTS_DIR"])
    app.extensions["twombly.comments"] = CommentStore(folder)


def store() -> CommentStore:
    """The current app's comment store."""
    return current_app.extensions["twombly.comments"]
