"""A freeze is built in a staging folder and moved into the destination only once it is whole.

The staging folder gets each URL's file from the destination just before Frozen-Flask looks at
it (`Stager`): a hard link to a page it will skip, so its `last_modified` test still skips the
pages that have not changed, and a copy of its own (a copy when the file system has no links)
to a page it may render again, as Frozen-Flask rewrites a file in place. When every page is
built, `commit` moves each new or changed file over the destination's with `os.replace` (each
one whole, at once; a folder the destination lacks, such as every folder of a first freeze, in
one rename) and removes the files the site no longer has; files matching `keep` are never
touched. A freeze that fails before then leaves the destination exactly as it was."""

from __future__ import annotations

import fnmatch
import os
import shutil
import tempfile
from collections.abc import Iterable
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


class Stager:
    """A FREEZER_SKIP_EXISTING callable that skips nothing: just before Frozen-Flask looks at a
    URL's file, it brings the destination's file (and the compressed copies named by `copies`)
    into staging: a hard link when Frozen-Flask will skip the page (its file is newer than the
    URL's deadline), a copy of its own when it may render it again (Frozen-Flask rewrites a
    file in place, which would change the destination's file through a link). So the posts,
    which come first, are staged before the rest, and a file no URL has is never staged.
    `before` keeps the mtime (ns) of each file brought in, by name."""

    def __init__(
        self, root: Path, staging: Path, deadlines: dict[str, float], copies: Iterable[str]
    ) -> None:
        self.root, self.staging, self.deadlines = root, staging, deadlines
        self.copies = tuple(copies)
        self.before: dict[str, int] = {}
        self.made: set[Path] = set()

    def __call__(self, url: str, filename: str) -> bool:
        target = Path(filename)
        name = target.relative_to(self.staging).as_posix()
        try:
            status = (self.root / name).lstat()
        except (FileNotFoundError, NotADirectoryError):
            return False
        self.before[name] = status.st_mtime_ns
        if target.parent not in self.made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.made.add(target.parent)
        deadline = self.deadlines.get(url)
        fresh = deadline is not None and datetime.fromtimestamp(
            status.st_mtime
        ) >= datetime.fromtimestamp(deadline)
        bring(self.root / name, target, link=fresh)
        for suffix in self.copies:  # replaced whole when written again: a link is safe
            with suppress(FileNotFoundError):
                bring(self.root / f"{name}{suffix}", Path(f"{target}{suffix}"), link=True)
        return False


def bring(source: Path, target: Path, *, link: bool) -> None:
    """`target` as another name of `source` (`link`), else as a copy with its times."""
    if link:
        try:
            os.link(source, target, follow_symlinks=False)
            return
        except FileNotFoundError:
            raise  # nothing to bring
        except OSError:  # no hard links here (another file system, FAT...): copy it
            pass
    shutil.copy2(source, target, follow_symlinks=False)


def site_files(root: Path, ignore: list[str]) -> list[str]:
    """The destination's files a freeze may replace or remove (relative, slash-separated)."""
    return list(walk_directory(root, ignore=ignore)) if root.is_dir() else []


def gone(present: Iterable[str], built: set[str], copies: list[str]) -> set[str]:
    """The files of `present` a freeze did not build, less the compressed copies (fnmatch
    patterns such as `*.html.gz`) that go with their files."""
    names = set(present) - built
    for pattern in copies:
        names -= set(fnmatch.filter(names, pattern))
    return names


def commit(staging: Path, root: Path, ignore: list[str], present: Iterable[str]) -> None:
    """Move the staged copy into the destination, whose site files were `present`: new and
    changed files first (a folder the destination lacks moves whole, in one rename), then
    remove the destination's files the copy does not have."""
    built = set(walk_directory(staging, ignore=ignore))
    folders = Folders(root)
    for name in sorted(built):
        folder = folders.missing(name)
        if folder in folders.moved:  # moved in whole with its folder
            continue
        if folder is not None:
            os.rename(staging / folder, root / folder)
            folders.moved.add(folder)
        elif not unchanged(staging / name, root / name):
            os.replace(staging / name, root / name)
    for name in set(present) - built:
        extra = root / name
        extra.unlink()
        with suppress(OSError):
            extra.parent.rmdir()


class Folders:
    """The destination's folders, each looked up once, and those a commit moved in whole."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.exists: dict[str, bool] = {}
        self.moved: set[str] = set()

    def missing(self, name: str) -> str | None:
        """The outermost folder of the file `name` that the destination lacks (or that was
        moved in whole); None when its folder is there."""
        parts = name.split("/")[:-1]
        for end in range(1, len(parts) + 1):
            folder = "/".join(parts[:end])
            if folder in self.moved:
                return folder
            if folder not in self.exists:
                self.exists[folder] = (self.root / folder).is_dir()
            if not self.exists[folder]:
                return folder
        return None


def replace_folder(new: Path, target: Path) -> None:
    """Put the folder `new` where `target` is, in two renames; the old folder is removed."""
    if not target.exists():
        new.rename(target)
        return
    old = new.with_name(f"{new.name}{PREFIX}old")
    target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)


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
