"""Fixtures: an app over a temporary site folder, with the project's theme linked in."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from twombly import create_app
from twombly.comments.background import background

PROJECT = Path(__file__).resolve().parent.parent
# No app of the suite (or server it starts) builds a live search index in the background,
# except where a search test asks for one in its own settings.
os.environ["TWOMBLY_SEARCH_LIVE_INDEX"] = "false"

WritePost = Callable[..., Path]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A site folder with empty pages/ and comments/ and the project's templates and static."""
    folder = tmp_path / "site"
    (folder / "pages").mkdir(parents=True)
    (folder / "comments").mkdir()
    (folder / "templates").symlink_to(PROJECT / "templates")
    (folder / "static").symlink_to(PROJECT / "static")
    return folder


@pytest.fixture
def images(site: Path) -> Path:
    """static/ as a folder of its own (a copy of the theme's), with an empty static/images/."""
    (site / "static").unlink()
    (site / "static" / "images").mkdir(parents=True)
    shutil.copytree(PROJECT / "static", site / "static", dirs_exist_ok=True)
    return site / "static" / "images"


@pytest.fixture
def config() -> dict[str, Any]:
    """Settings the app is built with; a test may change them before using `app`."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "TITLE": "Test Reviews",
        "DESCRIPTION": "A test site",
        "BASE_URL": "https://reviews.example/",
        "PER_PAGE": 3,
        "FLATPAGES_AUTO_RELOAD": True,
        # Compressing every frozen file takes time; the tests that need the .gz and .br
        # copies (precompression, re-freeze exactness) turn it back on.
        "FREEZE_PRECOMPRESS": False,
    }


@pytest.fixture
def write_post(site: Path) -> WritePost:
    """Write pages/<slug>.md with front matter built from keyword arguments."""

    def write(slug: str, body: str = "Some words about a film.", raw: str | None = None, **meta):
        path = site / "pages" / f"{slug}.md"
        if raw is not None:
            path.write_text(textwrap.dedent(raw), encoding="utf-8")
            return path
        meta.setdefault("title", slug.replace("-", " ").title())
        meta.setdefault("date", "2024-01-01")
        lines = [f"{key}: {json.dumps(value)}" for key, value in meta.items()]
        path.write_text("---\n" + "\n".join(lines) + "\n---\n\n" + body + "\n", encoding="utf-8")
        return path

    return write


@pytest.fixture
def write_comments(site: Path) -> Callable[[str, list[dict[str, Any]]], Path]:
    def write(slug: str, comments: list[dict[str, Any]]) -> Path:
        path = site / "comments" / f"{slug}.json"
        document = {"post": slug, "comments": comments}
        path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", "utf-8")
        return path

    return write


@pytest.fixture
def app(site: Path, config: dict[str, Any]) -> Iterator[Flask]:
    """The app; after the test, every job it started in the background has ended."""
    built = create_app(config, site=site)
    yield built
    assert background(built).wait(), "a background job was still running after the test"


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def browser():
    """A headless Debian Chromium driven by Playwright, shared by the session's browser tests."""
    from playwright.sync_api import sync_playwright

    from .browser import CHROMIUM_FLAGS, chromium_path

    executable = chromium_path()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser context and page; fails the test on any JavaScript error."""
    context = browser.new_context()
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


@pytest.fixture
def server_url(app: Flask):
    """The base URL of `app` served on 127.0.0.1 for a browser."""
    from .browser import live_server

    with live_server(app) as url:
        yield url


@pytest.fixture
def redis_url(tmp_path) -> Iterator[str]:
    """A redis-server of its own on a free port, for one test."""
    pytest.importorskip("redis")
    server = shutil.which("redis-server")
    if server is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Debian's redis-server is required under CI=true (.ci/run installs it)")
        pytest.skip("redis-server is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", tmp_path],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)
