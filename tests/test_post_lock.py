"""The lock on a post's comments (filelock on `<slug>.json.lock`) as the store uses it."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest

from twombly.comments.store import CommentStore, CommentWriteError, UnknownComment

HOLD = """
import sys
from filelock import FileLock
lock = FileLock(sys.argv[1])
lock.acquire()
print("held", flush=True)
sys.stdin.readline()
"""


def holder(lock_path) -> subprocess.Popen:
    """Another process that takes the lock and keeps it until told (or killed)."""
    pipes = {"stdin": subprocess.PIPE, "stdout": subprocess.PIPE, "text": True}
    process = subprocess.Popen([sys.executable, "-c", HOLD, str(lock_path)], **pipes)
    assert process.stdout.readline().strip() == "held"
    return process


@pytest.fixture
def her(tmp_path):
    store = CommentStore(tmp_path, lock_timeout=0.3)
    store.add("her", author="Ann", body="First.")
    return store


def test_a_change_waits_for_another_process_then_gives_up_leaving_the_file(tmp_path, her):
    path = tmp_path / "her.json"
    before = path.read_bytes()
    process = holder(f"{path}.lock")
    try:
        started = time.monotonic()
        with pytest.raises(CommentWriteError, match=r"could not lock within 0\.3 s"):
            her.add("her", author="Bob", body="Refused: the lock is held.")
        assert time.monotonic() - started >= 0.3
        first = her.read("her")[0]
        with pytest.raises(CommentWriteError):
            her.set_status("her", first.id, "spam")
    finally:
        process.communicate("\n", timeout=10)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["her.json", "her.json.lock"]
    her.add("her", author="Bob", body="Now it goes.")  # free again once the holder is done
    assert [c.author for c in her.read("her")] == ["Ann", "Bob"]


def test_a_holder_killed_outright_frees_the_lock(tmp_path, her):
    process = holder(tmp_path / "her.json.lock")
    process.kill()  # SIGKILL: the kernel releases the lock with the process
    process.communicate(timeout=10)
    her.add("her", author="Bob", body="After the kill.")
    assert [c.author for c in her.read("her")] == ["Ann", "Bob"]


def test_a_symlink_in_place_of_the_lock_file_is_refused(tmp_path):
    target = tmp_path / "elsewhere.txt"
    target.write_text("keep me", encoding="utf-8")
    (tmp_path / "her.json.lock").symlink_to(target)
    with pytest.raises(CommentWriteError, match="could not lock"):
        CommentStore(tmp_path, lock_timeout=0.3).add("her", author="Ann", body="Hi.")
    assert target.read_text(encoding="utf-8") == "keep me"
    assert not (tmp_path / "her.json").exists()


def run_at_once(*changes) -> tuple[list[threading.Thread], list[object]]:
    """Run each change in its own thread, all at once; what each returned or raised."""
    results: list[object] = [None] * len(changes)

    def run(index: int) -> None:
        try:
            results[index] = changes[index]()
        except Exception as error:
            results[index] = error

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(changes))]
    for thread in threads:
        thread.start()
    return threads, results


def test_writers_queued_behind_another_process_are_written_together_each_with_its_outcome(
    tmp_path, her
):
    """While another process holds the lock, this process's writers queue; once it is free
    the first writes all their changes, and a change that fails fails alone."""
    path = tmp_path / "her.json"
    her.lock_timeout = 10
    process = holder(f"{path}.lock")
    try:
        threads, results = run_at_once(
            *[lambda n=n: her.add("her", author=f"Reader {n}", body="Queued.") for n in range(4)],
            lambda: her.add("her", author="Bob", body="A reply to nothing.", parent="gone"),
        )
        time.sleep(0.2)
        assert [c.author for c in her.read("her")] == ["Ann"]  # nothing written yet
    finally:
        process.communicate("\n", timeout=10)
    for thread in threads:
        thread.join(10)
    assert isinstance(results[4], UnknownComment)
    stored = her.read("her")
    assert sorted(c.author for c in stored[1:]) == [f"Reader {n}" for n in range(4)]
    assert sorted(c.id for c in stored[1:]) == sorted(r.id for r in results[:4])
    assert CommentStore(tmp_path).read("her") == stored


def test_writers_queued_in_one_process_all_give_up_when_the_lock_stays_held(tmp_path, her):
    path = tmp_path / "her.json"
    before = path.read_bytes()
    process = holder(f"{path}.lock")
    try:
        threads, results = run_at_once(
            *[lambda n=n: her.add("her", author=f"Reader {n}", body="Refused.") for n in range(3)]
        )
        for thread in threads:
            thread.join(10)
    finally:
        process.communicate("\n", timeout=10)
    assert all(isinstance(result, CommentWriteError) for result in results)
    assert path.read_bytes() == before
