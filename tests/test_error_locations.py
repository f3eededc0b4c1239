"""Front matter errors at the line the author must fix, logged once; dev polls left unlogged."""

from __future__ import annotations

import logging
import os
from urllib.request import urlopen

import pytest

from twombly import create_app

from .browser import live_server


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("title: Her\ndate: 2024-01-01\nreview:\n  year: 2013\n", 4),  # the review block
        ("title: Her\ndate: 2024-01-01\nreview:\n  title: Her\n  rating: 9\n", 6),
        ("title: Her\ndate: 2024-01-01\nreview:\n  title: Her\n  year: soon\n", 6),
        ("title: Her\nreview: {year: 2013}\ndate: 2024-01-01\n", 3),
        ('title: "Her\ndate: 2024-01-01\ntags: [drama]\n', 2),  # where the quote opened
        ("title: 'Her\ndate: 2024-01-01\n", 2),
        ("title: Her\ntags: [drama,\ndate: 2024-01-01\nsummary: x\n", 3),
    ],
)
def test_a_front_matter_error_names_the_line_to_fix(runner, write_post, text, where):
    write_post("her", raw=f"---\n{text}---\n\nBody.\n")
    result = runner.invoke(args=["check"])
    assert result.output.splitlines()[0].startswith(f"pages/her.md:{where}: "), result.output


def errors_logged(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith("left out")]


def test_each_front_matter_error_is_logged_once(site, config, write_post, caplog, tmp_path):
    config["FLATPAGES_AUTO_RELOAD"] = True
    write_post("bad", raw="---\ntitle: Bad\n---\n\nNo date.\n")
    good = write_post("good")
    with caplog.at_level(logging.ERROR, logger="twombly"):
        app = create_app(config, site=site)
        client = app.test_client()
        for _ in range(3):
            client.get("/")
        stat = good.stat()
        os.utime(good, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5 * 10**9))  # another file
        client.get("/")
        app.test_cli_runner().invoke(args=["freeze", "--destination", str(tmp_path / "b")])
    assert errors_logged(caplog) == ["left out pages/bad.md:1: missing required key 'date'"]
    write_post("bad", raw="---\ntitle: Bad\ndate: someday\n---\n\nStill wrong.\n")
    with caplog.at_level(logging.ERROR, logger="twombly"):
        caplog.clear()
        client.get("/")
        client.get("/")
    assert len(errors_logged(caplog)) == 1  # a new error is logged, once


def test_live_preview_polls_stay_out_of_the_access_log(config, site, write_post, caplog):
    config["DEBUG"] = True
    write_post("her")
    app = create_app(config, site=site)
    with caplog.at_level(logging.INFO, logger="werkzeug"), live_server(app) as url:
        for _ in range(3):
            urlopen(f"{url}/__livereload/").read()
        urlopen(f"{url}/posts/her/").read()
    lines = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert not [line for line in lines if "__livereload" in line]
    assert [line for line in lines if "GET /posts/her/" in line]
