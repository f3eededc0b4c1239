"""Isso's SQLite database: `threads` (uri, title) and `comments` (mode 1 shown, 2 pending)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from twombly.comments.importing.safe_xml import ExportError
from twombly.comments.importing.source import Export, OldComment, OldThread

STATES = {1: "approved", 2: "pending"}  # 4: deleted, left out
QUERY = """
    SELECT threads.id, threads.uri, threads.title, comments.id, comments.parent,
           comments.created, comments.mode, comments.author, comments.website, comments.text
    FROM comments JOIN threads ON threads.id = comments.tid
    ORDER BY comments.created
"""


def read(path: Path) -> Export:
    if not path.is_file():
        raise ExportError(f"{path}: no such file")
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as database:
            rows = database.execute(QUERY).fetchall()
    except sqlite3.Error as error:
        raise ExportError(f"{path}: not an Isso database: {error}") from None
    export = Export("isso")
    threads: dict[int, OldThread] = {}
    for tid, uri, title, cid, parent, created, mode, author, website, body in rows:
        status = STATES.get(mode)
        if status is None:
            export.left_out += 1
            continue
        thread = threads.setdefault(tid, OldThread(uri or "", title or ""))
        thread.comments.append(
            OldComment(
                source_id=str(cid),
                parent_id=str(parent) if parent is not None else None,
                author=author or "",
                website=website or None,
                body=body or "",
                created=datetime.fromtimestamp(float(created), UTC),
                status=status,
                html=False,
            )
        )
    export.threads = list(threads.values())
    return export
