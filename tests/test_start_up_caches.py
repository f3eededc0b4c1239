"""What a restart reuses (parsed front matter, compiled templates) never shows stale content."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path
from typing import Any

from twombly import create_app

PROJECT = Path(__file__).resolve().parent.parent


def title_of(site: Path, config: dict[str, Any], path: str) -> str:
    client = create_app(config, site=site).test_client()
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_edited_front_matter_is_read_again_after_a_restart(site, config, write_post) -> None:
    write_post("her", title="Her, first thoughts", tags=["drama"])
    assert "Her, first thoughts" in title_of(site, config, "/posts/her/")
    assert (site / "instance" / "cache" / "front-matter.pickle").is_file()
    write_post("her", title="Her, second thoughts", tags=["romance"])
    page = title_of(site, config, "/posts/her/")
    assert "Her, second thoughts" in page
    assert "/tags/romance/" in page
    assert "first thoughts" not in page


def test_two_pages_with_the_same_front_matter_each_get_their_own(site, config, write_post):
    write_post("one", title="Same", date="2024-02-01")
    write_post("two", title="Same", date="2024-02-01")
    create_app(config, site=site)
    app = create_app(config, site=site)
    with app.app_context():
        pages = app.extensions["flatpages"][None]
        first, second = pages.get("one").meta, pages.get("two").meta
    assert first == second
    assert first is not second


class _Hostile:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_a_damaged_or_hostile_cache_file_is_ignored(site, config, write_post) -> None:
    write_post("her", title="Her")
    cache = site / "instance" / "cache" / "front-matter.pickle"
    cache.parent.mkdir(parents=True)
    cache.write_bytes(b"not a pickle")
    assert "Her" in title_of(site, config, "/posts/her/")
    marker = site / "ran"
    cache.write_bytes(pickle.dumps(("1", {"key": _Hostile(marker)})))
    assert "Her" in title_of(site, config, "/posts/her/")
    assert not marker.exists()


def test_the_cache_can_be_turned_off(site, config, write_post) -> None:
    write_post("her", title="Her")
    config["FRONT_MATTER_CACHE"] = ""
    config["TEMPLATE_CACHE_DIR"] = ""
    assert "Her" in title_of(site, config, "/posts/her/")
    assert not (site / "instance" / "cache" / "front-matter.pickle").exists()
    assert not (site / "instance" / "cache" / "templates").exists()


def test_an_edited_template_is_compiled_again_after_a_restart(site, config, write_post) -> None:
    write_post("her", title="Her")
    (site / "templates").unlink()
    shutil.copytree(PROJECT / "templates", site / "templates")
    before = title_of(site, config, "/")
    assert any((site / "instance" / "cache" / "templates").iterdir())
    base = site / "templates" / "base.html"
    base.write_text(base.read_text().replace("</main>", "</main><!-- edited -->", 1))
    after = title_of(site, config, "/")
    assert "<!-- edited -->" not in before
    assert "<!-- edited -->" in after
