"""The owner in a real browser: log in, approve a pending comment, see it on the post."""

from __future__ import annotations

from .accessibility import assert_accessible
from .admin_helpers import PASSWORD, pending, set_password


def test_owner_logs_in_and_approves_a_comment(
    page, server_url, runner, write_post, write_comments
):
    write_post("her", title="her")
    write_comments("her", [pending("c1", "Ann", "2024-01-02T10:00:00Z", "A *lovely* film.")])
    assert set_password(runner).exit_code == 0

    page.goto(f"{server_url}/posts/her/")
    assert page.get_by_text("A lovely film.").count() == 0

    page.goto(f"{server_url}/admin/")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{server_url}/admin/")
    assert page.locator("header .admin-status").inner_text() == "1 pending comment"
    page.locator("#admin-c1").get_by_role("button", name="Approve").click()
    page.get_by_text("The comment by Ann was approved.").wait_for()
    assert page.locator("header .admin-status").inner_text() == "0 pending comments"

    page.goto(f"{server_url}/posts/her/")
    assert page.locator(".comment-body").inner_text() == "A lovely film."


def test_owner_moderates_an_approved_comment_away(
    page, server_url, runner, write_post, write_comments
):
    write_post("her", title="her")
    approved = {
        **pending("c2", "Bob", "2024-01-03T10:00:00Z", "Rude words."),
        "status": "approved",
    }
    write_comments("her", [approved])
    assert set_password(runner).exit_code == 0
    page.goto(f"{server_url}/posts/her/")
    assert page.locator(".comment-body").inner_text() == "Rude words."

    page.goto(f"{server_url}/admin/login/")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{server_url}/admin/")
    assert_accessible(page)
    page.get_by_label("State").select_option("approved")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(f"{server_url}/admin/?post=&state=approved&q=")
    page.locator("#admin-c2").get_by_role("button", name="Spam").click()
    page.get_by_text("The comment by Bob was marked as spam.").wait_for()
    assert page.url == f"{server_url}/admin/?post=&state=approved&q="
    assert page.locator("#admin-c2").count() == 0

    page.goto(f"{server_url}/posts/her/")
    assert page.get_by_text("Rude words.").count() == 0
