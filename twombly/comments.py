"""CommentStore: one JSON file per post under comments/, safe for many writers at once.

Every write takes the post's file lock, reads the file afresh, changes it, writes a temporary
file in the same folder, fsyncs it and moves it over the old one with os.replace: readers see
the old file or the new one, never half of either, and no writer's change is lost. A file that
does not parse is never written to.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from filelock import FileLock
from flask import Flask, current_app

STATUSES = ("approved", "pending", "spam")
FIELD_ORDER = ("id", "parent", "author", "website", "body", "created", "edited", "status")
REQUIRED = {"id": str, "author": str, "body": str, "created": str, "status": str}
OPTIONAL = {"parent": str, "website": str, "edited": str}
MAX_DEPTH = 3
# filelock polls a non-blocking flock; its default 50 ms makes a queue of writers crawl.
LOCK_POLL_SECONDS = 0.002


class CommentFileError(Exception):
    """A comments file that cannot be read; it is left exactly as it is."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path


class CommentWriteError(Exception):
    """The operating system refused the write (disk full, read-only, permissions)."""


class UnknownComment(LookupError):
    pass


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


@dataclass
class Thread:
    """A comment with its visible replies, for display."""

    comment: Comment
    replies: list[Thread] = field(default_factory=list)


def timestamp(moment: datetime | None = None) -> str:
    moment = (moment or datetime.now(UTC)).astimezone(UTC)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def new_id(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


class CommentStore:
    """Read and change the comments of each post, one `<slug>.json` file per post."""

    def __init__(self, folder: str | os.PathLike[str], lock_timeout: float = 10.0) -> None:
        self.folder = Path(folder)
        self.lock_timeout = lock_timeout
        self._cache: dict[Path, tuple[tuple[int, ...], list[Comment]]] = {}

    def path(self, slug: str) -> Path:
        return self.folder / f"{slug}.json"

    def slugs(self) -> list[str]:
        if not self.folder.is_dir():
            return []
        return sorted(path.stem for path in self.folder.glob("*.json"))

    def read(self, slug: str) -> list[Comment]:
        """All comments of a post, in creation order; [] when it has no file yet."""
        path = self.path(slug)
        try:
            stat = path.stat()
        except FileNotFoundError:
            return []
        key = _stat_key(stat)
        cached = self._cache.get(path)
        if cached and cached[0] == key:
            return cached[1]
        comments = self._load(path, slug)
        self._cache[path] = (key, comments)
        return comments

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
        """Append a comment; a reply too deep is attached to the deepest allowed level."""
        moment = now or datetime.now(UTC)
        with self._changing(slug) as comments:
            if parent is not None:
                parent = _attach_point(comments, parent)
            taken = {c.id for c in comments}
            comment_id = new_id(moment)
            while comment_id in taken:
                comment_id = new_id(moment)
            comment = Comment(
                id=comment_id,
                parent=parent,
                author=author,
                website=website or None,
                body=body,
                created=timestamp(moment),
                status=_checked_status(status),
            )
            comments.append(comment)
        return comment

    def update(self, slug: str, comment_id: str, *, body: str) -> Comment:
        with self._changing(slug) as comments:
            index = _index_of(comments, comment_id)
            comments[index] = _replace(comments[index], body=body, edited=timestamp())
            return comments[index]

    def set_status(self, slug: str, comment_id: str, status: str) -> Comment:
        with self._changing(slug) as comments:
            index = _index_of(comments, comment_id)
            comments[index] = _replace(comments[index], status=_checked_status(status))
            return comments[index]

    def delete(self, slug: str, comment_id: str) -> Comment:
        """Remove a comment; its replies move up to its own parent."""
        with self._changing(slug) as comments:
            removed = comments.pop(_index_of(comments, comment_id))
            for index, comment in enumerate(comments):
                if comment.parent == removed.id:
                    comments[index] = _replace(comment, parent=removed.parent)
            return removed

    def _changing(self, slug: str) -> _Change:
        return _Change(self, slug)

    def _load(self, path: Path, slug: str) -> list[Comment]:
        try:
            data = json.loads(path.read_bytes().decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommentFileError(path, f"does not parse: {error}") from error
        return _validated(path, slug, data)

    def _remember(self, path: Path, comments: list[Comment]) -> None:
        """Keep what was just written as the validated content of the file now on disk."""
        stat = path.stat()
        self._cache[path] = (_stat_key(stat), list(comments))

    def _write(self, slug: str, comments: list[Comment]) -> None:
        path = self.path(slug)
        text = document_text(slug, comments)
        tmp = ""
        try:
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=f".{slug}.", suffix=".tmp")
            with os.fdopen(fd, "wb") as out:
                out.write(text.encode("utf-8"))
                out.flush()
                os.fsync(out.fileno())
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        except OSError as error:
            if tmp:
                _remove_quietly(tmp)
            raise CommentWriteError(
                f"{path}: could not write: {error.strerror or error}"
            ) from error
        _fsync_folder(self.folder)


class _Change:
    """Lock a post's file, hand out its comments as a list, write them back if no error."""

    def __init__(self, store: CommentStore, slug: str) -> None:
        self.store = store
        self.slug = slug
        self.path = store.path(slug)
        self.lock: FileLock | None = None

    def __enter__(self) -> list[Comment]:
        try:
            self.store.folder.mkdir(parents=True, exist_ok=True)
            self.lock = FileLock(f"{self.path}.lock", timeout=self.store.lock_timeout)
            self.lock.acquire(poll_interval=LOCK_POLL_SECONDS)
        except OSError as error:
            raise CommentWriteError(f"{self.path}: could not lock: {error}") from error
        try:
            # read() re-reads the file unless its mtime and size are the ones it validated
            # (under the lock, so no other writer is between); the list is ours to change.
            self.comments = list(self.store.read(self.slug))
        except BaseException:
            self.lock.release()
            raise
        return self.comments

    def __exit__(self, exc_type: type | None, *_: object) -> None:
        try:
            if exc_type is None:
                self.store._write(self.slug, self.comments)
                self.store._remember(self.path, self.comments)
        finally:
            assert self.lock is not None
            self.lock.release()


def _stat_key(stat: os.stat_result) -> tuple[int, ...]:
    """What tells a file changed: every write replaces it with a new file (new inode)."""
    return (stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size)


_encode = json.JSONEncoder(ensure_ascii=False).encode


def document_text(slug: str, comments: list[Comment]) -> str:
    """`json.dumps({"post": slug, "comments": [...]}, ensure_ascii=False, indent=2) + "\\n"`,
    byte for byte, built with the C string encoder (the indenting encoder is pure Python and
    was most of the time of adding a comment to a long thread)."""
    if not comments:
        return json.dumps({"post": slug, "comments": []}, ensure_ascii=False, indent=2) + "\n"
    entries = []
    for comment in comments:
        fields = ",\n".join(
            f"      {_encode(key)}: {_encode(value)}" for key, value in comment.to_json().items()
        )
        entries.append(f"    {{\n{fields}\n    }}")
    body = ",\n".join(entries)
    return f'{{\n  "post": {_encode(slug)},\n  "comments": [\n{body}\n  ]\n}}\n'


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


def _validated(path: Path, slug: str, data: Any) -> list[Comment]:
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
        comments.append(Comment(**{key: item.get(key) for key in FIELD_ORDER}))
    return comments


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


def _remove_quietly(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def init_app(app: Flask) -> None:
    folder = Path(app.root_path, app.config["COMMENTS_DIR"])
    app.extensions["twombly.comments"] = CommentStore(folder)


def store() -> CommentStore:
    """The current app's comment store."""
    return current_app.extensions["twombly.comments"]
