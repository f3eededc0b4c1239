"""Whatever a client sends to the comment endpoint, the answer is a page, never a 500."""

from __future__ import annotations

from urllib.parse import quote_from_bytes

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

FIELDS = ["name", "website", "body", "homepage", "parent", "return_to", "csrf_token", "other"]
ORIGINS = [None, "http://localhost", "https://static.example", "https://evil.example", "null"]

values = st.one_of(
    st.text(max_size=300),
    st.binary(max_size=300),  # raw bytes, often not UTF-8
    st.sampled_from(["", " ", "https://a.example/", "javascript:x", "\x00", "\ud800x"]),
)
noise = st.lists(st.tuples(st.sampled_from(FIELDS), values), max_size=10)
# mostly valid forms, with hostile text and stray fields, so that many are accepted (303)
plausible = st.tuples(
    st.tuples(st.just("name"), st.text(min_size=1, max_size=80)),
    st.tuples(st.just("body"), st.one_of(st.text(min_size=1, max_size=400), st.binary())),
    st.tuples(st.just("website"), st.sampled_from(["", "https://a.example/x?y=<z>"])),
).map(list)
forms = st.one_of(noise, st.tuples(plausible, noise).map(lambda p: p[0] + p[1][:2]))


def encode(value: str | bytes) -> bytes:
    return value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")


@pytest.fixture
def her(app, write_post):
    app.config["COMMENTS_RATE_LIMIT"] = "100000 per minute"
    app.config["COMMENTS_ALLOWED_ORIGINS"] = ["https://static.example"]
    write_post("her", title="her")


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(form=forms, origin=st.sampled_from(ORIGINS), with_token=st.booleans())
def test_any_form_input_gets_a_page(client, her, form, origin, with_token):
    pairs = list(form)
    if with_token:
        page = client.get("/posts/her/").get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
        pairs.append(("csrf_token", token))
    body = b"&".join(
        quote_from_bytes(encode(key)).encode() + b"=" + quote_from_bytes(encode(value)).encode()
        for key, value in pairs
    )
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if origin:
        headers["Origin"] = origin
    response = client.post("/posts/her/comments/", data=body, headers=headers)
    event(f"status {response.status_code}")
    assert response.status_code in (303, 400, 403, 413, 429), response.status_code
    assert "<html" in response.get_data(as_text=True) or response.status_code == 303
