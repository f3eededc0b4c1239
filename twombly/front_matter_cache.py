"""Parsed front matter kept between runs, by the hash of its YAML text.

Parsing the YAML of every page is the largest cost of starting the app (and so of a re-freeze
after one edit). The parsed mapping of each front matter is kept in one file under instance/
(`instance/cache/front-matter.pickle` by default), keyed by the hash of the YAML text, so an
unchanged page is parsed once. Entries no page uses any more are dropped when the file is
written again. The file is read with an unpickler that builds only what safe YAML yields
(mappings, lists, text, numbers, dates and times), so it can never run code.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import io
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

import yaml
from flask import Flask, current_app

# What yaml.SafeLoader builds beyond pickle's own types (dict, list, str, bytes, sets...).
ALLOWED = {
    ("datetime", "datetime"),
    ("datetime", "date"),
    ("datetime", "timezone"),
    ("datetime", "timedelta"),
}
VERSION = 1


class _SafeUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in ALLOWED:
            return getattr(datetime, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not front matter")


def _loads(data: bytes) -> Any:
    return _SafeUnpickler(io.BytesIO(data)).load()


class FrontMatterCache:
    """Parsed front matter by YAML text hash, read from and written to `path` (None: memory)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._signature = f"{VERSION}|{yaml.__version__}|{pickle.HIGHEST_PROTOCOL}"
        self._stored = self._load()
        self._used: dict[str, bytes] = {}
        self._added = False

    def key(self, text: str) -> str:
        return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()

    def get(self, text: str) -> dict[str, Any] | None:
        """A fresh copy of the mapping parsed from `text` before, or None."""
        key = self.key(text)
        data = self._used.get(key) or self._stored.get(key)
        if data is None:
            return None
        try:
            meta = _loads(data)
        except Exception:  # a damaged entry is parsed again
            return None
        self._used[key] = data
        return meta

    def put(self, text: str, meta: dict[str, Any]) -> None:
        try:
            data = pickle.dumps(meta, protocol=pickle.HIGHEST_PROTOCOL)
            _loads(data)  # only what the unpickler accepts is kept
        except Exception:
            return
        self._used[self.key(text)] = data
        self._added = True

    def save(self) -> None:
        """Write the entries used since start-up when new ones were parsed; never fails."""
        if self.path is None or not self._added:
            return
        self._added = False
        self._stored = dict(self._used)
        payload = pickle.dumps((self._signature, self._stored), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".", suffix=".tmp")
            with os.fdopen(fd, "wb") as out:
                out.write(payload)
            os.replace(tmp, self.path)
        except OSError:
            with contextlib.suppress(OSError, UnboundLocalError):
                os.unlink(tmp)

    def _load(self) -> dict[str, bytes]:
        if self.path is None:
            return {}
        try:
            signature, stored = _loads(self.path.read_bytes())
        except Exception:  # missing, damaged or from another version: start afresh
            return {}
        if signature != self._signature or not isinstance(stored, dict):
            return {}
        return stored


def cache() -> FrontMatterCache | None:
    """The current app's front matter cache (None outside an app, as in a bare Page)."""
    if not current_app:
        return None
    return current_app.extensions.get("twombly.front_matter")


def init_app(app: Flask) -> FrontMatterCache:
    name = app.config["FRONT_MATTER_CACHE"]
    built = FrontMatterCache(Path(app.instance_path, name) if name else None)
    app.extensions["twombly.front_matter"] = built
    return built
