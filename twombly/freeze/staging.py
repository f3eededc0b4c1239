"""A freeze is built in a staging folder and moved into the destination only once it is whole.

The staging folder starts as hard links to the destination's files (a copy when the file
system has none), so Frozen-Flask's `last_modified` test still skips the pages that have not
changed. Frozen-Flask rewrites a file in place, which would also change the destination's
file through a hard link: a page about to be rendered is first given a copy of its own
(`detach`). When every page is built, `commit` moves each new or changed file over the
destination's with `os.replace` (each one whole, at once) and removes the files the site no
longer has; files matching `keep` are never touched. A freeze that fails before then leaves
the destination exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from contextlib import suppress
from datetime import datetime
from pathlib import Path

from flask_frozen import walk_directory

PREFIX = ".twombly-staging-"  # matches destination.OWN_FILES: never a site file


def staging_folder(root: Path) -> Path:
    """A new empty folder on the destination's file system: beside it, or (when its parent
    cannot be written to) inside it, where the marker's pattern hides it from the copy."""
    for stale in root.parent.glob(f".{root.name}{PREFIX}*"):
        shutil.rmtree(stale, ignore_errors=True)  # left by a freeze that was killed
    try:
        return Path(tempfile.mkdtemp(prefix=f".{root.name}{PREFIX}", dir=root.parent))
    except PermissionError:
        root.mkdir(exist_ok=True)
        for stale in root.glob(f"{PREFIX}*"):
            shutil.rmtree(stale, ignore_errors=True)
        return Path(tempfile.mkdtemp(prefix=PREFIX, dir=root))


def stage(root: Path, staging: Path, ignore: list[str]) -> None:
    """Fill `staging` with links to the destination's site files, times and all."""
    if not root.is_dir():
        return
    for name in walk_directory(root, ignore=ignore):
        target = staging / name
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(root / name, target, follow_symlinks=False)
        except OSError:  # no hard links here (another file system, FAT...): copy it
            shutil.copy2(root / name, target, follow_symlinks=False)


def detacher(deadlines: dict[str, float]) -> Callable[[str, str], bool]:
    """A FREEZER_SKIP_EXISTING callable: it skips nothing, but gives a page Frozen-Flask is
    about to render (its file older than the URL's deadline, or no deadline) a file of its own."""

    def detach(url: str, filename: str) -> bool:
        path = Path(filename)
        try:
            status = path.lstat()
        except FileNotFoundError:
            return False
        deadline = deadlines.get(url)
        fresh = deadline is not None and datetime.fromtimestamp(
            status.st_mtime
        ) >= datetime.fromtimestamp(deadline)
        if status.st_nlink > 1 and not fresh:  # Frozen-Flask's own test skips a fresh one
            private = path.with_name(f"{path.name}{PREFIX}copy")
            shutil.copy2(path, private, follow_symlinks=False)
            os.replace(private, path)
        return False

    return detach


def commit(staging: Path, root: Path, ignore: list[str]) -> None:
    """Move the staged copy into the destination: new and changed files first, then remove
    the destination's files the copy does not have, then the staging folder."""
    built = set(walk_directory(staging, ignore=ignore))
    for name in sorted(built):
        source, target = staging / name, root / name
        if unchanged(source, target):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)
    for name in set(walk_directory(root, ignore=ignore)) - built:
        extra = root / name
        extra.unlink()
        with suppress(OSError):
            extra.parent.rmdir()
    shutil.rmtree(staging, ignore_errors=True)


def unchanged(source: Path, target: Path) -> bool:
    """Whether the staged file is still the destination's: the same file, or a copy given to
    a page that was rendered to the same bytes (Frozen-Flask then leaves the file alone)."""
    try:
        staged, current = source.stat(), target.stat()
    except FileNotFoundError:
        return False
    return os.path.samestat(staged, current) or (
        (staged.st_mtime_ns, staged.st_size) == (current.st_mtime_ns, current.st_size)
    )
