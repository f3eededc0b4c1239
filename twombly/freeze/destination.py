"""The folder a freeze writes: is it safe to clean, what is in it now, and what built it.

A freeze owns its destination (Frozen-Flask removes every file the site does not have), so it
refuses a folder holding the site or its sources, or one that another program filled; a
marker file tells a folder a freeze wrote. `keep` lists fnmatch patterns (.git, CNAME...)
that a freeze neither removes nor counts. The manifest records, for every URL, the file it
was written to, its size and the fingerprint of its inputs, so the next freeze can skip it.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from collections.abc import Mapping
from fnmatch import translate
from pathlib import Path

from flask_frozen import walk_directory

MARKER = ".twombly-build"
MANIFEST = ".twombly-manifest.json"
MANIFEST_FORMAT = 1
OWN_FILES = ".twombly-*"  # the marker, the manifest and its temporary file: never site files
MARKER_TEXT = "Written by `flask freeze`: files the site no longer has are removed from here.\n"
SOURCE_FOLDERS = ("pages", "comments", "templates", "static", "instance")


class UnsafeDestination(ValueError):
    """A destination whose cleaning would delete files that are not the site's copy."""


def check_destination(root: Path, site: Path, keep: list[str], force: bool = False) -> None:
    """Refuse a destination whose cleaning would delete the site or files no freeze wrote."""
    site = site.resolve()
    if root == site or root in site.parents:
        raise UnsafeDestination(
            f"refusing to freeze into {root}: it holds the site itself ({site}), and a freeze "
            "removes every file the site does not have; choose another --destination"
        )
    for name in SOURCE_FOLDERS:
        source = (site / name).resolve()
        if root == source or source in root.parents or root in source.parents:
            raise UnsafeDestination(
                f"refusing to freeze into {root}: it overlaps the site's {name}/"
            )
    if force or not root.is_dir() or (root / MARKER).exists():
        return
    stranger = next(walk_directory(root, ignore=keep), None)
    if stranger is not None:
        raise UnsafeDestination(
            f"refusing to freeze into {root}: it holds files no freeze wrote (such as "
            f"{stranger}), and a freeze removes every file the site does not have; "
            "empty it, or pass --force to replace its contents"
        )


def files_in(root: Path, keep: list[str]) -> set[str]:
    """The files a freeze may replace or remove, by relative path: Frozen-Flask's
    walk_directory with the patterns compiled once (it matches every pattern on every file)."""
    if not root.is_dir():
        return set()
    skip_dir, skip_name, skip_path = _ignore_patterns(keep)
    found = set()
    for top, _, names in os.walk(root):
        relative = os.path.relpath(top, root)
        if skip_dir and skip_dir.match(relative):
            continue
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        for name in names:
            path = prefix + name
            if (skip_name and skip_name.match(name)) or (skip_path and skip_path.match(path)):
                continue
            found.add(path)
    return found


def _ignore_patterns(keep: list[str]) -> tuple[re.Pattern | None, ...]:
    """walk_directory's rules as three regular expressions: folders, file names, file paths."""
    folders, names, paths = [], [], []
    for pattern in keep:
        bare = pattern.rstrip("/")
        folders += [bare, f"{pattern}*", f"*/{bare}", f"*/{pattern}*"]
        if "/" in bare:
            paths.append(f"{pattern.lstrip('/')}*")
        elif not pattern.endswith("/"):
            names.append(pattern)
    return tuple(
        re.compile("|".join(translate(p) for p in group)) if group else None
        for group in (folders, names, paths)
    )


def remove_files(root: Path, names: set[str]) -> None:
    """Delete files the site no longer has, and their folders once empty (as Frozen-Flask does)."""
    for name in names:
        path = root / name
        path.unlink()
        with contextlib.suppress(OSError):
            path.parent.rmdir()


Manifest = dict[str, tuple[str, str, int]]  # URL -> (file, inputs' fingerprint, size)


def read_manifest(root: Path, engine: str) -> Manifest:
    """What the last freeze into `root` built: nothing if missing, unreadable or not ours."""
    try:
        document = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
        if document["format"] != MANIFEST_FORMAT or document["engine"] != engine:
            return {}
        return {
            url: (str(name), str(fp), int(size))
            for url, (name, fp, size) in document["urls"].items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def forget_manifest(root: Path) -> None:
    """Drop the manifest before writing: a freeze that fails half-way leaves none to trust."""
    with contextlib.suppress(FileNotFoundError):
        (root / MANIFEST).unlink()


def write_manifest(root: Path, engine: str, urls: Mapping[str, tuple[str, str, int]]) -> None:
    # One URL a line: small to read back, and a diff of two manifests shows what changed.
    lines = ",\n".join(
        f"{json.dumps(url)}: {json.dumps(entry)}" for url, entry in sorted(urls.items())
    )
    head = f'{{"format": {MANIFEST_FORMAT}, "engine": {json.dumps(engine)}, "urls": {{\n'
    fd, tmp = tempfile.mkstemp(dir=root, prefix=".twombly-manifest.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(f"{head}{lines}\n}}}}\n")
        os.replace(tmp, root / MANIFEST)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def mark(root: Path) -> None:
    """Leave the marker that lets later freezes clean this folder."""
    marker = root / MARKER
    if not marker.is_file() or marker.read_text(encoding="utf-8") != MARKER_TEXT:
        marker.write_text(MARKER_TEXT, encoding="utf-8")
