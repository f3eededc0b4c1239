"""Writing a comment on a post: the form, its errors, replies, moderation and listings."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta

import pytest

from twombly import create_app

from .comment_helpers import comment_id, csrf_token, send_comment, soup


@pytest.fixture
def her(write_post):
    return write_post("her", title="her", date="2014-01-20", tags=["drama"])


def stored(site, slug="her") -> list[dict]:
    return json.loads((site / "comments" / f"{slug}.json").read_text("utf-8"))["comments"]


def test_a_comment_lands_on_the_post_with_a_confirmation(client, site, her):
    response = send_comment(
        client, "her", name="Ann", website="https://ann.example/", body="Loved *it*."
    )
    assert response.status_code == 303
    new_id = comment_id(response)
    assert response.headers["Location"] == f"/posts/her/#comment-{new_id}"
    page = soup(client.get(response.headers["Location"]))
    assert "your comment is published" in page.select_one(".notice").get_text()
    comment = page.select_one(f"#comment-{new_id}")
    assert comment.select_one(".comment-body").decode_contents() == "<p>Loved <em>it</em>.</p>"
    link = comment.select_one(".comment-author a")
    assert (link.get_text(), link["href"]) == ("Ann", "https://ann.example/")
    assert page.select_one("#comments-heading").get_text() == "1 comment"
    # the confirmation is shown once only
    assert soup(client.get("/posts/her/")).select_one(".notice") is None


def test_the_file_is_exactly_as_designed(client, site, her):
    new_id = comment_id(send_comment(client, "her", name="Ann", body="Ça va? “Yes” 🎬"))
    text = (site / "comments" / "her.json").read_text("utf-8")
    created = stored(site)[0]["created"]
    assert text == (
        "{\n"
        '  "post": "her",\n'
        '  "comments": [\n'
        "    {\n"
        f'      "id": "{new_id}",\n'
        '      "parent": null,\n'
        '      "author": "Ann",\n'
        '      "body": "Ça va? “Yes” 🎬",\n'
        f'      "created": "{created}",\n'
        '      "status": "approved"\n'
        "    }\n"
        "  ]\n"
        "}\n"
    )
    assert datetime.fromisoformat(created) > datetime.now(UTC) - timedelta(minutes=1)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"name": ""}, "name", "Tell us your name."),
        ({"name": "   "}, "name", "Tell us your name."),
        ({"name": "n" * 81}, "name", "up to 80 characters"),
        ({"body": ""}, "body", "Write something"),
        ({"body": "b" * 5001}, "body", "under 5,000 characters"),
        ({"website": "javascript:alert(1)"}, "website", "http:// or https://"),
        ({"website": "ftp://files.example/"}, "website", "http:// or https://"),
        ({"website": "ann.example"}, "website", "http:// or https://"),
        ({"website": "https://e.example/" + "a" * 190}, "website", "Up to 200 characters"),
    ],
)
def test_a_rejected_form_comes_back_with_errors_and_text_kept(
    client, site, her, fields, field, message
):
    values = {"name": "Ann", "body": "My long and careful thoughts.", **fields}
    response = send_comment(client, "her", **values)
    assert response.status_code == 400
    page = soup(response)
    assert page.select_one("h1").get_text() == "her"
    error = page.select_one(f"#{field}-error")
    assert message in error.get_text()
    assert page.select_one(f"#{field}")["aria-invalid"] == "true"
    assert page.select_one("#body").get_text().strip() == values["body"].strip()
    assert page.select_one("#name")["value"] == values["name"].strip()
    assert not (site / "comments" / "her.json").exists()
    # the next reader gets a blank form, before and after someone else's rejected one
    blank = soup(client.get("/posts/her/", headers={"Cookie": ""}))
    assert blank.select_one("#name")["value"] == ""
    assert blank.select_one("#body").get_text().strip() == ""
    assert blank.select_one(".field-error") is None
    assert blank.select_one("[aria-invalid]") is None


def test_limits_are_inclusive(client, site, her):
    response = send_comment(
        client, "her", name="n" * 80, body="b" * 5000, website="https://e.example/" + "a" * 182
    )
    assert response.status_code == 303
    assert len(stored(site)[0]["website"]) == 200


def test_missing_csrf_token_is_400_and_nothing_stored(client, site, her):
    response = client.post("/posts/her/comments/", data={"name": "Ann", "body": "Hi"})
    assert response.status_code == 400
    assert "This form had expired" in response.get_data(as_text=True)
    wrong = send_comment(client, "her", csrf_token="forged")
    assert wrong.status_code == 400
    assert not (site / "comments" / "her.json").exists()


def test_honeypot_is_stored_as_spam_and_never_shown(client, site, her, caplog):
    caplog.set_level(logging.INFO, logger="twombly")
    response = send_comment(client, "her", name="Bot", body="cheap pills", homepage="x")
    assert response.status_code == 303
    page = soup(client.get(response.headers["Location"]))
    assert "Thank you" in page.select_one(".notice").get_text()
    assert "cheap pills" not in str(page)
    assert [c["status"] for c in stored(site)] == ["spam"]
    assert f"comment spam post=her id={comment_id(response)} reason=honeypot" in caplog.text


def test_replies_nest_three_levels_and_deeper_ones_attach_to_the_third(client, site, her):
    top = comment_id(send_comment(client, "her", name="A", body="level one"))
    second = comment_id(send_comment(client, "her", name="B", body="two", parent=top))
    third = comment_id(send_comment(client, "her", name="C", body="three", parent=second))
    fourth = comment_id(send_comment(client, "her", name="D", body="four", parent=third))
    parents = {c["id"]: c["parent"] for c in stored(site)}
    assert parents == {top: None, second: top, third: second, fourth: second}
    page = soup(client.get("/posts/her/"))
    nested = page.select_one(
        f"#comment-{top} > .comment-replies > #comment-{second} > .comment-replies"
    )
    assert [li["id"] for li in nested.find_all("li", recursive=False)] == [
        f"comment-{third}",
        f"comment-{fourth}",
    ]
    assert page.select_one("#comments-heading").get_text() == "4 comments"


def test_reply_link_works_without_javascript(client, her):
    top = comment_id(send_comment(client, "her", name="Ann", body="first"))
    page = soup(client.get("/posts/her/"))
    link = page.select_one(f"#comment-{top} a.comment-reply")
    assert link["href"] == f"?reply={top}#comment-form"
    form = soup(client.get(f"/posts/her/?reply={top}")).select_one("#comment-form")
    assert form.select_one("h3").get_text() == "Reply to Ann"
    assert form.select_one("input[name=parent]")["value"] == top
    # an unknown id gives the ordinary form
    form = soup(client.get("/posts/her/?reply=nope")).select_one("#comment-form")
    assert form.select_one("h3").get_text() == "Leave a comment"


def test_a_reply_to_a_missing_comment_is_refused(client, site, her):
    response = send_comment(client, "her", parent="no-such-comment")
    assert response.status_code == 400
    assert "no longer there" in response.get_data(as_text=True)


def test_moderation_holds_comments_until_approved(app, client, site, her):
    app.config["COMMENTS_MODERATION"] = True
    response = send_comment(client, "her", body="Held back")
    new_id = comment_id(response)
    assert stored(site)[0]["status"] == "pending"
    page = soup(client.get(response.headers["Location"]))
    assert "awaiting moderation" in page.select_one(".notice").get_text()
    # the author sees it, marked; another reader does not; the count ignores it
    assert "Awaiting moderation" in page.select_one(f"#comment-{new_id}").get_text()
    assert page.select_one("#comments-heading").get_text() == "0 comments"
    other = app.test_client()
    assert soup(other.get("/posts/her/")).select_one(f"#comment-{new_id}") is None


def test_without_moderation_comments_show_to_everyone(app, client, her):
    new_id = comment_id(send_comment(client, "her", body="Straight in"))
    other = app.test_client()
    assert soup(other.get("/posts/her/")).select_one(f"#comment-{new_id}") is not None


def test_comment_count_on_index_and_tag_listings(client, write_post, write_comments, her):
    write_post("quiet", date="2014-02-01", tags=["drama"])
    write_comments(
        "her",
        [
            {"id": "a", "parent": None, "author": "A", "body": "x",
             "created": "2014-01-21T09:30:00Z", "status": "approved"},
            {"id": "b", "parent": "a", "author": "B", "body": "y",
             "created": "2014-01-21T09:31:00Z", "status": "approved"},
            {"id": "c", "parent": None, "author": "C", "body": "z",
             "created": "2014-01-21T09:32:00Z", "status": "pending"},
        ],
    )  # fmt: skip
    for url in ("/", "/tags/drama/"):
        summaries = soup(client.get(url)).select(".post-summary")
        counts = {s.select_one("h2").get_text(): s.select_one(".comment-count") for s in summaries}
        assert counts["her"].get_text() == "2 comments on her"
        assert counts["her"].a["href"] == "/posts/her/#comments"
        assert counts["Quiet"] is None


@pytest.mark.parametrize("meta", [{"comments": "closed"}, {"date": "2020-01-01"}])
def test_closed_comments_replace_the_form_and_refuse_posts(app, client, write_post, meta):
    app.config["COMMENTS_CLOSE_AFTER_DAYS"] = 30
    write_post("her", title="her", **{"date": datetime.now(UTC).date().isoformat(), **meta})
    page = soup(client.get("/posts/her/"))
    assert page.select_one("#comment-form") is None
    assert page.select_one(".comments-closed").get_text() == "Comments are closed."
    response = client.post("/posts/her/comments/", data={"name": "A", "body": "b"})
    assert response.status_code == 403
    assert "Comments are closed" in response.get_data(as_text=True)


def test_recent_post_stays_open_with_close_after_days(app, client, write_post):
    app.config["COMMENTS_CLOSE_AFTER_DAYS"] = 30
    write_post("her", date=(datetime.now(UTC) - timedelta(days=2)).date().isoformat())
    assert send_comment(client, "her").status_code == 303


@pytest.mark.parametrize(
    "slug_meta",
    [
        ("nothing", None),
        ("secret", {"draft": True}),
        ("soon", {"date": "2999-01-01"}),
        ("about", {"kind": "page"}),
    ],
)
def test_unknown_draft_and_future_posts_are_404(client, write_post, slug_meta):
    slug, meta = slug_meta
    if meta is not None:
        write_post(slug, **meta)
    response = client.post(f"/posts/{slug}/comments/", data={"name": "A", "body": "b"})
    assert response.status_code == 404
    assert "There is nothing at this address" in response.get_data(as_text=True)


def test_too_large_is_413_page(client, site, her, caplog):
    token = csrf_token(client, "her")
    response = client.post(
        "/posts/her/comments/",
        data={"csrf_token": token, "name": "A", "body": "x" * 70_000},
    )
    assert response.status_code == 413
    assert "too much to send" in response.get_data(as_text=True)
    assert "comment refused post=her id=- reason=too large" in caplog.text
    assert not (site / "comments" / "her.json").exists()


def test_rate_limit_gives_a_429_page(app, client, site, her, caplog):
    app.config["COMMENTS_RATE_LIMIT"] = "2 per minute"
    assert send_comment(client, "her").status_code == 303
    assert send_comment(client, "her").status_code == 303
    response = send_comment(client, "her")
    assert response.status_code == 429
    assert "several comments in a short time" in response.get_data(as_text=True)
    assert len(stored(site)) == 2
    assert "comment refused post=her id=- reason=rate limit" in caplog.text
    # another address is not affected
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.0.0.9"
    assert send_comment(other, "her").status_code == 303


def test_corrupt_file_gives_503_and_stays_byte_for_byte(client, site, her, caplog):
    token = csrf_token(client, "her")  # the reader opened the page before the file broke
    path = site / "comments" / "her.json"
    broken = b'{"post": "her", "comments": [ {"id": '
    path.write_bytes(broken)
    page = soup(client.get("/posts/her/"))
    assert "Comments are unavailable" in page.select_one(".notice-error").get_text()
    assert page.select_one("#comment-form") is None
    response = send_comment(client, "her", csrf_token=token)
    assert response.status_code == 503
    assert "unavailable just now" in response.get_data(as_text=True)
    assert path.read_bytes() == broken
    assert f"reason=unreadable file {path}: does not parse" in caplog.text


def test_schema_errors_also_give_503(client, site, her, write_comments):
    token = csrf_token(client, "her")
    path = write_comments("her", [{"id": "a", "author": "A"}])
    before = path.read_bytes()
    assert send_comment(client, "her", csrf_token=token).status_code == 503
    assert send_comment(client, "her", csrf_token=token, parent="a").status_code == 503
    assert path.read_bytes() == before


def test_one_log_line_per_decision_without_the_body(app, client, her, caplog):
    caplog.set_level(logging.INFO, logger="twombly")
    accepted = comment_id(send_comment(client, "her", body="SECRET-TEXT-1"))
    send_comment(client, "her", name="", body="SECRET-TEXT-2")
    app.config["COMMENTS_MODERATION"] = True
    pending = comment_id(send_comment(client, "her", body="SECRET-TEXT-3"))
    lines = [r.getMessage() for r in caplog.records if r.name == "twombly.comments"]
    assert lines == [
        f"comment accepted post=her id={accepted}",
        "comment refused post=her id=- reason=invalid name",
        f"comment pending post=her id={pending}",
    ]
    assert "SECRET-TEXT" not in caplog.text


def test_the_token_is_for_one_post_and_reading_sets_no_cookie(client, site, write_post, her):
    write_post("quiet")
    reading = client.get("/posts/her/")
    assert "Set-Cookie" not in reading.headers
    assert send_comment(client, "quiet", csrf_token=csrf_token(client, "her")).status_code == 400
    assert send_comment(client, "her", csrf_token=csrf_token(client, "her")).status_code == 303


def test_a_token_signed_with_another_secret_key_is_refused(client, site, config, her):
    old_token = csrf_token(client, "her")
    rekeyed = create_app({**config, "SECRET_KEY": "a-new-secret"}, site=site).test_client()
    assert csrf_token(rekeyed, "her") != old_token
    assert send_comment(rekeyed, "her", csrf_token=old_token).status_code == 400
    assert send_comment(rekeyed, "her", csrf_token=csrf_token(rekeyed, "her")).status_code == 303
    assert len(stored(site)) == 1
