"""A Disqus export: <thread> elements (the pages), then <post> elements pointing at them."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from twombly.comments.importing.safe_xml import ExportError, attribute, children, read_xml, text
from twombly.comments.importing.source import Export, OldComment, OldThread, utc


def read(path: Path) -> Export:
    root = read_xml(path)
    threads = {
        attribute(element, "id"): OldThread(text(element, "link"), text(element, "title"))
        for element in children(root, "thread")
    }
    if not threads:
        raise ExportError(f"{path}: not a Disqus export (no <thread>)")
    export = Export("disqus")
    for element in children(root, "post"):
        thread = next((threads.get(attribute(t, "id")) for t in children(element, "thread")), None)
        if thread is None or text(element, "isDeleted") == "true":
            export.left_out += 1
            continue
        parent = next((attribute(p, "id") for p in children(element, "parent")), None)
        author = next(children(element, "author"), None)
        try:
            created = utc(datetime.fromisoformat(text(element, "createdAt")))
        except ValueError:
            raise ExportError(f"{path}: post {attribute(element, 'id')}: bad createdAt") from None
        thread.comments.append(
            OldComment(
                source_id=attribute(element, "id"),
                parent_id=parent or None,
                author=text(author, "name") if author is not None else "",
                website=None,
                body=text(element, "message"),
                created=created,
                status=_status(element),
                html=True,
            )
        )
    export.threads = [thread for thread in threads.values() if thread.comments]
    return export


def _status(element) -> str:
    if text(element, "isSpam") == "true":
        return "spam"
    return "pending" if text(element, "isApproved") == "false" else "approved"
