"""Posts the owner closed to new comments: `comments/closed.txt`, one post slug a line.

A post's front matter (`comments: closed`) is its author's word, in the author's file; closing
from /admin/ or `flask comments close` is the owner's, kept apart in this small file beside the
comment files, so it travels with them in git and a post file is never rewritten by the server.
The file is replaced whole under its lock, like a comments file.
"""

from __future__ import annotations

import os
from pathlib import Path

from filelock import FileLock, Timeout

from twombly.comments.files import CommentWriteError, stat_key, write_atomically

CLOSED_FILE = "closed.txt"
HEADER = "# Posts closed to new comments by the owner, one slug a line (flask comments open).\n"


class ClosedPosts:
    """Read and change the set of closed posts in `<folder>/closed.txt`."""

    def __init__(self, folder: Path, lock_timeout: float) -> None:
        self.path = folder / CLOSED_FILE
        self.lock_timeout = lock_timeout
        self._cache: tuple[tuple[int, int, int], frozenset[str]] | None = None

    def slugs(self) -> frozenset[str]:
        """The closed posts; none when the file does not exist (or cannot be read)."""
        try:
            with self.path.open("rb") as file:
                key = stat_key(os.fstat(file.fileno()))
                if self._cache is not None and self._cache[0] == key:
                    return self._cache[1]
                text = file.read().decode("utf-8", errors="replace")
        except OSError:
            return frozenset()
        found = frozenset(
            line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"
        )
        self._cache = (key, found)
        return found

    def set(self, slug: str, closed: bool) -> bool:
        """Close or reopen `slug`; False when it already was so (the file is left alone)."""
        lock = FileLock(f"{self.path}.lock", timeout=self.lock_timeout)
        try:
            with lock:
                current = set(self.slugs())
                if (slug in current) == closed:
                    return False
                current = current | {slug} if closed else current - {slug}
                text = HEADER + "".join(f"{name}\n" for name in sorted(current))
                write_atomically(self.path, text.encode("utf-8"))
        except Timeout as error:
            raise CommentWriteError(f"{self.path}: could not lock: {error}") from error
        except OSError as error:
            raise CommentWriteError(f"{self.path}: could not lock: {error}") from error
        return True
