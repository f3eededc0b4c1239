"""Rate-limited comments: the limit is kept, told in headers, and forgotten once it is over."""

from __future__ import annotations

import time

import pytest

from .comment_helpers import csrf_token, send_comment


@pytest.fixture
def her(write_post):
    return write_post("her", title="her")


def test_the_sixth_comment_in_a_minute_is_refused(client, her):
    token = csrf_token(client, "her")
    for _ in range(5):
        assert send_comment(client, "her", csrf_token=token).status_code == 303
    refused = send_comment(client, "her", csrf_token=token)
    assert refused.status_code == 429
    assert "several comments in a short time" in refused.get_data(as_text=True)


def test_comment_responses_tell_the_limit_and_pages_are_not_counted(client, her):
    token = csrf_token(client, "her")
    for _ in range(3):
        assert client.get("/posts/her/").status_code == 200
    remaining = []
    for _ in range(2):
        sent = send_comment(client, "her", csrf_token=token)
        assert sent.headers["X-RateLimit-Limit"] == "5"
        remaining.append(sent.headers["X-RateLimit-Remaining"])
    assert remaining == ["4", "3"]
    assert "X-RateLimit-Limit" not in client.get("/posts/her/").headers


def test_a_comment_is_accepted_again_once_the_window_is_over(app, client, her):
    app.config["COMMENTS_RATE_LIMIT"] = "1 per second"
    others = [app.test_client() for _ in range(3)]
    for number, other in enumerate(others):
        other.environ_base["REMOTE_ADDR"] = f"10.0.0.{number}"
        assert send_comment(other, "her").status_code == 303
    token = csrf_token(client, "her")
    assert send_comment(client, "her", csrf_token=token).status_code == 303
    assert send_comment(client, "her", csrf_token=token).status_code == 429

    time.sleep(1.1)
    assert send_comment(client, "her", csrf_token=token).status_code == 303
