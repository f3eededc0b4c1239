"""Comments in git: `flask comments commit`, the merge driver, and a server and a laptop
clone that both take comments and pull from each other with nothing lost."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from twombly.comments.background import background
from twombly.comments.store import CommentStore

from .comment_helpers import comment_id, send_comment

GITIGNORE = "instance/\ncomments/*.lock\ncomments/.*.tmp\n__pycache__/\n"
APP = "from twombly import create_app\n\napp = create_app()\n"
FIRST = {"id": "c0", "parent": None, "author": "Ann", "body": "First!",
         "created": "2024-01-02T10:00:00Z", "status": "approved"}  # fmt: skip


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"{args}: {done.stdout}{done.stderr}"
    return done


def flask(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return run(cwd, sys.executable, "-m", "flask", "--app", "app", *args)


def configure(clone: Path) -> None:
    for key, value in (("user.name", "Owner"), ("user.email", "owner@example.org"),
                       ("pull.rebase", "false")):  # fmt: skip
        run(clone, "git", "config", key, value)


def comments(clone: Path) -> dict[str, dict]:
    document = json.loads((clone / "comments" / "her.json").read_text("utf-8"))
    return {c["id"]: c for c in document["comments"]}


@pytest.fixture
def clones(tmp_path: Path) -> tuple[Path, Path]:
    """A laptop clone that set the site up, and a server clone of the same shared repository."""
    origin, laptop, server = tmp_path / "origin.git", tmp_path / "laptop", tmp_path / "server"
    run(tmp_path, "git", "init", "-q", "--bare", "-b", "main", str(origin))
    run(tmp_path, "git", "init", "-q", "-b", "main", str(laptop))
    configure(laptop)
    (laptop / "pages").mkdir()
    (laptop / "pages" / "her.md").write_text("---\ntitle: Her\ndate: 2024-01-01\n---\n\nWords.\n")
    (laptop / "comments").mkdir()
    (laptop / "comments" / "her.json").write_text(
        json.dumps({"post": "her", "comments": [FIRST]}, indent=2) + "\n"
    )
    (laptop / "app.py").write_text(APP)
    (laptop / ".gitignore").write_text(GITIGNORE)
    installed = flask(laptop, "comments", "install-merge-driver")
    assert "comments/*.json merge=twombly-comments" in installed.stdout
    run(laptop, "git", "add", "-A")
    run(laptop, "git", "commit", "-q", "-m", "The site")
    run(laptop, "git", "push", "-q", str(origin), "main")
    run(tmp_path, "git", "clone", "-q", str(origin), str(server))
    configure(server)
    flask(server, "comments", "install-merge-driver")
    run(laptop, "git", "remote", "add", "origin", str(origin))
    run(laptop, "git", "fetch", "-q", "origin")
    run(laptop, "git", "branch", "-q", "--set-upstream-to=origin/main")
    return laptop, server


def at(hour: int) -> datetime:
    return datetime(2024, 3, 1, hour, tzinfo=UTC)


def test_server_and_laptop_comments_merge_with_nothing_lost(clones):
    laptop, server = clones
    on_server = CommentStore(server / "comments")
    a = on_server.add("her", author="Bo", body="From the server.", now=at(9))
    b = on_server.add("her", author="Cy", body="Reply.", parent="c0", now=at(11))
    on_server.closed.set("her", True)
    committed = flask(server, "comments", "commit")
    assert committed.stdout.splitlines() == [
        "Comments: 2 new", "", f"new her {a.id}", f"new her {b.id}", "updated closed.txt"
    ]  # fmt: skip
    run(server, "git", "push", "-q", "origin", "main")

    on_laptop = CommentStore(laptop / "comments")
    c = on_laptop.add("her", author="Di", body="From the laptop.", now=at(10))
    on_laptop.set_status("her", "c0", "spam")  # the owner moderates on the laptop
    on_laptop.closed.set("alien", True)
    message = flask(laptop, "comments", "commit").stdout
    assert message.startswith("Comments: 1 new, 1 changed")
    assert "changed her c0" in message
    assert flask(laptop, "comments", "commit").stdout == "No comment files changed.\n"

    pulled = run(laptop, "git", "pull", "-q", "--no-edit")
    assert "CONFLICT" not in pulled.stdout + pulled.stderr
    merged = comments(laptop)
    assert list(merged) == ["c0", a.id, c.id, b.id]  # ordered by time
    assert merged["c0"]["status"] == "spam"
    assert merged[b.id]["parent"] == "c0"
    assert CommentStore(laptop / "comments").closed.slugs() == {"her", "alien"}
    assert flask(laptop, "check").returncode == 0
    assert run(laptop, "git", "status", "--porcelain").stdout == ""

    run(laptop, "git", "push", "-q", "origin", "main")
    run(server, "git", "pull", "-q", "--no-edit")
    assert comments(server) == merged


def merge_files(tmp_path: Path, base: list, ours: list, theirs: list) -> list[Path]:
    paths = []
    for name, items in (("base", base), ("ours", ours), ("theirs", theirs)):
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps({"post": "her", "comments": items}, indent=2) + "\n")
        paths.append(path)
    return paths


def test_the_same_comment_changed_on_both_sides_keeps_the_newer(runner, tmp_path):
    base, ours, theirs = merge_files(
        tmp_path,
        [FIRST],
        [{**FIRST, "body": "Mine.", "edited": "2024-01-03T10:00:00Z"}],
        [{**FIRST, "body": "Theirs, later.", "edited": "2024-01-04T10:00:00Z"},
         {**FIRST, "id": "c9", "created": "2024-01-01T10:00:00Z"}],
    )  # fmt: skip
    result = runner.invoke(args=["comments", "merge-driver", str(base), str(ours), str(theirs)])
    assert result.exit_code == 0
    assert "comment c0: changed on both sides; kept the newer change (theirs)" in result.output
    merged = json.loads(ours.read_text("utf-8"))["comments"]
    assert [(c["id"], c["body"]) for c in merged] == [("c9", "First!"), ("c0", "Theirs, later.")]


def test_one_sided_changes_win_and_a_bad_copy_is_left_to_a_person(runner, tmp_path):
    base, ours, theirs = merge_files(
        tmp_path,
        [FIRST, {**FIRST, "id": "c1", "parent": "c0"}],
        [{**FIRST, "status": "pending"}, {**FIRST, "id": "c1", "parent": "c0"}],
        [{**FIRST, "body": "Edited."}],  # c1 deleted on their side
    )
    result = runner.invoke(args=["comments", "merge-driver", str(base), str(ours), str(theirs)])
    assert result.exit_code == 0
    merged = json.loads(ours.read_text("utf-8"))["comments"]
    assert merged == [{**FIRST, "body": "Edited.", "status": "pending"}]

    before = ours.read_bytes()
    theirs.write_text('{"post": "her", "comments": [{"id": "x"}]}')
    broken = runner.invoke(args=["comments", "merge-driver", str(base), str(ours), str(theirs)])
    assert broken.exit_code == 1
    assert '"author" is missing' in broken.output
    assert ours.read_bytes() == before


def test_git_commit_after_each_stored_comment(app, client, site, write_post):
    run(site, "git", "init", "-q", "-b", "main")
    configure(site)
    write_post("her", title="Her")
    (site / ".gitignore").write_text(GITIGNORE)
    run(site, "git", "add", "pages", ".gitignore")
    run(site, "git", "commit", "-q", "-m", "A post")
    app.config["COMMENTS_GIT_COMMIT"] = True
    new = comment_id(send_comment(client, "her", body="Committed."))
    assert background(app).wait(30)
    log = run(site, "git", "log", "-1", "--format=%B").stdout
    assert log.startswith("Comments: 1 new")
    assert f"new her {new}" in log
    assert run(site, "git", "status", "--porcelain", "comments").stdout == ""


def test_a_renamed_comment_file_is_committed_under_its_new_name(clones):
    """A post's slug changed: its comments file moved with `git mv` is committed as a move."""
    laptop, _ = clones
    run(laptop, "git", "mv", "comments/her.json", "comments/her-2013.json")
    flask(laptop, "comments", "commit")
    assert run(laptop, "git", "status", "--porcelain").stdout == ""
    moved = run(laptop, "git", "show", "--name-status", "--format=", "HEAD").stdout
    assert moved.split() == ["R100", "comments/her.json", "comments/her-2013.json"]
