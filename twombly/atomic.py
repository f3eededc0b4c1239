"""Files written whole or not at all: a temporary file beside the target, moved into place."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_whole(path: Path, data: bytes, *, new: bool = False, mode: int | None = None) -> None:
    """Write `data` to `path` (creating its folder): readers see the old file or the new one.

    The temporary file is owner-only (mkstemp) unless `mode` says otherwise, and is fsynced
    before it takes `path`'s name. `new`: never replace a file; FileExistsError when `path`
    exists, or another process (a worker starting at the same moment) created it meanwhile.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        (os.link if new else os.replace)(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
