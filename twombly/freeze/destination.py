"""The folder a freeze writes: is it safe to clean, what is in it now, and what built it.

A freeze owns its destination (Frozen-Flask removes every file the site does not have), so it
refuses a folder holding the site or its sources, or one that another program filled; a
marker file tells a folder a freeze wrote, and keeps the stamps of what the last freeze was
built from (see sources.py). `keep` lists fnmatch patterns (.git, CNAME...) that a freeze
neither removes nor counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from flask_frozen import walk_directory

MARKER = ".twombly-build"
OWN_FILES = ".twombly-*"  # the marker (and an older version's files): never site files
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


def file_times(root: Path, keep: list[str]) -> dict[str, int]:
    """The mtime (ns) of every file a freeze may replace or remove, by relative path."""
    if not root.is_dir():
        return {}
    return {name: (root / name).stat().st_mtime_ns for name in walk_directory(root, keep)}


def read_stamps(root: Path) -> dict[str, str]:
    """The stamps the marker holds (`name: value` lines): none when missing or unreadable."""
    try:
        lines = (root / MARKER).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return {}
    return dict(line.split(": ", 1) for line in lines[1:] if ": " in line)


def mark(root: Path, stamps: Mapping[str, str]) -> None:
    """Leave the marker that lets later freezes clean this folder, with what it was built from."""
    lines = [f"{name}: {value}\n" for name, value in stamps.items()]
    (root / MARKER).write_text(MARKER_TEXT + "".join(lines), encoding="utf-8")
