"""Comments on a frozen copy: its form posts to a live server, whose JSON brings newer ones.

A static page cannot store a comment, so `[comments] endpoint` names the live Twombly server
that does. In the frozen copy the comment form's action points there (the only difference from
the live page); a small script (static/js/live-comments.js) reads the approved comments from
the live server's `/posts/<slug>/comments.json`, which answers cross-origin reads only to the
origins in `[comments] allowed_origins`. Without an endpoint the copy says comments are closed.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, current_app, jsonify, request, url_for
from werkzeug.exceptions import NotFound, ServiceUnavailable

from twombly.comments import notes, origins
from twombly.comments.markup import render_comment, safe_link
from twombly.comments.store import Comment, CommentFileError, store
from twombly.config import is_freezing
from twombly.content import catalog
from twombly.content.post import human_date
from twombly.urls import site_path

bp = Blueprint("frozen_comments", __name__)


@bp.get("/posts/<slug>/comments.json")
def comments_json(slug: str) -> Response:
    """A post's approved comments, for the script on frozen copies (never frozen itself)."""
    if catalog.find_entry(slug, kind="post") is None:
        raise NotFound()
    try:
        approved = store().approved(slug)
    except CommentFileError as error:
        current_app.logger.error("comments unavailable: %s", error)
        raise ServiceUnavailable() from error
    comments = [comment_json(comment) for comment in approved]
    notice = notes.read_note(request.args.get("note"), slug)
    response = jsonify(post=slug, comments=comments, **({"notice": notice} if notice else {}))
    return with_cors(response)


def comment_json(comment: Comment) -> dict[str, Any]:
    """What the script needs to show a comment as the theme does, its body already sanitized."""
    return {
        "id": comment.id,
        "parent": comment.parent,
        "author": comment.author,
        "website": safe_link(comment.website),
        "created": comment.created,
        "date": human_date(comment.created_at),
        "html": str(render_comment(comment.body)),
    }


def with_cors(response: Response) -> Response:
    """Let an allowed origin (a frozen copy's host) read the response; no one else."""
    origin = origins.foreign_origin()
    if origin and origins.is_allowed(origin):
        response.headers["Access-Control-Allow-Origin"] = origin
    response.vary.add("Origin")
    return response


def comments_endpoint() -> str:
    return current_app.config["COMMENTS_ENDPOINT"].rstrip("/")


def on_live_server(endpoint: str, **values: Any) -> str:
    """An endpoint's URL on the live comment server, wherever this page is served from."""
    return comments_endpoint() + site_path(endpoint, **values)


def form_action(endpoint: str, **values: Any) -> str:
    """Where a comment form posts: this server, or in a frozen copy the live one."""
    if is_freezing() and comments_endpoint():
        return on_live_server(endpoint, **values)
    return url_for(endpoint, **values)


def comments_closed_in_copy() -> bool:
    """A frozen copy with no live server to take comments: its form becomes a notice."""
    return is_freezing() and not comments_endpoint()


def live_comments_url(slug: str) -> str | None:
    """The live server's JSON of a post's comments, for the script; None without a server."""
    if not comments_endpoint():
        return None
    return on_live_server("frozen_comments.comments_json", slug=slug)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals.update(
        comments_closed_in_copy=comments_closed_in_copy,
        live_comments_url=live_comments_url,
    )
