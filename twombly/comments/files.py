"""The bytes on disk: a post's lock, and replacing its comments file atomically and durably."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock, Timeout


class CommentWriteError(Exception):
    """The operating system refused the write (disk full, read-only, permissions)."""


def stat_key(stat: os.stat_result) -> tuple[int, int, int]:
    """What tells a file changed: every write replaces it with a new file (a new inode)."""
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


@contextlib.contextmanager
def file_lock(path: Path, timeout: float, poll: float) -> Iterator[None]:
    """Hold `path`'s lock (`<path>.lock`), which filelock polls for every `poll` seconds, or
    raise CommentWriteError after `timeout` seconds."""
    lock = FileLock(f"{path}.lock", timeout=timeout)
    try:
        lock.acquire(poll_interval=poll)
    except Timeout as error:
        raise CommentWriteError(f"{path}: could not lock within {timeout} s") from error
    except OSError as error:
        raise CommentWriteError(f"{path}: could not lock: {error}") from error
    try:
        yield
    finally:
        lock.release()


def replace_durably(path: Path, data: bytes) -> tuple[int, int, int]:
    """Write the temporary file, fsync it and move it over `path`; the folder is not fsynced.

    Call with the post's lock held: every writer of a post uses the same temporary name, so
    what a writer killed mid-write left behind is removed by the next one. The rename is
    durable only once the folder is fsynced (`fsync_folder`), which may wait until the lock is
    released: a writer's own fsync of the folder, after its rename, covers its rename whatever
    the writers after it did. Returns the `stat_key` of the new file.
    """
    tmp = path.with_name(f".{path.name}.tmp")  # `.<slug>.json.tmp` beside it
    try:
        remove_quietly(tmp)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
            written = stat_key(os.fstat(out.fileno()))
        os.replace(tmp, path)
    except OSError as error:
        remove_quietly(tmp)
        raise CommentWriteError(f"{path}: could not write: {error.strerror or error}") from error
    return written


def remove_quietly(path: str | os.PathLike[str]) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
