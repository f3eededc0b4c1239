"""Editing and deleting one's own comment: same browser, inside the window, never another's."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from twombly.comments.store import timestamp

from .comment_helpers import comment_id, comment_record, send_comment, soup


@pytest.fixture
def her(write_post):
    write_post("her", title="her")


def stored(site) -> list[dict]:
    return json.loads((site / "comments" / "her.json").read_text("utf-8"))["comments"]


def edit_page_token(client, new_id: str) -> str:
    page = client.get(f"/posts/her/comments/{new_id}/edit/")
    assert page.status_code == 200
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)


def test_author_edits_within_the_window(client, site, her):
    new_id = comment_id(send_comment(client, "her", body="Typo hree."))
    post_page = soup(client.get("/posts/her/"))
    link = post_page.select_one(f"#comment-{new_id} a.comment-edit")
    assert link["href"] == f"/posts/her/comments/{new_id}/edit/"
    form = soup(client.get(link["href"]))
    assert form.select_one("#body").get_text().strip() == "Typo hree."
    token = edit_page_token(client, new_id)
    response = client.post(link["href"], data={"csrf_token": token, "body": "Typo here."})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/posts/her/#comment-{new_id}"
    page = soup(client.get(response.headers["Location"]))
    assert page.select_one(".notice").get_text() == "Your comment was updated."
    assert page.select_one(f"#comment-{new_id} .comment-body").get_text() == "Typo here."
    [comment] = stored(site)
    assert comment["body"] == "Typo here."
    assert "edited" in comment


def test_an_invalid_edit_is_400_with_the_text_kept(client, site, her):
    new_id = comment_id(send_comment(client, "her", body="Fine."))
    token = edit_page_token(client, new_id)
    url = f"/posts/her/comments/{new_id}/edit/"
    response = client.post(url, data={"csrf_token": token, "body": "x" * 5001})
    assert response.status_code == 400
    assert "under 5,000 characters" in soup(response).select_one("#body-error").get_text()
    assert client.post(url, data={"body": "no token"}).status_code == 400
    assert stored(site)[0]["body"] == "Fine."


def test_author_deletes_within_the_window(client, site, her):
    first = comment_id(send_comment(client, "her", body="Keep me."))
    new_id = comment_id(send_comment(client, "her", body="Regret this."))
    token = edit_page_token(client, new_id)
    response = client.post(f"/posts/her/comments/{new_id}/delete/", data={"csrf_token": token})
    assert response.status_code == 303
    assert response.headers["Location"] == "/posts/her/#comments"
    page = soup(client.get("/posts/her/"))
    assert "Your comment was deleted." in [p.get_text() for p in page.select(".notice")]
    assert page.select_one(f"#comment-{new_id}") is None
    assert [c["id"] for c in stored(site)] == [first]
    # gone means gone: a second delete is a 404
    again = client.post(f"/posts/her/comments/{new_id}/delete/", data={"csrf_token": token})
    assert again.status_code == 404


def test_delete_needs_the_csrf_token(client, site, her):
    new_id = comment_id(send_comment(client, "her"))
    assert client.post(f"/posts/her/comments/{new_id}/delete/").status_code == 400
    assert len(stored(site)) == 1


def test_another_browser_cannot_edit_or_delete(app, client, site, her):
    new_id = comment_id(send_comment(client, "her", body="Mine."))
    other = app.test_client()
    assert soup(other.get("/posts/her/")).select_one(f"#comment-{new_id} a.comment-edit") is None
    url = f"/posts/her/comments/{new_id}/"
    assert other.get(url + "edit/").status_code == 403
    assert other.post(url + "edit/", data={"body": "Hijacked"}).status_code == 403
    assert other.post(url + "delete/").status_code == 403
    assert stored(site)[0]["body"] == "Mine."


def test_a_forged_session_is_not_trusted(app, client, site, her):
    new_id = comment_id(send_comment(client, "her"))
    other = app.test_client()
    cookie = client.get_cookie("session")
    other.set_cookie("session", cookie.value[:-4] + "AAAA")
    assert other.get(f"/posts/her/comments/{new_id}/edit/").status_code == 403


def test_after_the_window_even_the_author_cannot(client, site, write_comments, her):
    old = timestamp(datetime.now(UTC) - timedelta(minutes=16))
    recent = timestamp(datetime.now(UTC) - timedelta(minutes=14))
    write_comments(
        "her",
        [comment_record("her", "Ann", id="old", created=old),
         comment_record("her", "Ann", id="recent", created=recent)],
    )  # fmt: skip
    with client.session_transaction() as session:
        far = datetime.now(UTC).timestamp() + 3600
        session["own_comments"] = {"old": far, "recent": far}
    page = soup(client.get("/posts/her/"))
    assert page.select_one("#comment-old a.comment-edit") is None
    assert page.select_one("#comment-recent a.comment-edit") is not None
    assert client.get("/posts/her/comments/old/edit/").status_code == 403
    assert client.post("/posts/her/comments/old/delete/").status_code == 403
    assert client.get("/posts/her/comments/recent/edit/").status_code == 200


def test_unknown_comment_or_post_is_404(client, her):
    assert client.get("/posts/her/comments/nope/edit/").status_code == 404
    assert client.get("/posts/nope/comments/nope/edit/").status_code == 404


def test_deleting_a_comment_keeps_its_replies(client, site, her):
    top = comment_id(send_comment(client, "her", name="A", body="top"))
    middle = comment_id(send_comment(client, "her", name="B", body="middle", parent=top))
    reply = comment_id(send_comment(client, "her", name="C", body="reply", parent=middle))
    token = edit_page_token(client, middle)
    client.post(f"/posts/her/comments/{middle}/delete/", data={"csrf_token": token})
    assert {c["id"]: c["parent"] for c in stored(site)} == {top: None, reply: top}


def test_a_prolific_browser_keeps_a_cookie_browsers_accept(app, client, her):
    """With the rate limit raised, a reader writing many comments in one edit window keeps
    the newest of them editable, and a session cookie that stays small (browsers drop one
    over 4 KB, with the edit links and the notice in it)."""
    app.config["COMMENTS_RATE_LIMIT"] = "1000 per minute"
    ids = [comment_id(send_comment(client, "her", body=f"Comment {n}.")) for n in range(60)]
    cookie = client.get_cookie("session")
    assert cookie is not None and len(cookie.value) < 4000
    editable = [client.get(f"/posts/her/comments/{i}/edit/").status_code == 200 for i in ids]
    assert editable == [False] * 40 + [True] * 20  # the newest 20, even when sent in one second
