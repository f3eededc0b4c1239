"""A comment-writing process for the concurrency tests.

    python -m tests.comment_writer FOLDER SLUG TAG COUNT|forever [PAUSE_SECONDS]

Adds comments whose bodies are TAG-0, TAG-1, ... and prints each stored id once add() has
returned: a printed id is an acknowledged comment.
"""

from __future__ import annotations

import itertools
import sys
import time

from twombly.comments.store import CommentStore


def main(folder: str, slug: str, tag: str, count: str, pause: str = "0") -> None:
    store = CommentStore(folder, lock_timeout=120)
    numbers = itertools.count() if count == "forever" else range(int(count))
    for number in numbers:
        comment = store.add(slug, author=tag, body=f"{tag}-{number}")
        print(comment.id, flush=True)
        time.sleep(float(pause))


if __name__ == "__main__":
    main(*sys.argv[1:6])
