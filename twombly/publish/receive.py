"""What the hooks `flask publish install-hook` writes do when a push arrives.

- pre-receive: a push to the published branch is checked out into a temporary folder and
  `flask check` runs over it; its problems reach the pusher as `path:line: message` and any
  error refuses the whole push. It is refused too when the site's working copy could not
  take it (a file the push changes was also changed on the server and not committed, or the
  working copy holds commits the push would drop), so the site never half-follows a push.
- post-receive: the working copy is brought to the pushed commit (a fast-forward that keeps
  what the server wrote since, such as new comments), then the static copy is frozen again
  when `[publish] freeze` is set. The running server sees the new files by itself.

Everything printed reaches the pusher (git shows it as `remote: ...`).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

from twombly.config import read_settings
from twombly.publish.git import GitError, changed_paths, clean_environment, in_repository, in_site

HOOK_NAMES = ("pre-receive", "post-receive")
# Files a running server does not pick up: a push that changes them needs a restart.
ENGINE_FILES = ("twombly/", "app.py", "gunicorn.conf.py", "pyproject.toml")


class Update(NamedTuple):
    old: str
    new: str
    ref: str


def updates(lines: Iterable[str]) -> list[Update]:
    """The `old new ref` lines git gives a receive hook on its standard input."""
    return [Update(*line.split()) for line in lines if len(line.split()) == 3]


def is_missing(commit: str) -> bool:
    """The all-zero id git uses for a branch that is created or deleted."""
    return set(commit) == {"0"}


def say(message: str) -> None:
    print(message, flush=True)


def run_flask(site: Path, *args: str, **options: Any) -> subprocess.CompletedProcess:
    """A `flask` command over `site` with this environment's Python and Twombly, run outside
    the hook's git environment; `options` go to subprocess.run."""
    app = f"twombly:create_app(site={str(site)!r})"
    command = [sys.executable, "-m", "flask", "--app", app, *args]
    return subprocess.run(command, env=clean_environment(), check=False, **options)


def pre_receive(site: Path, branch: str, lines: Iterable[str]) -> int:
    """0 to accept the push, 1 to refuse it."""
    for update in updates(lines):
        if update.ref != f"refs/heads/{branch}":
            continue
        if is_missing(update.new):
            say(f"push refused: {branch} is the published branch and cannot be deleted")
            return 1
        problems = blockers(site, update)
        for problem in problems:
            say(problem)
        if problems:
            say(f"push refused: the site at {site} cannot take it")
            return 1
        return check_commit(update.new, branch)
    return 0


def blockers(site: Path, update: Update) -> list[str]:
    """Why the working copy could not take the push without losing anything.

    The working copy follows the branch (post-receive moves it to every push), and may be
    ahead of it: comments readers wrote, committed there (`flask comments commit`) or not.
    The push is merged with those unless it changes one of the same files.
    """
    try:
        head = in_site(site, "rev-parse", "--verify", "HEAD").strip()
    except GitError:
        return []  # no commit yet: nothing to keep
    try:
        if contains(update.new, head):  # what the server committed is in the push
            base, kept = head, set()
        else:  # merged with the server's own commits since the branch's last push
            base = update.old
            in_site(site, "merge-base", "--is-ancestor", base, head)
            kept = paths(in_site(site, "diff", "--name-only", "-z", base, head))
        pushed = paths(in_repository("diff", "--name-only", "-z", base, update.new))
    except GitError:
        return [
            f"{site} is at {head[:12]}, which does not follow this branch: "
            f"push what is there first (git -C {site} push), pull, merge, and push again"
        ]
    return [
        f"{path}: changed on the server and in this push: commit and push it there "
        f"(git -C {site} push), pull, merge, and push again"
        for path in sorted(pushed & (kept | changed_paths(site)))
    ]


def contains(commit: str, ancestor: str) -> bool:
    """Whether the pushed `commit` holds `ancestor` (a commit of the working copy)."""
    try:
        in_repository("merge-base", "--is-ancestor", ancestor, commit)
    except GitError:
        return False
    return True


def paths(output: str) -> set[str]:
    return set(output.split("\0")) - {""}


def check_commit(commit: str, branch: str) -> int:
    """`flask check` over the pushed tree: its report goes to the pusher; 1 on any error."""
    with tempfile.TemporaryDirectory(prefix="twombly-push-") as folder:
        tree = Path(folder, "site")
        index = {**os.environ, "GIT_INDEX_FILE": str(Path(folder, "index"))}
        tree.mkdir()
        try:
            in_repository("read-tree", commit, env=index)
            in_repository(f"--work-tree={tree}", "checkout-index", "--all", env=index)
        except GitError as error:
            say(f"push refused: its files could not be checked out: {error}")
            return 1
        # Run from the temporary folder, so the Twombly imported is the installed one.
        done = run_flask(tree, "check", cwd=folder, capture_output=True, text=True)
    sys.stdout.write(done.stdout)
    if done.returncode not in (0, 1):  # the check itself failed: show why
        sys.stdout.write(done.stderr)
    if done.returncode != 0:
        say(f"push refused: fix the errors above, commit, and push {branch} again")
        return 1
    return 0


def post_receive(site: Path, branch: str, lines: Iterable[str]) -> int:
    """Update the working copy (and the frozen copy) to the pushed branch; 1 on failure."""
    for update in updates(lines):
        if update.ref != f"refs/heads/{branch}" or is_missing(update.new):
            continue
        try:
            follow_branch(site, branch)
        except GitError as error:
            say(f"{site} was not updated: {error}")
            say("the site still serves what it had; fix the working copy and push again")
            return 1
        say(f"{site} updated to {update.new[:12]}: the running server follows it")
        restart_note(update)
        return freeze(site)
    return 0


def follow_branch(site: Path, branch: str) -> None:
    """Bring the working copy to the pushed branch: a fast-forward, or a merge with what the
    server committed meanwhile (pre-receive made sure the two change different files)."""
    repository = Path(os.environ.get("GIT_DIR", ".")).resolve()
    in_site(site, "fetch", "--quiet", str(repository), f"refs/heads/{branch}")
    try:
        in_site(site, "merge-base", "--is-ancestor", "HEAD", "FETCH_HEAD")
    except GitError:  # the server has commits of its own
        name = ["-c", "user.name=Twombly", "-c", "user.email=twombly@localhost"]
        has_name = in_site(site, "config", "--default", "", "user.email").strip()
        try:
            in_site(site, *([] if has_name else name), "merge", "--no-edit", "-q", "FETCH_HEAD")
        except GitError:
            with contextlib.suppress(GitError):
                in_site(site, "merge", "--abort")
            raise
        return
    in_site(site, "merge", "--ff-only", "--quiet", "FETCH_HEAD")


def restart_note(update: Update) -> None:
    if is_missing(update.old):
        return
    changed = in_repository("diff", "--name-only", update.old, update.new).split()
    engine = sorted(path for path in changed if path.startswith(ENGINE_FILES))
    if engine:
        say(f"this push changes {', '.join(engine)}: restart the server to run it")


def freeze(site: Path) -> int:
    """`flask freeze` in the working copy when `[publish] freeze` is set there."""
    if not read_settings(str(site), None)["PUBLISH_FREEZE"]:
        return 0
    say("freezing the static copy ([publish] freeze)")
    done = run_flask(site, "freeze", cwd=site, stderr=subprocess.STDOUT)
    if done.returncode != 0:
        say("the freeze failed: the static copy keeps its previous version")
    return done.returncode
