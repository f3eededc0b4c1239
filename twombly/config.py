"""Configuration: built-in defaults, then site.toml, then TWOMBLY_* environment variables."""

from __future__ import annotations

import contextlib
import logging
import secrets
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, BinaryIO

from flask import Config, Flask, current_app

from twombly.atomic import write_whole

log = logging.getLogger("twombly")

# What the live server compresses (zstd, br or gzip, as the browser accepts) when no proxy in
# front does; twombly/web/http_cache.py then tags the bytes sent.
COMPRESSED_TYPES = [
    "text/html", "text/css", "text/plain", "text/javascript", "application/javascript",
    "application/json", "application/feed+json", "application/xml", "application/atom+xml",
    "application/rss+xml", "image/svg+xml",
]  # fmt: skip
DEFAULTS: dict[str, Any] = {
    "TITLE": "Twombly",
    "DESCRIPTION": "",
    "AUTHOR": "",
    "BASE_URL": "http://127.0.0.1:5000/",
    "LANGUAGE": "en",
    "PER_PAGE": 10,
    "SHOW_DRAFTS": False,
    "PAGES_DIR": "pages",
    # The watch diary's log file (films seen without a review), relative to the site folder.
    "DIARY_FILE": "diary.yaml",
    "COMMENTS_DIR": "comments",
    "COMMENTS_MODERATION": False,
    "COMMENTS_RATE_LIMIT": "5 per minute; 50 per day",
    "COMMENTS_STORAGE_URI": "memory://",
    "COMMENTS_CLOSE_AFTER_DAYS": 0,
    # URL of a live Twombly server that takes comments for a frozen copy, and the origins
    # (static hosts) it accepts them from.
    "COMMENTS_ENDPOINT": "",
    "COMMENTS_ALLOWED_ORIGINS": [],
    "MAX_CONTENT_LENGTH": 64 * 1024,
    # [server] body_timeout: seconds a request's body may take to arrive (web/request_body.py).
    "SERVER_BODY_TIMEOUT": 10,
    # How many reverse proxies in front of the app set X-Forwarded-For/Proto/Host (0 = none,
    # so a client's own X-Forwarded-For is ignored).
    "PROXY_TRUSTED_HOPS": 0,
    # Readers' comments: how long the author may edit or delete a comment, in the same browser.
    "COMMENTS_EDIT_MINUTES": 15,
    # Commit comments/ to the site's git repository after each stored comment, in the background.
    "COMMENTS_GIT_COMMIT": False,
    # [notify]: apprise URLs told of each new comment, for these outcomes (accepted, pending,
    # spam); a failed send is tried `attempts` times, `retry_seconds` apart (doubling); the
    # approve/delete links in a message work for `link_days`.
    "NOTIFY_URLS": [],
    "NOTIFY_EVENTS": ["accepted", "pending"],
    "NOTIFY_ATTEMPTS": 3,
    "NOTIFY_RETRY_SECONDS": 10,
    "NOTIFY_LINK_DAYS": 7,
    # [feeds]: how many of the newest posts (or comments) each Atom feed holds.
    "FEEDS_ENTRIES": 20,
    # The moderation pages (/admin/): failed logins allowed per client address.
    "ADMIN_LOGIN_RATE_LIMIT": "5 per minute; 30 per hour",
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_HTTPONLY": True,
    # Flask-WTF: a form's CSRF token lasts as long as the session.
    "WTF_CSRF_TIME_LIMIT": None,
    # `flask freeze`: where the static copy goes, its public address if not BASE_URL, and what
    # in the destination a freeze never removes.
    "FREEZE_DESTINATION": "build",
    "FREEZE_BASE_URL": "",
    "FREEZE_KEEP": [".git", ".nojekyll", "CNAME"],
    # [freeze] precompress: a .gz and a .br copy beside every HTML, CSS, JS, XML, JSON and SVG
    # file, for hosts that serve them as they are (nginx gzip_static / brotli_static).
    "FREEZE_PRECOMPRESS": True,
    # [cache]: rendered pages for readers without a session (Flask-Caching, twombly/web/cache.py).
    # type "" picks SimpleCache (each worker its own), RedisCache when redis_url is set, and
    # NullCache (off) in debug and tests; timeout: seconds a page is kept (a scheduled post goes
    # live at most that late); threshold: pages a SimpleCache keeps.
    "CACHE_TYPE": "",
    "CACHE_REDIS_URL": "",
    "CACHE_DEFAULT_TIMEOUT": 10,
    "CACHE_THRESHOLD": 500,
    # [cache] max_age: seconds a browser (or a shared cache) may keep a page or feed for readers
    # without a session before asking again (an ETag makes the question cheap: 304).
    "CACHE_MAX_AGE": 60,
    "CACHE_NO_NULL_WARNING": True,
    # Flask-Limiter's own headers are off: twombly/comments/views.py writes X-RateLimit-* itself,
    # with Retry-After on a 429 alone (never on the redirect after a stored comment).
    "RATELIMIT_HEADERS_ENABLED": False,
    # Flask-Compress: what the live server compresses (COMPRESSED_TYPES). Copies of kept pages
    # are kept beside them (twombly/extensions.py sets COMPRESS_CACHE_*).
    "COMPRESS_MIMETYPES": COMPRESSED_TYPES,
    # [images]: the widths (pixels) of the WebP copies made of each image in static/images/,
    # their WebP quality, and the largest image accepted (pixels, and bytes on disk).
    "IMAGES_WIDTHS": [160, 320, 640, 960, 1280],
    "IMAGES_QUALITY": 80,
    "IMAGES_MAX_PIXELS": 40_000_000,
    "IMAGES_MAX_BYTES": 20_000_000,
    # [server] follow_files: a running server (not the debug one, which has its own reload)
    # picks up changes to pages/, comments/, templates/ and site.toml within a second or two,
    # without a restart (twombly/web/follow.py).
    "SERVER_FOLLOW_FILES": True,
    # [publish] freeze: after a push (`flask publish install-hook`), also freeze the site into
    # [freeze] destination.
    "PUBLISH_FREEZE": False,
    # [search]: the live server builds its Pagefind index in the background (live_index), checks
    # whether the published content changed at most every refresh_seconds, and lists at most
    # results posts on /search/?q= for readers without JavaScript.
    "SEARCH_LIVE_INDEX": True,
    "SEARCH_REFRESH_SECONDS": 5,
    "SEARCH_RESULTS": 20,
    # Set by `flask freeze` while it renders the static copy, never by hand.
    "FREEZING": False,
}


