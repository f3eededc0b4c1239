"""The site's images: files under static/images/, their WebP copies cached under instance/.

A post names an image by its path inside `static/images/` (`her-still.jpg`, `her/poster.jpg`):
in the Markdown body (`![alt](her-still.jpg)`) and as a review's `poster`. Flask serves the
originals as static files (and Frozen-Flask copies them into a freeze), so the original is
always there as the fallback. Each file is prepared once per version: the answer is kept in
memory by the file's path, mtime and size, and its copies on disk by its content's digest.
"""

from __future__ import annotations

import html
import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from flask import current_app

from twombly.images.process import ImageError, Prepared, Settings, prepare

FOLDER = "images"  # inside the static folder
IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
ATTRIBUTE = re.compile(r'([A-Za-z-]+)="([^"]*)"')


def images_folder() -> Path:
    return Path(current_app.static_folder or "static", FOLDER)


def cache_folder() -> Path:
    """Where the WebP copies are kept (shared by every worker, never committed)."""
    return Path(current_app.instance_path, "images")


def settings() -> Settings:
    config = current_app.config
    return Settings(
        widths=tuple(sorted({int(width) for width in config["IMAGES_WIDTHS"]})),
        quality=int(config["IMAGES_QUALITY"]),
        max_pixels=int(config["IMAGES_MAX_PIXELS"]),
        max_bytes=int(config["IMAGES_MAX_BYTES"]),
    )


def site_image_name(src: str) -> str | None:
    """The path inside static/images/ that a post's image address names, or None when it is
    not one of the site's images (`https://...`, `/static/x.png`, `data:`, `../x.png`)."""
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or parts.query or not parts.path:
        return None
    path = PurePosixPath(unquote(parts.path))
    if path.is_absolute() or ".." in path.parts or "\\" in parts.path:
        return None
    return path.as_posix()


def site_image(name: str) -> Prepared:
    """The image `name` (a path inside static/images/) with its copies made; ImageError if it
    is missing, too large, or not an image. Asked on every page that shows it, so the answer
    (or the error) is kept until the file changes."""
    source = images_folder() / name
    try:
        stat = source.stat()
        stamp: tuple = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        stamp = ()
    known: dict = current_app.extensions.setdefault("twombly.images", {})
    key = (str(source), settings())
    found = known.get(key)
    if found is None or found[0] != stamp or not copies_there(found[1]):
        try:
            found = (stamp, prepare(source, cache_folder(), key[1]))
        except ImageError as error:
            found = (stamp, error)
        known[key] = found
    if isinstance(found[1], ImageError):
        raise found[1]
    return found[1]


def copies_there(known: Prepared | ImageError) -> bool:
    """Whether a prepared image's copies are still in the cache (someone may empty it while
    the server runs: they are then made again, not answered 404 until a restart)."""
    return isinstance(known, ImageError) or known.copies_in(cache_folder())


def image_sources(body: str) -> list[tuple[str, str]]:
    """(src, alt) of every `<img>` in rendered HTML, in order."""
    found = (attributes(tag.group(0)) for tag in IMG.finditer(body))
    return [(tag.get("src", ""), tag.get("alt", "")) for tag in found]


def attributes(tag: str) -> dict[str, str]:
    """The attributes of one HTML tag as pyromark writes them (double quotes), unescaped."""
    return {name.lower(): html.unescape(value) for name, value in ATTRIBUTE.findall(tag)}
