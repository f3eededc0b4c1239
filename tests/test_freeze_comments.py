"""Comments on a frozen copy: closed without a live server; with one, newer ones shown."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from .freezing import freeze, frozen_files, static_server, url_of, without_form_target

LIVE = "https://comments.example"
STATIC = "https://reviews.example"


def approved(comment_id: str, body: str, parent: str | None = None, **extra) -> dict:
    created = f"2024-03-0{len(comment_id)}T10:00:00Z"
    return {"id": comment_id, "parent": parent, "author": f"Reader {comment_id}", "body": body,
            "created": created, "status": "approved", **extra}  # fmt: skip


@pytest.fixture
def post(write_post, write_comments):
    write_post("her", date="2024-03-01")
    write_post("secret", draft=True)
    write_comments(
        "her",
        [
            approved("c1", "First *thoughts*.", website="https://ann.example/"),
            {**approved("c2", "Spam!"), "status": "spam"},
            approved("c3", "<script>alert(1)</script> A reply.", parent="c1"),
        ],
    )


@pytest.fixture
def endpoint(app):
    app.config["COMMENTS_ENDPOINT"] = LIVE + "/"
    app.config["COMMENTS_ALLOWED_ORIGINS"] = [STATIC]


def test_comments_json_lists_approved_comments_sanitized(client, post):
    response = client.get("/posts/her/comments.json")
    assert response.status_code == 200
    comments = response.get_json()["comments"]
    assert [c["id"] for c in comments] == ["c1", "c3"]
    assert comments[0]["html"] == "<p>First <em>thoughts</em>.</p>"
    assert comments[0]["date"] == "March 2, 2024"
    assert comments[1]["parent"] == "c1"
    assert "<script>" not in comments[1]["html"]


def test_comments_json_is_shared_with_allowed_origins_only(client, post, endpoint):
    allowed = client.get("/posts/her/comments.json", headers={"Origin": STATIC})
    assert allowed.headers["Access-Control-Allow-Origin"] == STATIC
    assert "Origin" in allowed.headers["Vary"]
    other = client.get("/posts/her/comments.json", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers
    same_site = client.get("/posts/her/comments.json")
    assert "Access-Control-Allow-Origin" not in same_site.headers


@pytest.mark.parametrize("slug", ["secret", "nothing-here"])
def test_comments_json_of_a_hidden_or_missing_post_is_404(client, post, slug):
    assert client.get(f"/posts/{slug}/comments.json").status_code == 404


def test_comments_json_of_a_broken_file_is_503(client, post, site):
    (site / "comments/her.json").write_text("{ not json")
    assert client.get("/posts/her/comments.json").status_code == 503


def test_without_an_endpoint_the_copy_says_comments_are_closed(client, runner, post, tmp_path):
    result = freeze(runner, tmp_path / "build")
    assert result.exit_code == 0, result.output
    frozen = (tmp_path / "build/posts/her/index.html").read_text("utf-8")
    assert "Comments are closed in this copy" in frozen
    assert "First <em>thoughts</em>." in frozen
    assert "live-comments.js" not in frozen
    assert "Comments are closed in this copy" not in client.get("/posts/her/").text


def test_with_an_endpoint_the_copy_fetches_newer_comments(
    client, runner, post, endpoint, tmp_path
):
    result = freeze(runner, tmp_path / "build")
    assert result.exit_code == 0, result.output
    files = frozen_files(tmp_path / "build")
    page = BeautifulSoup(files["posts/her/index.html"], "html.parser")
    script = page.select_one('script[src^="/static/js/live-comments.js?v="]')
    assert script["data-comments"] == f"{LIVE}/posts/her/comments.json"
    assert "static/js/live-comments.js" in files
    assert not [name for name in files if name.endswith("comments.json")]  # live only
    assert "Comments are closed" not in page.get_text()
    form = page.select_one("form.comment-form")
    assert form["action"] == f"{LIVE}/posts/her/comments/"
    assert form.select_one('input[name="return_to"]')["value"] == f"{STATIC}/posts/her/"
    assert form.select_one('input[name="csrf_token"]') is None
    for name, data in files.items():
        with client.get(url_of(name)) as response:
            assert without_form_target(response.data) == without_form_target(data), name


def frozen_form(page_html: bytes, **fields: str) -> tuple[str, dict[str, str]]:
    """The action of a frozen page's comment form, and what a reader's browser would send."""
    form = BeautifulSoup(page_html, "html.parser").select_one("form.comment-form")
    data = {field["name"]: field.get("value", "") for field in form.select("input[name]")}
    return form["action"], {**data, "name": "Cleo", "body": "Sent from the copy.", **fields}


def test_the_frozen_form_posts_to_the_live_server_from_an_allowed_origin(
    client, runner, post, endpoint, site, tmp_path
):
    assert freeze(runner, tmp_path / "build").exit_code == 0
    action, data = frozen_form((tmp_path / "build/posts/her/index.html").read_bytes())
    path = urlsplit(action).path
    refused = client.post(path, data=data, headers={"Origin": "https://elsewhere.example"})
    assert refused.status_code == 403
    sent = client.post(path, data=data, headers={"Origin": STATIC})
    assert sent.status_code == 303
    stored = json.loads((site / "comments/her.json").read_text("utf-8"))["comments"]
    assert [c["body"] for c in stored][-1] == "Sent from the copy."
    assert sent.headers["Location"].startswith(f"{STATIC}/posts/her/?note=")
    assert sent.headers["Location"].endswith(f"#comment-{stored[-1]['id']}")
    shown = client.get("/posts/her/comments.json", headers={"Origin": STATIC})
    assert shown.get_json()["comments"][-1]["html"] == "<p>Sent from the copy.</p>"


def test_a_sub_path_copy_still_reads_the_live_server_at_its_root(runner, post, endpoint, tmp_path):
    result = freeze(runner, tmp_path / "build", "--base-url", f"{STATIC}/blog/")
    assert result.exit_code == 0, result.output
    page = BeautifulSoup((tmp_path / "build/posts/her/index.html").read_bytes(), "html.parser")
    script = page.select_one("script[data-comments]")
    assert script["src"].startswith("/blog/static/js/live-comments.js?v=")
    assert script["data-comments"] == f"{LIVE}/posts/her/comments.json"


def test_the_frozen_page_shows_comments_approved_since(
    app, runner, page, server_url, post, write_comments, tmp_path
):
    host = tmp_path / "host"
    with static_server(host) as static_origin:
        app.config["COMMENTS_ENDPOINT"] = server_url
        app.config["COMMENTS_ALLOWED_ORIGINS"] = [static_origin]
        assert freeze(runner, host, "--base-url", static_origin + "/").exit_code == 0
        write_comments(
            "her",
            [
                approved("c1", "First *thoughts*.", website="https://ann.example/"),
                approved("c3", "A reply.", parent="c1"),
                approved("c44", "Arrived **after** the freeze."),
                approved("c555", "A later reply.", parent="c44"),
            ],
        )
        page.goto(f"{static_origin}/posts/her/")
        page.wait_for_selector("#comment-c555")
        assert page.locator("#comment-c555 .comment-reply").count() == 1
        newest = page.locator("#comment-c44 > article")
        assert newest.locator(".comment-body").inner_html() == (
            "<p>Arrived <strong>after</strong> the freeze.</p>"
        )
        assert newest.locator(".comment-author").inner_text() == "Reader c44"
        assert page.locator("#comment-c44 > .comment-replies > #comment-c555").count() == 1
        assert page.locator("#comments-heading").inner_text() == "4 comments"
        assert page.locator(".comment").count() == 4


def test_a_comment_sent_from_the_frozen_page_comes_back_to_it(
    app, runner, page, server_url, post, tmp_path
):
    host = tmp_path / "host"
    with static_server(host) as static_origin:
        app.config["COMMENTS_ENDPOINT"] = server_url
        app.config["COMMENTS_ALLOWED_ORIGINS"] = [static_origin]
        assert freeze(runner, host, "--base-url", static_origin + "/").exit_code == 0
        page.goto(f"{static_origin}/posts/her/")
        page.get_by_label("Name").fill("Dora")
        page.get_by_label("Comment", exact=True).fill("Written on the *static* page.")
        page.get_by_role("button", name="Send comment").click()
        page.wait_for_url(f"{static_origin}/posts/her/?note=*#comment-*")
        comment_id = page.url.rsplit("#comment-", 1)[1]
        body = page.locator(f"#comment-{comment_id} .comment-body")
        assert body.inner_html() == "<p>Written on the <em>static</em> page.</p>"
