"""/search/: the search page (Pagefind in the browser, the server's own list without JavaScript)
and, on the live server, the Pagefind bundle at /pagefind/, where the frozen copy has it."""

from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    render_template,
    request,
    send_from_directory,
)
from werkzeug.exceptions import NotFound

from twombly.config import is_freezing
from twombly.content import catalog
from twombly.search import live, ranking
from twombly.search.index import BUNDLE
from twombly.web.security import content_security_policy

bp = Blueprint("search", __name__)


@bp.get("/search/")
def page() -> Response:
    """The search form; with `?q=` on the live server, the matching posts, best first."""
    query = "" if is_freezing() else request.args.get("q", "", type=str).strip()
    results = ranking.search(query, catalog.public_posts())[: current_app.config["SEARCH_RESULTS"]]
    response = Response(render_template("search.html", query=query, results=results))
    response.headers["Content-Security-Policy"] = search_policy()
    return response


@bp.get(f"/{BUNDLE}/<path:filename>")
def bundle(filename: str) -> Response:
    """A file of the live index (built in the background: 404 until the first build ends)."""
    folder = live.current_bundle(current_app)
    if folder is None:
        raise NotFound()
    response = send_from_directory(folder, filename, max_age=0)
    response.headers["Content-Security-Policy"] = search_policy()  # Pagefind's worker runs here
    return response


def search_policy() -> str:
    return content_security_policy(current_app.config, wasm=True)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    live.init_app(app)
