"""Readers' comments: post, reply, edit and delete (Post/Redirect/Get), with a log line each."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_limiter import RateLimitExceeded, RequestLimit
from werkzeug.exceptions import (
    BadRequest,
    Forbidden,
    HTTPException,
    NotFound,
    RequestEntityTooLarge,
)
from werkzeug.wrappers import Response

from twombly.comments import background, gitsync, notes, notify, origins, ownership, page
from twombly.comments.forms import (
    AnyForm,
    BodyForm,
    CommentForm,
    ConfirmForm,
    from_request,
    is_valid,
)
from twombly.comments.page import comments_closed, render_post
from twombly.comments.store import (
    Comment,
    CommentFileError,
    CommentWriteError,
    InvalidComment,
    UnknownComment,
    store,
)
from twombly.content.catalog import find_post
from twombly.content.post import Post
from twombly.extensions import limiter

bp = Blueprint("comments", __name__)
log = logging.getLogger("twombly.comments")

RATE_LIMITED = "You have sent several comments in a short time. Please wait a while and try again."
UNAVAILABLE = "Comments on this post are unavailable just now, so nothing was saved."
NOT_SAVED = "Your comment could not be saved just now. Please try again later."
NOT_YOURS = "You can change only your own comment, in the browser you wrote it in, for a while."
Result = TypeVar("Result")
OUTCOMES = {"approved": "accepted", "pending": "pending", "spam": "spam"}


def decision(outcome: str, slug: str, comment_id: str | None = None, why: str = "") -> None:
    """One log line per comment decision; never the comment's text."""
    level = logging.WARNING if outcome == "refused" else logging.INFO
    reason = f" reason={why}" if why else ""
    log.log(level, "comment %s post=%s id=%s%s", outcome, slug, comment_id or "-", reason)


def rate_limit() -> str:
    return current_app.config["COMMENTS_RATE_LIMIT"]


def _rate_limited(limit: RequestLimit) -> Response:
    """The post page again (429), its form filled with what the reader typed; nothing stored."""
    slug = (request.view_args or {}).get("slug", "-")
    decision("refused", slug, why=f"rate limit {limit.limit}")
    post = find_post(slug)
    form = read_form(CommentForm, meta={"csrf": origins.foreign_origin() is None})
    form.form_errors.insert(0, RATE_LIMITED)
    return make_response(render_post(post, comment_form=form), 429)


@bp.errorhandler(RateLimitExceeded)
def rate_limit_page(error: RateLimitExceeded) -> Response:
    """The page `_rate_limited` built (the app's error page would drop the reader's text)."""
    return error.get_response()


def open_post(slug: str) -> Post:
    post = find_post(slug)
    if comments_closed(post):
        decision("refused", slug, why="comments closed")
        raise Forbidden("Comments are closed on this post.")
    return post


def read_form(form_class: type[AnyForm], **kwargs: object) -> AnyForm:
    """The form from the request's form fields alone, logging a body too large (413)."""
    try:
        return from_request(form_class, **kwargs)
    except RequestEntityTooLarge:
        decision("refused", (request.view_args or {}).get("slug", "-"), why="too large")
        raise


@bp.post("/posts/<slug>/comments/")
@limiter.limit(rate_limit, error_message=RATE_LIMITED, on_breach=_rate_limited)
def create(slug: str) -> Response | tuple[str, int]:
    """Store a new comment or reply, then redirect to it (or re-render the form, 400)."""
    post = open_post(slug)
    origin = origins.foreign_origin()
    if origin is not None and not origins.is_allowed(origin):
        decision("refused", slug, why=f"origin {origin} not allowed")
        raise Forbidden("Comments cannot be sent here from another site.")
    form = read_form(CommentForm, meta={"csrf": origin is None})
    problem = _form_problem(form, slug, origin)
    if problem:
        decision("refused", slug, why=problem)
        return render_post(post, comment_form=form), 400
    comment = _store(slug, form)
    _after_storing(post, comment)
    if origin is not None:
        return redirect(
            notes.return_address(form.return_to.data, slug, comment.id, comment.status), 303
        )
    if comment.status != "spam":
        ownership.remember(comment)
    flash(notes.confirmation(comment.status), "success")
    return redirect(url_for("blog.post", slug=slug, _anchor=f"comment-{comment.id}"), 303)


def _form_problem(form: CommentForm, slug: str, origin: str | None) -> str:
    """Why the form is refused ("" when it is fine); errors are attached to the form."""
    valid = is_valid(form)
    if origin is not None and origins.origin_of(form.return_to.data or "") != origins.origin_of(
        origin
    ):
        form.return_to.errors = ["The page to return to is not on the sending site."]
        valid = False
    if form.parent.data and not _is_approved(slug, form.parent.data):
        form.parent.errors = ["The comment you replied to is no longer there."]
        valid = False
    if valid:
        return ""
    return "invalid " + ",".join(sorted(name for name, errors in form.errors.items() if errors))


