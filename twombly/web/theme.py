"""What every template can use: site settings, navigation, dates and absolute URLs."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, request
from markupsafe import Markup

from twombly.comments.markup import render_comment, safe_link
from twombly.content.catalog import now, showing_hidden, standalone_pages
from twombly.content.links import under_root
from twombly.content.post import Post, human_date
from twombly.urls import absolute_url, external_url


def post_status(post: Post) -> str | None:
    """'draft' or 'scheduled' for a post only shown because SHOW_DRAFTS is on."""
    if post.draft:
        return "draft"
    if post.is_scheduled(now()):
        return "scheduled"
    return None


def site_links(body: Markup) -> Markup:
    """A post body whose site paths (`/posts/her/`) lead under the sub-path the site is served
    at (a copy frozen with --base-url https://example.org/blog/, or a SCRIPT_NAME)."""
    return Markup(under_root(str(body), request.script_root))


def _context() -> dict[str, Any]:
    config = current_app.config
    return {
        "site": {
            "title": config["TITLE"],
            "description": config["DESCRIPTION"],
            "author": config["AUTHOR"],
            "language": config["LANGUAGE"],
        },
        "nav_pages": standalone_pages(),
        "showing_hidden": showing_hidden(),
    }


def init_app(app: Flask) -> None:
    app.context_processor(_context)
    app.jinja_env.filters["human_date"] = human_date
    app.jinja_env.filters["comment_markup"] = render_comment
    app.jinja_env.filters["safe_link"] = safe_link
    app.jinja_env.filters["site_links"] = site_links
    app.jinja_env.globals.update(
        absolute_url=absolute_url, external_url=external_url, post_status=post_status
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
