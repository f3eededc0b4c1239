"""Which comments this browser wrote: ids kept in the signed Flask session for the edit window.

The session cookie is signed with the app's secret key (itsdangerous), so a reader cannot add
someone else's comment id to it. The window is measured from the comment's stored `created`
time, not from anything the cookie says.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import current_app, session

from twombly.comments.store import Comment, store

SESSION_KEY = "own_comments"
# How many of its newest comments a browser may still change. The ids live in the session
# cookie, which a browser drops past 4 KB (with the flashed notice in it); 20 stay well under
# that. Someone writing more within one edit window keeps the right to the last 20.
OWNED_MAX = 20


def edit_window() -> timedelta:
    return timedelta(minutes=float(current_app.config["COMMENTS_EDIT_MINUTES"]))


def remember(comment: Comment) -> None:
    """Mark `comment` as written in this browser; forget ids whose window has passed."""
    now = datetime.now(UTC).timestamp()
    owned = {
        comment_id: until
        for comment_id, until in session.get(SESSION_KEY, {}).items()
        if isinstance(until, (int, float)) and until > now
    }
    # When this browser's right lapses, at most a second after the comment's own window (its
    # stored time has whole seconds): precise enough to tell which of several comments sent
    # within one second is the newest. `owns` checks the comment's own window.
    owned[comment.id] = now + edit_window().total_seconds()
    newest = sorted(owned.items(), key=lambda item: item[1])[-OWNED_MAX:]
    session[SESSION_KEY] = dict(newest)


def forget(comment: Comment) -> None:
    owned = dict(session.get(SESSION_KEY, {}))
    owned.pop(comment.id, None)
    session[SESSION_KEY] = owned


def owns(comment: Comment) -> bool:
    """True while this browser may still edit or delete `comment`."""
    owned = session.get(SESSION_KEY)
    if not isinstance(owned, dict) or comment.id not in owned:
        return False
    return datetime.now(UTC) <= comment.created_at + edit_window()


def visible_comments(slug: str) -> list[Comment]:
    """Approved comments, plus this browser's own comments still awaiting moderation."""
    return [
        comment
        for comment in store().read(slug)
        if comment.status == "approved" or (comment.status == "pending" and owns(comment))
    ]
