"""Shared steps for the moderation tests: a password, a pending comment, a logged-in client."""

from __future__ import annotations

import re

PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf_token(html: str) -> str:
    found = CSRF.search(html)
    assert found, "no CSRF token in the page"
    return found.group(1)


def set_password(runner, password: str = PASSWORD):
    return runner.invoke(args=["set-password", "--stdin"], input=password + "\n")


def log_in(client, password: str = PASSWORD, **extra):
    token = csrf_token(client.get("/admin/login/").get_data(as_text=True))
    return client.post("/admin/login/", data={"csrf_token": token, "password": password, **extra})


def pending(comment_id: str, author: str, created: str, body: str = "Pending words.") -> dict:
    return {"id": comment_id, "parent": None, "author": author, "body": body,
            "created": created, "status": "pending"}  # fmt: skip
