"""The reader's comment forms (Flask-WTF): fields, limits and the honeypot.

Forms read the request's form fields alone (`from_request`): never a JSON body or uploaded
files, so every value is a string, and it is stored only once it passed these checks.
"""

from __future__ import annotations

import functools
import hmac
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import parse_qsl, urlsplit

from flask import current_app, request
from flask_wtf import FlaskForm
from itsdangerous import URLSafeSerializer
from wtforms import Field, HiddenField, StringField, TextAreaField, URLField
from wtforms.csrf.core import CSRF
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from twombly.comments.model import text_problem
from twombly.comments.store import Comment, CommentFileError, UnknownComment, store
from twombly.config import is_freezing
from twombly.content.post import Post
from twombly.urls import absolute_url

NAME_MAX = 80
BODY_MAX = 5000
WEBSITE_MAX = 200
NOT_TEXT = "The form was not sent as UTF-8 text. Please send it again."
NO_FILES = "A comment is text alone: files cannot be sent with it."
AnyForm = TypeVar("AnyForm", bound=FlaskForm)


def from_request(form_class: type[AnyForm], **kwargs: object) -> AnyForm:
    """The form built from the request's form fields (raises a 413 for a body too large).

    Uploaded files, or a url-encoded body that is not UTF-8 text (Werkzeug keeps such bytes
    as `%XX` escapes), give a form-wide error, which `is_valid` refuses.
    """
    raw = request.get_data()  # kept by the request: the form is parsed from the same bytes
    form = form_class(formdata=request.form, **kwargs)
    if request.files:
        form.form_errors.append(NO_FILES)
    elif request.mimetype == "application/x-www-form-urlencoded" and not _is_utf8_form(raw):
        form.form_errors.append(NOT_TEXT)
    return form


def _is_utf8_form(raw: bytes) -> bool:
    try:
        parse_qsl(raw.decode("utf-8"), keep_blank_values=True, errors="strict")
    except ValueError:  # UnicodeDecodeError is one
        return False
    return True


def is_valid(form: FlaskForm) -> bool:
    """The form's own validation, and no form-wide error from `from_request`."""
    return form.validate() and not form.form_errors


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def _plain_text(one_line: bool = True) -> Callable[[FlaskForm, Field], None]:
    """Refuse what a comment file may not hold (control characters, lone surrogates) and, in
    a one-line field, tabs and line breaks."""

    def check(form: FlaskForm, field: Field) -> None:
        problem = text_problem(field.data or "", one_line)
        if problem:
            raise ValidationError(f"This {problem}: please remove it.")

    return check


def _web_address(form: FlaskForm, field: URLField) -> None:
    """Only http and https addresses with a host: no javascript:, data: or bare words."""
    parts = urlsplit(field.data)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValidationError("Give a web address starting with http:// or https://.")
    if any(ch.isspace() or ord(ch) < 32 for ch in field.data):
        raise ValidationError("A web address cannot contain spaces.")


class BodyForm(FlaskForm):
    """The comment text alone: what an edit may change."""

    body = TextAreaField(
        "Comment",
        filters=[_strip],
        validators=[
            DataRequired("Write something before sending."),
            _plain_text(one_line=False),
            Length(max=BODY_MAX, message=f"Keep it under {BODY_MAX:,} characters."),
        ],
        description=(
            "Markdown works: *emphasis*, **strong**, `code`, > quotes, lists and links. Hide a "
            "spoiler between a ```spoiler line and a ``` line."
        ),
    )


class PostFormCSRF(CSRF):
    """A CSRF token signed for one post, carried by the page instead of a session.

    Flask-WTF's default token lives in the session, which would hand every reader of a post a
    cookie and make each page (and each frozen copy of it) different. This token is signed with
    the app's secret key for the post in the URL, so a form sent to another post, or a token
    that was never ours, is refused; a foreign site cannot use one either, because a browser's
    cross-origin POST carries an `Origin` header that the view refuses unless it is allowed.
    The token has no timestamp, so a post's token is always the same string: it is computed
    once per key and post, and a sent token is compared with it.
    """

    def generate_csrf_token(self, csrf_token_field: object) -> str:
        slug = str((request.view_args or {}).get("slug", ""))
        return _token_for(current_app.config["SECRET_KEY"], slug)

    def validate_csrf_token(self, form: FlaskForm, field: HiddenField) -> None:
        expected = self.generate_csrf_token(field)
        if not hmac.compare_digest((field.data or "").encode(), expected.encode()):
            raise ValidationError("The form's token is missing or not for this post.")


@functools.lru_cache(maxsize=4096)
def _token_for(secret_key: str | bytes, slug: str) -> str:
    return URLSafeSerializer(secret_key, salt="twombly-comment-form").dumps(slug)


class CommentForm(BodyForm):
    """A new comment or reply. `homepage` is the honeypot: hidden by CSS, left empty by people."""

    class Meta:
        csrf_class = PostFormCSRF

    name = StringField(
        "Name",
        filters=[_strip],
        validators=[
            DataRequired("Tell us your name."),
            _plain_text(),
            Length(max=NAME_MAX, message=f"A name of up to {NAME_MAX} characters, please."),
        ],
    )
    website = URLField(
        "Website (optional)",
        filters=[_strip],
        validators=[
            Optional(),
            Length(max=WEBSITE_MAX, message=f"Up to {WEBSITE_MAX} characters, please."),
            _web_address,
        ],
    )
    homepage = StringField("Leave this field empty", filters=[_strip])
    parent = HiddenField(filters=[_strip], validators=[_plain_text()])
    return_to = HiddenField(filters=[_strip], validators=[_plain_text()])

    @property
    def is_spam(self) -> bool:
        return bool(self.homepage.data)


class ConfirmForm(FlaskForm):
    """A form with only the CSRF token: a reader's delete button, the owner's logout and
    the confirmation of a notification's link."""


def new_comment_form() -> CommentForm:
    """An empty form; a reply to an approved comment when the URL says `?reply=<id>`."""
    reply = request.args.get("reply", "")
    slug = (request.view_args or {}).get("slug", "")
    parent = reply if reply and _reply_target(slug, reply) else ""
    data = {"parent": parent, "return_to": absolute_url()}  # a frozen copy's way back
    return CommentForm(formdata=None, data=data, meta={"csrf": not is_freezing()})


def _reply_target(slug: str, comment_id: str) -> Comment | None:
    try:
        comment = store().get(slug, comment_id)
    except (UnknownComment, CommentFileError):
        return None
    return comment if comment.status == "approved" else None


def reply_target(post: Post, form: CommentForm) -> Comment | None:
    """The comment a form answers, for the form's heading."""
    return _reply_target(post.slug, form.parent.data) if form.parent.data else None
