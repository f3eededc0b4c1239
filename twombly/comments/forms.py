"""The reader's comment forms (Flask-WTF): fields, limits and the honeypot."""

from __future__ import annotations

import functools
import hmac
from urllib.parse import urlsplit

from flask import current_app, request
from flask_wtf import FlaskForm
from itsdangerous import URLSafeSerializer
from wtforms import HiddenField, StringField, TextAreaField, URLField
from wtforms.csrf.core import CSRF
from wtforms.validators import DataRequired, Length, Optional, ValidationError

NAME_MAX = 80
BODY_MAX = 5000
WEBSITE_MAX = 200


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


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
            Length(max=BODY_MAX, message=f"Keep it under {BODY_MAX:,} characters."),
        ],
        description="Markdown works: *emphasis*, **strong**, `code`, > quotes, lists and links.",
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
        return _token_for(current_app.config["SECRET_KEY"], _slug_in_url())

    def validate_csrf_token(self, form: FlaskForm, field: HiddenField) -> None:
        expected = _token_for(current_app.config["SECRET_KEY"], _slug_in_url())
        if not hmac.compare_digest((field.data or "").encode(), expected.encode()):
            raise ValidationError("The form's token is missing or not for this post.")


@functools.lru_cache(maxsize=4096)
def _token_for(secret_key: str | bytes, slug: str) -> str:
    return URLSafeSerializer(secret_key, salt="twombly-comment-form").dumps(slug)


def _slug_in_url() -> str:
    return str((request.view_args or {}).get("slug", ""))


class CommentForm(BodyForm):
    """A new comment or reply. `homepage` is the honeypot: hidden by CSS, left empty by people."""

    class Meta:
        csrf_class = PostFormCSRF

    name = StringField(
        "Name",
        filters=[_strip],
        validators=[
            DataRequired("Tell us your name."),
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
    parent = HiddenField(filters=[_strip])
    return_to = HiddenField(filters=[_strip])

    @property
    def is_spam(self) -> bool:
        return bool(self.homepage.data)


class ConfirmForm(FlaskForm):
    """A form with only the CSRF token, for the delete button."""
