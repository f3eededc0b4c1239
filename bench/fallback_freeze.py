"""Stand-in for `flask freeze` until twombly/freeze.py exists: Frozen-Flask following links.

python bench/fallback_freeze.py SITE DEST
"""

import sys
from pathlib import Path

from flask_frozen import Freezer

from twombly import create_app

site, destination = Path(sys.argv[1]), Path(sys.argv[2])
app = create_app({"FREEZER_DESTINATION": str(destination.resolve())}, site=site)
urls = Freezer(app, log_url_for=True).freeze()
print(f"{len(urls)} pages frozen into {destination}")
