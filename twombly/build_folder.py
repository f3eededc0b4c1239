"""The folder a freeze writes: is it safe to clean, and what is in it now.

A freeze owns its destination (Frozen-Flask removes every file the site does not have), so it
refuses a folder holding the site or its sources, or one that another program filled; a
marker file tells a folder a freeze wrote. `keep` lists fnmatch patterns (.git, CNAME...)
that a freeze neither removes nor counts.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask_frozen import walk_directory

MARKER = ".twombly-build"
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


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def digests(root: Path, keep: list[str]) -> dict[str, str]:
    """Content digests of the files a freeze may replace or remove, by relative path."""
    if not root.is_dir():
        return {}
    return {name: digest(root / name) for name in walk_directory(root, ignore=keep)}


def mark(root: Path) -> None:
    """Leave the marker that lets later freezes clean this folder."""
    (root / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
