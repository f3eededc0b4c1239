"""The owner's pages at /admin/: log in and out; the comment pages are in admin/comments.py."""

from __future__ import annotations

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
from wtforms import HiddenField, PasswordField
from wtforms.validators import DataRequired

from twombly.admin import auth, comments, links
from twombly.comments import owner
from twombly.comments.forms import ConfirmForm
from twombly.extensions import limiter

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.register_blueprint(comments.bp)  # its views are /admin/..., as admin.comments.*
bp.register_blueprint(links.bp)  # the links in notifications: admin.links.act


class LoginForm(FlaskForm):
    password = PasswordField("Password", validators=[DataRequired()])
    next = HiddenField()


def pending_count() -> int | None:
    """How many comments wait for moderation, for the page header; None unless logged in."""
    if not auth.is_logged_in():
        return None
    return len(owner.all_comments(status="pending")[0])


def _login_limit() -> str:
    return current_app.config["ADMIN_LOGIN_RATE_LIMIT"]


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never another host after logging in."""
    return target if auth.is_own_path(target) else url_for("admin.index")


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
    if ConfirmForm().validate_on_submit():
        auth.log_out()
        flash("You are logged out.")
    return redirect(url_for("admin.login"), code=303)


@bp.get("/")
@auth.login_required
def index() -> str:
    """Every comment, newest first, with filters, search and the buttons that change them."""
    return comments.list_page(ConfirmForm())


@bp.after_request
def never_cache(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    auth.init_app(app)
    app.jinja_env.globals["admin_pending_count"] = pending_count
    app.register_blueprint(bp)
