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
    _log_decisions()

    from twombly import extensions as limits
    from twombly.comments import frozen as frozen_comments
    from twombly.comments import store as comments
    from twombly.content import pages
    from twombly.freeze import freezer as freeze
    from twombly.web import errors, feeds, metadata, proxy, security, theme, views

    pages.init_app(app)
    comments.init_app(app)
    limits.init_app(app)
    theme.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    proxy.init_app(app)
    app.register_blueprint(views.bp)
    from twombly.comments import cli as comments_cli
    from twombly.comments import inputs as comment_inputs
    from twombly.comments import views as comment_views

    comment_views.init_app(app)
    comment_inputs.init_app(app)
    comments_cli.init_app(app)
    app.register_blueprint(feeds.bp)
    metadata.init_app(app)
    freeze.init_app(app)
    frozen_comments.init_app(app)

    from twombly import cli
    from twombly.admin import views as admin
    from twombly.web import livereload

    admin.init_app(app)
    livereload.init_app(app)
    cli.init_app(app)
    from twombly.web import page_cache

    page_cache.init_app(app)
    return app


def _log_decisions() -> None:
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
