"""Compressed copies of the frozen text files, for hosts that serve them as they are.

With `[freeze] precompress` on, every HTML, CSS, JS, XML, JSON and SVG file of the copy gets
a `.gz` (gzip, level 9, no name or time inside) and a `.br` (Brotli, best quality) beside it,
so nginx's gzip_static / brotli_static (or a host's equivalent) send them without compressing
on each request. The bytes depend on the file's bytes alone. A copy carries its file's mtime:
a file whose mtime did not change is not compressed again, and a copy whose file is gone is
removed with it.
"""

from __future__ import annotations

import gzip
import os
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import brotli
from flask_frozen import walk_directory

TEXT_SUFFIXES = (".html", ".css", ".js", ".xml", ".json", ".svg")
COMPRESSORS: dict[str, Callable[[bytes], bytes]] = {
    ".gz": lambda data: gzip.compress(data, compresslevel=9, mtime=0),
    ".br": lambda data: brotli.compress(data, quality=11),
}
# fnmatch patterns of the copies: Frozen-Flask neither removes nor counts them; this module does.
COPY_PATTERNS = [f"*{text}{suffix}" for text in TEXT_SUFFIXES for suffix in COMPRESSORS]


@dataclass
class Compressed:
    written: int = 0
    removed: int = 0


def precompress(root: Path, keep: list[str]) -> Compressed:
    """Bring the compressed copies in `root` in line with its text files; `keep` lists the
    patterns of files a freeze leaves alone (never compressed, never removed)."""
    result = Compressed()
    names = set(walk_directory(str(root), ignore=keep))
    for name in sorted(names):
        base, suffix = os.path.splitext(name)
        if suffix in COMPRESSORS and base.endswith(TEXT_SUFFIXES):
            if base not in names:
                (root / name).unlink()
                result.removed += 1
        elif name.endswith(TEXT_SUFFIXES):
            result.written += compress_file(root / name)
    return result


def compress_file(path: Path) -> int:
    """Write the copies of one file unless they carry its mtime already; how many were written."""
    status = path.stat()
    stale = [
        suffix
        for suffix in COMPRESSORS
        if mtime_ns(path.with_name(path.name + suffix)) != status.st_mtime_ns
    ]
    if not stale:
        return 0
    data = path.read_bytes()
    written = 0
    for suffix in stale:
        copy = path.with_name(path.name + suffix)
        packed = COMPRESSORS[suffix](data)
        if mtime_ns(copy) is None or copy.read_bytes() != packed:
            replace_file(copy, packed, status.st_mode)
            written += 1
        os.utime(copy, ns=(status.st_atime_ns, status.st_mtime_ns))
    return written


def mtime_ns(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


def replace_file(path: Path, data: bytes, mode: int) -> None:
    """Write `data` to a temporary file beside `path`, then rename it over: never half-written."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        os.chmod(temporary, stat.S_IMODE(mode))  # readable as its file is
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
