"""Posts the owner closed to new comments: `comments/closed.txt`, one post slug a line.

A post's front matter (`comments: closed`) is its author's word, in the author's file; closing
from /admin/ or `flask comments close` is the owner's, kept apart in this small file beside the
comment files, so it travels with them in git and a post file is never rewritten by the server.
The file is replaced whole under its lock, like a comments file.
"""

from __future__ import annotations

import os
from pathlib import Path

from twombly.comments.files import file_lock, fsync_folder, replace_durably, stat_key

CLOSED_FILE = "closed.txt"
# How often a writer waiting for the lock tries it again, in seconds (filelock's default).
POLL_SECONDS = 0.05
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
        with file_lock(self.path, self.lock_timeout, POLL_SECONDS):
            current = set(self.slugs())
            if (slug in current) == closed:
                return False
            current = current | {slug} if closed else current - {slug}
            text = HEADER + "".join(f"{name}\n" for name in sorted(current))
            replace_durably(self.path, text.encode("utf-8"))
            fsync_folder(self.path.parent)
        return True
