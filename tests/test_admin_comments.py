"""The owner manages every comment: /admin/ filters, search, edit, delete, close and reopen,
and the same from `flask comments`."""

from __future__ import annotations

import json
import logging

import pytest

from .admin_helpers import csrf_token, log_in, pending, set_password
from .comment_helpers import send_comment, soup


@pytest.fixture
def owner(client, runner, write_post, write_comments):
    """Two posts, comments in every state, and a logged-in owner."""
    write_post("her", title="her")
    write_post("alien", title="Alien")
    write_comments("her", [
        {**pending("a1", "Ann", "2024-01-02T10:00:00Z", "A lovely film."), "status": "approved"},
        pending("p1", "Bob", "2024-01-03T10:00:00Z", "Buy cheap watches"),
        {**pending("s1", "Spammy", "2024-01-04T10:00:00Z", "Spam words."), "status": "spam"},
    ])  # fmt: skip
    write_comments("alien", [
        {**pending("a2", "Cy", "2024-02-01T10:00:00Z", "In space no one hears."),
         "status": "approved"},
    ])  # fmt: skip
    assert set_password(runner).exit_code == 0
    log_in(client)
    return client


def stored(site, slug: str) -> dict[str, dict]:
    document = json.loads((site / "comments" / f"{slug}.json").read_text("utf-8"))
    return {c["id"]: c for c in document["comments"]}


def listed(client, query: str = "") -> list[str]:
    page = soup(client.get(f"/admin/{query}"))
    return [item["id"].removeprefix("admin-") for item in page.select(".admin-comment")]


def test_the_list_filters_by_post_state_and_words(owner):
    assert listed(owner) == ["a2", "s1", "p1", "a1"]
    assert listed(owner, "?post=her") == ["s1", "p1", "a1"]
    assert listed(owner, "?state=approved") == ["a2", "a1"]
    assert listed(owner, "?post=her&state=spam") == ["s1"]
    assert listed(owner, "?q=bob") == ["p1"]
    assert listed(owner, "?q=lovely+FILM") == ["a1"]
    assert listed(owner, "?q=nothing+like+it") == []
    assert listed(owner, "?state=bogus") == ["a2", "s1", "p1", "a1"]


def test_an_approved_comment_is_deleted_and_logged(owner, site, caplog):
    token = csrf_token(owner.get("/admin/?post=her").text)
    data = {"csrf_token": token, "action": "delete", "next": "/admin/?post=her"}
    with caplog.at_level(logging.INFO, logger="twombly"):
        response = owner.post("/admin/comments/her/a1/", data=data)
    assert response.status_code == 303
    assert response.headers["Location"] == "/admin/?post=her"
    assert "a1" not in stored(site, "her")
    assert "owner delete post=her id=a1 via=admin" in caplog.text
    assert "A lovely film." not in owner.get("/posts/her/").text


def test_the_owner_edits_any_comment(owner, site):
    listing = soup(owner.get("/admin/?post=alien"))
    link = listing.select_one("#admin-a2 a[href*='/edit/']")["href"]
    assert link == "/admin/comments/alien/a2/edit/?next=/admin/?post%3Dalien"
    form = owner.get(link)
    assert form.status_code == 200
    assert "In space no one hears." in form.text
    token = csrf_token(form.text)
    empty = owner.post("/admin/comments/alien/a2/edit/", data={"csrf_token": token, "body": " "})
    assert empty.status_code == 400
    assert stored(site, "alien")["a2"]["body"] == "In space no one hears."
    assert soup(form).select_one("input[name=next]")["value"] == "/admin/?post=alien"
    data = {
        "csrf_token": token,
        "body": "In space *everyone* hears.",
        "next": "/admin/?post=alien",
    }
    response = owner.post("/admin/comments/alien/a2/edit/", data=data)
    assert response.status_code == 303
    assert response.headers["Location"] == "/admin/?post=alien"
    assert stored(site, "alien")["a2"]["body"] == "In space *everyone* hears."
    assert stored(site, "alien")["a2"]["edited"]
    assert "<em>everyone</em>" in owner.get("/posts/alien/").text
    assert owner.get("/admin/comments/alien/nope/edit/").status_code == 404


