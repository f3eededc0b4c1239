"""The frozen copy's index: Pagefind over the pages the freeze just wrote, in `pagefind/`."""

from __future__ import annotations

import shutil
from pathlib import Path

from flask import current_app

from twombly.search.index import BUNDLE, Page, stamp, write_index
from twombly.search.pages import frozen_file, indexed_paths

STAGING = ".twombly-pagefind"  # a freeze's own file name: never a site file, never removed


def index_copy(root: Path, last: str | None) -> str:
    """Index the frozen posts and pages into root/pagefind and return the index's stamp.

    When the pages are byte for byte those the last index was built from, the bundle is left
    as it is, so a re-freeze of an unchanged site rewrites no file.
    """
    pages = frozen_pages(root)
    current = stamp(pages)
    bundle = root / BUNDLE
    if current == last and (bundle / "pagefind.js").is_file():
        return current
    staging = root / STAGING
    write_index(pages, staging, current_app.config["LANGUAGE"])
    if bundle.exists():
        shutil.rmtree(bundle)
    staging.rename(bundle)
    return current


def frozen_pages(root: Path) -> list[Page]:
    return [
        (path, frozen_file(root, path).read_text(encoding="utf-8")) for path in indexed_paths()
    ]
