"""The folder a freeze writes: is it safe to clean, what is in it now, and what built it.

A freeze owns its destination (Frozen-Flask removes every file the site does not have), so it
refuses a folder overlapping the site, its sources, the engine or a home folder, and one that
another program filled (`--force` replaces such a folder, but never a git checkout's files); a
marker file tells a folder a freeze wrote, and keeps the stamps of what the last freeze was
built from (see sources.py). `keep` lists fnmatch patterns (.git, CNAME...) that a freeze
neither removes nor counts.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

from flask_frozen import walk_directory

MARKER = ".twombly-build"
OWN_FILES = ".twombly-*"  # the marker (and an older version's files): never site files
MARKER_TEXT = "Written by `flask freeze`: files the site no longer has are removed from here.\n"
# The site's own folders: a freeze never writes into, over, or around them.
SITE_FOLDERS = (".git", ".venv", "instance", "pages", "comments", "templates", "static")
ENGINE = Path(__file__).resolve().parents[1]  # the twombly package, wherever it is installed
# The virtual environment running the engine, if any (sys.prefix is /usr for a system Python).
VENV = Path(sys.prefix).resolve() if sys.prefix != sys.base_prefix else None


class UnsafeDestination(ValueError):
    """A destination whose cleaning would delete files that are not the site's copy."""


def check_destination(root: Path, site: Path, keep: list[str], force: bool = False) -> None:
    """Refuse a destination whose cleaning would delete the site or files no freeze wrote.

    `--force` only lets a freeze replace a folder of stray files; never a protected folder,
    never a git checkout's files.
    """
    why = protected(root, site.resolve())
    if why:
        raise UnsafeDestination(
            f"refusing to freeze into {root}: {why}, and a freeze removes every file the site "
            "does not have; choose another --destination"
        )
    if not root.is_dir():
        return
    checkout = (root / ".git").exists()
    if checkout:
        refuse_exposed_git(root, keep)
    if (root / MARKER).exists() or (force and not checkout):
        return
    stranger = next(walk_directory(root, ignore=keep), None)
    if stranger is None:
        return
    if checkout:
        raise UnsafeDestination(
            f"refusing to freeze into {root}: it is a git checkout holding files no freeze "
            f"wrote (such as {stranger}), and --force never cleans a repository; remove its "
            "files yourself (`git rm -r .` in it), then freeze again"
        )
    raise UnsafeDestination(
        f"refusing to freeze into {root}: it holds files no freeze wrote (such as "
        f"{stranger}), and a freeze removes every file the site does not have; "
        "empty it, or pass --force to replace its contents"
    )


def protected(root: Path, site: Path) -> str | None:
    """Why `root` (resolved) may never be a destination, or None when it may."""
    if root == site or root in site.parents:
        return f"it holds the site itself ({site})"
    for name in SITE_FOLDERS:
        if overlaps(root, (site / name).resolve()):
            return f"it overlaps the site's {name}/"
    if ".git" in root.parts:
        return "it is inside a git repository's own .git folder"
    if overlaps(root, ENGINE):
        return f"it overlaps the engine's own code ({ENGINE})"
    if VENV is not None and overlaps(root, VENV):
        return f"it overlaps the Python environment running the engine ({VENV})"
    if (root / "pyvenv.cfg").exists():
        return "it is a Python virtual environment"
    home = home_folder()
    if home is not None and (root == home or root in home.parents):
        return f"it holds your home folder ({home})"
    if root.parent == root:
        return "it is the root of the file system"
    return None


def overlaps(root: Path, folder: Path) -> bool:
    """Whether `root` is `folder`, is inside it, or holds it."""
    return root == folder or folder in root.parents or root in folder.parents


def home_folder() -> Path | None:
    """The user's home folder, resolved; None when the system cannot name one."""
    try:
        return Path.home().resolve()
    except (RuntimeError, KeyError):
        return None


def refuse_exposed_git(root: Path, keep: list[str]) -> None:
    """Refuse a checkout whose .git `keep` does not protect: a freeze would delete it."""
    exposed = (name for name in walk_directory(root, ignore=keep) if name.split("/")[0] == ".git")
    example = next(exposed, None)
    if example is not None:
        raise UnsafeDestination(
            f"refusing to freeze into {root}: it is a git checkout, and [freeze] keep does not "
            f"protect its .git (such as {example}), so a freeze would delete the repository; "
            'add ".git" to keep'
        )


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
