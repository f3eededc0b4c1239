"""Tell the owner about each new comment, through apprise (`[notify] urls`).

One message per comment, for the states in `[notify] events` (default: accepted and pending):
the post's title and link, the author, the text and, for a pending comment, links to approve
or delete it (`action_links`). The message is written while the request is open (it needs the
site's addresses) and sent in the background after the comment is stored: a slow or dead
service never delays or changes the reader's answer. A service that fails is tried again
`[notify] attempts` times, waiting `retry_seconds` (doubled each time), then the log says so.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

import apprise
from flask import Flask, current_app

from twombly.comments.action_links import make_token
from twombly.comments.background import background
from twombly.comments.store import Comment
from twombly.urls import external_url

log = logging.getLogger("twombly.comments")
TITLES = {
    "accepted": "New comment on {title}",
    "pending": "Comment awaiting approval on {title}",
    "spam": "Comment held as spam on {title}",
}


@dataclass(frozen=True)
class Message:
    title: str
    body: str


def notify_urls(config: dict | None = None) -> list[str]:
    """`[notify] urls`: a list, or (from TWOMBLY_NOTIFY_URLS) one or more separated by spaces."""
    urls = (config or current_app.config)["NOTIFY_URLS"]
    if isinstance(urls, str):
        urls = urls.split()
    return [str(url) for url in urls if str(url).strip()]


def new_comment(slug: str, title: str, comment: Comment, outcome: str) -> None:
    """Send the owner one message about `comment`, in the background, if they asked for it."""
    urls = notify_urls()
    events = current_app.config["NOTIFY_EVENTS"]
    if not urls or outcome not in (events.split() if isinstance(events, str) else events):
        return
    message = compose(slug, title, comment, outcome)
    attempts = max(1, int(current_app.config["NOTIFY_ATTEMPTS"]))
    delay = float(current_app.config["NOTIFY_RETRY_SECONDS"])
    background().start("notify", lambda: send(urls, message, attempts, delay, comment.id))


def compose(slug: str, title: str, comment: Comment, outcome: str) -> Message:
    link = external_url("blog.post", slug=slug, _anchor=f"comment-{comment.id}")
    author = comment.author + (f" ({comment.website})" if comment.website else "")
    lines = [f"{author} wrote on “{title}”:", link, "", comment.body, ""]
    if outcome == "pending":
        for action in ("approve", "delete"):
            token = make_token(slug, comment.id, action)
            lines.append(f"{action.title()}: {external_url('admin.links.act', token=token)}")
        days = current_app.config["NOTIFY_LINK_DAYS"]
        lines.append(f"(Each link asks you to confirm; they work for {days} days.)")
    return Message(TITLES[outcome].format(title=f"“{title}”"), "\n".join(lines).strip() + "\n")


def send(urls: Sequence[str], message: Message, attempts: int, delay: float, about: str) -> None:
    """Send to each URL, trying the ones that failed again, then log those that never worked."""
    waiting = list(urls)
    for attempt in range(attempts):
        waiting = [url for url in waiting if not _send_one(url, message)]
        if not waiting:
            log.info("notification sent id=%s", about)
            return
        if attempt + 1 < attempts:
            time.sleep(delay * 2**attempt)
    shown = ", ".join(_private(url) for url in waiting)
    log.error("notification failed id=%s after %d attempts to %s", about, attempts, shown)


def _send_one(url: str, message: Message) -> bool:
    """True once sent, or when the URL is not one apprise knows (trying again cannot help)."""
    sender = apprise.Apprise()
    if not sender.add(url):
        log.error("notification URL not understood: %s", _private(url))
        return True
    try:
        return bool(sender.notify(title=message.title, body=message.body))
    except Exception:  # a service's library may raise anything; the next attempt may work
        log.exception("notification raised")
        return False


def _private(url: str) -> str:
    """The URL with its password and tokens hidden, as apprise shows it."""
    service = apprise.Apprise.instantiate(url)
    return service.url(privacy=True) if service else url.split(":", 1)[0] + "://…"


def init_app(app: Flask) -> None:
    """Say at start-up which notification URLs apprise does not understand."""
    for url in notify_urls(app.config):
        if apprise.Apprise.instantiate(url) is None:
            app.logger.error("[notify] urls: apprise does not understand %s", _private(url))
