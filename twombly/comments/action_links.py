"""The approve and delete links in a notification: signed, expiring tokens (itsdangerous).

A token names one comment and one action, is signed with the app's secret key and expires after
`[notify] link_days`. It only opens a confirmation page: the change itself takes a button
press (a POST with a CSRF token), so a mail scanner following the link changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer

SALT = "twombly-comment-action"
ACTIONS = ("approve", "delete")


class BadActionLink(ValueError):
    """A token that is expired, altered, or not one of ours."""


@dataclass(frozen=True)
class ActionLink:
    slug: str
    comment_id: str
    action: str


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def make_token(slug: str, comment_id: str, action: str) -> str:
    return _serializer().dumps([slug, comment_id, action])


def read_token(token: str) -> ActionLink:
    """What a token asks for; BadActionLink when it expired or was never signed by us."""
    max_age = float(current_app.config["NOTIFY_LINK_DAYS"]) * 86400
    try:
        data = _serializer().loads(token, max_age=max_age)
    except BadData as error:
        raise BadActionLink(str(error)) from None
    if (
        not isinstance(data, list)
        or len(data) != 3
        or not all(isinstance(part, str) for part in data)
        or data[2] not in ACTIONS
    ):
        raise BadActionLink("not an action link")
    return ActionLink(*data)
