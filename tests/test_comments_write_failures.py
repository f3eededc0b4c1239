"""A write the operating system refuses: a 503 page, and the comment file as it was."""

from __future__ import annotations

import errno
import os
import subprocess

import pytest

from .comment_helpers import comment_id, csrf_token, send_comment


@pytest.fixture
def her(client, write_post):
    write_post("her", title="her")
    comment_id(send_comment(client, "her", body="The first comment."))


class _FullDisk:
    """A file whose writes fail as on a full disk."""

    def __init__(self, file) -> None:
        self.file = file

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.file.close()

    def write(self, data: bytes) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name: str):
        return getattr(self.file, name)


def test_disk_full_refuses_the_comment_and_keeps_the_file(client, site, her, monkeypatch, caplog):
    path = site / "comments" / "her.json"
    before = path.read_bytes()
    token = csrf_token(client, "her")
    real_fdopen = os.fdopen
    monkeypatch.setattr(os, "fdopen", lambda fd, *a, **k: _FullDisk(real_fdopen(fd, *a, **k)))
    response = send_comment(client, "her", csrf_token=token, body="Lost to a full disk")
    monkeypatch.undo()
    assert response.status_code == 503
    assert "could not be saved" in response.get_data(as_text=True)
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["her.json", "her.json.lock"]
    assert "comment refused post=her id=- reason=write failed" in caplog.text
    assert "No space left on device" in caplog.text


@pytest.fixture
def read_only(site):
    """Make comments/ read-only, even for root (who ignores permission bits)."""
    folder = site / "comments"
    if os.geteuid() != 0:
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
        return
    if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode:
        pytest.skip("running as root without chattr +i: cannot make a folder read-only")
    try:
        yield folder
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_read_only_folder_refuses_the_comment_and_keeps_the_file(client, site, her, read_only):
    path = read_only / "her.json"
    before = path.read_bytes()
    response = send_comment(client, "her", body="Nowhere to go")
    assert response.status_code == 503
    assert path.read_bytes() == before
    # the post still shows its comments
    page = client.get("/posts/her/").get_data(as_text=True)
    assert "The first comment." in page


def test_read_only_folder_refuses_a_first_comment(client, write_post, read_only):
    write_post("quiet")
    assert send_comment(client, "quiet").status_code == 503
    assert not (read_only / "quiet.json").exists()
