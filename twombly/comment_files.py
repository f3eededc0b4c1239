"""The files behind a post's comments: its lock, atomic replacement, and the spool.

A writer does not rewrite the post's file for its one comment. It drops the comment into the
spool (`comments/.<slug>.<id>.spool`, written to a temporary name and linked into place, so
an entry is always whole) and then waits for the post's lock; whoever holds the lock merges
every spooled comment of the post in one write (group commit). The merger reads an entry,
then claims it by renaming it to `.<slug>.<id>.merging`, and removes it only once the post's
file holding it is fsynced and in place. So an entry that is gone under both names is durably
in the file, and its writer may answer at once without the lock. A writer that gives up
waiting withdraws its entry by removing it, which fails once a merger has claimed it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from filelock import FileLock

log = logging.getLogger(__name__)

WAITING, CLAIMED = ".spool", ".merging"


class CommentWriteError(Exception):
    """The operating system refused the write (disk full, read-only, permissions)."""


def stat_key(stat: os.stat_result) -> tuple[int, ...]:
    """What tells a file changed: every write replaces it with a new file (new inode)."""
    return (stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size)


def post_lock(path: Path, timeout: float) -> FileLock:
    return FileLock(f"{path}.lock", timeout=timeout)


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

    def __init__(self, folder: Path, slug: str) -> None:
        self.folder = folder
        self.prefix = f".{slug}."
        self._start = os.path.join(folder, self.prefix)  # plain strings: waiters look often

    def _path(self, comment_id: str, state: str) -> str:
        return f"{self._start}{comment_id}{state}"

    def drop(self, comment_id: str, record: dict[str, Any]) -> bool:
        """Spool a comment under its id; False when that id is already spooled."""
        final = self._path(comment_id, WAITING)
        # a name no other writer uses now: one request per thread, and the id is random
        tmp = f"{final}.{os.getpid()}-{threading.get_ident()}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
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
        """Every whole entry, waiting or claimed by a merger that died, in arrival order.

        The folder holds every post's file: its names are filtered in one pass before any
        entry is looked at, so a merge costs little more in a folder of thousands of posts.
        """
        prefix, states = self.prefix, (WAITING, CLAIMED)
        names = [n for n in os.listdir(self.folder) if n.startswith(prefix) and n.endswith(states)]
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
