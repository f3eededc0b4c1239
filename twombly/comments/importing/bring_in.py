"""Bring an export's comments into the store: match threads to posts, convert, check, add.

A thread matches a post by `--map` (its URL or path), else by the last part of its address,
its WordPress slug, or its title. Each comment is converted (HTML to Markdown, escaped so no
text turns into markup by accident), checked like the comment form's fields and stored through
the store, which refuses anything a comments file may not hold. Ids are derived from the export's
own ids, so importing the same file again adds nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from markdownify import markdownify
from slugify import slugify

from twombly.comments.forms import NAME_MAX, WEBSITE_MAX
from twombly.comments.importing.source import Export, OldComment, OldThread, stable_id
from twombly.comments.model import FORBIDDEN, Comment, text_problem, timestamp
from twombly.comments.owner import body_problem
from twombly.comments.store import store

BLOCK_TAG = re.compile(r"<(p|br|div|blockquote|ul|ol|pre)\b", re.IGNORECASE)


@dataclass
class Report:
    """What an import did, post by post, and what it could not place."""

    added: dict[str, int] = field(default_factory=dict)
    present: dict[str, int] = field(default_factory=dict)
    unmatched: list[OldThread] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    left_out: int = 0


def match(thread: OldThread, posts: Mapping[str, str], mapping: Mapping[str, str]) -> str | None:
    """The slug of the post a thread belongs to; `posts` maps slug to title."""
    path = urlsplit(thread.url).path
    for key in (thread.url, path, path.rstrip("/"), path.rstrip("/") + "/"):
        if key in mapping:
            return mapping[key]
    last = path.rstrip("/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    titles = {title.casefold(): slug for slug, title in posts.items()}
    for guess in (thread.slug, last, slugify(thread.title) if thread.title else ""):
        if guess and guess in posts:
            return guess
    return titles.get(thread.title.casefold()) if thread.title else None


def to_markdown(comment: OldComment) -> str:
    """The body as Markdown: HTML converted (special characters escaped), Markdown kept."""
    body = comment.body
    if comment.html:
        if not BLOCK_TAG.search(body):  # WordPress keeps paragraphs as blank lines, not <p>
            paragraphs = [p.replace("\n", "<br>") for p in re.split(r"\n\s*\n", body.strip())]
            body = "".join(f"<p>{p}</p>" for p in paragraphs)
        body = markdownify(body, heading_style="ATX", bullets="-")
    return FORBIDDEN.sub("", body).strip()


def _author(name: str) -> str:
    cleaned = " ".join(FORBIDDEN.sub("", name).split())[:NAME_MAX].strip()
    return cleaned or "Anonymous"


def _website(address: str | None) -> str | None:
    """Kept only when the comment form would take it: http(s), a host, no spaces."""
    if not address or len(address) > WEBSITE_MAX or text_problem(address, one_line=True):
        return None
    parts = urlsplit(address.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or " " in address:
        return None
    return address.strip()


def convert(comment: OldComment, ids: Mapping[str, str]) -> Comment:
    """The comment as it will be stored; ValueError says why it cannot be."""
    body = to_markdown(comment)
    problem = body_problem(body)
    if problem:
        raise ValueError(problem)
    return Comment(
        id=ids[comment.source_id],
        parent=ids.get(comment.parent_id or ""),
        author=_author(comment.author),
        website=_website(comment.website),
        body=body,
        created=timestamp(comment.created),
        status=comment.status,
    )


def bring_in(export: Export, posts: Mapping[str, str], mapping: Mapping[str, str]) -> Report:
    """Add every matched thread's comments to its post; the store's errors pass through."""
    report = Report(left_out=export.left_out)
    for thread in export.threads:
        slug = match(thread, posts, mapping)
        if slug is None:
            report.unmatched.append(thread)
            continue
        ids = {
            c.source_id: stable_id(export.source, c.source_id, c.created) for c in thread.comments
        }
        ready = []
        for old in sorted(thread.comments, key=lambda c: c.created):
            try:
                ready.append(convert(old, ids))
            except ValueError as error:
                report.refused.append(f"{thread.url} comment {old.source_id}: {error}")
        added = store().add_many(slug, ready)
        report.added[slug] = report.added.get(slug, 0) + len(added)
        report.present[slug] = report.present.get(slug, 0) + len(ready) - len(added)
    return report
