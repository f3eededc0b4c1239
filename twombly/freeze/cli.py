"""`flask freeze`: write the static copy, with a progress bar on a terminal."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click
from flask import current_app
from flask.cli import with_appcontext

from twombly.freeze.freezer import FreezeError, freeze_site


@click.command("freeze")
@click.option(
    "--destination",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write to (default: [freeze] destination in site.toml, 'build').",
)
@click.option(
    "--base-url",
    metavar="URL",
    callback=lambda _ctx, _param, value: checked_base_url(value),
    help="Public address of the copy, e.g. https://example.org/blog/ to serve it under /blog/.",
)
@click.option("--force", is_flag=True, help="Replace a folder that holds files no freeze wrote.")
@with_appcontext
def freeze_command(destination: Path | None, base_url: str | None, force: bool) -> None:
    """Write the published site as static files, ready for any static host."""
    show_progress = progress_bar if sys.stdout.isatty() else None
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        report = freeze_site(
            app,
            destination=destination.resolve() if destination else None,
            base_url=base_url,
            force=force,
            show_progress=show_progress,
        )
    except FreezeError as error:
        raise click.ClickException(str(error)) from error
    click.echo(report.summary())


def checked_base_url(value: str | None) -> str | None:
    """A copy's public address must be absolute: canonical links and feeds are built on it."""
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise click.BadParameter(f"{value!r} is not an address such as https://example.org/blog/")
    return value


def progress_bar(pages: Iterable[Any], total: int) -> Iterator[Any]:
    """Frozen-Flask's pages, (url, path) pairs, shown on a bar as they are frozen."""
    with click.progressbar(
        pages, length=total, label="Freezing", item_show_func=lambda p: p.url if p else None
    ) as bar:
        yield from bar