def _is_approved(slug: str, comment_id: str) -> bool:
    try:
        return _read_or_503(slug, comment_id).status == "approved"
    except UnknownComment:
        return False


def _read_or_503(slug: str, comment_id: str) -> Comment:
    try:
        return store().get(slug, comment_id)
    except CommentFileError as error:
        decision("refused", slug, why=f"unreadable file {error}")
        abort(503, UNAVAILABLE)


def _store(slug: str, form: CommentForm) -> Comment:
    moderated = bool(current_app.config["COMMENTS_MODERATION"])
    status = "spam" if form.is_spam else "pending" if moderated else "approved"
    comment = _change(
        slug,
        lambda: store().add(
            slug,
            author=form.name.data,
            website=form.website.data or None,
            body=form.body.data,
            parent=form.parent.data or None,
            status=status,
        ),
        gone=lambda: BadRequest("The comment you replied to is no longer there."),
    )
    decision(OUTCOMES[status], slug, comment.id, "honeypot" if status == "spam" else "")
    return comment


def _after_storing(post: Post, comment: Comment) -> None:
    """Tell the owner, commit to git (in the background); none of it may change the answer."""
    try:
        notify.new_comment(post.slug, post.title, comment, OUTCOMES[comment.status])
        if current_app.config["COMMENTS_GIT_COMMIT"]:
            gitsync.commit_later()
    except Exception:
        log.exception("comment %s stored, but the owner could not be told", comment.id)


def own_comment(slug: str, comment_id: str) -> Comment:
    """This browser's comment, still inside its edit window; 404 or 403 otherwise."""
    find_post(slug)
    try:
        comment = _read_or_503(slug, comment_id)
    except UnknownComment:
        abort(404)
    if not ownership.owns(comment):
        decision("refused", slug, comment_id, "not the author or window passed")
        raise Forbidden(NOT_YOURS)
    return comment


@bp.route("/posts/<slug>/comments/<comment_id>/edit/", methods=["GET", "POST"])
def edit(slug: str, comment_id: str) -> Response | str | tuple[str, int]:
    """Change the text of one's own comment."""
    comment = own_comment(slug, comment_id)
    if request.method == "GET":
        return _edit_page(slug, comment, BodyForm(formdata=None, data={"body": comment.body}))
    form = read_form(BodyForm)
    if is_valid(form):
        _change(slug, lambda: store().update(slug, comment_id, body=form.body.data))
        decision("edited", slug, comment_id)
        flash("Your comment was updated.", "success")
        return redirect(url_for("blog.post", slug=slug, _anchor=f"comment-{comment_id}"), 303)
    decision("refused", slug, comment_id, "invalid edit")
    return _edit_page(slug, comment, form)


def _edit_page(slug: str, comment: Comment, form: BodyForm) -> str | tuple[str, int]:
    page = render_template(
        "comment_edit.html",
        post=find_post(slug),
        comment=comment,
        form=form,
        delete_form=ConfirmForm(formdata=None),
    )
    return (page, 400) if form.errors else page


@bp.post("/posts/<slug>/comments/<comment_id>/delete/")
def delete(slug: str, comment_id: str) -> Response:
    """Delete one's own comment; its replies stay, attached one level up."""
    comment = own_comment(slug, comment_id)
    if not is_valid(read_form(ConfirmForm)):
        decision("refused", slug, comment_id, "delete without a valid CSRF token")
        abort(400, "The form had expired. Please reload the page and try again.")
    _change(slug, lambda: store().delete(slug, comment_id))
    ownership.forget(comment)
    decision("deleted", slug, comment_id)
    flash("Your comment was deleted.", "success")
    return redirect(url_for("blog.post", slug=slug, _anchor="comments"), 303)


def _change(
    slug: str, change: Callable[[], Result], gone: Callable[[], HTTPException] = NotFound
) -> Result:
    """Run a change of the store; what it refuses becomes an error page, and a log line."""
    try:
        return change()
    except CommentFileError as error:
        decision("refused", slug, why=f"unreadable file {error}")
        abort(503, UNAVAILABLE)
    except CommentWriteError as error:
        decision("refused", slug, why=f"write failed {error}")
        abort(503, NOT_SAVED)
    except UnknownComment:
        decision("refused", slug, why="comment gone")
        raise gone() from None
    except InvalidComment as error:
        decision("refused", slug, why=f"invalid {error}")
        abort(400, "This comment cannot be stored as it is.")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    page.init_app(app)
    background.init_app(app)
    notify.init_app(app)
