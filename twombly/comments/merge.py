"""Group commit: under a post's lock, write every spooled comment of the post in one go.

A writer waits (`await_merge`) until its spooled comment is in the file: either it gets the
lock and merges, or the writer holding the lock merges it and it returns without the lock.

A merger that died after replacing the file but before removing the entries it wrote leaves
them in the spool: an entry whose id is already in the file with the same content is dropped,
never written twice. An entry whose id is taken by a different comment (two writers drew the
same id in the same second) is written under a new id by its own writer, the only one who
can tell the reader; other mergers leave it to that writer.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from twombly.comments.files import (
    CommentWriteError,
    Entry,
    LockTimeout,
    Spool,
    fsync_folder,
    write_atomically,
)
from twombly.comments.model import (
    Comment,
    CommentFileError,
    Snapshot,
    appended_text,
    comment_from,
    document_text,
    new_id,
)

if TYPE_CHECKING:
    from twombly.comments.store import CommentStore

log = logging.getLogger(__name__)
# How often a waiting writer tries the lock and looks whether its comment was written.
POLL_SECONDS = 0.002


@dataclasses.dataclass
class Batch:
    """The spooled comments a merger takes into the file."""

    taken: set[str]  # ids in the file and in the batch so far
    comments: list[Comment] = dataclasses.field(default_factory=list)
    claimed: list[str] = dataclasses.field(default_factory=list)  # spool entry ids to remove
    own: Comment | None = None


def merge(
    store: CommentStore,
    slug: str,
    spool: Spool,
    *,
    own: Comment | None = None,
    change: Callable[[list[Comment]], object] | None = None,
    unspooled: Comment | None = None,
) -> Comment | None:
    """Write the spooled comments (after applying `change` to the file's comments).

    Call with the post's lock held. Returns `own` (spooled) or `unspooled` (written after
    the spooled ones) as written: its id may have changed.
    A file that does not parse raises CommentFileError and is left alone, with the spool.
    """
    try:
        snapshot = store.snapshot(slug)
    except CommentFileError:
        if own is not None:
            spool.discard(own.id)
        raise
    comments = list(snapshot.comments) if snapshot else []
    if change is not None:
        change(comments)  # raises before anything is claimed when the change is refused
    batch = _gather(spool, snapshot, own)
    if unspooled is not None:
        batch.own = _take(batch, unspooled)
    if change is None and not batch.comments:
        if batch.claimed:  # only entries a dead merger had written: make that write durable
            fsync_folder(store.folder)
            spool.remove(batch.claimed)
        return batch.own
    try:
        _write(store, slug, snapshot, comments if change else None, batch.comments)
    except CommentWriteError:
        if own is not None:
            spool.discard(own.id)
        raise
    spool.remove(batch.claimed)
    return batch.own


def write_if_idle(
    store: CommentStore, slug: str, spool: Spool, comment: Comment
) -> Comment | None:
    """Write a comment straight into the file when no one else is writing to the post (its
    gate and its lock are free), with whatever others spooled meanwhile; None when busy.

    The comment is never spooled then: until it is in the file only this request knows
    it, and a failure refuses it. This saves a spool entry's five file operations, its
    reading back and its removal for every comment on a post that is not being written.
    """
    gate = store.gate(slug)
    if not gate.acquire(blocking=False):
        return None
    try:
        lock = store.file_lock(slug)
        try:
            lock.acquire(timeout=0)
        except LockTimeout:
            return None
        except OSError as error:
            raise CommentWriteError(f"{store.path(slug)}: could not lock: {error}") from error
        try:
            return merge(store, slug, spool, unspooled=comment)
        finally:
            lock.release()
    finally:
        gate.release()


def await_merge(store: CommentStore, slug: str, spool: Spool, comment: Comment) -> Comment:
    """Wait until the spooled comment is in the file: merged by us or by another writer.

    The threads of one process that write to the same post queue at its gate (a thread lock,
    woken at once and free while waiting); only the thread at the front polls the post's file
    lock against other processes. What it merges takes every comment spooled meanwhile, so
    the threads behind it mostly find theirs written when their turn comes.
    """
    deadline = time.monotonic() + store.lock_timeout
    gate = store.gate(slug)
    while not spool.merged(comment.id):
        if not gate.acquire(timeout=max(0.0, deadline - time.monotonic())):
            if not spool.merged(comment.id):
                deadline = _give_up(store, slug, spool, comment, deadline)
            continue
        try:
            return _await_lock(store, slug, spool, comment, deadline)
        finally:
            gate.release()
    return comment


def _await_lock(
    store: CommentStore, slug: str, spool: Spool, comment: Comment, deadline: float
) -> Comment:
    lock = store.file_lock(slug)
    while not spool.merged(comment.id):
        try:
            lock.acquire(
                timeout=max(0.0, deadline - time.monotonic()),
                poll_interval=POLL_SECONDS,
                cancel_check=lambda: spool.merged(comment.id),
            )
        except LockTimeout:  # or cancelled: another writer merged our comment
            if not spool.merged(comment.id):
                deadline = _give_up(store, slug, spool, comment, deadline)
            continue
        except OSError as error:
            spool.withdraw(comment.id)
            raise CommentWriteError(f"{store.path(slug)}: could not lock: {error}") from error
        try:
            if spool.merged(comment.id):
                break
            return merge(store, slug, spool, own=comment)
        finally:
            lock.release()
    return comment


def _give_up(
    store: CommentStore, slug: str, spool: Spool, comment: Comment, deadline: float
) -> float:
    """Withdraw a comment after waiting lock_timeout; a claimed one gets one more wait."""
    message = f"{store.path(slug)}: could not lock within {store.lock_timeout} s"
    if spool.withdraw(comment.id):
        raise CommentWriteError(message)
    if time.monotonic() > deadline + store.lock_timeout:
        log.error("%s; comment %s is with a merger that did not finish", message, comment.id)
        raise CommentWriteError(message)
    return deadline + store.lock_timeout


def _gather(spool: Spool, snapshot: Snapshot | None, own: Comment | None) -> Batch:
    batch = Batch(taken=set(snapshot.ids) if snapshot else set(), own=own)
    for entry in spool.entries():
        comment = comment_from(entry.record)
        if comment is None or comment.id != entry.id:
            log.warning("spooled comment %s is not a valid comment, left alone", entry.path)
            continue
        if comment.id in batch.taken:
            comment = _already_written(spool, snapshot, batch, entry, comment)
            if comment is None:
                continue
        if not spool.claim(entry):
            continue  # its writer withdrew it
        batch.claimed.append(entry.id)
        if comment.parent is not None and comment.parent not in batch.taken:
            comment = dataclasses.replace(comment, parent=None)  # its parent was deleted
        batch.taken.add(comment.id)
        batch.comments.append(comment)
    return batch


def _already_written(
    spool: Spool, snapshot: Snapshot | None, batch: Batch, entry: Entry, comment: Comment
) -> Comment | None:
    """None when the entry is skipped; the comment to write (under a fresh id) when it is ours."""
    stored = next((c for c in snapshot.comments if c.id == comment.id), None) if snapshot else None
    if stored is not None and _same(stored, comment):
        if spool.claim(entry):  # written by a merger that died before cleaning up
            batch.claimed.append(entry.id)
        return None
    if batch.own is None or entry.id != batch.own.id:
        log.info("spooled comment %s has an id already taken: left to its writer", entry.path)
        return None
    fresh = _unused_id(batch.taken, comment)
    batch.own = dataclasses.replace(batch.own, id=fresh)
    return dataclasses.replace(comment, id=fresh)


def _take(batch: Batch, comment: Comment) -> Comment:
    """Add a comment that is not in the spool at the end of the batch; it as written."""
    comment = dataclasses.replace(comment, id=_unused_id(batch.taken, comment))
    if comment.parent is not None and comment.parent not in batch.taken:
        comment = dataclasses.replace(comment, parent=None)  # its parent was deleted
    batch.taken.add(comment.id)
    batch.comments.append(comment)
    return comment


def _unused_id(taken: set[str], comment: Comment) -> str:
    """The comment's id, or a new one from the same second when that one is taken."""
    moment = datetime.fromisoformat(comment.created)
    fresh = comment.id
    while fresh in taken:
        fresh = new_id(moment)
    return fresh


def _same(stored: Comment, spooled: Comment) -> bool:
    """The spooled comment is the stored one (a merger may only have changed its parent)."""
    return dataclasses.replace(stored, parent=None) == dataclasses.replace(spooled, parent=None)


def _write(
    store: CommentStore,
    slug: str,
    snapshot: Snapshot | None,
    changed: list[Comment] | None,
    new: list[Comment],
) -> None:
    if changed is None:
        text = appended_text(slug, snapshot, new)
        if snapshot is not None and snapshot.comments and snapshot.canonical:
            written = snapshot.extended(new, text)
        else:
            written = Snapshot(slug, (*(snapshot.comments if snapshot else ()), *new), text)
    else:
        everything = (*changed, *new)
        text = document_text(slug, everything)
        written = Snapshot(slug, everything, text, canonical=True)
    write_atomically(store.path(slug), text)
    store.remember(slug, written)
