"""The writers of one post in one process: they queue in order, and one writes for all waiting.

A gevent worker serves many readers at once; those commenting on the same post queue here,
in order, instead of each polling the post's file lock. The first in the queue takes the file
lock and, once it holds it, every change that joined the queue meanwhile: it applies them in
turn to what it read and writes the file once, with one fsync, for all of them. Each writer
answers only after the file holding its change is on disk, with its own change's outcome or
error; a change that fails leaves the others untouched. Nothing is kept anywhere else: a
change not yet written is in the memory of the request still waiting for it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from twombly.comments.files import CommentWriteError

# A change: given the post's comments, change the list in place and return the outcome.
Change = Callable[[list[Any]], Any]


class Turn:
    """One writer's change, and what came of it once written."""

    def __init__(self, change: Change) -> None:
        self.change = change
        self.outcome: Any = None
        self.error: BaseException | None = None
        self.done = False

    def apply(self, comments: list[Any]) -> list[Any]:
        """The comments after this change, or unchanged when it fails (its error is kept)."""
        trial = list(comments)
        try:
            self.outcome = self.change(trial)
        except Exception as error:
            self.error = error
            return comments
        return trial

    def result(self) -> Any:
        if self.error is not None:
            raise self.error
        return self.outcome


# Writes the given turns to the post's file: it calls `take` once it holds the file lock, to
# get the turns to apply (all those waiting then), and leaves `done` to the queue.
Writer = Callable[[Callable[[], list[Turn]]], None]


class PostQueue:
    """The changes to one post's file waiting in this process, and whose turn it is."""

    def __init__(self) -> None:
        self.lock = threading.Lock()  # held by the writer at work
        self.waiting: list[Turn] = []
        self.guard = threading.Lock()  # for `waiting`, which the writer at work empties

    def submit(self, change: Change, write: Writer, timeout: float, message: str) -> Any:
        """Queue `change`, wait for it to be written (by this writer or the one before), and
        return its outcome; CommentWriteError(message) after `timeout` s if never taken."""
        turn = Turn(change)
        with self.guard:
            self.waiting.append(turn)
        if not self.lock.acquire(timeout=timeout):
            with self.guard:
                untaken = turn in self.waiting
                if untaken:  # nothing of it was written, nor will be
                    self.waiting.remove(turn)
            if untaken:
                raise CommentWriteError(message)
            self.lock.acquire()  # taken by the writer at work: wait for its outcome
        try:
            if not turn.done:
                self._write_all(turn, write)
        finally:
            self.lock.release()
        return turn.result()

    def _write_all(self, turn: Turn, write: Writer) -> None:
        """Write `turn` and every change waiting with it; each learns its outcome or error."""
        taken: list[Turn] = []

        def take() -> list[Turn]:
            with self.guard:
                taken.extend(self.waiting)
                self.waiting.clear()
            return taken

        written = False
        failure: Exception = CommentWriteError("the change was not written")
        try:
            write(take)
            written = True
        except Exception as error:
            failure = error
        finally:
            if turn not in taken:  # the write failed before it had the file lock
                with self.guard:
                    self.waiting.remove(turn)
                taken.append(turn)
            for each in taken:
                if not written and each.error is None:
                    each.error = failure
                each.done = True
