"""`flask comments commit`, `merge-driver` and `install-merge-driver`: comment files in git."""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import ScriptInfo, with_appcontext

from twombly.comments.closing import CLOSED_FILE
from twombly.comments.gitsync import GitError, commit, git, repository_root
from twombly.comments.merge import MergeError, merge
from twombly.comments.store import store

DRIVER = "twombly-comments"


@click.command("commit")
@with_appcontext
def commit_command() -> None:
    """Commit the changed comment files, listing new and changed comments in the message."""
    try:
        changes = commit(store().folder, Path(current_app.instance_path))
    except GitError as error:
        raise click.ClickException(str(error)) from None
    if changes is None:
        click.echo("No comment files changed.")
        return
    click.echo(changes.message().rstrip())


@click.command("merge-driver")
@click.argument("base", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("ours", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("theirs", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("name", required=False, default="comments file")
def merge_driver_command(base: Path, ours: Path, theirs: Path, name: str) -> None:
    """git's merge driver: merge THEIRS into OURS by comment id (BASE: the common ancestor).

    Exits 1 and leaves OURS as it was when the copies cannot be merged: git then reports a
    conflict for a person to resolve.
    """
    try:
        ancestor = base.read_bytes() if base.exists() else b""
        data, notes = merge(ancestor, ours.read_bytes(), theirs.read_bytes(), name)
    except (MergeError, OSError) as error:
        click.echo(f"twombly merge: {error}", err=True)
        sys.exit(1)
    for note in notes:
        click.echo(f"twombly merge: {note}", err=True)
    temporary = ours.with_name(f".{ours.name}.merged")
    temporary.write_bytes(data)
    os.replace(temporary, ours)


@click.command("install-merge-driver")
@with_appcontext
def install_merge_driver_command() -> None:
    """Let git merge comment files by id: a .gitattributes line and this clone's git config."""
    folder = store().folder
    try:
        root = repository_root(folder)
        where = folder.resolve().relative_to(root.resolve()).as_posix()
        # closed.txt: lines two clones both added are kept (git's own union merge)
        lines = [f"{where}/*.json merge={DRIVER}", f"{where}/{CLOSED_FILE} merge=union"]
        attributes = root / ".gitattributes"
        present = attributes.read_text("utf-8").splitlines() if attributes.exists() else []
        if any(line not in present for line in lines):
            kept = [*present, *(line for line in lines if line not in present)]
            attributes.write_text("".join(f"{entry}\n" for entry in kept), encoding="utf-8")
        git(root, "config", f"merge.{DRIVER}.name", "Twombly comment files, merged by id")
        git(root, "config", f"merge.{DRIVER}.driver", driver_command())
    except GitError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{attributes}: {'; '.join(lines)}")
    click.echo(f"git config merge.{DRIVER}.driver: {driver_command()}")
    click.echo("Commit .gitattributes, and run this command once in every clone.")


def driver_command() -> str:
    """How git runs the driver: this Python, this app, from the top of the working tree."""
    info = click.get_current_context().find_object(ScriptInfo)
    app_path = (info.app_import_path if info else None) or os.environ.get("FLASK_APP") or "app"
    python = shlex.quote(sys.executable)
    return f"{python} -m flask --app {shlex.quote(app_path)} comments merge-driver %O %A %B %P"
