"""The WebP copies of every image the published pages show, for the frozen copy.

A copy's address holds its content's digest, so a copy already in the destination is the same
file and is not asked for again; when the settings changed (or the last freeze stopped half-way)
every one is asked for, and Frozen-Flask rewrites only those whose bytes differ. An image that
cannot be prepared is left out: its pages show the original, and `flask check` names it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from twombly.content import catalog
from twombly.freeze.sources import Entry, Sources
from twombly.images.library import site_image
from twombly.images.process import ImageError
from twombly.web.images import shown_images, variant_file

ALREADY_THERE = datetime.fromtimestamp(0)  # any file in the destination is recent enough


def image_files() -> Iterator[Entry]:
    """Every WebP copy of the posters and body images of the published posts and pages."""
    last_modified = None if Sources.current().every_page else ALREADY_THERE
    seen: set[str] = set()
    for entry in [*catalog.published_posts(), *catalog.standalone_pages()]:
        for name in shown_images(entry):
            if name in seen:
                continue
            seen.add(name)
            try:
                prepared = site_image(name)
            except ImageError:
                continue
            for width in prepared.widths:
                yield (
                    "images.variant",
                    {"name": variant_file(name, prepared, width)},
                    last_modified,
                )
