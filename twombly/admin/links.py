"""The approve and delete links of a notification: a confirmation page, then a button.

The signed token is what lets the owner in, without logging in: it names one comment and one
action and expires. Opening the link (a GET) changes nothing, so mail scanners that follow
links do no harm; the button sends a POST with a CSRF token, and the change is logged.
"""

from __future__ import annotations

from flask import Blueprint, render_template
from werkzeug.exceptions import BadRequest, NotFound

from twombly.admin.comments import GONE, refusals
from twombly.comments import owner
from twombly.comments.action_links import ActionLink, BadActionLink, read_token
from twombly.comments.forms import ConfirmForm
from twombly.comments.store import Comment, CommentFileError, UnknownComment, store

bp = Blueprint("links", __name__)
EXPIRED = "This link has expired or is not valid. Moderate the comment in /admin/ instead."


def _target(token: str) -> tuple[ActionLink, Comment]:
    try:
        link = read_token(token)
    except BadActionLink:
        raise BadRequest(EXPIRED) from None
    try:
        return link, store().get(link.slug, link.comment_id)
    except (UnknownComment, CommentFileError):
        raise NotFound(GONE) from None


@bp.route("/act/<token>/", methods=["GET", "POST"])
def act(token: str) -> str | tuple[str, int]:
    """Ask to confirm the link's action; do it when the button is pressed."""
    link, comment = _target(token)
    form = ConfirmForm()
    done = False
    if form.validate_on_submit():
        with refusals("moderation by link", "The comment cannot be changed just now."):
            owner.moderate(link.slug, link.comment_id, link.action, via="link")
        done = True
    page = render_template(
        "admin/act.html",
        link=link,
        comment=comment,
        title=owner.post_title(link.slug),
        form=form,
        done=done,
    )
    return (page, 400) if form.is_submitted() and not done else page
