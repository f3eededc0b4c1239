"""The bytes on disk: replace a post's comments file atomically, and durably."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


class CommentWriteError(Exception):
    """The operating system refused the write (disk full, read-only, permissions)."""


def stat_key(stat: os.stat_result) -> tuple[int, int, int]:
    """What tells a file changed: every write replaces it with a new file (a new inode)."""
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


def temporary_path(path: Path) -> Path:
    """Where the next version of `path` is written: `.<slug>.json.tmp` beside it."""
    return path.with_name(f".{path.name}.tmp")


def write_atomically(path: Path, data: bytes) -> tuple[int, int, int]:
    """Write the temporary file, fsync it, move it over `path`, fsync the folder.

    Call with the post's lock held: every writer of a post uses the same temporary name, so
    what a writer killed mid-write left behind is removed by the next one. Returns the
    `stat_key` of the new file.
    """
    tmp = temporary_path(path)
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
    fsync_folder(path.parent)
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
