"""The owner's login: a password hash in instance/, and who is logged in, in the session.

The hash (werkzeug.security) lives in `instance/admin_password`, which git ignores. The session
remembers a digest of that hash, so setting a new password logs every open session out.
"""

from __future__ import annotations

import functools
import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from flask import Flask, current_app, redirect, request, session, url_for
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask.wrappers import Request
from itsdangerous import URLSafeTimedSerializer
from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 8
SESSION_KEY = "admin"
F = TypeVar("F", bound=Callable[..., Any])


def password_file() -> Path:
    return Path(current_app.instance_path, "admin_password")


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
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".admin_password.")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(generate_password_hash(password) + "\n")
    os.replace(tmp, path)
    return path


def _digest(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode()).hexdigest()[:32]


def log_in(password: str) -> bool:
    """Start an owner's session if `password` is right."""
    current = stored_hash()
    if current is None or not check_password_hash(current, password):
        return False
    session.clear()
    session[SESSION_KEY] = _digest(current)
    return True


def log_out() -> None:
    session.clear()


def is_logged_in() -> bool:
    """True for a session started with the current password; never touches a cookieless visit."""
    if current_app.config["SESSION_COOKIE_NAME"] not in request.cookies:
        return False
    current = stored_hash()
    return current is not None and session.get(SESSION_KEY) == _digest(current)


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

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        """Without the cookie (most readers, every frozen page) the session is empty, as Flask
        would find it, without building the signing serializer first."""
        if app.secret_key and not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        """Flask builds a serializer for every request that reads or writes the cookie (each
        comment sent writes it); one per key set is kept instead."""
        keys = (*(app.config["SECRET_KEY_FALLBACKS"] or ()), app.secret_key)
        cached = app.extensions.get("twombly.session_serializer")
        if cached is None or cached[0] != keys:
            cached = (keys, super().get_signing_serializer(app))
            app.extensions["twombly.session_serializer"] = cached
        return cached[1]


def init_app(app: Flask) -> None:
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.session_interface = SessionInterface()
