"""Twombly, a flat-file review blog engine: `create_app` builds the app over a site folder."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

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
    from . import config as settings

    settings.configure(app, config)
    logging.getLogger("twombly").setLevel(logging.INFO)

    from . import (
        comments,
        errors,
        feeds,
        freeze,
        frozen_comments,
        limits,
        metadata,
        pages,
        proxy,
        security,
        theme,
        views,
    )

    pages.init_app(app)
    comments.init_app(app)
    limits.init_app(app)
    theme.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    proxy.init_app(app)
    app.register_blueprint(views.bp)
    from . import comment_inputs, comment_views, comments_cli  # readers' comments: form, CLI

    comment_views.init_app(app)
    comment_inputs.init_app(app)
    comments_cli.init_app(app)
    app.register_blueprint(feeds.bp)
    metadata.init_app(app)
    freeze.init_app(app)
    frozen_comments.init_app(app)

    from . import admin, cli, livereload  # the owner's tools: moderation, commands, preview

    admin.init_app(app)
    livereload.init_app(app)
    cli.init_app(app)
    from . import page_cache  # rendered pages kept in each worker until the content changes

    page_cache.init_app(app)
    return app
