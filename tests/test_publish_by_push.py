"""`flask publish install-hook`, with real repositories: a laptop's clone pushes to a bare
repository on the "server", whose hooks check the push, update the site's working copy and
freeze the static copy; a push with a front matter error is refused and changes nothing."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from twombly import create_app

from .conftest import PROJECT

IDENTITY = {
    "GIT_AUTHOR_NAME": "Ann",
    "GIT_AUTHOR_EMAIL": "ann@example.org",
    "GIT_COMMITTER_NAME": "Ann",
    "GIT_COMMITTER_EMAIL": "ann@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(
    folder: Path, *args: str, check: bool = True, freeze: bool = False
) -> subprocess.CompletedProcess:
    """git as the laptop's owner; the hooks freeze only for a test that looks at the copy
    (the variable overrides site.toml's `[publish] freeze`, and keeps the tests fast)."""
    freezing = {} if freeze else {"TWOMBLY_PUBLISH_FREEZE": "false"}
    return subprocess.run(
        ["git", "-C", str(folder), *args],
        env={**os.environ, **IDENTITY, **freezing},
        capture_output=True,
        text=True,
        check=check,
    )


def post(title: str, date: str = "2024-01-01") -> str:
    return f"---\ntitle: {title}\ndate: {date}\n---\n\nWords about {title}.\n"


@pytest.fixture
def server(tmp_path: Path) -> dict[str, Path]:
    """A site's working copy with its hooks in a bare repository, and a laptop's clone."""
    site, public = tmp_path / "site", tmp_path / "public"
    (site / "pages").mkdir(parents=True)
    (site / "pages" / "her.md").write_text(post("Her"), encoding="utf-8")
    (site / "templates").symlink_to(PROJECT / "templates")
    (site / "static").symlink_to(PROJECT / "static")
    settings = f'title = "Reviews"\n[publish]\nfreeze = true\n[freeze]\ndestination = "{public}"\n'
    (site / "site.toml").write_text(settings, encoding="utf-8")
    git(tmp_path, "init", "--quiet", "--initial-branch=main", str(site))
    git(site, "add", ".")
    git(site, "commit", "--quiet", "-m", "The first review")
    git(tmp_path, "clone", "--quiet", "--bare", str(site), str(tmp_path / "server.git"))
    git(tmp_path, "clone", "--quiet", str(tmp_path / "server.git"), str(tmp_path / "laptop"))
    git(site, "remote", "add", "origin", str(tmp_path / "server.git"))
    runner = create_app({"TESTING": True, "SECRET_KEY": "x"}, site=site).test_cli_runner()
    result = runner.invoke(args=["publish", "install-hook", str(tmp_path / "server.git")])
    assert result.exit_code == 0, result.output
    assert "A push to main is checked with `flask check`" in result.output
    # Since the last commit, a reader left a comment on the server.
    (site / "comments").mkdir()
    comments = site / "comments" / "her.json"
    comments.write_text(json.dumps({"post": "her", "comments": []}), encoding="utf-8")
    return {"site": site, "public": public, "laptop": tmp_path / "laptop", "comments": comments}


def push(laptop: Path, name: str, text: str, freeze: bool = False) -> subprocess.CompletedProcess:
    (laptop / "pages" / name).write_text(text, encoding="utf-8")
    git(laptop, "add", ".")
    git(laptop, "commit", "--quiet", "-m", f"Add {name}")
    return git(laptop, "push", "origin", "main", check=False, freeze=freeze)


def test_a_good_push_updates_the_site_and_its_frozen_copy(server):
    pushed = push(server["laptop"], "lost.md", post("Lost in Translation"), freeze=True)
    assert pushed.returncode == 0, pushed.stderr
    assert "remote: No problems in 2 pages" in pushed.stderr  # shown to the pusher
    assert (server["site"] / "pages" / "lost.md").read_text("utf-8").startswith("---")
    frozen = server["public"] / "posts" / "lost" / "index.html"
    assert "Lost in Translation" in frozen.read_text("utf-8")
    assert server["comments"].exists()  # what the server wrote since is kept
    head = git(server["site"], "rev-parse", "HEAD").stdout
    assert head == git(server["laptop"], "rev-parse", "HEAD").stdout


def test_a_push_with_a_front_matter_error_is_refused_and_changes_nothing(server):
    before = git(server["site"], "rev-parse", "HEAD").stdout
    pushed = push(server["laptop"], "bad.md", post("Bad", date="yesterday"), freeze=True)
    assert pushed.returncode != 0
    assert "remote: pages/bad.md:3: 'date' is not a date: 'yesterday'" in pushed.stderr
    assert "pre-receive hook declined" in pushed.stderr
    assert not (server["site"] / "pages" / "bad.md").exists()
    assert git(server["site"], "rev-parse", "HEAD").stdout == before
    assert not server["public"].exists()


def test_a_push_that_would_overwrite_a_file_the_server_changed_is_refused(server):
    """The server's uncommitted comments are never overwritten by a push."""
    laptop = server["laptop"]
    (laptop / "comments").mkdir()
    pushed = push(laptop, "../comments/her.json", json.dumps({"post": "her", "comments": []}))
    assert pushed.returncode != 0
    assert "remote: comments/her.json: changed on the server and in this push" in pushed.stderr
    assert server["comments"].read_text("utf-8") == '{"post": "her", "comments": []}'


def test_comments_committed_on_the_server_are_merged_with_a_push_and_go_back_by_push(server):
    """The server commits its readers' comments (as `flask comments commit` does); a post
    pushed from the laptop meanwhile is merged with them, and the server's own push of them
    is accepted too, so the laptop can pull them."""
    site, laptop = server["site"], server["laptop"]
    git(site, "add", "comments")
    git(site, "commit", "--quiet", "-m", "Comments: 1 new")
    pushed = push(laptop, "lost.md", post("Lost in Translation"))
    assert pushed.returncode == 0, pushed.stderr
    assert (site / "pages" / "lost.md").exists()
    assert "Comments: 1 new" in git(site, "log", "--format=%s").stdout
    back = git(site, "push", "--quiet", "origin", "main", check=False)
    assert back.returncode == 0, back.stderr
    git(laptop, "pull", "--quiet", "origin", "main")
    assert (laptop / "comments" / "her.json").exists()
