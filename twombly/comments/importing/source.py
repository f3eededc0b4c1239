"""What every export is read into: threads (an old page) and the comments on them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime


@dataclass(frozen=True)
class OldComment:
    """A comment as an export has it: its own id, its parent's, and a body in HTML or Markdown."""

    source_id: str
    parent_id: str | None
    author: str
    website: str | None
    body: str
    created: datetime
    status: str  # approved, pending or spam
    html: bool  # True: body is HTML (WordPress, Disqus); False: Markdown already (Isso)


@dataclass
class OldThread:
    """An old page with comments: where it was (URL or path), its title and its slug if known."""

    url: str
    title: str = ""
    slug: str = ""
    comments: list[OldComment] = field(default_factory=list)


@dataclass
class Export:
    """An export read whole: its threads, and what was left out (deleted, trashed, pingbacks)."""

    source: str
    threads: list[OldThread] = field(default_factory=list)
    left_out: int = 0


def stable_id(source: str, source_id: str, created: datetime) -> str:
    """The id an imported comment gets: the same on every import, so none is added twice."""
    digest = hashlib.sha256(f"{source}:{source_id}".encode()).hexdigest()[:6]
    return f"{created.astimezone(UTC):%Y%m%dT%H%M%SZ}-{digest}"


def utc(moment: datetime) -> datetime:
    """A naive date from an export is taken as UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
