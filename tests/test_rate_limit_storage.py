"""The comment rate limits are kept exactly by `make serve`'s setup: one worker counting in
memory by default, every worker counting in Redis when it is configured, a warning at start
when neither holds, and a comment stored (the fall-back logged) when Redis is down."""

from __future__ import annotations

import http.client
import json
import socket
from concurrent.futures import ThreadPoolExecutor

import pytest

from twombly import create_app

from .comment_helpers import send_comment
from .serving import address, comment_form, gunicorn


@pytest.fixture
def her(write_post):
    write_post("her", body="A film about a voice.")


def stored(site) -> list[str]:
    path = site / "comments" / "her.json"
    return [c["body"] for c in json.loads(path.read_text("utf-8"))["comments"]]


def test_with_redis_every_worker_counts_in_the_same_place(site, config, her, redis_url):
    """Two apps, as two workers or servers: one address gets the limit once in all."""
    config |= {"COMMENTS_STORAGE_URI": redis_url, "COMMENTS_RATE_LIMIT": "2 per minute"}
    first, second = (create_app(config, site=site).test_client() for _ in "ab")
    assert send_comment(first, "her", body="One.").status_code == 303
    assert send_comment(second, "her", body="Two.").status_code == 303
    refused = send_comment(first, "her", body="Three, kept in the form.")
    assert refused.status_code == 429
    assert "Three, kept in the form." in refused.text
    assert send_comment(second, "her", body="Four.").status_code == 429
    assert stored(site) == ["One.", "Two."]


def test_with_redis_down_a_comment_is_stored_and_the_fall_back_logged(site, config, her, caplog):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    config |= {
        "COMMENTS_STORAGE_URI": f"redis://127.0.0.1:{closed}",
        "COMMENTS_RATE_LIMIT": "1/minute",
    }
    client = create_app(config, site=site).test_client()
    assert send_comment(client, "her", body="Saved all the same.").status_code == 303
    assert "falling back to in-memory storage" in caplog.text
    assert send_comment(client, "her", body="Too soon.").status_code == 429  # counted in memory
    assert stored(site) == ["Saved all the same."]


def post_comments(url: str, count: int) -> list[int]:
    """`count` comments at once from one address, each on its own connection; the statuses."""
    cookie, form = comment_form(url, "her")
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}

    def send(_: int) -> int:
        connection = http.client.HTTPConnection(*address(url), timeout=10)
        connection.request("POST", "/posts/her/comments/", body=form, headers=headers)
        status = connection.getresponse().status
        connection.close()
        return status

    with ThreadPoolExecutor(count) as pool:
        return sorted(pool.map(send, range(count)))


def booted(output: list[str]) -> int:
    return sum("Booting worker" in line for line in output)


def test_with_redis_make_serve_runs_several_workers_that_keep_the_limit(site, her, redis_url):
    settings = {"WEB_CONCURRENCY": None, "TWOMBLY_COMMENTS_STORAGE_URI": redis_url}
    with gunicorn(site, env=settings) as (url, output):
        statuses = post_comments(url, 12)
    assert booted(output) >= 2
    assert statuses == [303] * 5 + [429] * 7
    assert not any("rate limits are not kept" in line for line in output)


def test_several_workers_counting_in_memory_are_warned_of_at_start(site, her):
    with gunicorn(site, env={"WEB_CONCURRENCY": "2"}) as (_, output):
        pass
    warnings = [line for line in output if "comment rate limits are not kept" in line]
    assert len(warnings) == 1, output
    assert "2 workers each count alone" in warnings[0]
    assert "memory://" in warnings[0] and "redis://" in warnings[0]
