"""What a post page shows of its comments: the threads, the count, the form's target, open or not.

The post page is rendered here (`render_post`) because it is a post with its comments: the blog's
view and the comment views (a form sent back with its errors) both render it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from flask import Flask, current_app, render_template

from twombly.comments import ownership
from twombly.comments.forms import new_comment_form, reply_target
from twombly.comments.frozen import form_action
from twombly.comments.ownership import visible_comments
from twombly.comments.store import Comment, CommentFileError, store
from twombly.content.catalog import neighbours
from twombly.content.post import Post


@dataclass
class Thread:
    """A comment with its visible replies, for display."""

    comment: Comment
    replies: list[Thread] = field(default_factory=list)


def threads(comments: list[Comment]) -> Iterator[Thread]:
    """Top-level threads of the given comments; a reply whose parent is absent stands alone."""
    nodes = {comment.id: Thread(comment) for comment in comments}
    for node in nodes.values():
        parent = nodes.get(node.comment.parent or "")
        if parent is None:
            continue
        parent.replies.append(node)
    return (node for node in nodes.values() if node.comment.parent not in nodes)


def comments_closed(post: Post) -> bool:
    """Closed by front matter, by the owner (comments/closed.txt), or by age when
    `comments.close_after_days` is set."""
    days = int(current_app.config.get("COMMENTS_CLOSE_AFTER_DAYS") or 0)
    too_old = days > 0 and datetime.now(UTC) - post.date > timedelta(days=days)
    return not post.comments_open or too_old or post.slug in store().closed.slugs()


def render_post(entry: Post, **extra: object) -> str:
    """The post page; `extra` reaches the template (a comment form with its errors, say)."""
    older, newer = neighbours(entry)
    return render_template(
        "post.html", post=entry, older=older, newer=newer, **comment_context(entry), **extra
    )


def comment_context(entry: Post) -> dict[str, object]:
    """The approved comments of a post as threads, or the error that hides them."""
    try:
        approved = store().approved(entry.slug)
        shown = visible_comments(entry.slug)
    except CommentFileError as error:
        current_app.logger.error("comments unavailable: %s", error)
        return {"comment_threads": [], "comment_count": 0, "comments_unavailable": True}
    return {
        "comment_threads": list(threads(shown)),
        "comment_count": len(approved),
        "comments_unavailable": False,
    }


def comment_count(post: Post) -> int | None:
    """How many approved comments a post has; None when its file cannot be read."""
    try:
        return len(store().approved(post.slug))
    except CommentFileError:
        return None


def comment_form_action(post: Post) -> str:
    return form_action("comments.create", slug=post.slug)


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        new_comment_form=new_comment_form,
        reply_target=reply_target,
        comment_count=comment_count,
        comments_closed=comments_closed,
        comment_form_action=comment_form_action,
        owns_comment=ownership.owns,
    )
