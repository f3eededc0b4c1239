"""A reader in Chromium writes a comment, sees it, replies to it and sees the reply nested."""

from __future__ import annotations

import pytest


@pytest.fixture
def her(write_post):
    write_post("her", title="her", body="A paragraph about the film.")


def write_and_reply(tab, server_url: str) -> None:
    tab.goto(f"{server_url}/posts/her/")
    tab.get_by_label("Name", exact=True).fill("Ann")
    tab.get_by_role("textbox", name="Comment").fill("What a *lovely* film.")
    tab.get_by_role("button", name="Send comment").click()
    tab.wait_for_url("**/posts/her/#comment-*")
    comment = tab.locator(".comment-list > .comment").first
    assert comment.locator(".comment-body").inner_text() == "What a lovely film."
    assert comment.locator(".comment-body em").inner_text() == "lovely"
    assert "your comment is published" in tab.get_by_role("status").first.inner_text()

    comment.get_by_role("link", name="Reply to Ann").click()
    form = tab.locator("#comment-form")
    assert form.locator("h3").inner_text() == "Reply to Ann"
    form.get_by_label("Name", exact=True).fill("Bob")
    form.get_by_role("textbox", name="Comment").fill("I agree.")
    form.get_by_role("button", name="Send comment").click()
    tab.wait_for_load_state()
    reply = comment.locator(".comment-replies > .comment")
    assert reply.count() == 1
    assert reply.locator(".comment-author").inner_text() == "Bob"
    assert reply.locator(".comment-body").inner_text() == "I agree."


def test_comment_and_reply_with_javascript(page, server_url, her):
    write_and_reply(page, server_url)


def test_comment_and_reply_without_javascript(browser, server_url, her):
    context = browser.new_context(java_script_enabled=False)
    try:
        write_and_reply(context.new_page(), server_url)
    finally:
        context.close()


def test_reply_form_moves_under_the_comment_and_back(page, server_url, her, client):
    from .comment_helpers import send_comment

    send_comment(client, "her", name="Ann", body="First.")
    page.goto(f"{server_url}/posts/her/")
    page.get_by_role("link", name="Reply to Ann").click()
    assert page.locator(".comment #comment-form").count() == 1
    assert page.evaluate("document.activeElement.name") == "name"
    page.get_by_role("link", name="Cancel reply").click()
    assert page.locator(".comment #comment-form").count() == 0
    assert page.locator("#comment-form h3").inner_text() == "Leave a comment"
    assert page.locator("#comment-form input[name=parent]").input_value() == ""
