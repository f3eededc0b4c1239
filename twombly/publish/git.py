"""Running git for the hooks: in the bare repository that receives a push, or in the site's
working copy.

A hook runs with GIT_DIR (and, before a push is accepted, the quarantine of its new objects)
in its environment, pointing every git command at the bare repository: commands for the
working copy run without any GIT_* variable.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path


class GitError(Exception):
    """A git command failed; the message is git's own."""


def clean_environment() -> dict[str, str]:
    """This process's environment without the variables git gives a hook."""
    return {name: value for name, value in os.environ.items() if not name.startswith("GIT_")}


def git(*args: str, cwd: Path | None = None, env: Mapping[str, str] | None = None) -> str:
    """Run git; its output, or GitError with what it printed on failure."""
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise GitError((done.stderr or done.stdout).strip() or f"git {args[0]} failed")
    return done.stdout


def in_site(site: Path, *args: str) -> str:
    """git in the site's working copy."""
    return git("-C", str(site), *args, env=clean_environment())


def in_repository(*args: str, env: Mapping[str, str] | None = None) -> str:
    """git in the repository the hook runs for (its GIT_DIR, with the pushed objects)."""
    return git(*args, env=env)


def changed_paths(site: Path) -> set[str]:
    """Files of the working copy that differ from its last commit, untracked ones included
    (the comments readers left on the server)."""
    entries = in_site(site, "status", "--porcelain", "-z", "--untracked-files=all").split("\0")
    paths: set[str] = set()
    renamed = False
    for entry in entries:
        if renamed:  # the old name of a rename
            paths.add(entry)
            renamed = False
        elif entry:
            paths.add(entry[3:])
            renamed = entry[0] in "RC"
    return paths
