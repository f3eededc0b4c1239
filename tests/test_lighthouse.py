"""Lighthouse on the her review of a frozen copy: Accessibility, Best Practices and SEO at 100.

Lighthouse comes from bench/ (`npm ci` there installs the locked version) and drives Debian's
chromium; without them the test skips, except under CI=true, where it fails. Performance is
measured by `make lighthouse`, not here: a score that depends on the machine's load has no
place in a test.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from twombly import create_app

from .browser import chromium_path
from .conftest import PROJECT
from .freezing import freeze, static_server

LIGHTHOUSE = PROJECT / "bench/node_modules/.bin/lighthouse"
CATEGORIES = ("accessibility", "best-practices", "seo")


def lighthouse_path() -> str:
    if LIGHTHOUSE.exists() and shutil.which("node"):
        return str(LIGHTHOUSE)
    message = "Lighthouse is not installed: install Node, then `cd bench && npm ci`"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def failing_audits(report: dict, category: str) -> list[str]:
    refs = report["categories"][category]["auditRefs"]
    audits = (report["audits"][ref["id"]] for ref in refs if ref["weight"] > 0)
    return [
        f"{a['id']}: {a['title']}" for a in audits if a["score"] is not None and a["score"] < 1
    ]


def test_the_her_review_of_a_frozen_copy_scores_100(tmp_path):
    lighthouse, chrome = lighthouse_path(), chromium_path()
    app = create_app({"SECRET_KEY": "t", "FREEZE_PRECOMPRESS": False}, site=PROJECT)
    build = tmp_path / "build"
    build.mkdir()
    report_file = tmp_path / "report.json"
    with static_server(build) as url:
        result = freeze(app.test_cli_runner(), build, "--base-url", f"{url}/")
        assert result.exit_code == 0, result.output
        subprocess.run(
            [lighthouse, f"{url}/posts/her/", "--quiet", "--output=json",
             f"--output-path={report_file}", f"--only-categories={','.join(CATEGORIES)}",
             "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"],
            check=True, timeout=180, env={**os.environ, "CHROME_PATH": chrome},
        )  # fmt: skip
    report = json.loads(report_file.read_text(encoding="utf-8"))
    for category in CATEGORIES:
        score = report["categories"][category]["score"]
        assert score == 1, f"{category}: {score}, failing {failing_audits(report, category)}"
