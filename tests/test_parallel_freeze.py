"""Freezing with several processes writes exactly the files one process writes."""

from __future__ import annotations

from pathlib import Path

from twombly import create_app
from twombly.freeze.freezer import freeze_site


def files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in root.rglob("*")
        if path.is_file() and not path.name.startswith(".twombly")
    }


def test_parallel_freeze_equals_a_single_process_freeze(site, config, write_post, tmp_path):
    for number in range(12):
        write_post(f"film-{number}", body=f"# Film {number}\n\nWords *{number}*.", tags=["drama"])
    one = create_app({**config, "FREEZE_WORKERS": 1}, site=site)
    two = create_app({**config, "FREEZE_WORKERS": 2}, site=site)
    freeze_site(one, destination=tmp_path / "one")
    (tmp_path / "two").mkdir()
    freeze_site(two, destination=tmp_path / "two")
    (tmp_path / "two" / "old.html").write_text("gone after the next freeze")
    (tmp_path / "two" / ".twombly-build").write_text("")
    report = freeze_site(two, destination=tmp_path / "two")
    assert files(tmp_path / "one") == files(tmp_path / "two")
    assert report.unchanged == len(files(tmp_path / "one"))
    assert report.removed == 1
