"""The owner hears about new comments: a real SMTP server, a real webhook, a dead service,
and the approve and delete links of a pending comment's message."""

from __future__ import annotations

import json
import logging
import re

import pytest

from twombly.comments.background import background

from .admin_helpers import csrf_token
from .comment_helpers import comment_id, send_comment
from .notify_servers import free_port, smtp_server, webhook_server

LINK = re.compile(r"(Approve|Delete): https://reviews\.example(/admin/act/[^/\s]+/)")


@pytest.fixture
def notifying(config, write_post):
    """Notifications on, tried twice with no wait; the caller sets the URLs."""
    config.update(NOTIFY_ATTEMPTS=2, NOTIFY_RETRY_SECONDS=0)
    write_post("her", title="Her")
    return config


def stored(site) -> dict[str, dict]:
    document = json.loads((site / "comments" / "her.json").read_text("utf-8"))
    return {c["id"]: c for c in document["comments"]}


def test_a_pending_comment_is_mailed_with_links_that_confirm(notifying, app, client, site):
    app.config["COMMENTS_MODERATION"] = True
    with smtp_server() as (port, inbox):
        app.config["NOTIFY_URLS"] = [
            f"mailto://127.0.0.1:{port}?from=blog@reviews.example&to=owner@reviews.example"
        ]
        response = send_comment(client, "her", name="Ann", body="A *lovely* film.")
        assert response.status_code == 303
        assert background(app).wait(30)
    (mail,) = inbox.messages
    assert mail["To"] == "owner@reviews.example"
    assert mail["Subject"] == "Comment awaiting approval on “Her”"
    text = mail.get_body(("plain",)).get_content()
    new = comment_id(response)
    assert "Ann wrote on “Her”" in text
    assert f"https://reviews.example/posts/her/#comment-{new}" in text
    assert "A *lovely* film." in text
    links = dict(LINK.findall(text))
    assert set(links) == {"Approve", "Delete"}

    confirm = client.get(links["Approve"])  # what a mail scanner does: nothing changes
    assert confirm.status_code == 200
    assert "Approve this comment?" in confirm.text
    assert stored(site)[new]["status"] == "pending"
    done = client.post(links["Approve"], data={"csrf_token": csrf_token(confirm.text)})
    assert done.status_code == 200
    assert "was approved" in done.text
    assert stored(site)[new]["status"] == "approved"


def test_the_delete_link_and_bad_links(notifying, app, client, site, caplog):
    app.config["COMMENTS_MODERATION"] = True
    with webhook_server() as (port, received):
        app.config["NOTIFY_URLS"] = [f"json://127.0.0.1:{port}/hook"]
        new = comment_id(send_comment(client, "her", name="Bob", body="Buy watches"))
        assert background(app).wait(30)
    links = dict(LINK.findall(received[0]["message"]))
    forged = links["Delete"].replace("/act/", "/act/x")
    assert client.get(forged).status_code == 400
    app.config["NOTIFY_LINK_DAYS"] = -1
    assert "expired" in client.get(links["Delete"]).text
    app.config["NOTIFY_LINK_DAYS"] = 7
    page = client.get(links["Delete"])
    assert client.post(links["Delete"], data={}).status_code == 400  # no CSRF token
    assert new in stored(site)
    with caplog.at_level(logging.INFO, logger="twombly"):
        client.post(links["Delete"], data={"csrf_token": csrf_token(page.text)})
    assert new not in stored(site)
    assert f"owner delete post=her id={new} via=link" in caplog.text
    assert client.get(links["Delete"]).status_code == 404


def test_an_accepted_comment_reaches_a_json_webhook(notifying, app, client):
    with webhook_server() as (port, received):
        app.config["NOTIFY_URLS"] = f"json://127.0.0.1:{port}/hook"  # as TWOMBLY_NOTIFY_URLS
        send_comment(client, "her", name="Cy", website="https://cy.example/", body="Yes.")
        send_comment(client, "her", name="Spammer", body="Spam!", homepage="x")
        assert background(app).wait(30)
    (message,) = received  # spam is not among the default events
    assert message["title"] == "New comment on “Her”"
    assert "Cy (https://cy.example/) wrote on “Her”" in message["message"]
    assert "Approve:" not in message["message"]


def test_a_dead_service_never_touches_the_readers_answer(notifying, app, client, site, caplog):
    app.config["NOTIFY_URLS"] = [f"json://127.0.0.1:{free_port()}/nobody-listens"]
    with caplog.at_level(logging.INFO, logger="twombly"):
        response = send_comment(client, "her", body="Still stored.")
        assert response.status_code == 303
        assert background(app).wait(30)
    new = comment_id(response)
    assert stored(site)[new]["body"] == "Still stored."
    assert f"notification failed id={new} after 2 attempts to json://" in caplog.text
