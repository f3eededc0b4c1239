"""`flask comments ...`: list comments and moderate them from the command line."""

from __future__ import annotations

from collections.abc import Callable

import click
from flask.cli import AppGroup

from twombly.comments.store import (
    STATUSES,
    Comment,
    CommentFileError,
    CommentWriteError,
    UnknownComment,
    store,
)

comments_cli = AppGroup("comments", help="List and moderate readers' comments.")


@comments_cli.command("list")
@click.option("--status", type=click.Choice(STATUSES), help="Only comments with this status.")
@click.argument("slug", required=False)
def list_comments(status: str | None, slug: str | None) -> None:
    """List comments, oldest first, of every post or of SLUG; exit 1 if a file is unreadable."""
    shown, unreadable = 0, 0
    for post_slug in [slug] if slug else store().slugs():
        try:
            comments = store().read(post_slug)
        except CommentFileError as error:
            click.echo(f"error: {error}", err=True)
            unreadable += 1
            continue
        for comment in comments:
            if status is None or comment.status == status:
                click.echo(_line(post_slug, comment))
                shown += 1
    click.echo(f"{shown} comment{'' if shown == 1 else 's'}")
    if unreadable:
        click.get_current_context().exit(1)


def _line(slug: str, comment: Comment) -> str:
    excerpt = " ".join(comment.body.split())
    if len(excerpt) > 60:
        excerpt = excerpt[:59] + "…"
    reply = f" (reply to {comment.parent})" if comment.parent else ""
    return (
        f"{comment.id}  {comment.status:<8}  {slug}  {comment.created}  "
        f"{comment.author}{reply}: {excerpt}"
    )


def _moderate(comment_id: str, change: Callable[[str, str], Comment], done: str) -> None:
    try:
        slug, comment = store().find(comment_id)
        change(slug, comment.id)
    except UnknownComment:
        raise click.ClickException(f"no comment with id {comment_id!r}") from None
    except (CommentFileError, CommentWriteError) as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{done} {comment.id} by {comment.author} on {slug}")


@comments_cli.command("approve")
@click.argument("comment_id")
def approve(comment_id: str) -> None:
    """Show a pending (or spam) comment."""
    _moderate(comment_id, lambda slug, cid: store().set_status(slug, cid, "approved"), "Approved")


@comments_cli.command("spam")
@click.argument("comment_id")
def spam(comment_id: str) -> None:
    """Mark a comment as spam: it is kept in the file but never shown."""
    _moderate(
        comment_id, lambda slug, cid: store().set_status(slug, cid, "spam"), "Marked as spam"
    )


@comments_cli.command("delete")
@click.argument("comment_id")
def delete(comment_id: str) -> None:
    """Remove a comment from its file; its replies move up one level."""
    _moderate(comment_id, store().delete, "Deleted")
