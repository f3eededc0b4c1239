"""Which of a site's folders (and site.toml) may have changed since the last look.

On Linux the kernel says so (inotify, through inotify_simple): a look reads the events queued
since the last one, without blocking and without touching the folders, so it costs one system
call however many files there are. Elsewhere, or when inotify is unavailable (the per-user
limit of inotify instances reached), every part is named as a candidate every few seconds and
the caller compares stamps. `stamp` is that comparison: a digest of every wanted file's name,
inode, modification time and size, the same in every process that sees the same files.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import time
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

try:  # Linux only
    from inotify_simple import INotify, flags
except (ImportError, OSError, AttributeError):  # no inotify in this C library
    INotify = None

log = logging.getLogger("twombly")

# Without inotify: how often the folders are walked, in seconds.
POLL_SECONDS = 2.0


@dataclass(frozen=True)
class Part:
    """A watched folder (or one file) and which of its file names count."""

    name: str
    path: Path
    wanted: Callable[[str], bool]
    in_place_only: bool = False  # count only files written in place (not renamed in)


def visible(name: str) -> bool:
    """Not a hidden file (editors' swap files, the comment store's temporary files) or a
    backup (`post.md~`)."""
    return not name.startswith(".") and not name.endswith("~")


def stamp(part: Part) -> str:
    """A digest of the wanted files under `part.path`; "-" when it does not exist."""
    entries: list[tuple[str, int, int, int]] = []
    try:
        _scan(os.fspath(part.path), part.wanted, entries)
    except NotADirectoryError:
        try:
            status = os.stat(part.path)
        except OSError:
            return "-"
        entries.append((part.path.name, status.st_ino, status.st_mtime_ns, status.st_size))
    except OSError:
        return "-"
    return hashlib.blake2b(repr(sorted(entries)).encode(), digest_size=8).hexdigest()


def _scan(folder: str, wanted: Callable[[str], bool], entries: list) -> None:
    with os.scandir(folder) as found:
        for entry in found:
            try:
                if entry.is_dir():
                    if visible(entry.name):
                        _scan(entry.path, wanted, entries)
                    continue
                if wanted(entry.name):
                    status = entry.stat()
                    entries.append((entry.path, status.st_ino, status.st_mtime_ns, status.st_size))
            except OSError:
                continue  # removed while walking: the next look sees it gone


class Polling:
    """Without inotify: every part is a candidate every POLL_SECONDS."""

    def __init__(self, parts: Iterable[Part]) -> None:
        self.names = {part.name for part in parts}
        self.next = time.monotonic() + POLL_SECONDS

    def changed(self) -> set[str]:
        now = time.monotonic()
        if now < self.next:
            return set()
        self.next = now + POLL_SECONDS
        return set(self.names)


class Inotify:
    """The parts named by the kernel's events since the last look."""

    def __init__(self, root: Path, parts: Iterable[Part]) -> None:
        self.root = root
        self.parts = list(parts)
        self.events = INotify(nonblocking=True)
        self.folders: dict[int, tuple[Part | None, Path]] = {}
        self.moves = flags.CREATE | flags.DELETE | flags.MOVED_FROM | flags.MOVED_TO
        self.writes = flags.CLOSE_WRITE | flags.ATTRIB
        try:
            self._watch(root, None)  # site.toml, and a watched folder made or replaced
            for part in self.parts:
                self._watch_tree(part)
        except OSError:  # no more watches allowed (fs.inotify.max_user_watches)
            self.events.close()
            raise

    def _watch(self, folder: Path, part: Part | None) -> None:
        mask = self.writes if part is not None and part.in_place_only else self.writes | self.moves
        # A folder made later is named by the root's watch then; a file (site.toml) too.
        with contextlib.suppress(FileNotFoundError, NotADirectoryError):
            self.folders[self.events.add_watch(folder, mask | flags.ONLYDIR)] = (part, folder)

    def _watch_tree(self, part: Part, top: Path | None = None) -> None:
        top = top or part.path
        if not top.is_dir():
            return
        for folder, subfolders, _ in os.walk(top, followlinks=True):
            subfolders[:] = [name for name in subfolders if visible(name)]
            self._watch(Path(folder), part)

    def changed(self) -> set[str]:
        found: set[str] = set()
        for event in self.events.read(timeout=0):
            if event.mask & flags.Q_OVERFLOW:  # events were lost: everything may have changed
                return {part.name for part in self.parts}
            part, folder = self.folders.get(event.wd, (None, None))
            if folder is None:
                continue
            if event.mask & flags.IGNORED:  # the folder is gone, and its watch with it
                del self.folders[event.wd]
            elif part is None:
                found |= self._in_root(event.name)
            elif event.mask & flags.ISDIR:
                if event.mask & (flags.CREATE | flags.MOVED_TO) and visible(event.name):
                    self._watch_tree(part, folder / event.name)
                found.add(part.name)
            elif part.wanted(event.name):
                found.add(part.name)
        return found

    def _in_root(self, name: str) -> set[str]:
        """A file or folder of the site folder itself: site.toml, or a watched part made,
        moved or removed (then watched again, whole)."""
        found = set()
        for part in self.parts:
            if part.path == self.root / name:
                found.add(part.name)
                self._watch_tree(part)
        return found


def changes(owner: object, root: Path, parts: list[Part]) -> Inotify | Polling:
    """The best way to learn of changes here: inotify, else a walk every few seconds. The
    kernel's watches are let go with `owner`."""
    if INotify is not None:
        try:
            source = Inotify(root, parts)
        except OSError as error:
            log.warning("inotify unavailable (%s): looking every %s s", error, POLL_SECONDS)
        else:
            weakref.finalize(owner, source.events.close)
            return source
    return Polling(parts)
