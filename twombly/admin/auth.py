"""The owner's login: a password hash in instance/, and who is logged in, in the session.

The hash (werkzeug.security) lives in `instance/admin_password`, which git ignores, beside a
random token in `instance/admin_session`. The session remembers a digest of both: setting a new
password or logging out (a new token) ends every owner's session, even from a copied cookie.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeGuard, TypeVar

from flask import Flask, current_app, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from werkzeug.security import check_password_hash, generate_password_hash

from twombly.atomic import write_whole

MIN_LENGTH = 8
SESSION_KEY = "admin"
F = TypeVar("F", bound=Callable[..., Any])


def password_file() -> Path:
    return Path(current_app.instance_path, "admin_password")


def token_file() -> Path:
    return Path(current_app.instance_path, "admin_session")


def stored_hash() -> str | None:
    try:
        return password_file().read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


def set_password(password: str) -> Path:
    """Store the hash of `password` (readable by its owner only) and return the file."""
    if len(password) < MIN_LENGTH:
        raise ValueError(f"the password must have at least {MIN_LENGTH} characters")
    path = password_file()
    write_whole(path, f"{generate_password_hash(password)}\n".encode())
    return path


def session_token(*, renew: bool = False) -> str:
    """The random token every owner's session is bound to; `renew` ends them all."""
    if not renew:
        with contextlib.suppress(FileNotFoundError):
            return token_file().read_text(encoding="utf-8").strip()
    token = secrets.token_hex(16)
    write_whole(token_file(), f"{token}\n".encode())
    return token


def _digest(password_hash: str, token: str) -> str:
    return hashlib.sha256(f"{password_hash}\n{token}".encode()).hexdigest()[:32]


def log_in(password: str) -> bool:
    """Start an owner's session if `password` is right."""
    current = stored_hash()
    if current is None or not check_password_hash(current, password):
        return False
    session.clear()
    session[SESSION_KEY] = _digest(current, session_token())
    return True


def log_out() -> None:
    """End this session, and every other owner's session with it (a copied cookie too)."""
    session.clear()
    session_token(renew=True)


def is_logged_in() -> bool:
    """True for a session started with the current password since the last logout."""
    if current_app.config["SESSION_COOKIE_NAME"] not in request.cookies:
        return False  # most readers: nothing to read, and their page need not vary by session
    remembered = session.get(SESSION_KEY)
    current = stored_hash()
    if remembered is None or current is None:
        return False
    return secrets.compare_digest(remembered, _digest(current, session_token()))


def is_own_path(target: str | None) -> TypeGuard[str]:
    """A path on this site, to send the owner back to: never another host.

    Control characters are refused too: browsers drop tabs from a Location (`/<TAB>/evil`
    becomes `//evil`, another host), and a newline cannot go in a header at all.
    """
    return bool(
        target
        and target.isprintable()
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
    )


def login_required(view: F) -> F:
    """Send a visitor without an owner's session to the login page."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not is_logged_in():
            return redirect(url_for("admin.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session, marked Secure whenever the request came over https."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


def init_app(app: Flask) -> None:
    app.session_interface = SessionInterface()
