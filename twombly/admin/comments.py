"""The owner's comment pages at /admin/: every comment, filtered and searched, and its changes.

Each change (approve, spam, delete, edit, close, reopen) is a form with a CSRF token, goes
through `twombly.comments.owner` (the store, and one log line with the comment id) and comes
back to the list it was made from.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from werkzeug.exceptions import NotFound, ServiceUnavailable
from werkzeug.wrappers import Response
from wtforms import HiddenField, StringField
from wtforms.validators import AnyOf

from twombly.admin import auth
from twombly.comments import owner
from twombly.comments.forms import BodyForm, is_valid
from twombly.comments.store import (
    STATUSES,
    CommentFileError,
    CommentWriteError,
    UnknownComment,
    store,
)
from twombly.content.catalog import catalog

bp = Blueprint("comments", __name__)
MODERATIONS = ("approve", "spam", "delete")
PER_PAGE = 50
GONE = "That comment does not exist (any more)."
EXPIRED = "That did not work: the page was too old or the request incomplete. Try again."


class ModerateForm(FlaskForm):
    action = StringField(validators=[AnyOf(MODERATIONS)])
    next = HiddenField()


class CloseForm(FlaskForm):
    action = StringField(validators=[AnyOf(("close", "open"))])
    next = HiddenField()


class EditForm(BodyForm):
    next = HiddenField()


def back_to(target: str | None) -> str:
    """A path within /admin/ to return to; the list itself for anything else."""
    if auth.is_own_path(target) and target.startswith("/admin/"):
        return target
    return url_for("admin.index")


def list_page(logout_form: FlaskForm) -> str:
    """Every comment, newest first, filtered by ?post=, ?state= and ?q= (author or words)."""
    slug = request.args.get("post", "").strip() or None
    state = request.args.get("state", "")
    state = state if state in STATUSES else None
    search = request.args.get("q", "").strip()
    listed, broken = owner.all_comments(slug, state, search)
    page = max(1, request.args.get("page", 1, type=int) or 1)
    shown = listed[(page - 1) * PER_PAGE : page * PER_PAGE]
    older = _page_url(page + 1) if page * PER_PAGE < len(listed) else None
    newer = _page_url(page - 1) if page > 1 else None
    posts = sorted(set(store().slugs()) | set(catalog().entries))
    return render_template(
        "admin/index.html",
        listed=shown,
        total=len(listed),
        older=older,
        newer=newer,
        broken=broken,
        posts=posts,
        filters={"post": slug or "", "state": state or "", "q": search},
        post_title=owner.post_title,
        closed=store().closed.slugs(),
        form=ModerateForm(next=request.full_path.rstrip("?")),
        close_form=CloseForm(next=request.full_path.rstrip("?")),
        logout_form=logout_form,
    )


def _page_url(page: int) -> str:
    """This list's address on another page, with the same filters."""
    filters = {key: value for key, value in request.args.items() if key != "page" and value}
    return url_for("admin.index", **filters, **({"page": page} if page > 1 else {}))


@contextmanager
def refusals(failed: str, unavailable: str) -> Iterator[None]:
    """The store's refusals as error pages: 404 for a comment that is gone, 503 (and the log
    line `<failed> failed: ...`) for a comments file that cannot be read or written."""
    try:
        yield
    except UnknownComment:
        raise NotFound(GONE) from None
    except (CommentFileError, CommentWriteError) as error:
        current_app.logger.error("%s failed: %s", failed, error)
        raise ServiceUnavailable(unavailable) from None


def _cannot_change(slug: str, action: str) -> str:
    return f"The comments of '{slug}' cannot be changed ({action}) just now."


@bp.post("/comments/<slug>/<comment_id>/")
@auth.login_required
def moderate(slug: str, comment_id: str) -> Response:
    """Approve, mark as spam or delete one comment, then go back to the list."""
    form = ModerateForm()
    if not form.validate_on_submit():
        flash(EXPIRED)
        return redirect(back_to(form.next.data), code=303)
    action = form.action.data
    with refusals("moderation", _cannot_change(slug, action)):
        comment = owner.moderate(slug, comment_id, action, via="admin")
    flash(f"The comment by {comment.author} was {owner.DONE[action]}.")
    return redirect(back_to(form.next.data), code=303)


@bp.route("/comments/<slug>/<comment_id>/edit/", methods=["GET", "POST"])
@auth.login_required
def edit(slug: str, comment_id: str) -> Response | str | tuple[str, int]:
    """Change the text of any comment."""
    try:
        comment = store().get(slug, comment_id)
    except (UnknownComment, CommentFileError):
        raise NotFound(GONE) from None
    if request.method == "GET":
        back = request.args.get("next", "")
        form = EditForm(formdata=None, data={"body": comment.body, "next": back})
    else:
        form = EditForm()
        if is_valid(form):
            with refusals("edit", _cannot_change(slug, "edit")):
                owner.edit(slug, comment_id, form.body.data, via="admin")
            flash(f"The comment by {comment.author} was edited.")
            return redirect(back_to(form.next.data), code=303)
    page = render_template(
        "admin/edit.html",
        slug=slug,
        title=owner.post_title(slug),
        comment=comment,
        form=form,
        back_to=back_to,
    )
    return (page, 400) if form.errors else page


@bp.post("/posts/<slug>/comments/")
@auth.login_required
def close(slug: str) -> Response:
    """Close a post to new comments, or open it again."""
    form = CloseForm()
    if not form.validate_on_submit():
        flash(EXPIRED)
        return redirect(back_to(form.next.data), code=303)
    if not owner.post_exists(slug):
        raise NotFound("There is no such post.")
    closing = form.action.data == "close"
    with refusals("closing", _cannot_change(slug, form.action.data)):
        owner.set_closed(slug, closing, via="admin")
    title = owner.post_title(slug)
    flash(f"Comments on {title} are {'closed' if closing else 'open'}.")
    return redirect(back_to(form.next.data), code=303)
