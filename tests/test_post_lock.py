"""The lock on a post's comments: exclusive across processes and threads, with a timeout."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest

from twombly.comments.files import LockTimeout, PostLock

HOLD = """
import sys, time
from twombly.comments.files import PostLock
lock = PostLock(sys.argv[1], 5)
lock.acquire()
print("held", flush=True)
sys.stdin.readline()
"""


def test_another_process_holding_the_lock_makes_the_wait_time_out(tmp_path):
    path = str(tmp_path / "her.json.lock")
    pipes = {"stdin": subprocess.PIPE, "stdout": subprocess.PIPE, "text": True}
    holder = subprocess.Popen([sys.executable, "-c", HOLD, path], **pipes)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(TimeoutError):
            PostLock(path, 0.2).acquire()
        cancelled = time.monotonic()
        with pytest.raises(LockTimeout):
            PostLock(path, 30).acquire(cancel_check=lambda: True)
        assert time.monotonic() - cancelled < 1
    finally:
        holder.communicate("\n", timeout=10)
    with PostLock(path, 1):  # free again once the holder has exited
        pass


def test_threads_of_one_process_exclude_each_other(tmp_path):
    lock = PostLock(str(tmp_path / "her.json.lock"), 0.2)
    inside, outcomes = [], []

    def critical(name: str) -> None:
        try:
            with lock:
                inside.append(name)
                time.sleep(0.5)
                inside.remove(name)
            outcomes.append("done")
        except TimeoutError:
            outcomes.append("timed out")

    threads = [threading.Thread(target=critical, args=(str(n),)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["done", "timed out"]
    with lock:
        assert inside == []


def test_a_symlink_in_place_of_the_lock_file_is_refused(tmp_path):
    target = tmp_path / "elsewhere.txt"
    target.write_text("keep me", encoding="utf-8")
    (tmp_path / "her.json.lock").symlink_to(target)
    with pytest.raises(OSError):
        PostLock(str(tmp_path / "her.json.lock"), 0.2).acquire()
    assert target.read_text(encoding="utf-8") == "keep me"
