"""`flask publish install-hook REPOSITORY`: publish the site by `git push`.

Run in the site's working copy on the server. It writes two hooks into REPOSITORY, a bare
repository the laptop pushes to: `pre-receive` (check the push, refuse it on errors) and
`post-receive` (update this working copy, freeze if `[publish] freeze` is set). Both call
this environment's Python by its absolute path, so they need no activated environment.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from twombly.atomic import write_whole
from twombly.publish.git import GitError, git, in_site
from twombly.publish.receive import HOOK_NAMES

# The line that tells a hook this command wrote it (and may write it again).
MARKER = "# Written by `flask publish install-hook` (Twombly)"

publish_cli = AppGroup("publish", help="Publish the site by pushing to a git repository.")


@publish_cli.command("install-hook")
@click.argument("repository", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--branch",
    metavar="NAME",
    help="The branch that publishes (default: the one checked out here, else main).",
)
def install_hook_command(repository: Path, branch: str | None) -> None:
    """Make a push to REPOSITORY (a bare git repository) check and publish this site."""
    site = Path(current_app.root_path).resolve()
    try:
        hooks = hooks_folder(repository.resolve())
        check_working_copy(site)
        branch = branch or current_branch(site)
        written = [write_hook(hooks, name, site, branch) for name in HOOK_NAMES]
    except (GitError, OSError, ValueError) as error:
        raise click.ClickException(str(error)) from None
    freezes = current_app.config["PUBLISH_FREEZE"]
    click.echo(f"Wrote {', '.join(str(path) for path in written)}.")
    click.echo(
        f"A push to {branch} is checked with `flask check`, then updates {site}"
        + (" and freezes the static copy." if freezes else ".")
    )
    click.echo(f"On your laptop: git remote add server <you>@<this host>:{repository.resolve()}")


def hooks_folder(repository: Path) -> Path:
    """Where git looks for the bare repository's hooks (core.hooksPath included)."""
    try:
        bare = git("-C", str(repository), "rev-parse", "--is-bare-repository").strip()
    except GitError:
        bare = ""
    if bare != "true":
        raise ValueError(
            f"{repository} is not a bare git repository (make one: git init --bare {repository})"
        )
    found = git("-C", str(repository), "rev-parse", "--git-path", "hooks").strip()
    return (repository / found).resolve()


def check_working_copy(site: Path) -> None:
    try:
        top = Path(in_site(site, "rev-parse", "--show-toplevel").strip()).resolve()
    except GitError:
        top = None
    if top != site:
        raise ValueError(f"{site} is not the top folder of a git working copy (git clone it)")


def current_branch(site: Path) -> str:
    try:
        return in_site(site, "symbolic-ref", "--short", "HEAD").strip()
    except GitError:
        return "main"


def hook_text(name: str, site: Path, branch: str) -> str:
    python = Path(sys.executable).absolute()  # the environment's own python, not its target
    command = [str(python), "-m", "twombly.publish", name, "--site", str(site), "--branch", branch]
    return f"#!/bin/sh\n{MARKER}: run it again to update.\nexec {shlex.join(command)}\n"


def write_hook(hooks: Path, name: str, site: Path, branch: str) -> Path:
    """Write one hook, executable; refuses to replace a hook someone else wrote."""
    path = hooks / name
    if path.exists() and MARKER not in path.read_text(encoding="utf-8", errors="replace"):
        raise ValueError(f"{path} exists and was not written by Twombly: move it away first")
    write_whole(path, hook_text(name, site, branch).encode("utf-8"), mode=0o755)
    return path
