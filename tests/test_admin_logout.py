"""Logging out ends the owner's session for good, even for a copy of the cookie."""

from __future__ import annotations

from .admin_helpers import csrf_token, log_in, set_password


def test_a_cookie_copied_before_logout_stops_working(app, client, runner):
    assert set_password(runner).exit_code == 0
    assert log_in(client).status_code == 303
    copied = app.test_client()
    copied.set_cookie("session", client.get_cookie("session").value)
    assert copied.get("/admin/").status_code == 200

    token = csrf_token(client.get("/admin/").get_data(as_text=True))
    assert client.post("/admin/logout/", data={"csrf_token": token}).status_code == 303
    assert copied.get("/admin/").status_code == 302  # sent to the login page
    assert log_in(copied).status_code == 303  # the password still works
    assert copied.get("/admin/").status_code == 200
