"""Comment files in the site's git repository: commit what changed, with a readable message.

`flask comments commit` and, with `[comments] git_commit = true`, the server after each stored
comment (in the background) commit the changed files of comments/ alone: whatever else is
staged or changed in the working tree is left as it is. The message lists each new, changed and
removed comment by post and id. One commit at a time: a lock in instance/.
"""

from __future__ import annotations

import logging
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import orjson
from filelock import FileLock, Timeout
from flask import current_app

from twombly.comments.background import background
from twombly.comments.closing import CLOSED_FILE
from twombly.comments.store import store

LOCK_SECONDS = 60
log = logging.getLogger("twombly.comments")


class GitError(Exception):
    """git refused (not a repository, no identity, a hook): its own words."""


@dataclass
class Changes:
    """What a commit of the comment files holds, post by post."""

    new: list[tuple[str, str]] = field(default_factory=list)
    changed: list[tuple[str, str]] = field(default_factory=list)
    removed: list[tuple[str, str]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def message(self) -> str:
        kinds = {"new": self.new, "changed": self.changed, "removed": self.removed}
        counts = [f"{len(items)} {word}" for word, items in kinds.items() if items]
        lines = [f"Comments: {', '.join(counts) or 'files updated'}", ""]
        for word, items in kinds.items():
            lines += [f"{word} {slug} {comment_id}" for slug, comment_id in items]
        if any(name.endswith(CLOSED_FILE) for name in self.files):
            lines.append(f"updated {CLOSED_FILE}")
        return "\n".join(lines).rstrip() + "\n"


def git(root: Path, *args: str, check: bool = True) -> str:
    """Run git in `root`; GitError with git's message when it fails."""
    try:
        done = subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, check=False, timeout=60
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise GitError(f"git {args[0]}: {error}") from error
    if check and done.returncode != 0:
        raise GitError(f"git {args[0]}: {(done.stderr or done.stdout).strip()}")
    return done.stdout


def repository_root(folder: Path) -> Path:
    """The top of the git working tree holding `folder`."""
    if not folder.is_dir():
        raise GitError(f"{folder}: no such folder")
    return Path(git(folder, "rev-parse", "--show-toplevel").strip())


def changed_files(root: Path, folder: Path) -> list[str]:
    """The comment files (and closed.txt) under `folder` that differ from HEAD, repo-relative."""
    relative = folder.resolve().relative_to(root.resolve()).as_posix()
    listing = git(root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", relative)
    entries = iter(listing.split("\0"))
    names = []
    for entry in entries:
        status, name = entry[:2], entry[3:]
        if "R" in status or "C" in status:  # a rename or copy: the old name comes next, whole
            names.append(next(entries, ""))
        names.append(name)
    return sorted({name for name in names if name.endswith((".json", CLOSED_FILE))})


def _ids(root: Path, name: str, revision: str | None) -> dict[str, bytes]:
    """Each comment's id and its JSON in a file at a revision (None: the working tree)."""
    if revision is None:
        path = root / name
        raw = path.read_bytes() if path.exists() else b""
    else:
        raw = git(root, "show", f"{revision}:{name}", check=False).encode()
    try:
        document = orjson.loads(raw) if raw else {}
    except orjson.JSONDecodeError:
        return {}
    comments = document.get("comments", []) if isinstance(document, dict) else []
    return {
        str(item["id"]): orjson.dumps(item, option=orjson.OPT_SORT_KEYS)
        for item in comments
        if isinstance(item, dict) and "id" in item
    }


def describe(root: Path, names: list[str]) -> Changes:
    has_head = git(root, "rev-parse", "--verify", "-q", "HEAD", check=False).strip() != ""
    changes = Changes(files=names)
    for name in names:
        if not name.endswith(".json"):
            continue
        slug = Path(name).stem
        before = _ids(root, name, "HEAD") if has_head else {}
        after = _ids(root, name, None)
        changes.new += [(slug, i) for i in after if i not in before]
        changes.changed += [(slug, i) for i in after if i in before and after[i] != before[i]]
        changes.removed += [(slug, i) for i in before if i not in after]
    return changes


def commit(folder: Path, lock_folder: Path) -> Changes | None:
    """Commit the changed comment files under `folder`; None when nothing changed."""
    root = repository_root(folder)
    lock_folder.mkdir(parents=True, exist_ok=True)
    with FileLock(str(lock_folder / "git-commit.lock"), timeout=LOCK_SECONDS):
        names = changed_files(root, folder)
        if not names:
            return None
        changes = describe(root, names)
        present = [name for name in names if (root / name).exists()]
        if present:  # new files must be known to git; one moved or deleted already is
            git(root, "add", "--all", "--", *present)
        git(root, "commit", "--quiet", "-m", changes.message(), "--only", "--", *names)
    return changes


def commit_later() -> None:
    """Commit the comment files in the background ([comments] git_commit); failures are logged."""
    folder, locks = store().folder, Path(current_app.instance_path)

    def job() -> None:
        try:
            changes = commit(folder, locks)
        except (GitError, Timeout, OSError) as error:
            log.error("comments not committed to git: %s", error)
            return
        if changes is not None:
            log.info("comments committed to git: %s", changes.message().splitlines()[0])

    background().start("git-commit", job)
