"""Hostile input to the comment forms: a 400 with the form, and the comment file unchanged.

The forms read form fields alone: a JSON body or an uploaded file never reaches a comment, and
text a comments file may not hold (control characters, undecodable bytes) is refused.
"""

from __future__ import annotations

import io
import json
import re

import pytest

from .admin_helpers import csrf_token as page_token
from .admin_helpers import log_in, set_password
from .comment_helpers import comment_id, csrf_token, send_comment, soup

URL = "/posts/her/comments/"


@pytest.fixture
def her(client, site, write_post):
    """A post with one comment written by this client, and its file's bytes."""
    write_post("her", title="her")
    first = comment_id(send_comment(client, "her", body="The first comment."))
    path = site / "comments" / "her.json"
    return first, path, path.read_bytes()


def files(site) -> list[str]:
    return sorted(p.name for p in (site / "comments").iterdir())


def assert_refused_with_the_form(response, site, before: bytes) -> None:
    assert response.status_code == 400
    assert soup(response).select_one("form.comment-form") is not None
    assert (site / "comments" / "her.json").read_bytes() == before
    assert files(site) == ["her.json", "her.json.lock"]


@pytest.mark.parametrize(
    "document",
    [
        {"name": {"x": 1}, "body": "Poison."},
        {"name": "Ann", "body": ["a", "list"]},
        {"name": 12, "body": True, "website": 3.5},
        ["name", "Ann"],
        "just a string",
    ],
    ids=["object", "list", "numbers-and-booleans", "top-level-list", "top-level-string"],
)
def test_a_json_body_is_never_read(client, site, her, document):
    _, _, before = her
    payload = document
    if isinstance(document, dict):
        payload = {**document, "csrf_token": csrf_token(client, "her")}
    response = client.post(URL, data=json.dumps(payload), content_type="application/json")
    assert_refused_with_the_form(response, site, before)


@pytest.mark.parametrize("field", ["name", "body", "website"])
def test_an_uploaded_file_in_a_text_field_is_never_read(client, site, her, field):
    _, _, before = her
    data = {"name": "Ann", "body": "Words.", "csrf_token": csrf_token(client, "her")}
    data[field] = (io.BytesIO(b"uploaded words"), "words.txt")
    response = client.post(URL, data=data, content_type="multipart/form-data")
    assert_refused_with_the_form(response, site, before)


@pytest.mark.parametrize("field", ["name", "body"])
def test_a_lone_surrogate_sent_form_encoded_is_refused(client, site, her, field):
    _, _, before = her
    values = {"name": "Ann", "body": "Words.", field: "%ED%A0%80"}
    token = csrf_token(client, "her")
    body = f"name={values['name']}&body={values['body']}&csrf_token={token}"
    response = client.post(URL, data=body, content_type="application/x-www-form-urlencoded")
    assert_refused_with_the_form(response, site, before)
    assert "not sent as UTF-8 text" in response.get_data(as_text=True)


@pytest.mark.parametrize("character", ["\x0b", "\x0c", "\x00", "\x1b", "\x7f\x01"])
@pytest.mark.parametrize("field", ["name", "body"])
def test_control_characters_are_refused_with_a_clear_message(client, site, her, field, character):
    _, _, before = her
    response = send_comment(client, "her", **{field: f"Some{character}text"})
    assert_refused_with_the_form(response, site, before)
    error = soup(response).select_one(f"#{field}-error").get_text()
    assert "control character" in error and "please remove it" in error
    # the reader's text comes back to be mended
    assert "Some" in soup(response).select_one(f"#{field}").decode()


@pytest.mark.parametrize("character", ["\t", "\n", "\r"])
def test_a_name_is_one_line(client, site, her, character):
    _, _, before = her
    response = send_comment(client, "her", name=f"Ann{character}Bob")
    assert_refused_with_the_form(response, site, before)
    assert "control character" in soup(response).select_one("#name-error").get_text()


def test_tabs_and_line_breaks_are_welcome_in_a_comment(client, site, her):
    response = send_comment(client, "her", body="Col\tumns\r\nand\nlines")
    assert response.status_code == 303
    stored = json.loads((site / "comments" / "her.json").read_text("utf-8"))["comments"]
    assert stored[-1]["body"] == "Col\tumns\r\nand\nlines"


def test_a_line_break_in_the_return_address_is_refused_before_storing(app, client, site, her):
    _, _, before = her
    app.config["COMMENTS_ALLOWED_ORIGINS"] = ["https://static.example"]
    response = client.post(
        URL,
        data={
            "name": "Ann",
            "body": "From the static copy.",
            "return_to": "https://static.example/posts/her/\r\nSet-Cookie: x=1",
        },
        headers={"Origin": "https://static.example"},
    )
    assert_refused_with_the_form(response, site, before)


def edit_token(client, first: str) -> str:
    page = client.get(f"/posts/her/comments/{first}/edit/").get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


@pytest.mark.parametrize(
    "send",
    [
        lambda client, url, token: client.post(
            url,
            data=json.dumps({"body": {"x": 1}, "csrf_token": token}),
            content_type="application/json",
        ),
        lambda client, url, token: client.post(
            url,
            data={"body": (io.BytesIO(b"uploaded"), "a.txt"), "csrf_token": token},
            content_type="multipart/form-data",
        ),
        lambda client, url, token: client.post(
            url,
            data=f"body=%ED%A0%80&csrf_token={token}",
            content_type="application/x-www-form-urlencoded",
        ),
        lambda client, url, token: client.post(
            url, data={"body": "Form\x0cfeed", "csrf_token": token}
        ),
    ],
    ids=["json", "upload", "lone-surrogate", "form-feed"],
)
def test_the_edit_form_refuses_the_same_input(client, site, her, send):
    first, path, before = her
    url = f"/posts/her/comments/{first}/edit/"
    response = send(client, url, edit_token(client, first))
    assert response.status_code == 400
    assert soup(response).select_one("form.comment-form textarea#body") is not None
    assert path.read_bytes() == before
    assert files(site) == ["her.json", "her.json.lock"]


def test_moderating_a_post_without_comments_creates_no_file(client, runner, site, her):
    set_password(runner)
    log_in(client)
    token = page_token(client.get("/admin/").get_data(as_text=True))
    for slug in ("her-not", "..", "nothing"):
        response = client.post(
            f"/admin/comments/{slug}/some-id/", data={"action": "approve", "csrf_token": token}
        )
        assert response.status_code == 404
    assert files(site) == ["her.json", "her.json.lock"]
    assert runner.invoke(args=["comments", "approve", "some-id"]).exit_code == 1
    assert files(site) == ["her.json", "her.json.lock"]
