"""`python -m twombly.search SITE`: build the live server's search index (see live.py)."""

import logging
import sys

from twombly import create_app
from twombly.search.index import SearchIndexError
from twombly.search.live import CHILD_CONFIG, build

log = logging.getLogger("twombly")


def main(site: str) -> int:
    """Build the index of the site folder `site`, as its live server is configured."""
    app = create_app(CHILD_CONFIG, site=site)
    try:
        build(app)
    except SearchIndexError as error:
        log.error("search index not rebuilt: %s", error)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
