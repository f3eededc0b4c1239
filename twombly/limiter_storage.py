"""The rate limiter's `memory://` storage: the library's, with expired keys swept inline.

`limits.storage.MemoryStorage` (limits 5.x) drops expired counters on a `threading.Timer` that
it re-creates and starts from `incr`/`decr`/`acquire_entry` whenever the last one has finished:
under threaded workers that is a new OS thread for nearly every rate-limited request, and two
request threads that both see the old timer finished can both call `start()` on the same new
`Timer`, and one of them fails (`RuntimeError: threads can only be started once`, an HTTP 500).

`SweepingMemoryStorage` keeps every counter of the library's class and replaces only the timer:
the request that finds the last sweep older than `SWEEP_INTERVAL` drops the expired keys itself,
under a lock that other requests never wait for. Memory stays bounded and no thread is started.
"""

from __future__ import annotations

import threading
import time
from typing import Any, ClassVar

from limits.storage import MemoryStorage


class SweepingMemoryStorage(MemoryStorage):
    """`memory://` rate-limit counts, expired at most once per `SWEEP_INTERVAL`, without threads.

    Defining the class registers it for the `memory` scheme (limits maps a URI's scheme to the
    last storage class naming it in `STORAGE_SCHEME`). It takes the scheme over rather than
    adding one of its own so that every `memory://` setting gets the fix: the default and a
    site owner's `[comments] storage_uri = "memory://"` in site.toml alike. Importing
    `twombly.limits` defines it, before Flask-Limiter builds its storage from the URI.
    """

    STORAGE_SCHEME: ClassVar[list[str]] = ["memory"]
    SWEEP_INTERVAL = 1.0  # seconds; an expired key read again is dropped at once by `get`

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: Any):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._stop_library_timer()

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        self._stop_library_timer()

    def __getstate__(self) -> dict[str, Any]:
        state = super().__getstate__()
        del state["_sweep_lock"]
        return state

    def _stop_library_timer(self) -> None:
        """Cancel the timer the library starts on construction and unpickling; we sweep inline."""
        self.timer.cancel()
        self._sweep_lock = threading.Lock()
        self._next_sweep = time.monotonic() + self.SWEEP_INTERVAL

    def _MemoryStorage__schedule_expiry(self) -> None:
        """Called by the library before each count: sweep now if the last sweep is old enough."""
        if time.monotonic() < self._next_sweep or not self._sweep_lock.acquire(blocking=False):
            return
        try:
            self._next_sweep = time.monotonic() + self.SWEEP_INTERVAL
            self._sweep()
        finally:
            self._sweep_lock.release()

    def _sweep(self) -> None:
        """Drop expired counters and moving-window entries.

        Not the library's `__expire_events`: it reads `self.expirations[key]` for keys listed
        before the loop, a KeyError once a request's `get` has dropped one in between. `get`
        itself drops a key only if it is still expired when it looks, so it serves here too.

        Both dicts are read from `dict.copy()`, never `list(d.items())`: building an item
        tuple can run the garbage collector, whose finalizers can hand the GIL to a request
        thread that adds a key mid-iteration (`RuntimeError: dictionary keys changed during
        iteration`). A copy allocates nothing the collector tracks while it reads the dict.
        """
        now = time.time()
        for key, expires_at in self.expirations.copy().items():
            if expires_at <= now:
                self.get(key)
        for key in self.events.copy():
            with self.locks[key]:
                live = [entry for entry in self.events.get(key, ()) if entry.expiry > now]
                if live:
                    self.events[key] = live
                else:
                    self.events.pop(key, None)
                    self.locks.pop(key, None)
