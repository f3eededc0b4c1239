"""Work done after the reader's response, off the request: notifications and git commits.

Each job runs in its own thread, which gunicorn's gevent workers turn into a greenlet (they
patch `threading`), so a slow mail server never holds a worker. A job's failure is logged and
goes no further. `wait` lets a test, or a command that must not exit early, see every job end.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from flask import Flask, current_app

log = logging.getLogger("twombly.comments")


class Background:
    """The jobs one app started and that have not ended yet."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: set[threading.Thread] = set()

    def start(self, name: str, job: Callable[[], None]) -> None:
        thread = threading.Thread(target=self._run, args=(job,), name=f"twombly-{name}")
        thread.daemon = True  # a job still retrying never keeps the server from stopping
        with self._lock:
            self._running.add(thread)
        thread.start()

    def _run(self, job: Callable[[], None]) -> None:
        try:
            job()
        except Exception:
            log.exception("background job failed")
        finally:
            with self._lock:
                self._running.discard(threading.current_thread())

    def wait(self, timeout: float = 60.0) -> bool:
        """Wait for every job started so far; False if some still run after `timeout` s."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                running = list(self._running)
            if not running:
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            running[0].join(remaining)


def background(app: Flask | None = None) -> Background:
    """The app's (default: the current app's) background jobs."""
    return (app or current_app).extensions["twombly.background"]


def init_app(app: Flask) -> None:
    app.extensions["twombly.background"] = Background()
