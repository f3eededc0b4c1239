"""The moderation pages: password, login, the pending list and approve / spam / delete."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from werkzeug.security import check_password_hash

from .admin_helpers import PASSWORD, csrf_token, log_in, pending, set_password


@pytest.fixture
def moderated(runner, write_post, write_comments):
    """Two posts with pending comments and a password set."""
    write_post("her", title="her")
    write_post("blade-runner", title="Blade Runner")
    write_comments("her", [
        pending("old", "Ann", "2024-01-02T10:00:00Z"),
        {**pending("seen", "Bob", "2024-01-03T10:00:00Z", "Seen."), "status": "approved"},
    ])  # fmt: skip
    write_comments("blade-runner", [pending("new", "Cy", "2024-02-01T10:00:00Z", "Tears.")])
    assert set_password(runner).exit_code == 0


def statuses(site, slug: str) -> dict[str, str]:
    document = json.loads((site / "comments" / f"{slug}.json").read_text(encoding="utf-8"))
    return {comment["id"]: comment["status"] for comment in document["comments"]}


def moderate(client, slug: str, comment_id: str, action: str, token: str | None = None):
    if token is None:
        token = csrf_token(client.get("/admin/").get_data(as_text=True))
    data = {"action": action, **({"csrf_token": token} if token else {})}
    return client.post(f"/admin/comments/{slug}/{comment_id}/", data=data)


def test_set_password_stores_only_a_hash_in_instance(runner, site):
    result = set_password(runner)
    assert result.exit_code == 0
    stored = (site / "instance" / "admin_password").read_text(encoding="utf-8").strip()
    assert PASSWORD not in stored
    assert check_password_hash(stored, PASSWORD)
    assert "instance/admin_password" in result.output


def test_set_password_prompts_twice(runner, site):
    result = runner.invoke(args=["set-password"], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0
    assert check_password_hash(
        (site / "instance" / "admin_password").read_text(encoding="utf-8").strip(), PASSWORD
    )
    mismatch = runner.invoke(args=["set-password"], input="first-one\nsecond-one\n")
    assert mismatch.exit_code != 0
    assert "do not match" in mismatch.output


def test_set_password_refuses_a_short_one(runner, site):
    result = set_password(runner, "short")
    assert result.exit_code == 1
    assert "at least 8 characters" in result.output
    assert not (site / "instance" / "admin_password").exists()


@pytest.mark.parametrize("url", ["/admin/", "/admin/?x=1"])
def test_pages_are_refused_without_login(client, moderated, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login/?next=/admin/")


def test_moderating_is_refused_without_login(client, site, moderated):
    response = client.post("/admin/comments/her/old/", data={"action": "approve"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login/")
    assert statuses(site, "her") == {"old": "pending", "seen": "approved"}


def test_wrong_password_is_refused(client, moderated):
    response = log_in(client, "not the password")
    assert response.status_code == 401
    assert "Wrong password." in response.get_data(as_text=True)
    assert client.get("/admin/").status_code == 302


def test_login_without_a_password_set(client, write_post):
    page = client.get("/admin/login/").get_data(as_text=True)
    assert "flask set-password" in page
    assert log_in(client, "anything at all").status_code == 401


def test_right_password_lists_every_comment_newest_first(client, moderated):
    response = log_in(client)
    assert response.status_code == 303
    assert response.headers["Location"] == "/admin/"
    page = client.get("/admin/")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    html = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    headings = [h.get_text(" ", strip=True) for h in html.select(".admin-comment-heading")]
    assert headings == ["Cy on Blade Runner", "Bob on her", "Ann on her"]
    assert html.select_one(".admin-comment-heading a")["href"] == "/posts/blade-runner/"
    assert "Tears." in html.select_one(".admin-comment .comment-body").get_text()


def test_login_goes_back_to_a_local_page_only(client, moderated):
    assert log_in(client, next="/admin/?x=1").headers["Location"] == "/admin/?x=1"
    client.post("/admin/logout/", data={"csrf_token": csrf_token(client.get("/admin/").text)})
    assert log_in(client, next="//evil.example/").headers["Location"] == "/admin/"


@pytest.mark.parametrize(
    ("action", "expected"),
    [("approve", {"old": "approved"}), ("spam", {"old": "spam"}), ("delete", {})],
)
def test_moderation_changes_the_comment_file(client, site, moderated, action, expected):
    log_in(client)
    response = moderate(client, "her", "old", action)
    assert response.status_code == 303
    assert response.headers["Location"] == "/admin/"
    assert statuses(site, "her") == {**expected, "seen": "approved"}
    assert statuses(site, "blade-runner") == {"new": "pending"}
    page = client.get("/admin/?state=pending").get_data(as_text=True)
    assert "The comment by Ann was" in page
    assert "Ann on" not in page


def test_approved_comment_shows_on_the_post(client, moderated):
    assert "Pending words." not in client.get("/posts/her/").get_data(as_text=True)
    log_in(client)
    moderate(client, "her", "old", "approve")
    assert "Pending words." in client.get("/posts/her/").get_data(as_text=True)


def test_moderation_needs_the_csrf_token(client, site, moderated):
    log_in(client)
    response = moderate(client, "her", "old", "approve", token="")
    assert response.status_code == 303
    assert statuses(site, "her") == {"old": "pending", "seen": "approved"}
    assert "That did not work" in client.get("/admin/").get_data(as_text=True)
    forged = moderate(client, "her", "old", "approve", token="forged-token")
    assert forged.status_code == 303
    assert statuses(site, "her") == {"old": "pending", "seen": "approved"}


def test_login_needs_the_csrf_token(client, moderated):
    response = client.post("/admin/login/", data={"password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/admin/").status_code == 302


def test_unknown_action_or_comment(client, site, moderated):
    log_in(client)
    moderate(client, "her", "old", "publish")
    assert statuses(site, "her")["old"] == "pending"
    assert moderate(client, "her", "no-such-id", "approve").status_code == 404


def test_header_shows_the_pending_count_only_when_logged_in(client, moderated):
    anonymous = client.get("/posts/her/")
    assert "pending" not in anonymous.get_data(as_text=True)
    assert "Set-Cookie" not in anonymous.headers
    log_in(client)
    html = BeautifulSoup(client.get("/posts/her/").get_data(as_text=True), "html.parser")
    count = html.select_one("header .admin-status a")
    assert count.get_text(strip=True) == "2 pending comments"
    assert count["href"] == "/admin/"


def test_logout_ends_the_session(client, moderated):
    log_in(client)
    token = csrf_token(client.get("/admin/").get_data(as_text=True))
    response = client.post("/admin/logout/", data={"csrf_token": token})
    assert response.status_code == 303
    assert client.get("/admin/").status_code == 302


def test_a_new_password_logs_sessions_out(client, runner, moderated):
    log_in(client)
    assert client.get("/admin/").status_code == 200
    set_password(runner, "another long password")
    assert client.get("/admin/").status_code == 302


def test_session_cookie_flags(client, moderated):
    cookie = log_in(client).headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie
    secure_client = client.application.test_client()
    token = csrf_token(secure_client.get("/admin/login/", base_url="https://localhost").text)
    secure = secure_client.post(
        "/admin/login/",
        data={"csrf_token": token, "password": PASSWORD},
        base_url="https://localhost",
    )
    assert secure.status_code == 303
    assert "Secure" in secure.headers["Set-Cookie"]


def test_failed_logins_are_rate_limited(client, moderated):
    for _ in range(5):
        assert log_in(client, "wrong password").status_code == 401
    refused = log_in(client)
    assert refused.status_code == 429
    assert "Too many failed logins" in refused.get_data(as_text=True)
