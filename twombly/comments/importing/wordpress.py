"""A WordPress export (WXR): each <item> is a post, each <wp:comment> one of its comments."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from twombly.comments.importing.safe_xml import ExportError, children, read_xml, text
from twombly.comments.importing.source import Export, OldComment, OldThread, utc

STATES = {"1": "approved", "0": "pending", "spam": "spam"}  # "trash" is left out


def read(path: Path) -> Export:
    root = read_xml(path)
    if not list(children(root, "channel")):
        raise ExportError(f"{path}: not a WordPress export (no <channel>)")
    export = Export("wordpress")
    for channel in children(root, "channel"):
        for item in children(channel, "item"):
            thread = OldThread(text(item, "link"), text(item, "title"), text(item, "post_name"))
            for element in children(item, "comment"):
                status = STATES.get(text(element, "comment_approved"))
                if status is None or text(element, "comment_type") in ("pingback", "trackback"):
                    export.left_out += 1
                    continue
                parent = text(element, "comment_parent")
                thread.comments.append(
                    OldComment(
                        source_id=text(element, "comment_id"),
                        parent_id=parent if parent not in ("", "0") else None,
                        author=text(element, "comment_author"),
                        website=text(element, "comment_author_url") or None,
                        body=text(element, "comment_content"),
                        created=_date(element, path),
                        status=status,
                        html=True,
                    )
                )
            if thread.comments:
                export.threads.append(thread)
    return export


def _date(element, path: Path) -> datetime:
    """`comment_date_gmt`, or the local `comment_date` when the GMT one is empty (drafts)."""
    for name in ("comment_date_gmt", "comment_date"):
        value = text(element, name)
        if value and not value.startswith("0000"):
            try:
                return utc(datetime.fromisoformat(value))
            except ValueError:
                break
    raise ExportError(f"{path}: comment {text(element, 'comment_id')}: no date that parses")