# What a change to site.toml changes in a running server; any other setting is read once, when
# the server starts (the secret key, storage and cache backends, proxies, folders...).
LIVE_SETTINGS = frozenset(
    {"TITLE", "DESCRIPTION", "AUTHOR", "BASE_URL", "LANGUAGE", "PER_PAGE", "SHOW_DRAFTS",
     "COMMENTS_MODERATION", "COMMENTS_RATE_LIMIT", "COMMENTS_CLOSE_AFTER_DAYS",
     "COMMENTS_EDIT_MINUTES", "COMMENTS_ENDPOINT", "COMMENTS_ALLOWED_ORIGINS", "FEEDS_ENTRIES",
     "ADMIN_LOGIN_RATE_LIMIT", "NOTIFY_URLS", "NOTIFY_EVENTS", "NOTIFY_ATTEMPTS",
     "NOTIFY_RETRY_SECONDS", "NOTIFY_LINK_DAYS", "CACHE_MAX_AGE", "FREEZE_DESTINATION",
     "FREEZE_BASE_URL", "FREEZE_KEEP", "PUBLISH_FREEZE"}
)  # fmt: skip
TABLES = ("comments", "proxy", "feeds", "admin", "notify", "freeze", "cache", "server", "publish")


def is_freezing() -> bool:
    """True while `flask freeze` renders the current app's pages for the static copy."""
    return bool(current_app.config["FREEZING"])


def load_site_toml(file: BinaryIO) -> dict[str, Any]:
    """Read site.toml into flat upper-case keys: `[comments] moderation` -> COMMENTS_MODERATION."""
    return flatten(tomllib.load(file))


def flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in table.items():
        name = f"{prefix}{key}".upper()
        if isinstance(value, Mapping):
            flat.update(flatten(value, f"{name}_"))
        else:
            flat[name] = value
    return flat


