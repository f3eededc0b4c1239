"""Responsive WebP copies of one image file, made with Pillow and kept by content hash.

An image is known by a digest of its bytes and of the settings that shape its copies (widths,
quality). Its copies are `<digest>-<width>.webp` files in a cache folder, with a small
`<digest>.json` written last that records the image's size: while both are there, nothing is
decoded or encoded again, whoever asks (a page, a freeze, `flask check`, another worker).

Hostile files are refused with an `ImageError` naming the problem: over the size limit in bytes,
or in pixels (read from the header, before any pixel is decoded; Pillow's own decompression-bomb
check, `Image.MAX_IMAGE_PIXELS`, is made an error too), not an image, or damaged.
"""

from __future__ import annotations

import hashlib
import io
import json
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from twombly.atomic import write_whole

FORMAT = 1  # bump when the copies are made differently: every digest changes


class ImageError(ValueError):
    """An image file that cannot be served, with what is wrong with it."""


@dataclass(frozen=True)
class Settings:
    widths: tuple[int, ...]  # the widths of the copies, where the image is that wide
    quality: int  # WebP quality, 1-100
    max_pixels: int
    max_bytes: int


@dataclass(frozen=True)
class Prepared:
    """An image whose copies are in the cache: its digest, size and the copies' widths."""

    digest: str
    width: int
    height: int
    widths: tuple[int, ...]  # smallest first; the last is the image's width or the largest

    def height_at(self, width: int) -> int:
        return max(1, round(self.height * width / self.width))

    def copies_in(self, cache: Path) -> bool:
        """Whether every copy is in `cache`."""
        return all((cache / variant_name(self.digest, width)).is_file() for width in self.widths)


def prepare(source: Path, cache: Path, settings: Settings) -> Prepared:
    """The image at `source` with its WebP copies in `cache`, made now unless already there."""
    data = read(source, settings.max_bytes)
    digest = content_digest(data, settings)
    known = cached(cache, digest)
    if known is not None:
        return known
    image = decode(data, settings.max_pixels)
    prepared = Prepared(digest, image.width, image.height, copy_widths(image.width, settings))
    # Written whole: workers and freezes may make the same copy at once.
    for width in prepared.widths:
        write_whole(cache / variant_name(digest, width), webp(image, width, prepared, settings))
    record = {"width": prepared.width, "height": prepared.height, "widths": prepared.widths}
    write_whole(cache / f"{digest}.json", json.dumps(record).encode())
    return prepared


def variant_name(digest: str, width: int) -> str:
    """The cache's file name of one copy."""
    return f"{digest}-{width}.webp"


def read(source: Path, max_bytes: int) -> bytes:
    try:
        size = source.stat().st_size
        if size > max_bytes:
            raise ImageError(f"{size / 1e6:.1f} MB, over the limit of {max_bytes / 1e6:g} MB")
        return source.read_bytes()
    except FileNotFoundError:
        raise ImageError("no such file") from None
    except OSError as error:
        raise ImageError(f"cannot be read ({error.strerror or error})") from None


def content_digest(data: bytes, settings: Settings) -> str:
    shape = f"{FORMAT}:{settings.widths}:{settings.quality}".encode()
    return hashlib.blake2b(data + shape, digest_size=8).hexdigest()


def cached(cache: Path, digest: str) -> Prepared | None:
    """The image recorded under `digest`, if its record and every copy are in the cache."""
    try:
        record = json.loads((cache / f"{digest}.json").read_text(encoding="utf-8"))
        prepared = Prepared(digest, record["width"], record["height"], tuple(record["widths"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return prepared if prepared.copies_in(cache) else None


def decode(data: bytes, max_pixels: int) -> Image.Image:
    """The image's pixels, turned upright as its EXIF orientation says."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > max_pixels:
                raise ImageError(
                    f"{width}×{height} pixels, over the limit of {max_pixels:,} pixels"
                )
            image.load()
            return ImageOps.exif_transpose(image)
        except ImageError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise ImageError(f"too large to decode safely ({error})") from None
        except UnidentifiedImageError:
            raise ImageError("not an image file (Pillow cannot read it)") from None
        except (OSError, SyntaxError, ValueError, EOFError) as error:
            raise ImageError(f"a damaged image ({error})") from None


def copy_widths(width: int, settings: Settings) -> tuple[int, ...]:
    """The copies' widths: every configured width narrower than the image, and one more at the
    image's own width (or the largest configured width, if the image is wider)."""
    largest = min(width, max(settings.widths))
    return tuple(sorted({w for w in settings.widths if w < largest} | {largest}))


def webp(image: Image.Image, width: int, prepared: Prepared, settings: Settings) -> bytes:
    mode = "RGBA" if image.has_transparency_data else "RGB"
    resized = image.convert(mode).resize(
        (width, prepared.height_at(width)), Image.Resampling.LANCZOS
    )
    out = io.BytesIO()
    resized.save(out, "WEBP", quality=settings.quality, method=4)
    return out.getvalue()
