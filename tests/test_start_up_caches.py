"""A restart shows an edited template: nothing compiled is kept from one run to the next."""

from __future__ import annotations

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


def test_an_edited_template_is_compiled_again_after_a_restart(site, config, write_post) -> None:
    write_post("her", title="Her")
    (site / "templates").unlink()
    shutil.copytree(PROJECT / "templates", site / "templates")
    before = title_of(site, config, "/")
    base = site / "templates" / "base.html"
    base.write_text(base.read_text().replace("</main>", "</main><!-- edited -->", 1))
    after = title_of(site, config, "/")
    assert "<!-- edited -->" not in before
    assert "<!-- edited -->" in after
