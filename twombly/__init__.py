"""Twombly, a flat-file review blog engine: `create_app` builds the app over a site folder."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from flask.logging import default_handler, has_level_handler

__all__ = ["create_app"]


def create_app(config: Mapping[str, Any] | None = None, site: str | Path | None = None) -> Flask:
    """Build the app over `site`, the folder holding site.toml, pages/, comments/ and the theme."""
    site_path = Path(site or Path.cwd()).resolve()
    app = Flask(
        __name__,
        root_path=str(site_path),
        instance_path=str(site_path / "instance"),
        template_folder="templates",
        static_folder="static",
    )
    from twombly import config as settings

    settings.configure(app, config)
    log_decisions()

    from twombly import cli, extensions
    from twombly.admin import views as admin
    from twombly.comments import frozen as frozen_comments
    from twombly.comments import store
    from twombly.comments import views as comments
    from twombly.content import catalog
    from twombly.films import views as films
    from twombly.freeze import freezer
    from twombly.search import views as search
    from twombly.web import (
        cache,
        errors,
        feeds,
        follow,
        http_cache,
        livereload,
        metadata,
        proxy,
        request_body,
        security,
        theme,
    )
    from twombly.web import images as pictures
    from twombly.web import views as blog

    # http_cache first: its after_request hook runs last, on the finished answer.
    for part in (
        http_cache,
        store,
        follow,
        extensions,
        cache,
        theme,
        metadata,
        pictures,
        errors,
        security,
        proxy,
        request_body,
    ):
        part.init_app(app)  # caching headers, comment files, extensions, what every page uses
    app.register_blueprint(blog.bp)
    app.register_blueprint(feeds.bp)
    films.init_app(app)  # the browse pages, the diary and the Letterboxd export
    search.init_app(app)
    for part in (comments, frozen_comments, admin, livereload, freezer, cli):
        part.init_app(app)  # readers' comments, the owner's tools, `flask` commands
    catalog.init_app(app)  # last: the pages, which may not take a route's name
    return app


def log_decisions() -> None:
    """Let the engine's INFO lines (one per comment decision) out.

    Nothing gives the "twombly" logger a handler under gunicorn, and Python's last-resort
    handler drops anything below WARNING, so accepted comments went unlogged. Flask's own
    handler (the server's error stream) is added when no handler takes INFO already; a
    handler configured by the owner, or pytest's, is left to do the work.
    """
    logger = logging.getLogger("twombly")
    logger.setLevel(logging.INFO)
    if not has_level_handler(logger):
        logger.addHandler(default_handler)
