"""The files behind a post's comments: its lock, atomic replacement, and the spool.

A writer does not rewrite the post's file for its one comment. It drops the comment into the
spool (`comments/.spool/.<slug>.<id>.spool`, written to a temporary name and linked into place,
so an entry is always whole) and then waits for the post's lock; whoever holds the lock merges
every spooled comment of the post in one write (group commit). The merger reads an entry,
then claims it by renaming it to `.<slug>.<id>.merging`, and removes it only once the post's
file holding it is fsynced and in place. So an entry that is gone under both names is durably
in the file, and its writer may answer at once without the lock. A writer that gives up
waiting withdraws its entry by removing it, which fails once a merger has claimed it.
The spool is a folder of its own because every merge lists it: listing the comments folder
itself cost what its thousands of files cost (0.85 ms a comment with 1,000 posts), this costs
what is waiting.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

WAITING, CLAIMED = ".spool", ".merging"
SPOOL_FOLDER = ".spool"  # inside the comments folder


class CommentWriteError(Exception):
    """The operating system refused the write (disk full, read-only, permissions)."""


def stat_key(stat: os.stat_result) -> tuple[int, ...]:
    """What tells a file changed: every write replaces it with a new file (new inode)."""
    return (stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size)


class LockTimeout(TimeoutError):
    """The post's lock stayed taken for the whole wait, or the wait was cancelled."""


class PostLock:
    """The exclusive lock on a post's comments, across processes: flock on `<file>.lock`.

    Each acquire opens its own descriptor, and flock locks belong to an open file, so the
    threads (or greenlets) of one process exclude each other as other processes do; the
    descriptor is kept per thread until release. The lock file is never removed, so every
    process always locks the same inode, and it is opened without following a symlink.
    The filelock package did this at 120-220 µs of CPU per try (its portability and
    ownership checks); waiting writers try every few milliseconds, and on the comment path
    that was a tenth of the server's CPU. This is a few microseconds.
    """

    def __init__(self, path: str, timeout: float) -> None:
        self.path = path
        self.timeout = timeout
        self._held = threading.local()

    def acquire(
        self,
        timeout: float | None = None,
        poll_interval: float = 0.002,
        cancel_check: Callable[[], bool] | None = None,
    ) -> None:
        """Take the lock, trying every `poll_interval` s; LockTimeout after `timeout` s or
        as soon as `cancel_check()` is true. OSError when the lock file cannot be opened."""
        if getattr(self._held, "fd", None) is not None:
            raise RuntimeError(f"{self.path} is already held by this thread")
        flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
        fd = os.open(self.path, flags, 0o644)
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        try:
            while not _try_flock(fd):
                if (cancel_check and cancel_check()) or time.monotonic() >= deadline:
                    raise LockTimeout(self.path)
                time.sleep(poll_interval)
        except BaseException:
            os.close(fd)
            raise
        self._held.fd = fd

    def release(self) -> None:
        fd, self._held.fd = self._held.fd, None
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def __enter__(self) -> PostLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _try_flock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def post_lock(path: Path, timeout: float) -> PostLock:
    return PostLock(f"{path}.lock", timeout)


def write_atomically(path: Path, text: str) -> None:
    """Write a temporary file beside `path`, fsync it, move it over `path`, fsync the folder."""
    tmp = ""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            out.write(text.encode("utf-8"))
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as error:
        if tmp:
            remove_quietly(tmp)
        raise CommentWriteError(f"{path}: could not write: {error.strerror or error}") from error
    fsync_folder(path.parent)


@dataclass(frozen=True)
class Entry:
    """One spooled comment as found by a merger."""

    id: str
    path: Path
    record: Any  # the parsed JSON object; validated by the caller
    arrived: int  # mtime_ns: the order in which entries reached the spool


class Spool:
    """The comments of one post waiting to be merged into its file."""

    def __init__(self, comments_folder: Path, slug: str) -> None:
        self.folder = comments_folder / SPOOL_FOLDER
        self.prefix = f".{slug}."
        self._start = os.path.join(self.folder, self.prefix)  # plain strings: waiters look often

    def _path(self, comment_id: str, state: str) -> str:
        return f"{self._start}{comment_id}{state}"

    def drop(self, comment_id: str, record: dict[str, Any]) -> bool:
        """Spool a comment under its id; False when that id is already spooled."""
        final = self._path(comment_id, WAITING)
        # a name no other writer uses now: one request per thread, and the id is random
        tmp = f"{final}.{os.getpid()}-{threading.get_ident()}.tmp"
        try:
            fd = self._create(tmp)
            with os.fdopen(fd, "wb") as out:
                out.write(json.dumps(record, ensure_ascii=False).encode("utf-8"))
            os.link(tmp, final)  # unlike os.replace, never overwrites another entry
            return True
        except FileExistsError:
            return False
        except OSError as error:
            raise CommentWriteError(
                f"{final}: could not spool: {error.strerror or error}"
            ) from error
        finally:
            if tmp:
                remove_quietly(tmp)

    def _create(self, path: str) -> int:
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
        try:
            return os.open(path, flags, 0o644)
        except FileNotFoundError:  # the first entry ever: make the spool folder
            os.makedirs(self.folder, exist_ok=True)
            return os.open(path, flags, 0o644)

    def merged(self, comment_id: str) -> bool:
        """True once the entry is durably in the post's file (or withdrawn by its writer)."""
        exists = os.path.exists
        return not (
            exists(self._path(comment_id, WAITING)) or exists(self._path(comment_id, CLAIMED))
        )

    def withdraw(self, comment_id: str) -> bool:
        """Take back an entry no merger has claimed yet; False when one has."""
        try:
            os.unlink(self._path(comment_id, WAITING))
            return True
        except FileNotFoundError:
            return False

    def discard(self, comment_id: str) -> None:
        """Remove an entry in either state; only under the post's lock."""
        for state in (WAITING, CLAIMED):
            remove_quietly(self._path(comment_id, state))

    def entries(self) -> list[Entry]:
        """Every whole entry, waiting or claimed by a merger that died, in arrival order."""
        prefix, states = self.prefix, (WAITING, CLAIMED)
        try:
            found_names = os.listdir(self.folder)
        except FileNotFoundError:  # nothing was ever spooled
            return []
        names = [n for n in found_names if n.startswith(prefix) and n.endswith(states)]
        found = [entry for entry in map(self._entry, names) if entry is not None]
        return sorted(found, key=lambda entry: (entry.arrived, entry.id))

    def _entry(self, name: str) -> Entry | None:
        state = WAITING if name.endswith(WAITING) else CLAIMED
        comment_id = name[len(self.prefix) : -len(state)]
        path = self.folder / name
        try:
            with path.open("rb") as file:
                arrived = os.fstat(file.fileno()).st_mtime_ns
                record = json.loads(file.read().decode("utf-8"))
        except FileNotFoundError:
            return None  # withdrawn or merged meanwhile
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            log.warning("spooled comment %s is unreadable, left alone: %s", path, error)
            return None
        return Entry(comment_id, path, record, arrived)

    def claim(self, entry: Entry) -> bool:
        """Make the entry this merger's; False when its writer withdrew it first."""
        if entry.path.name.endswith(CLAIMED):
            return True
        try:
            os.rename(entry.path, self._path(entry.id, CLAIMED))
            return True
        except FileNotFoundError:
            return False

    def remove(self, comment_ids: list[str]) -> None:
        """Forget entries now durably in the post's file."""
        for comment_id in comment_ids:
            remove_quietly(self._path(comment_id, CLAIMED))


def remove_quietly(path: str | os.PathLike[str]) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
