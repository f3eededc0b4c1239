"""Every `flask` command, registered in one place; the longer bodies live by concern.

`flask new`, `flask check` and `flask set-password` are here; `flask comments` is in
comments/cli.py (its git commands: comments/git_cli.py), `flask freeze` in freeze/cli.py,
`flask headers` in web/security.py, `flask publish` in publish/cli.py.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from twombly.admin import auth
from twombly.comments.check import comment_problems
from twombly.comments.cli import comments_cli
from twombly.comments.git_cli import (
    commit_command,
    install_merge_driver_command,
    merge_driver_command,
)
from twombly.comments.importing.cli import import_command
from twombly.comments.store import store
from twombly.content.catalog import reload_catalog
from twombly.content.check import Problem, Report, page_problems, page_slugs
from twombly.content.new import Draft, NewPostError, ReviewDraft, write_draft
from twombly.films.cli import import_cli
from twombly.films.logs import read_logs
from twombly.freeze.cli import freeze_command
from twombly.publish.cli import publish_cli
from twombly.web.security import headers_command


@click.command("new")
@with_appcontext
@click.argument("title")
@click.option("--tag", "tags", multiple=True, help="A tag; repeat for more.")
@click.option("--review", "work", metavar="WORK", help="Make it a review of WORK (the film).")
@click.option("--year", type=click.IntRange(1800, 9999), help="The year of the work.")
@click.option("--director", metavar="NAME", help="Who directed it.")
@click.option("--cast", multiple=True, metavar="NAME", help="A cast member; repeat for more.")
@click.option("--rating", type=click.FloatRange(0.5, 5), help="Your rating, 0.5 to 5 stars.")
def new_command(
    title: str,
    tags: tuple[str, ...],
    work: str | None,
    year: int | None,
    director: str | None,
    cast: tuple[str, ...],
    rating: float | None,
) -> None:
    """Write a new draft post, pages/<slug>.md, and print its path."""
    if work is None and (year or director or cast or rating is not None):
        raise click.UsageError("--year, --director, --cast and --rating need --review WORK")
    if rating is not None and (rating * 2) % 1:
        raise click.UsageError(f"--rating must be a whole or half star, not {rating:g}")
    review = ReviewDraft(work, year, director, rating, cast) if work else None
    draft = Draft(title=title, day=date.today(), tags=tags, review=review)
    pages_dir = Path(current_app.config["FLATPAGES_ROOT"])
    taken = {slug: entry.source for slug, entry in reload_catalog().entries.items()}
    try:
        path = write_draft(draft, pages_dir, taken)
    except NewPostError as error:
        raise click.ClickException(str(error)) from None
    click.echo(_shown(path))


def _shown(path: Path) -> str:
    """The path relative to the working folder when it is inside it, else absolute."""
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


@click.command("check")
@with_appcontext
def check_command() -> None:
    """Check every page and comment file; exit 1 if any has an error."""
    site = reload_catalog()
    comment_files = store().slugs()
    problems = page_problems(site) + list(comment_problems(comment_files, page_slugs(site)))
    problems += [Problem(p.path, p.line, p.message) for p in read_logs().problems]
    problems.sort(key=lambda p: (p.path, p.line))
    report = Report(problems, len(site.entries) + len(site.problems), len(comment_files))
    for problem in report.problems:
        click.echo(str(problem))
    click.echo(report.summary())
    if report.errors:
        sys.exit(1)


@click.command("set-password")
@with_appcontext
@click.option("--stdin", "from_stdin", is_flag=True, help="Read the password from stdin.")
def set_password_command(from_stdin: bool) -> None:
    """Set the password of the moderation pages at /admin/."""
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    try:
        path = auth.set_password(password)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Password set; its hash is stored in {path}.")


def init_app(app: Flask) -> None:
    git_commands = (commit_command, merge_driver_command, install_merge_driver_command)
    for command in (*git_commands, import_command):
        comments_cli.add_command(command)
    commands = (new_command, check_command, set_password_command, comments_cli, import_cli)
    for command in (*commands, freeze_command, headers_command, publish_cli):
        app.cli.add_command(command)
