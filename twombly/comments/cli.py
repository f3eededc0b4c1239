"""`flask comments ...`: list, moderate, edit, close and open comments from the command line."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click
from flask.cli import AppGroup

from twombly.comments import owner
from twombly.comments.store import (
    STATUSES,
    Comment,
    CommentFileError,
    CommentWriteError,
    InvalidComment,
    UnknownComment,
    store,
)

comments_cli = AppGroup("comments", help="List, moderate, edit, close and import comments.")


@comments_cli.command("list")
@click.option("--status", type=click.Choice(STATUSES), help="Only comments with this status.")
@click.option(
    "--search",
    default="",
    metavar="WORDS",
    help="Only those whose author or text hold every word.",
)
@click.argument("slug", required=False)
def list_comments(status: str | None, search: str, slug: str | None) -> None:
    """List comments of every post or of SLUG, oldest first; exit 1 if a file is unreadable."""
    if slug:
        _existing_post(slug)
    listed, broken = owner.all_comments(slug, status, search)
    for problem in broken:
        click.echo(f"error: {problem}", err=True)
    listed.sort(key=lambda item: (item.slug, item.comment.created_at))
    for item in listed:
        click.echo(_line(item.slug, item.comment))
    click.echo(f"{len(listed)} comment{'' if len(listed) == 1 else 's'}")
    if broken:
        click.get_current_context().exit(1)


def _existing_post(slug: str) -> None:
    if not owner.post_exists(slug):
        raise click.ClickException(f"no post '{slug}' in pages/ and no comments/{slug}.json")


def _line(slug: str, comment: Comment) -> str:
    excerpt = " ".join(comment.body.split())
    if len(excerpt) > 60:
        excerpt = excerpt[:59] + "…"
    reply = f" (reply to {comment.parent})" if comment.parent else ""
    return (
        f"{comment.id}  {comment.status:<8}  {slug}  {comment.created}  "
        f"{comment.author}{reply}: {excerpt}"
    )


@contextmanager
def _store_errors(comment_id: str = "") -> Iterator[None]:
    """What the store refuses becomes a clear error and exit 1."""
    try:
        yield
    except UnknownComment:
        raise click.ClickException(f"no comment with id {comment_id!r}") from None
    except (CommentFileError, CommentWriteError, InvalidComment) as error:
        raise click.ClickException(str(error)) from error


def _find(comment_id: str) -> tuple[str, Comment]:
    with _store_errors(comment_id):
        return store().find(comment_id)


def _moderate(comment_id: str, action: str, done: str) -> None:
    slug, comment = _find(comment_id)
    with _store_errors(comment_id):
        owner.moderate(slug, comment.id, action, via="cli")
    click.echo(f"{done} {comment.id} by {comment.author} on {slug}")


@comments_cli.command("approve")
@click.argument("comment_id")
def approve(comment_id: str) -> None:
    """Show a pending (or spam) comment."""
    _moderate(comment_id, "approve", "Approved")


@comments_cli.command("spam")
@click.argument("comment_id")
def spam(comment_id: str) -> None:
    """Mark a comment as spam: it is kept in the file but never shown."""
    _moderate(comment_id, "spam", "Marked as spam")


@comments_cli.command("delete")
@click.argument("comment_id")
def delete(comment_id: str) -> None:
    """Remove a comment from its file; its replies move up one level."""
    _moderate(comment_id, "delete", "Deleted")


@comments_cli.command("edit")
@click.argument("comment_id")
@click.option("--body", metavar="TEXT", help="The new text; without it, your $EDITOR opens.")
@click.option("--stdin", "from_stdin", is_flag=True, help="Read the new text from stdin.")
def edit(comment_id: str, body: str | None, from_stdin: bool) -> None:
    """Change the text of any comment (Markdown, checked like the comment form's)."""
    slug, comment = _find(comment_id)
    if from_stdin:
        body = sys.stdin.read()
    elif body is None:
        body = click.edit(comment.body, extension=".md")
    if body is None or body.strip() == comment.body:
        click.echo(f"Unchanged {comment.id}")
        return
    problem = owner.body_problem(body)
    if problem:
        raise click.ClickException(f"comment {comment.id} not changed: {problem}")
    with _store_errors(comment_id):
        owner.edit(slug, comment.id, body, via="cli")
    click.echo(f"Edited {comment.id} by {comment.author} on {slug}")


def _set_closed(slug: str, closed: bool) -> None:
    _existing_post(slug)
    with _store_errors():
        changed = owner.set_closed(slug, closed, via="cli")
    state = "closed" if closed else "open"
    click.echo(f"Comments on {slug} are {'now' if changed else 'already'} {state}")


@comments_cli.command("close")
@click.argument("slug")
def close(slug: str) -> None:
    """Close a post to new comments (kept in comments/closed.txt)."""
    _set_closed(slug, True)


@comments_cli.command("open")
@click.argument("slug")
def reopen(slug: str) -> None:
    """Open a post the owner closed to new comments again."""
    _set_closed(slug, False)
