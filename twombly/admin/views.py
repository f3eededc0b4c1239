"""The moderation pages at /admin/: log in, then approve, mark as spam or delete comments."""

from __future__ import annotations

from dataclasses import dataclass

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_wtf import FlaskForm
from werkzeug.exceptions import NotFound, ServiceUnavailable
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import AnyOf, DataRequired

from twombly.admin import auth
from twombly.comments.store import (
    Comment,
    CommentFileError,
    CommentWriteError,
    UnknownComment,
    store,
)
from twombly.content.catalog import catalog
from twombly.extensions import limiter

bp = Blueprint("admin", __name__, url_prefix="/admin")
ACTIONS = {"approve": "approved", "spam": "marked as spam", "delete": "deleted"}


class LoginForm(FlaskForm):
    password = PasswordField("Password", validators=[DataRequired()])
    next = HiddenField()


class ModerateForm(FlaskForm):
    action = StringField(validators=[AnyOf(list(ACTIONS))])


class LogoutForm(FlaskForm):
    pass


@dataclass(frozen=True)
class Pending:
    slug: str
    post_title: str
    comment: Comment


def pending_comments() -> tuple[list[Pending], list[str]]:
    """Pending comments of every post, newest first, and the files that could not be read."""
    entries = catalog().entries
    found: list[Pending] = []
    broken: list[str] = []
    for slug in store().slugs():
        try:
            comments = store().read(slug)
        except CommentFileError as error:
            broken.append(str(error))
            continue
        title = entries[slug].title if slug in entries else slug
        found += [Pending(slug, title, c) for c in comments if c.status == "pending"]
    found.sort(key=lambda item: item.comment.created_at, reverse=True)
    return found, broken


def pending_count() -> int | None:
    """How many comments wait for moderation, for the page header; None unless logged in."""
    if not auth.is_logged_in():
        return None
    return len(pending_comments()[0])


def _login_limit() -> str:
    return current_app.config["ADMIN_LOGIN_RATE_LIMIT"]


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never another host after logging in.

    Control characters are refused too: browsers drop tabs from a Location (`/<TAB>/evil`
    becomes `//evil`, another host), and a newline cannot go in a header at all.
    """
    if (
        target
        and target.isprintable()
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
    ):
        return target
    return url_for("admin.index")


@bp.route("/login/", methods=["GET", "POST"])
@limiter.limit(
    _login_limit,
    methods=["POST"],
    deduct_when=lambda response: response.status_code != 303,
    error_message="Too many failed logins from your address. Please wait and try again.",
)
def login() -> Response | tuple[str, int] | str:
    """The password form; a right password starts the owner's session."""
    form = LoginForm(next=request.args.get("next", ""))
    if not form.is_submitted():
        return render_template("admin/login.html", form=form, password_set=_password_set())
    if form.validate() and auth.log_in(form.password.data):
        return redirect(_safe_next(form.next.data), code=303)
    error = "Wrong password." if not form.errors else "Please try again."
    page = render_template(
        "admin/login.html", form=form, password_set=_password_set(), error=error
    )
    return page, 401 if not form.errors else 400


def _password_set() -> bool:
    return auth.stored_hash() is not None


@bp.post("/logout/")
def logout() -> Response:
    """End the owner's session."""
    if LogoutForm().validate_on_submit():
        auth.log_out()
        flash("You are logged out.")
    return redirect(url_for("admin.login"), code=303)


@bp.get("/")
@auth.login_required
def index() -> str:
    """Pending comments, newest first, each with its post and the moderation buttons."""
    pending, broken = pending_comments()
    return render_template(
        "admin/index.html",
        pending=pending,
        broken=broken,
        form=ModerateForm(),
        logout_form=LogoutForm(),
    )


@bp.post("/comments/<slug>/<comment_id>/")
@auth.login_required
def moderate(slug: str, comment_id: str) -> Response:
    """Approve, mark as spam or delete one comment, then go back to the list."""
    form = ModerateForm()
    if not form.validate_on_submit():
        flash("That did not work: the page was too old or the request incomplete. Try again.")
        return redirect(url_for("admin.index"), code=303)
    action = form.action.data
    try:
        if action == "delete":
            comment = store().delete(slug, comment_id)
        else:
            status = "approved" if action == "approve" else "spam"
            comment = store().set_status(slug, comment_id, status)
    except UnknownComment:
        raise NotFound("That comment does not exist (any more).") from None
    except (CommentFileError, CommentWriteError) as error:
        current_app.logger.error("moderation failed: %s", error)
        raise ServiceUnavailable(f"The comments of '{slug}' cannot be changed: {error}") from None
    flash(f"The comment by {comment.author} was {ACTIONS[action]}.")
    return redirect(url_for("admin.index"), code=303)


@bp.after_request
def never_cache(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    auth.init_app(app)
    app.jinja_env.globals["admin_pending_count"] = pending_count
    app.register_blueprint(bp)
