"""Group commit through the spool: what a killed writer or merger leaves is merged once, and
the file keeps its exact layout whoever writes it."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from twombly.comments.files import PostLock, Spool, write_atomically
from twombly.comments.store import Comment, CommentFileError, CommentStore, CommentWriteError
from twombly.comments.store import document_text as text_of

from .comment_helpers import csrf_token, send_comment

MOMENT = datetime(2014, 1, 21, 9, 30, tzinfo=UTC)


def spooled(folder: Path, comment: Comment, state: str = ".spool") -> Path:
    """Leave a comment in the spool as a writer (".spool") or a merger (".merging") would."""
    folder.mkdir(parents=True, exist_ok=True)
    assert Spool(folder, "her").drop(comment.id, comment.to_json())
    entry = folder / ".spool" / f".her.{comment.id}.spool"
    if state == ".merging":
        entry = entry.rename(entry.with_suffix(".merging"))
    return entry


def stranger(number: int) -> Comment:
    return Comment(
        id=f"20140121T093000Z-00000{number}",
        author=f"Stranger {number}",
        body=f"Left behind {number}.",
        created="2014-01-21T09:30:00Z",
    )


def leftovers(folder: Path) -> list[str]:
    """Spool entries and temporary files, wherever a writer could have left them."""
    places = [folder, folder / ".spool"]
    found = [p for place in places if place.is_dir() for p in place.iterdir() if p.is_file()]
    return sorted(p.name for p in found if p.name.endswith((".spool", ".merging", ".tmp")))


def assert_design_layout(path: Path) -> list[dict]:
    text = path.read_text("utf-8")
    document = json.loads(text)
    assert text == json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    for entry in document["comments"]:
        assert list(entry)[:3] == ["id", "parent", "author"]
    return document["comments"]


@pytest.mark.parametrize("state", [".spool", ".merging"])
def test_a_merger_killed_before_cleaning_up_duplicates_nothing(tmp_path, state):
    # the merger replaced the file with the comment in it, then died with the entry still there
    written = stranger(1)
    write_atomically(tmp_path / "her.json", text_of("her", [written]))
    spooled(tmp_path, written, state)
    store = CommentStore(tmp_path)
    added = store.add("her", author="Ann", body="After the crash.")
    assert [c["id"] for c in assert_design_layout(tmp_path / "her.json")] == [
        written.id,
        added.id,
    ]
    assert leftovers(tmp_path) == []


def test_leftover_entries_are_merged_by_the_next_writer_in_arrival_order(tmp_path):
    spooled(tmp_path, stranger(1))  # a writer killed after spooling, before any merge
    spooled(tmp_path, stranger(2), ".merging")  # a merger killed before replacing the file
    added = CommentStore(tmp_path).add("her", author="Ann", body="Next.")
    stored = assert_design_layout(tmp_path / "her.json")
    assert [c["id"] for c in stored] == [stranger(1).id, stranger(2).id, added.id]
    assert stored[0] == stranger(1).to_json()
    assert leftovers(tmp_path) == []


def test_a_moderation_change_also_merges_the_spool(tmp_path):
    store = CommentStore(tmp_path)
    first = store.add("her", author="Ann", body="First.")
    spooled(tmp_path, stranger(1))
    store.set_status("her", first.id, "spam")
    assert [c.id for c in store.read("her")] == [first.id, stranger(1).id]
    assert store.get("her", first.id).status == "spam"
    assert leftovers(tmp_path) == []


def test_a_corrupt_file_is_never_rewritten_and_keeps_the_spool(client, site, write_post):
    write_post("her", title="her")
    token = csrf_token(client, "her")
    folder = site / "comments"
    broken = b'{"post": "her", "comments": [ {"id": '
    (folder / "her.json").write_bytes(broken)
    entry = spooled(folder, stranger(1))
    response = send_comment(client, "her", csrf_token=token, body="Refused for now.")
    assert response.status_code == 503
    assert (folder / "her.json").read_bytes() == broken
    # the waiting entry is kept for when the file is mended; the refused comment is not
    assert leftovers(folder) == [entry.name]
    with pytest.raises(CommentFileError):
        CommentStore(folder).add("her", author="Ann", body="Also refused.")
    assert leftovers(folder) == [entry.name]


def test_a_writer_that_cannot_get_the_lock_withdraws_its_comment(tmp_path):
    store = CommentStore(tmp_path, lock_timeout=0.2)
    first = store.add("her", author="Ann", body="First.")
    before = (tmp_path / "her.json").read_bytes()
    with PostLock(f"{tmp_path / 'her.json'}.lock", 1), pytest.raises(CommentWriteError):
        store.add("her", author="Bob", body="Refused: the lock is held.")
    assert (tmp_path / "her.json").read_bytes() == before
    assert leftovers(tmp_path) == []
    second = store.add("her", author="Bob", body="Now it goes.")
    assert [c.id for c in store.read("her")] == [first.id, second.id]


def test_an_id_drawn_twice_in_one_second_gets_a_fresh_one(tmp_path, monkeypatch):
    store = CommentStore(tmp_path)
    draws = iter(["aaaaaa", "aaaaaa", "bbbbbb", "cccccc"])
    monkeypatch.setattr("secrets.token_hex", lambda n: next(draws))
    first = store.add("her", author="Ann", body="First.", now=MOMENT)
    second = store.add("her", author="Bob", body="Second.", now=MOMENT)
    assert first.id == "20140121T093000Z-aaaaaa"
    assert second.id == "20140121T093000Z-bbbbbb"
    assert [c.id for c in CommentStore(tmp_path).read("her")] == [first.id, second.id]


def test_threads_writing_at_once_keep_the_design_layout(tmp_path):
    path = tmp_path / "her.json"
    path.write_text(  # a hand-written file in another layout is rewritten in the canonical one
        json.dumps({"post": "her", "comments": [stranger(1).to_json()]}, indent=4) + "\n"
    )
    store = CommentStore(tmp_path)
    before = text_of("her", [stranger(1)])

    def write(tag: str) -> None:
        for number in range(20):
            store.add("her", author=tag, body=f"{tag}-{number}: «ça» \u2014 naïve")

    workers = [threading.Thread(target=write, args=(f"t{n}",)) for n in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    stored = assert_design_layout(path)
    assert len(stored) == 81 and len({c["id"] for c in stored}) == 81
    assert "«ça» — naïve" in path.read_text("utf-8")
    # the old comments are a clean prefix: a new comment is an addition in `git diff`
    assert path.read_text("utf-8").startswith(before.removesuffix("\n  ]\n}\n"))


def test_a_reader_follows_additions_edits_and_breakage(tmp_path):
    writer, reader = CommentStore(tmp_path), CommentStore(tmp_path)
    first = writer.add("her", author="Ann", body="First.")
    assert [c.id for c in reader.read("her")] == [first.id]
    second = writer.add("her", author="Bob", body="Second.")
    assert [c.id for c in reader.read("her")] == [first.id, second.id]
    writer.update("her", first.id, body="First, edited.")
    assert reader.get("her", first.id).body == "First, edited."
    path = tmp_path / "her.json"
    text = path.read_text("utf-8")
    duplicate = text.replace("\n  ]\n}\n", ",\n" + text.split("[\n", 1)[1].split("\n    },")[0])
    path.write_text(duplicate + "\n    }\n  ]\n}\n", "utf-8")  # the first comment again
    with pytest.raises(CommentFileError, match="duplicate id"):
        reader.read("her")


@pytest.mark.parametrize(
    "addition",
    [",\n", ",\n    {}\n", ",\n    1\n", ',\n    {"id": "x"}\n'],
    ids=["trailing-comma", "empty-object", "number", "incomplete-comment"],
)
def test_a_broken_addition_at_the_end_is_reported_not_taken(tmp_path, addition):
    store = CommentStore(tmp_path)
    store.add("her", author="Ann", body="First.")
    path = tmp_path / "her.json"
    before = path.read_text("utf-8")
    path.write_text(before.removesuffix("\n  ]\n}\n") + addition + "  ]\n}\n", "utf-8")
    with pytest.raises(CommentFileError):
        store.read("her")


def test_a_new_comment_whose_id_a_waiting_entry_has_takes_another(tmp_path, monkeypatch):
    waiting = stranger(1)  # spooled by a writer still waiting for the lock
    spooled(tmp_path, waiting)
    drawn = iter(["000001", "00000a"])  # the first id drawn is the waiting entry's
    monkeypatch.setattr("twombly.comments.model.secrets.token_hex", lambda n: next(drawn))
    added = CommentStore(tmp_path).add("her", author="Ann", body="Mine.", now=MOMENT)
    assert added.id == "20140121T093000Z-00000a"
    stored = assert_design_layout(tmp_path / "her.json")
    assert [(c["id"], c["body"]) for c in stored] == [
        (waiting.id, waiting.body),
        (added.id, "Mine."),
    ]
    assert leftovers(tmp_path) == []
