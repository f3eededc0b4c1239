"""After logging in, `next` never leads off the site and never breaks the response."""

from __future__ import annotations

import pytest

from .admin_helpers import log_in, set_password

OFF_SITE = ["/\t/evil.example/", "/\t\t/evil.example", "/\n/evil.example", "/\r\n/x",
            "/\x00/evil.example", "//evil.example", "/\\evil.example", "https://evil.example/",
            " /admin/"]  # fmt: skip


@pytest.mark.parametrize("target", OFF_SITE, ids=repr)
def test_next_off_the_site_goes_to_the_admin_page(runner, client, target):
    set_password(runner)
    response = log_in(client, next=target)
    assert response.status_code == 303
    assert response.headers["Location"] == "/admin/"
