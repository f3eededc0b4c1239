"""What every template can use: site settings, navigation, dates and absolute URLs."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from flask import Flask, current_app, has_request_context, request, url_for
from markupsafe import Markup

from twombly.comments.markup import render_comment, safe_link
from twombly.content.catalog import now, showing_hidden, standalone_pages
from twombly.content.links import under_root
from twombly.content.post import Post, human_date
from twombly.urls import absolute_url, external_url
from twombly.web.kept import kept


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


def page_url_for(endpoint: str, **values: Any) -> str:
    """Flask's `url_for` for templates, each answer kept (web/kept.py) under the address the
    request was served at: the pages of a freeze ask for the same links (navigation, style
    sheets, feeds, each post from every listing) tens of thousands of times. One relative to
    the blueprint, one with options (`_external`...) and one with a value that cannot be a key
    (a theme passing a list) are not kept."""
    key = (request.script_root, endpoint, *values.items()) if has_request_context() else None
    if key is None or endpoint.startswith(".") or any(name.startswith("_") for name in values):
        return url_for(endpoint, **values)
    try:
        hash(key)
    except TypeError:
        return url_for(endpoint, **values)
    return kept("urls", key, lambda: url_for(endpoint, **values))


def kept_fragment(*key: Hashable, caller: Callable[[], str]) -> str:
    """What `{% call kept_fragment(key...) %}...{% endcall %}` encloses, rendered once for
    each key under the address the request was served at (web/kept.py): a freeze shows each
    post's summary on an index page and on each of its tags' pages, and each film in several
    lists. The key names all a fragment shows besides the site itself."""
    if not has_request_context():
        return caller()
    return kept("fragments", (request.script_root, *key), caller)


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
        absolute_url=absolute_url,
        external_url=external_url,
        post_status=post_status,
        url_for=page_url_for,
        kept_fragment=kept_fragment,
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
