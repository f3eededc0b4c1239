"""The frozen copy on a static host that sends `flask headers`' _headers file: in Chromium, its
script reads comments from the live server and its form posts there, within the CSP.
"""

from __future__ import annotations

from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .browser import serving
from .freezing import freeze
from .sample_site import APPROVED
from .test_browser_security import RECORD_VIOLATIONS


def read_headers_file(path: Path, url_path: str = "/") -> list[tuple[str, str]]:
    """The headers a Netlify-style `_headers` file gives `url_path`: every block whose pattern
    (`/*`, `/search/*`) matches, in order; `! Name` drops a header an earlier block set."""
    lines = path.read_text("utf-8").splitlines()
    assert lines[0] == "/*"
    headers: dict[str, str] = {}
    matches = False
    for line in lines:
        if not line.startswith(" "):
            matches = url_path.startswith(line.strip().removesuffix("*"))
        elif matches and line.strip().startswith("! "):
            headers.pop(line.strip()[2:], None)
        elif matches and line.strip():
            name, value = line.strip().split(": ", 1)
            headers[name] = value
    return list(headers.items())


@contextmanager
def static_host(folder: Path):
    """http.server over `folder`, adding the headers of `folder/_headers` as a static host does."""

    class HeadersHandler(SimpleHTTPRequestHandler):
        def end_headers(self) -> None:
            for name, value in read_headers_file(folder / "_headers", self.path):
                self.send_header(name, value)
            super().end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(HeadersHandler, directory=folder))
    with serving(server) as url:
        yield url


def test_frozen_copy_keeps_its_policy_with_a_live_comment_server(
    app, runner, page, server_url, write_post, write_comments, tmp_path
):
    write_post("her", date="2024-03-01")
    host = tmp_path / "host"
    with static_host(host) as static_origin:
        app.config["COMMENTS_ENDPOINT"] = server_url
        app.config["COMMENTS_ALLOWED_ORIGINS"] = [static_origin]
        frozen = freeze(runner, host, "--base-url", static_origin + "/")
        assert frozen.exit_code == 0, (frozen.output, frozen.exception)
        headers = runner.invoke(args=["headers"])
        (host / "_headers").write_text(headers.output, "utf-8")
        write_comments("her", [{"id": "late", "author": "Ann", "body": "After.", **APPROVED}])

        violations: list[str] = []
        page.on(
            "console",
            lambda msg: "Content Security Policy" in msg.text and violations.append(msg.text),
        )
        page.add_init_script(RECORD_VIOLATIONS)
        response = page.goto(f"{static_origin}/posts/her/")
        assert f"connect-src 'self' {server_url};" in response.headers["content-security-policy"]
        page.wait_for_selector("#comment-late")  # fetched from the live server
        assert page.evaluate("window.__violations") == []

        page.get_by_label("Name").fill("Dora")
        page.get_by_label("Comment", exact=True).fill("Sent from the static copy.")
        page.get_by_role("button", name="Send comment").click()  # to the live server, and back
        page.wait_for_url(f"{static_origin}/posts/her/?note=*#comment-*")
        page.get_by_text("Sent from the static copy.").wait_for()
        assert "is published" in page.locator("#comments .notice[role=status]").inner_text()
        assert page.evaluate("window.__violations") == []
    assert violations == []


def test_with_moderation_the_static_page_says_the_comment_awaits_it(
    app, runner, page, server_url, write_post, tmp_path
):
    write_post("her", date="2024-03-01")
    host = tmp_path / "host"
    with static_host(host) as static_origin:
        app.config.update(
            COMMENTS_ENDPOINT=server_url,
            COMMENTS_ALLOWED_ORIGINS=[static_origin],
            COMMENTS_MODERATION=True,
        )
        assert freeze(runner, host, "--base-url", static_origin + "/").exit_code == 0
        (host / "_headers").write_text(runner.invoke(args=["headers"]).output, "utf-8")
        violations: list[str] = []
        page.on(
            "console",
            lambda msg: "Content Security Policy" in msg.text and violations.append(msg.text),
        )
        page.add_init_script(RECORD_VIOLATIONS)
        page.goto(f"{static_origin}/posts/her/")
        page.get_by_label("Name").fill("<i>Dora</i>")
        page.get_by_label("Comment", exact=True).fill("Held for the owner.")
        page.get_by_role("button", name="Send comment").click()
        page.wait_for_url(f"{static_origin}/posts/her/?note=*#comment-*")
        notice = page.locator("#comments .notice[role=status]")
        notice.wait_for()
        assert "awaiting moderation" in notice.inner_text()
        assert page.get_by_text("Held for the owner.").count() == 0  # not shown until approved
        page.goto(f"{static_origin}/posts/her/?note=forged.note.x#comments")
        page.wait_for_load_state("networkidle")
        assert page.locator("#comments .notice").count() == 0
        assert page.evaluate("window.__violations") == []
    assert violations == []