def load(config: Config, site: Path) -> None:
    """Defaults, then `site`'s site.toml, then TWOMBLY_* environment variables."""
    config.from_mapping(DEFAULTS)
    site_file = site / "site.toml"
    if site_file.exists():
        config.from_file(str(site_file), load=load_site_toml, text=False)
    config.from_prefixed_env("TWOMBLY")


def site_settings(site: Path) -> Config:
    """The settings an app over `site` starts with, without building the app (for gunicorn)."""
    config = Config(str(site))
    load(config, site)
    return config


def read_settings(root: str, overrides: Mapping[str, Any] | None) -> Config:
    """The settings in order of precedence: defaults < site.toml < environment < overrides."""
    settings = site_settings(Path(root))
    if overrides:
        settings.from_mapping(overrides)
    return settings


def configure(app: Flask, overrides: Mapping[str, Any] | None) -> None:
    """Fill app.config from `read_settings`, then what the extensions need."""
    settings = read_settings(app.root_path, overrides)
    app.config.update(settings)
    app.extensions["twombly.settings"] = {"overrides": dict(overrides or {}), "read": settings}
    app.config.setdefault("SECRET_KEY", None)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = instance_secret_key(Path(app.instance_path))
    _configure_extensions(app)


def _configure_extensions(app: Flask) -> None:
    config = app.config
    config.setdefault("FLATPAGES_ROOT", str(Path(app.root_path, config["PAGES_DIR"])))
    config.setdefault("FLATPAGES_EXTENSION", ".md")
    config.setdefault("FLATPAGES_HTML_RENDERER", "twombly.content.markdown.render_markdown")
    # FlatPages' own default, "if debug", reads a deprecated attribute on every request.
    config.setdefault("FLATPAGES_AUTO_RELOAD", config["DEBUG"])
    config.setdefault("RATELIMIT_STORAGE_URI", config["COMMENTS_STORAGE_URI"])
    # A shared storage that is down: count in this worker's memory meanwhile (Flask-Limiter logs
    # it once, and goes back to the storage once it answers) rather than refuse every comment.
    config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    if config["RATELIMIT_STORAGE_URI"].startswith("redis"):
        # redis-py waits for the OS (minutes) on an address that does not answer.
        config.setdefault(
            "RATELIMIT_STORAGE_OPTIONS", {"socket_connect_timeout": 1, "socket_timeout": 1}
        )
    if config["TEMPLATES_AUTO_RELOAD"] is None:  # Jinja looks at a template's time on each use
        config["TEMPLATES_AUTO_RELOAD"] = bool(config["DEBUG"] or config["SERVER_FOLLOW_FILES"])


def reload_settings(app: Flask) -> None:
    """Read site.toml again: the LIVE_SETTINGS that changed apply at once, the log names any
    other change (it applies at the next start), and a site.toml that does not parse leaves
    the settings as they were."""
    state = app.extensions["twombly.settings"]
    try:
        fresh = read_settings(app.root_path, state["overrides"])
    except (OSError, ValueError) as error:  # tomllib.TOMLDecodeError is a ValueError
        log.error("site.toml: %s; the server keeps the settings it had", error)
        return
    read = state["read"]
    changed = sorted(key for key in fresh.keys() | read.keys() if fresh.get(key) != read.get(key))
    state["read"] = fresh
    for key in changed:
        if key in LIVE_SETTINGS:
            app.config[key] = fresh[key]
            log.info("site.toml: %s is now %r", setting_name(key), fresh[key])
        else:
            log.warning("site.toml: %s changed; restart the server to apply it", setting_name(key))


def setting_name(key: str) -> str:
    """A setting as site.toml spells it: COMMENTS_MODERATION is `[comments] moderation`."""
    table = next((t for t in TABLES if key.startswith(f"{t.upper()}_")), None)
    if table is None:
        return key.lower()
    return f"[{table}] {key[len(table) + 1 :].lower()}"


def instance_secret_key(instance: Path) -> str:
    """The key stored in instance/secret_key, created on first use (never committed).

    Several workers may start at once: the key is written to a temporary file and hard-linked
    into place, so exactly one of them creates it and every one reads the same key.
    """
    key_file = instance / "secret_key"
    if not key_file.exists():
        with contextlib.suppress(FileExistsError):
            write_whole(key_file, f"{secrets.token_hex(32)}\n".encode(), new=True)
    return key_file.read_text(encoding="utf-8").strip()
