"""`flask freeze` never cleans a folder it must not, not even with `--force` (issue 17, #16)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from twombly.freeze.destination import UnsafeDestination, check_destination

from .conftest import PROJECT
from .freezing import freeze

KEEP = [".git", ".nojekyll", "CNAME"]


def git_checkout(folder: Path) -> Path:
    """A real git repository in `folder`, with one committed file, like a gh-pages checkout."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    (folder / "index.html").write_text("the old site")
    return folder


@pytest.fixture
def blog(site: Path, write_post) -> Path:
    """A site with one post and its own .git, .venv and instance/ folders."""
    write_post("her")
    subprocess.run(["git", "init", "-q", str(site)], check=True)
    (site / ".venv").mkdir()
    (site / ".venv/pyvenv.cfg").write_text("home = /usr/bin\n")
    (site / "instance").mkdir()
    (site / "instance/secret_key").write_text("s3cret")
    return site


@pytest.mark.parametrize(
    ("destination", "why"),
    [
        (".git", "overlaps the site's .git/"),
        (".venv", "overlaps the site's .venv/"),
        ("instance", "overlaps the site's instance/"),
        ("comments", "overlaps the site's comments/"),
        (".git/objects", "overlaps the site's .git/"),
    ],
)
def test_force_never_cleans_the_sites_own_folders(runner, blog, destination, why):
    before = sorted(p.relative_to(blog) for p in blog.rglob("*"))
    result = freeze(runner, blog / destination, "--force")  # never relative: that is the cwd's
    assert result.exit_code != 0
    assert f"refusing to freeze into {(blog / destination).resolve()}: it {why}" in result.output
    assert sorted(p.relative_to(blog) for p in blog.rglob("*")) == before
    assert (blog / ".git/HEAD").is_file() and (blog / "instance/secret_key").is_file()


def test_force_never_cleans_another_repositorys_git_folder(runner, blog, tmp_path):
    other = git_checkout(tmp_path / "other")
    result = freeze(runner, other / ".git", "--force")
    assert result.exit_code != 0
    assert "inside a git repository's own .git folder" in result.output
    assert (other / ".git/HEAD").is_file()


def test_force_never_cleans_a_git_checkout_no_freeze_wrote(runner, blog, tmp_path):
    pages = git_checkout(tmp_path / "pages-branch")
    result = freeze(runner, pages, "--force")
    assert result.exit_code != 0
    assert f"refusing to freeze into {pages.resolve()}: it is a git checkout" in result.output
    assert "index.html" in result.output and "--force never cleans" in result.output
    assert (pages / "index.html").read_text() == "the old site"
    assert (pages / ".git/HEAD").is_file()


def test_an_emptied_git_checkout_is_frozen_into_without_force(runner, blog, tmp_path):
    pages = git_checkout(tmp_path / "pages-branch")
    (pages / "index.html").unlink()
    (pages / "CNAME").write_text("reviews.example\n")
    result = freeze(runner, pages)
    assert result.exit_code == 0, result.output
    assert (pages / "posts/her/index.html").is_file()
    assert (pages / "CNAME").is_file() and (pages / ".git/HEAD").is_file()


def test_a_checkout_an_earlier_freeze_wrote_needs_no_force(runner, blog, tmp_path):
    build = tmp_path / "build"
    assert freeze(runner, build).exit_code == 0
    git_checkout(build)  # the published copy becomes the pages branch's checkout
    (build / "posts/gone").mkdir()
    (build / "posts/gone/index.html").write_text("an old post")
    result = freeze(runner, build)
    assert result.exit_code == 0, result.output
    assert not (build / "posts/gone").exists()
    assert (build / ".git/HEAD").is_file()
    status = subprocess.run(["git", "-C", str(build), "status"], capture_output=True)
    assert status.returncode == 0


def test_a_checkout_whose_git_keep_does_not_protect_is_refused(app, runner, blog, tmp_path):
    build = tmp_path / "build"
    assert freeze(runner, build).exit_code == 0
    git_checkout(build)
    app.config["FREEZE_KEEP"] = ["CNAME"]
    result = freeze(runner, build, "--force")
    assert result.exit_code != 0
    assert "[freeze] keep does not protect its .git" in result.output
    assert (build / ".git/HEAD").is_file()


def test_force_never_cleans_the_home_folder(runner, blog, tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    (home / "notes.txt").write_text("mine")
    monkeypatch.setenv("HOME", str(home))
    result = freeze(runner, home, "--force")
    assert result.exit_code != 0
    assert f"it holds your home folder ({home.resolve()})" in result.output
    assert (home / "notes.txt").read_text() == "mine"


def test_force_never_cleans_a_virtual_environment(runner, blog, tmp_path):
    venv = tmp_path / "env"
    venv.mkdir()
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\n")
    result = freeze(runner, venv, "--force")
    assert result.exit_code != 0
    assert "it is a Python virtual environment" in result.output
    assert (venv / "pyvenv.cfg").is_file()


# Called directly, never through the CLI: were the check to pass, a freeze would clean them.
@pytest.mark.parametrize(
    ("folder", "why"),
    [
        (Path("/"), "it holds the site itself"),
        (PROJECT / "twombly", "the engine's own code"),
        (PROJECT / "twombly" / "build", "the engine's own code"),
        pytest.param(
            Path(sys.prefix),
            "Python environment",
            marks=pytest.mark.skipif(sys.prefix == sys.base_prefix, reason="not in a venv"),
        ),
    ],
)
def test_force_never_allows_the_engine_its_python_or_the_root(blog, folder, why):
    with pytest.raises(UnsafeDestination, match=why):
        check_destination(folder.resolve(), blog, KEEP, force=True)
