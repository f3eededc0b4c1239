"""The comment store: one read-change-write path under the post's lock, and what it refuses."""

from __future__ import annotations

import json
import re
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from twombly.comments.store import (
    Comment,
    CommentFileError,
    CommentStore,
    InvalidComment,
    UnknownComment,
)

MOMENT = datetime(2014, 1, 21, 9, 30, tzinfo=UTC)


def stranger(number: int) -> Comment:
    return Comment(
        id=f"20140121T093000Z-00000{number}",
        author=f"Stranger {number}",
        body=f"Left behind {number}.",
        created="2014-01-21T09:30:00Z",
    )


def design_layout(path: Path) -> list[dict]:
    """The file's comments, after checking its bytes are exactly the designed layout."""
    text = path.read_text("utf-8")
    document = json.loads(text)
    assert text == json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    for entry in document["comments"]:
        assert list(entry)[:3] == ["id", "parent", "author"]
    return document["comments"]


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


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
    path.write_text(  # a hand-written file in another layout is rewritten in the designed one
        json.dumps({"post": "her", "comments": [stranger(1).to_json()]}, indent=4) + "\n"
    )
    store = CommentStore(tmp_path)

    def write(tag: str) -> None:
        for number in range(20):
            store.add("her", author=tag, body=f"{tag}-{number}: «ça» \u2014 naïve")

    workers = [threading.Thread(target=write, args=(f"t{n}",)) for n in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    stored = design_layout(path)
    assert len(stored) == 81 and len({c["id"] for c in stored}) == 81
    assert "«ça» — naïve" in path.read_text("utf-8")
    assert files(tmp_path) == ["her.json", "her.json.lock"]


def test_a_hand_written_file_read_before_is_written_in_the_designed_layout(tmp_path):
    """Keys in another order, a null website, no parent: valid, and the next write (by a store
    that had read the file) puts every comment in the designed layout."""
    record = {"status": "approved", "body": "By hand.", "author": "Ann", "website": None}
    record |= {"created": "2014-01-21T09:30:00Z", "id": "20140121T093000Z-aaaaaa"}
    path = tmp_path / "her.json"
    path.write_text(json.dumps({"comments": [record], "post": "her"}, indent=2), "utf-8")
    store = CommentStore(tmp_path)
    assert [c.body for c in store.read("her")] == ["By hand."]
    store.add("her", author="Bob", body="Second.")
    stored = design_layout(path)
    assert stored[0] == {
        key: record[key] for key in ("id", "author", "body", "created", "status")
    } | {"parent": None}
    assert [c.body for c in CommentStore(tmp_path).read("her")] == ["By hand.", "Second."]


def test_a_new_comment_is_a_clean_addition_at_the_end(tmp_path):
    store = CommentStore(tmp_path)
    store.add("her", author="Ann", body="First.")
    before = (tmp_path / "her.json").read_text("utf-8")
    store.add("her", author="Bob", body="Second.")
    after = (tmp_path / "her.json").read_text("utf-8")
    assert after.startswith(before.removesuffix("\n  ]\n}\n"))


def test_a_reader_follows_additions_edits_and_breakage(tmp_path):
    writer, reader = CommentStore(tmp_path), CommentStore(tmp_path)
    first = writer.add("her", author="Ann", body="First.")
    assert [c.id for c in reader.read("her")] == [first.id]
    second = writer.add("her", author="Bob", body="Second.")
    assert [c.id for c in reader.read("her")] == [first.id, second.id]
    writer.update("her", first.id, body="First, edited.")
    assert reader.get("her", first.id).body == "First, edited."
    path = tmp_path / "her.json"
    document = json.loads(path.read_text("utf-8"))
    document["comments"].append(document["comments"][0])  # the first comment again, by hand
    path.write_text(json.dumps(document, indent=2), "utf-8")
    with pytest.raises(CommentFileError, match="duplicate id"):
        reader.read("her")


def test_a_file_changed_by_hand_is_read_whole_again_even_as_it_grows(tmp_path):
    """A reader that read the file before takes nothing from its earlier copy once an earlier
    comment changed, even when comments were also added at the end."""
    writer, reader = CommentStore(tmp_path), CommentStore(tmp_path)
    first = writer.add("her", author="Ann", body="First.")
    assert [c.body for c in reader.read("her")] == ["First."]
    path = tmp_path / "her.json"
    document = json.loads(path.read_text("utf-8"))
    document["comments"][0]["body"] = "First, fixed by hand."
    document["comments"].append(stranger(1).to_json())
    path.write_text(json.dumps(document, indent=2), "utf-8")
    assert [c.body for c in reader.read("her")] == ["First, fixed by hand.", "Left behind 1."]
    document["comments"][0]["status"] = "hidden"
    document["comments"].append(stranger(2).to_json())
    path.write_text(json.dumps(document, indent=2), "utf-8")
    with pytest.raises(CommentFileError, match='comment 1: "status" must be one of'):
        reader.read("her")
    broken = path.read_text("utf-8")
    with pytest.raises(CommentFileError):
        reader.add("her", author="Bob", body="Refused.")
    assert path.read_text("utf-8") == broken and first.id in broken


@pytest.mark.parametrize(
    "addition",
    [",\n", ",\n    {}\n", ",\n    1\n", ',\n    {"id": "x"}\n'],
    ids=["trailing-comma", "empty-object", "number", "incomplete-comment"],
)
def test_a_broken_file_is_reported_and_never_rewritten(tmp_path, addition):
    store = CommentStore(tmp_path)
    first = store.add("her", author="Ann", body="First.")
    path = tmp_path / "her.json"
    broken = path.read_text("utf-8").removesuffix("\n  ]\n}\n") + addition + "  ]\n}\n"
    path.write_text(broken, "utf-8")
    with pytest.raises(CommentFileError, match=re.escape(str(path))):
        store.read("her")
    for change in (
        lambda: store.add("her", author="Bob", body="Refused."),
        lambda: store.update("her", first.id, body="Refused."),
        lambda: store.set_status("her", first.id, "spam"),
        lambda: store.delete("her", first.id),
    ):
        with pytest.raises(CommentFileError):
            change()
        assert path.read_text("utf-8") == broken
    assert files(tmp_path) == ["her.json", "her.json.lock"]


def test_the_next_write_removes_a_temporary_file_a_killed_writer_left(tmp_path):
    store = CommentStore(tmp_path)
    first = store.add("her", author="Ann", body="First.")
    leftover = tmp_path / ".her.json.tmp"
    leftover.write_bytes(b'{\n  "post": "her",\n  "comments": [\n    {\n      "id"')  # cut short
    store.set_status("her", first.id, "spam")
    assert files(tmp_path) == ["her.json", "her.json.lock"]
    leftover.write_bytes(b"")
    store.add("her", author="Bob", body="Second.")
    assert files(tmp_path) == ["her.json", "her.json.lock"]
    assert [c["status"] for c in design_layout(tmp_path / "her.json")] == ["spam", "approved"]


@pytest.mark.parametrize(
    "change",
    [
        lambda store: store.set_status("nope", "some-id", "spam"),
        lambda store: store.update("nope", "some-id", body="Hi."),
        lambda store: store.delete("nope", "some-id"),
    ],
    ids=["moderate", "edit", "delete"],
)
def test_changing_a_post_without_comments_creates_no_file(tmp_path, change):
    with pytest.raises(UnknownComment):
        change(CommentStore(tmp_path))
    assert files(tmp_path) == []


@pytest.mark.parametrize(
    "fields",
    [
        {"author": "Ann\x0bB"},
        {"body": "Form\x0cfeed"},
        {"body": "Nul\x00byte"},
        {"body": "Escape\x1b[31m"},
        {"body": "Lone \ud800 surrogate"},
        {"body": "Not a character \uffff"},
        {"website": "https://a.example/\x00"},
        {"status": "published"},
    ],
)
def test_the_store_refuses_a_comment_a_file_could_not_hold(tmp_path, fields):
    store = CommentStore(tmp_path)
    first = store.add("her", author="Ann", body="First.")
    before = (tmp_path / "her.json").read_bytes()
    with pytest.raises(InvalidComment):
        store.add("her", **{"author": "Bob", "body": "Fine.", **fields})
    if "body" in fields:
        with pytest.raises(InvalidComment):
            store.update("her", first.id, body=fields["body"])
    if "status" in fields:
        with pytest.raises(InvalidComment):
            store.set_status("her", first.id, fields["status"])
    assert (tmp_path / "her.json").read_bytes() == before
    assert files(tmp_path) == ["her.json", "her.json.lock"]


def test_tabs_and_line_breaks_are_fine_in_a_body(tmp_path):
    store = CommentStore(tmp_path)
    store.add("her", author="Ann", body="One\ttwo\r\nthree\nfour")
    assert store.read("her")[0].body == "One\ttwo\r\nthree\nfour"


@pytest.mark.parametrize("ascii_only", [False, True], ids=["utf-8", "escaped"])
@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("author", "Bad\x0bname", "holds a control character (U+000B)"),
        ("body", "Form\x0cfeed", "holds a control character (U+000C)"),
        ("body", "Not a character \uffff", "holds a character that is not valid text"),
    ],
)
def test_text_a_comment_may_not_hold_is_reported_in_a_file(
    tmp_path, field, value, problem, ascii_only
):
    records = [stranger(1).to_json(), {**stranger(2).to_json(), field: value}]
    path = tmp_path / "her.json"
    path.write_text(json.dumps({"post": "her", "comments": records}, ensure_ascii=ascii_only))
    with pytest.raises(CommentFileError, match=re.escape(f'comment 2: "{field}" {problem}')):
        CommentStore(tmp_path).read("her")
