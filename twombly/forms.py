"""The reader's comment forms (Flask-WTF): fields, limits and the honeypot."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField, URLField
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


class CommentForm(BodyForm):
    """A new comment or reply. `homepage` is the honeypot: hidden by CSS, left empty by people."""

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
