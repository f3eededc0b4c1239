"""Which pages the index holds, and where each is: published posts and standalone pages only."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

from flask import current_app, url_for

from twombly.content import catalog


def indexed_paths() -> list[str]:
    """The URL path (below the site's root) of every published post and standalone page.

    Drafts and scheduled posts are never among them, whatever `show_drafts` says.
    """
    with current_app.test_request_context("/"):
        posts = [url_for("blog.post", slug=post.slug) for post in catalog.public_posts()]
        pages = [url_for("blog.page", slug=page.slug) for page in catalog.public_pages()]
    return posts + pages


def frozen_file(root: Path, path: str) -> Path:
    """The file a freeze wrote for a URL path: /posts/her/ -> root/posts/her/index.html."""
    return root / unquote(path).lstrip("/") / "index.html"
