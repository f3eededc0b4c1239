"""Images on pages: `<picture>` elements with responsive WebP copies, and the route serving them.

Every image from static/images/ is shown as a `<picture>`: a WebP `<source>` with a `srcset` of
its copies and `sizes` for where it is shown, and the original file as the `<img>` fallback,
with `width` and `height` so the page never shifts as it loads. The first image of a page loads
at once (it is likely in view); the rest wait until the reader scrolls near them (`loading`).
An image that cannot be prepared (missing, damaged, too large) is shown as its original address
alone, and logged; `flask check` names it with its file and line.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from flask import Blueprint, Flask, Response, current_app, send_file, url_for
from markupsafe import Markup
from slugify import slugify
from werkzeug.exceptions import NotFound

from twombly.content.post import Post
from twombly.images import library
from twombly.images.library import IMG, attributes, image_sources, site_image, site_image_name
from twombly.images.process import ImageError, Prepared, variant_name
from twombly.urls import external_url

bp = Blueprint("images", __name__)
VARIANT = re.compile(r"(?:[a-z0-9-]+-)?(?P<digest>[0-9a-f]{16})-(?P<width>[1-9][0-9]{0,4})\.webp")
SRC = re.compile(r'\bsrc="[^"]*"')
YEAR = 365 * 24 * 3600
BODY_SIZES = "(max-width: 44rem) 100vw, 42rem"  # the post column is 42rem wide (site.css)
POSTER_SIZES = "10rem"
PICTURE = Markup(
    '<picture{}><source type="image/webp" srcset="{}" sizes="{}">'
    '<img src="{}" alt="{}"{} width="{}" height="{}" {} decoding="async"></picture>'
)


@bp.get("/images/<name>")
def variant(name: str) -> Response:
    """One WebP copy, by its content digest: the same address always holds the same bytes."""
    found = VARIANT.fullmatch(name)
    path = found and library.cache_folder() / variant_name(found["digest"], int(found["width"]))
    if not path or not path.is_file():
        raise NotFound()
    response = send_file(path, mimetype="image/webp", max_age=YEAR, conditional=True)
    response.cache_control.public = True
    response.cache_control.immutable = True
    return response


def variant_file(name: str, prepared: Prepared, width: int) -> str:
    """A copy's file name in URLs: the image's name (for people), its digest and width."""
    stem = slugify(PurePosixPath(name).stem) or "image"
    return f"{stem}-{prepared.digest}-{width}.webp"


def variant_url(name: str, prepared: Prepared, width: int) -> str:
    return url_for("images.variant", name=variant_file(name, prepared, width))


def shown_images(post: Post) -> list[str]:
    """The names of the site's images a post shows: its poster, then those in its body."""
    sources = [post.review.poster or ""] if post.review else []
    sources += [src for src, _ in image_sources(post.page.html)]
    return [name for name in map(site_image_name, sources) if name is not None]


def original_url(name: str) -> str:
    return url_for("static", filename=f"{library.FOLDER}/{name}")


def picture(
    name: str, alt: str, *, sizes: str, eager: bool = False, css_class: str = "", title: str = ""
) -> Markup:
    """The image `name` (inside static/images/) as a responsive `<picture>`."""
    try:
        prepared = site_image(name)
    except ImageError as error:
        current_app.logger.warning("image static/%s/%s: %s", library.FOLDER, name, error)
        return Markup('<img src="{}" alt="{}">').format(original_url(name), alt)
    srcset = ", ".join(f"{variant_url(name, prepared, w)} {w}w" for w in prepared.widths)
    return PICTURE.format(
        Markup(' class="{}"').format(css_class) if css_class else "",
        srcset,
        sizes,
        original_url(name),
        alt,
        Markup(' title="{}"').format(title) if title else "",
        prepared.width,
        prepared.height,
        Markup('fetchpriority="high"' if eager else 'loading="lazy"'),
    )


def with_pictures(body: str, eager_first: bool = True) -> Markup:
    """A post's HTML with each of the site's images as a `<picture>`; the first one loads at
    once when `eager_first` (no poster above it), every other one lazily."""
    shown = 0

    def replace(tag: re.Match[str]) -> str:
        nonlocal shown
        found = attributes(tag.group(0))
        name = site_image_name(found.get("src", ""))
        if name is None:
            return tag.group(0)
        shown += 1
        eager = eager_first and shown == 1
        alt, title = found.get("alt", ""), found.get("title", "")
        return picture(name, alt, sizes=BODY_SIZES, eager=eager, title=title)

    return Markup(IMG.sub(replace, str(body)))


def with_original_images(body: str) -> Markup:
    """A post's HTML with each of the site's images at its original's absolute address (for
    feeds, which show no `<picture>`)."""

    def replace(tag: re.Match[str]) -> str:
        name = site_image_name(attributes(tag.group(0)).get("src", ""))
        if name is None:
            return tag.group(0)
        address = external_url("static", filename=f"{library.FOLDER}/{name}")
        return SRC.sub(lambda _: f'src="{address}"', tag.group(0), count=1)

    return Markup(IMG.sub(replace, str(body)))


def poster_url(name: str | None) -> str | None:
    """A poster's original file as an absolute URL (link previews, JSON-LD), if it is there."""
    image = site_image_name(name or "")
    if image is None or not (library.images_folder() / image).is_file():
        return None
    return external_url("static", filename=f"{library.FOLDER}/{image}")


def poster(name: str | None, title: str, *, sizes: str = POSTER_SIZES, eager: bool = True) -> str:
    """A film's poster as a `<picture>`, or nothing when the review names none."""
    image = site_image_name(name or "")
    if image is None:
        return ""
    return picture(image, f"Poster of {title}", sizes=sizes, eager=eager, css_class="poster")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.filters.update(
        with_pictures=with_pictures, with_original_images=with_original_images
    )
    app.jinja_env.globals.update(poster=poster, poster_url=poster_url)
