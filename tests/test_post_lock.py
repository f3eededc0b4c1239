"""The lock on a post's comments (filelock on `<slug>.json.lock`) as the store uses it."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from twombly.comments.store import CommentStore, CommentWriteError

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