def test_changes_need_the_csrf_token(owner, site):
    response = owner.post("/admin/comments/her/a1/", data={"action": "delete"})
    assert response.status_code == 303
    assert "a1" in stored(site, "her")
    edit = owner.post("/admin/comments/her/a1/edit/", data={"body": "Forged."})
    assert edit.status_code == 400
    assert owner.post("/admin/posts/her/comments/", data={"action": "close"}).status_code == 303
    assert not (site / "comments" / "closed.txt").exists()


def test_closing_and_reopening_a_post(owner, site, client, caplog):
    token = csrf_token(owner.get("/admin/?post=alien").text)
    with caplog.at_level(logging.INFO, logger="twombly"):
        owner.post("/admin/posts/alien/comments/", data={"csrf_token": token, "action": "close"})
    assert "alien" in (site / "comments" / "closed.txt").read_text("utf-8").split()
    assert "owner close post=alien id=- via=admin" in caplog.text
    page = owner.get("/admin/?post=alien").text
    assert "are closed by you" in page
    assert "Comments are closed." in client.get("/posts/alien/").text
    assert send_comment(client, "her").status_code == 303
    closed = client.post("/posts/alien/comments/", data={"name": "X", "body": "Hi"})
    assert closed.status_code == 403
    owner.post("/admin/posts/alien/comments/", data={"csrf_token": token, "action": "open"})
    assert "alien" not in (site / "comments" / "closed.txt").read_text("utf-8").split()
    assert send_comment(client, "alien").status_code == 303
    gone = owner.post("/admin/posts/nope/comments/", data={"csrf_token": token, "action": "close"})
    assert gone.status_code == 404


def test_the_command_line_lists_edits_closes_and_opens(owner, runner, site, client):
    missing = runner.invoke(args=["comments", "list", "no-such-post"])
    assert missing.exit_code == 1
    assert "no post 'no-such-post'" in missing.output
    found = runner.invoke(args=["comments", "list", "--search", "watches"])
    assert found.output.splitlines() == [found.output.splitlines()[0], "1 comment"]
    assert found.output.startswith("p1  pending")
    empty = runner.invoke(args=["comments", "list", "alien", "--status", "spam"])
    assert (empty.exit_code, empty.output) == (0, "0 comments\n")

    edited = runner.invoke(args=["comments", "edit", "a1", "--body", "Better words."])
    assert edited.output == "Edited a1 by Ann on her\n"
    assert stored(site, "her")["a1"]["body"] == "Better words."
    refused = runner.invoke(args=["comments", "edit", "a1", "--stdin"], input="bad\x01text")
    assert refused.exit_code == 1
    assert "control character" in refused.output
    assert stored(site, "her")["a1"]["body"] == "Better words."

    assert runner.invoke(args=["comments", "close", "her"]).output == (
        "Comments on her are now closed\n"
    )
    assert "Comments are closed." in client.get("/posts/her/").text
    assert runner.invoke(args=["comments", "close", "nope"]).exit_code == 1
    assert runner.invoke(args=["comments", "open", "her"]).output == (
        "Comments on her are now open\n"
    )
    assert "Comments are closed." not in client.get("/posts/her/").text


def test_a_long_list_comes_in_pages(owner, write_comments):
    many = [pending(f"m{n:03}", "Many", f"2023-01-01T10:{n // 60:02}:{n % 60:02}Z")
            for n in range(60)]  # fmt: skip
    write_comments("alien", many)
    first = soup(owner.get("/admin/?post=alien&state=pending"))
    assert len(first.select(".admin-comment")) == 50
    assert first.select_one(".admin-count").get_text() == "60 comments"
    older = first.select_one("a[rel=next]")["href"]
    assert older == "/admin/?post=alien&state=pending&page=2"
    second = soup(owner.get(older))
    assert [i["id"] for i in second.select(".admin-comment")][-1] == "admin-m000"
    assert second.select_one("a[rel=prev]")["href"] == "/admin/?post=alien&state=pending"
