"""The rate limiter's in-memory storage: no thread per request, limits kept, memory bounded."""

from __future__ import annotations

import gc
import itertools
import threading
import time

import pytest

from twombly.extensions import limiter
from twombly.limiter_storage import SweepingMemoryStorage

from .comment_helpers import csrf_token, send_comment

WORKERS = 16


@pytest.fixture
def her(write_post):
    return write_post("her", title="her")


def hammer(storage, seconds: float) -> tuple[list[BaseException], set[threading.Thread]]:
    """Count tiny windows from WORKERS threads; the errors raised and the threads seen starting.

    Each worker pauses longer than the library's 0.01 s expiry timer lives, so the stock
    storage starts a new timer thread (racing the other workers to start it) again and again.
    """
    before = set(threading.enumerate())
    errors: list[BaseException] = []
    deadline = time.monotonic() + seconds

    def work(number: int) -> None:
        try:
            while time.monotonic() < deadline:
                for hit in range(5):
                    storage.incr(f"reader-{number}-{hit}", expiry=0.001)
                time.sleep(0.015)
        except BaseException as error:  # reported by the test
            errors.append(error)

    workers = {threading.Thread(target=work, args=(n,)) for n in range(WORKERS)}
    seen: set[threading.Thread] = set()
    for worker in workers:
        worker.start()
    while any(worker.is_alive() for worker in workers):
        seen.update(threading.enumerate())
        time.sleep(0.002)
    for worker in workers:
        worker.join()
    seen.update(threading.enumerate())
    return errors, seen - before - workers


def test_counting_from_many_threads_starts_no_thread(app):
    storage = limiter.storage
    assert isinstance(storage, SweepingMemoryStorage)  # what `memory://` gives the app
    errors, started = hammer(storage, seconds=1.2)  # spans a sweep
    assert errors == []
    assert started == set()


def test_a_sweep_survives_a_reader_counted_while_it_reads_the_counters():
    """The garbage collector can run in the middle of a sweep and hand the GIL to a request
    thread; a gc callback stands in for that thread and counts a new reader right then."""
    storage = SweepingMemoryStorage("memory://")
    for number in range(200):
        storage.incr(f"gone-{number}", expiry=0.001)
    newcomers = itertools.count()

    def count_a_reader(phase: str, info: dict) -> None:
        if phase == "start":
            storage.incr(f"new-{next(newcomers)}", expiry=60)

    time.sleep(SweepingMemoryStorage.SWEEP_INTERVAL + 0.05)  # the next count sweeps
    threshold = gc.get_threshold()
    gc.callbacks.append(count_a_reader)
    gc.set_threshold(1)
    try:
        storage.incr("reader", expiry=60)
    finally:
        gc.set_threshold(*threshold)
        gc.callbacks.remove(count_a_reader)
    assert next(newcomers) > 0  # a reader was counted during the sweep
    assert not [key for key in storage.storage if key.startswith("gone-")]
    assert storage.get("reader") == 1


def test_the_sixth_comment_in_a_minute_is_refused(client, her):
    token = csrf_token(client, "her")
    for _ in range(5):
        assert send_comment(client, "her", csrf_token=token).status_code == 303
    refused = send_comment(client, "her", csrf_token=token)
    assert refused.status_code == 429
    assert "several comments in a short time" in refused.get_data(as_text=True)


def test_comment_responses_tell_the_limit_and_pages_are_not_counted(client, her):
    token = csrf_token(client, "her")
    for _ in range(3):
        assert client.get("/posts/her/").status_code == 200
    remaining = []
    for _ in range(2):
        sent = send_comment(client, "her", csrf_token=token)
        assert sent.headers["X-RateLimit-Limit"] == "5"
        remaining.append(sent.headers["X-RateLimit-Remaining"])
    assert remaining == ["4", "3"]
    assert "X-RateLimit-Limit" not in client.get("/posts/her/").headers


def test_a_comment_is_accepted_again_once_the_window_is_over(app, client, her):
    app.config["COMMENTS_RATE_LIMIT"] = "1 per second"
    others = [app.test_client() for _ in range(3)]
    for number, other in enumerate(others):
        other.environ_base["REMOTE_ADDR"] = f"10.0.0.{number}"
        assert send_comment(other, "her").status_code == 303
    token = csrf_token(client, "her")
    assert send_comment(client, "her", csrf_token=token).status_code == 303
    assert send_comment(client, "her", csrf_token=token).status_code == 429
    assert len(limiter.storage.storage) == 1 + len(others)

    time.sleep(max(1.0, SweepingMemoryStorage.SWEEP_INTERVAL) + 0.1)
    assert send_comment(client, "her", csrf_token=token).status_code == 303
    # the other readers' windows are over and nobody read them again: they are gone
    assert len(limiter.storage.storage) == 1
    assert len(limiter.storage.expirations) == 1
