"""Live preview under the debug server: open tabs reload themselves when a site file changes.

A debug-only endpoint reports a fingerprint of the modification times of pages/, templates/,
static/ and site.toml; `static/js/livereload.js` polls it and reloads the tab when it changes.
Without debug (production, `flask freeze`) neither the endpoint nor the script exist.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterator
from pathlib import Path

from flask import Blueprint, Flask, current_app, jsonify, url_for
from flask.typing import ResponseReturnValue

bp = Blueprint("livereload", __name__)
ENDPOINT = "livereload.fingerprint_view"
PATH = "/__livereload/"


def quiet_polls(record: logging.LogRecord) -> bool:
    """Keeps the polls (one every second or so per open tab) out of the dev server's access log
    (a logging filter: any callable taking the record will do)."""
    return f"GET {PATH}" not in record.getMessage()


def watched_paths(app: Flask) -> list[Path]:
    """The folders and files whose edits should show in the browser."""
    root = Path(app.root_path)
    folders = [app.config["FLATPAGES_ROOT"], app.template_folder, app.static_folder]
    return [root / folder for folder in folders if folder] + [root / "site.toml"]


def _files(path: Path) -> Iterator[Path]:
    if path.is_file():
        yield path
        return
    for folder, dirs, names in os.walk(path, followlinks=True):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            if not name.startswith(".") and not name.endswith("~"):
                yield Path(folder, name)


def fingerprint(paths: list[Path]) -> str:
    """A digest of every watched file's name, size and modification time."""
    digest = hashlib.sha256()
    for path in paths:
        for file in sorted(_files(path)):
            try:
                stat = file.stat()
            except FileNotFoundError:
                continue  # removed while walking: the next poll sees it gone
            digest.update(f"{file}\0{stat.st_mtime_ns}\0{stat.st_size}\n".encode())
    return digest.hexdigest()[:16]


@bp.get(PATH)
def fingerprint_view() -> ResponseReturnValue:
    """The current fingerprint, for the polling script; never cached."""
    response = jsonify(fingerprint=fingerprint(watched_paths(current_app)))
    response.headers["Cache-Control"] = "no-store"
    return response


def script_data() -> dict[str, str] | None:
    """What the live-reload script needs (the URL it polls, the fingerprint the page was
    rendered with), or None when live reload is off."""
    if ENDPOINT not in current_app.view_functions or not current_app.debug:
        return None
    return {"url": url_for(ENDPOINT), "fingerprint": fingerprint(watched_paths(current_app))}


def init_app(app: Flask) -> None:
    app.jinja_env.globals["livereload"] = script_data
    if app.debug:
        app.register_blueprint(bp)
        logging.getLogger("werkzeug").addFilter(quiet_polls)  # added once: the same function
