"""Many processes writing one post's comments at once: nothing lost, duplicated or torn."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import pytest

from twombly.comments.store import CommentStore

from .comment_helpers import comment_record
from .conftest import PROJECT

PROCESSES = 8
EACH = 50
SHM = Path("/dev/shm")


@pytest.fixture
def folder(tmp_path: Path):
    """A comments folder in memory when the machine has one: the test is about locking and
    atomic replacement, which a process kill exercises the same way, not about how long the
    disk takes to fsync (800 fsyncs on a slow disk take most of a minute)."""
    if SHM.is_dir() and os.access(SHM, os.W_OK):
        with tempfile.TemporaryDirectory(dir=SHM, prefix="twombly-test-") as memory:
            yield Path(memory)
    else:
        yield tmp_path


def writer(folder: Path, tag: str, count: str, pause: float = 0) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.comment_writer", str(folder), "her", tag, count, str(pause)],
        cwd=PROJECT,
        stdout=subprocess.PIPE,
        text=True,
    )


def read_valid(folder: Path, slug: str = "her") -> list[dict]:
    """The file's comments, after checking it is whole and passes the store's validation."""
    text = (folder / f"{slug}.json").read_text("utf-8")
    assert text.endswith("}\n")
    CommentStore(folder).read(slug)  # raises on a torn or invalid file
    return json.loads(text)["comments"]


@pytest.mark.parametrize("existing", [3, 0], ids=["existing-file", "first-comment-burst"])
def test_eight_processes_fifty_comments_each(folder, existing):
    earlier = [
        comment_record("her", f"Old{n}", id=f"old{n}", created="2014-01-21T09:30:00Z")
        for n in range(existing)
    ]
    if existing:
        document = {"post": "her", "comments": earlier}
        (folder / "her.json").write_text(json.dumps(document, indent=2) + "\n", "utf-8")
    writers = [writer(folder, f"w{n}", str(EACH)) for n in range(PROCESSES)]
    acknowledged = []
    for process in writers:
        out, _ = process.communicate(timeout=300)
        assert process.returncode == 0
        acknowledged += out.split()
    comments = read_valid(folder)
    assert len(comments) == existing + PROCESSES * EACH
    assert comments[:existing] == earlier
    bodies = Counter(c["body"] for c in comments[existing:])
    expected = {f"w{p}-{n}" for p in range(PROCESSES) for n in range(EACH)}
    assert set(bodies) == expected
    assert max(bodies.values()) == 1
    assert sorted(acknowledged) == sorted(c["id"] for c in comments[existing:])
    assert sorted(p.name for p in folder.iterdir()) == ["her.json", "her.json.lock"]


def test_killing_writers_loses_no_acknowledged_comment(folder):
    steady = writer(folder, "steady", "forever", pause=0.002)
    acknowledged: list[str] = [steady.stdout.readline().strip()]
    try:
        for round_number in range(8):
            victim = writer(folder, f"victim{round_number}", "forever")
            acknowledged.append(victim.stdout.readline().strip())  # it is writing now
            time.sleep(0.01 * round_number)
            victim.kill()  # SIGKILL: no chance to clean up or release anything by hand
            out, _ = victim.communicate(timeout=30)
            acknowledged += out.split()
            read_valid(folder)
    finally:
        steady.kill()
        out, _ = steady.communicate(timeout=30)
        acknowledged += out.split()
    stored_ids = {c["id"] for c in read_valid(folder)}
    assert len(acknowledged) > 20, "the writers did not get to write"
    assert set(acknowledged) <= stored_ids
    # a killed writer can leave only its temporary file, never a broken comments file...
    assert {p.name for p in folder.iterdir()} <= {"her.json", "her.json.lock", ".her.json.tmp"}
    # ...and the next write removes it
    acknowledged.append(CommentStore(folder).add("her", author="last", body="last").id)
    assert set(acknowledged) <= {c["id"] for c in read_valid(folder)}
    assert sorted(p.name for p in folder.iterdir()) == ["her.json", "her.json.lock"]


def test_a_writer_killed_mid_write_leaves_a_temporary_file_the_next_write_removes(folder):
    """Kill writers until one dies between creating its temporary file and replacing the
    comments file; the file stays whole, and the next writer clears what the dead one left."""
    tmp = folder / ".her.json.tmp"
    for attempt in range(200):
        victim = writer(folder, f"victim{attempt}", "forever")
        victim.stdout.readline()  # it is writing now
        time.sleep(0.003 * (attempt % 7))
        victim.kill()
        victim.communicate(timeout=30)
        if tmp.exists():
            break
    else:
        pytest.skip("no writer was caught mid-write in 200 tries")
    count = len(read_valid(folder))
    CommentStore(folder).add("her", author="next", body="next")
    assert len(read_valid(folder)) == count + 1
    assert sorted(p.name for p in folder.iterdir()) == ["her.json", "her.json.lock"]
