"""The least a Flask app does for a page: the required stack's floor for live serving.

bench/serve.py runs this module under the same gunicorn settings as Twombly
(`bare_flask:app`, bench/gunicorn_bench.py) and asks it for a post page: it answers every path
with the bytes of the file named by BARE_FLASK_PAGE, read once at start, and does nothing else
(no template, no cache lookup, no headers beyond Flask's own). A Flask app on gunicorn cannot
serve a page faster than this, so its share of nginx's rate bounds what Twombly can reach.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, Response

PAGE = Path(os.environ["BARE_FLASK_PAGE"]).read_bytes()

app = Flask(__name__)


@app.get("/", defaults={"path": ""})
@app.get("/<path:path>")
def page(path: str) -> Response:
    return Response(PAGE, mimetype="text/html")
