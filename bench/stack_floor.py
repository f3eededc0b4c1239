"""The least any freeze on the required stack does before it can write a page.

    python bench/stack_floor.py SITE

Starts a Python process, imports Flask, Flask-FlatPages and Frozen-Flask, and reads the front
matter of every page in SITE/pages through Flask-FlatPages' public API (`page.meta`), as any
Flask-FlatPages site must to know its posts, dates and tags. It renders nothing and writes
nothing. bench/freeze.py times it beside Hugo's cold build: a re-freeze that has to start a
process and learn which pages exist cannot take less than this.
"""

from __future__ import annotations

import sys
from pathlib import Path

from flask import Flask
from flask_flatpages import FlatPages
from flask_frozen import Freezer


def read_front_matter(site: Path) -> int:
    """Every page's metadata, through FlatPages as Twombly reads it; how many pages."""
    app = Flask(__name__)
    app.config.update(FLATPAGES_ROOT=str(site / "pages"), FLATPAGES_EXTENSION=".md")
    pages = FlatPages(app)
    Freezer(app)
    with app.app_context():
        return sum(1 for page in pages if page.meta is not None)


if __name__ == "__main__":
    print(read_front_matter(Path(sys.argv[1])))
