"""`flask comments list/approve/spam/delete`: what a moderator types and reads."""

from __future__ import annotations

import json

import pytest

from .comment_helpers import comment_record


@pytest.fixture
def comments(write_comments):
    write_comments(
        "her",
        [comment_record("her", "Ann", id="c1", created="2014-01-21T09:30:00Z"),
         comment_record("her", "Bob", id="c2", created="2014-01-21T10:00:00Z",
                        status="pending", body="Please   approve\\nme"),
         comment_record("her", "Ann", id="c3", parent="c1", created="2014-01-21T11:00:00Z")],
    )  # fmt: skip
    write_comments(
        "quiet",
        [comment_record("quiet", "Cy", id="q1", created="2015-01-01T00:00:00Z", status="spam")],
    )


def statuses(site, slug="her") -> dict[str, str]:
    data = json.loads((site / "comments" / f"{slug}.json").read_text("utf-8"))
    return {c["id"]: c["status"] for c in data["comments"]}


def test_list_everything(runner, comments):
    result = runner.invoke(args=["comments", "list"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith("c1  approved  her  2014-01-21T09:30:00Z  Ann: Words by Ann.")
    assert lines[1].endswith("Bob: Please approve\\nme")
    assert "(reply to c1)" in lines[2]
    assert lines[3].startswith("q1  spam      quiet")
    assert lines[-1] == "4 comments"


def test_list_by_status_and_post(runner, comments):
    result = runner.invoke(args=["comments", "list", "--status", "pending"])
    assert [line.split()[0] for line in result.output.splitlines()] == ["c2", "1"]
    result = runner.invoke(args=["comments", "list", "quiet"])
    assert result.output.splitlines()[-1] == "1 comment"
    result = runner.invoke(args=["comments", "list", "--status", "nonsense"])
    assert result.exit_code == 2
    assert "'nonsense' is not one of" in result.output


def test_approve(runner, site, comments):
    result = runner.invoke(args=["comments", "approve", "c2"])
    assert result.exit_code == 0
    assert result.output == "Approved c2 by Bob on her\n"
    assert statuses(site)["c2"] == "approved"


def test_spam(runner, site, comments):
    result = runner.invoke(args=["comments", "spam", "c1"])
    assert result.output == "Marked as spam c1 by Ann on her\n"
    assert statuses(site)["c1"] == "spam"


def test_delete(runner, site, comments):
    result = runner.invoke(args=["comments", "delete", "q1"])
    assert result.output == "Deleted q1 by Cy on quiet\n"
    assert statuses(site, "quiet") == {}


@pytest.mark.parametrize("command", ["approve", "spam", "delete"])
def test_unknown_id_fails_clearly(runner, site, comments, command):
    before = (site / "comments" / "her.json").read_bytes()
    result = runner.invoke(args=["comments", command, "nope"])
    assert result.exit_code == 1
    assert "Error: no comment with id 'nope'" in result.output
    assert (site / "comments" / "her.json").read_bytes() == before


def test_a_broken_file_is_named_and_others_still_work(runner, site, comments):
    broken = site / "comments" / "broken.json"
    broken.write_text("{nope", "utf-8")
    result = runner.invoke(args=["comments", "list"])
    assert f"error: {broken}: does not parse" in result.output
    assert result.output.splitlines()[-1] == "4 comments"
    assert result.exit_code == 1  # the listing is not the whole story
    assert runner.invoke(args=["comments", "approve", "c2"]).exit_code == 0
    result = runner.invoke(args=["comments", "approve", "missing"])
    assert result.exit_code == 1
    assert str(broken) in result.output
    assert broken.read_text("utf-8") == "{nope"


def test_approved_comment_appears_on_the_post(runner, client, write_post, comments):
    write_post("her", title="her")
    assert "Please" not in client.get("/posts/her/").text
    runner.invoke(args=["comments", "approve", "c2"])
    assert "Please" in client.get("/posts/her/").text
