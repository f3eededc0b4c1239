"""The owner's changes to comments, and the owner's view of all of them.

/admin/, the links in notifications and `flask comments` all change comments through here, so
each change goes through the store and leaves the same log line:
`owner <action> post=<slug> id=<comment id> via=<admin|link|cli>`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from twombly.comments.forms import BODY_MAX
from twombly.comments.model import text_problem
from twombly.comments.store import Comment, CommentFileError, store
from twombly.content.catalog import catalog

log = logging.getLogger("twombly.comments")
# What each action does, as the owner reads it afterwards.
DONE = {
    "approve": "approved",
    "spam": "marked as spam",
    "delete": "deleted",
    "edit": "edited",
}


@dataclass(frozen=True)
class Listed:
    """A comment with its post, as the owner's lists show it."""

    slug: str
    post_title: str
    comment: Comment


def logged(action: str, slug: str, comment_id: str, via: str) -> None:
    log.info("owner %s post=%s id=%s via=%s", action, slug, comment_id, via)


def moderate(slug: str, comment_id: str, action: str, via: str) -> Comment:
    """Approve, mark as spam or delete one comment (the store's errors pass through)."""
    if action == "delete":
        comment = store().delete(slug, comment_id)
    elif action in ("approve", "spam"):
        comment = store().set_status(
            slug, comment_id, "approved" if action == "approve" else "spam"
        )
    else:
        raise ValueError(f"unknown action {action!r}")
    logged(action, slug, comment_id, via)
    return comment


def body_problem(body: str) -> str | None:
    """Why a comment text cannot be stored, as the comment form would say it; None if fine."""
    if not body.strip():
        return "the text is empty"
    if len(body) > BODY_MAX:
        return f"the text is longer than {BODY_MAX:,} characters"
    problem = text_problem(body)
    return f"the text {problem}" if problem else None


def edit(slug: str, comment_id: str, body: str, via: str) -> Comment:
    """Replace a comment's text (checked like the form's: call `body_problem` first)."""
    comment = store().update(slug, comment_id, body=body.strip())
    logged("edit", slug, comment_id, via)
    return comment


def set_closed(slug: str, closed: bool, via: str) -> bool:
    """Close or reopen a post to new comments; False when it already was."""
    changed = store().closed.set(slug, closed)
    if changed:
        logged("close" if closed else "open", slug, "-", via)
    return changed


def post_exists(slug: str) -> bool:
    """A post or page of that name, or a comments file for it."""
    return slug in catalog().entries or store().path(slug).is_file()


def post_title(slug: str) -> str:
    entry = catalog().entries.get(slug)
    return entry.title if entry is not None else slug


def all_comments(
    slug: str | None = None, status: str | None = None, search: str = ""
) -> tuple[list[Listed], list[str]]:
    """Comments of every post (or of `slug`), newest first, and the files that cannot be read.

    `status` keeps one state; `search` keeps comments whose author and text hold every word.
    """
    words = search.casefold().split()
    found: list[Listed] = []
    broken: list[str] = []
    for post in [slug] if slug else store().slugs():
        try:
            comments = store().read(post)
        except CommentFileError as error:
            broken.append(str(error))
            continue
        title = post_title(post)
        for comment in comments:
            if status and comment.status != status:
                continue
            text = f"{comment.author}\n{comment.body}".casefold()
            if all(word in text for word in words):
                found.append(Listed(post, title, comment))
    found.sort(key=lambda item: (item.comment.created_at, item.comment.id), reverse=True)
    return found, broken
