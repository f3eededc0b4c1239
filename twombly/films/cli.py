"""`flask import letterboxd EXPORT`: bring a Letterboxd export into the site (see importer.py)."""

from __future__ import annotations

import os
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from twombly.content.catalog import reload_catalog
from twombly.films.importer import plan_import, write_plan
from twombly.films.letterboxd import ExportError, read_export
from twombly.films.logs import read_logs


@click.group("import")
def import_cli() -> None:
    """Bring reviews and a watch diary in from another service."""


@import_cli.command("letterboxd")
@with_appcontext
@click.argument("export", type=click.Path(exists=True, path_type=Path))
def letterboxd_command(export: Path) -> None:
    """Import a Letterboxd data export (its zip, or the folder it unpacks to).

    Each reviewed film becomes a draft post in pages/; films logged or rated without a review
    become entries of the diary's log file. Nothing already on the site is imported again.
    """
    logs = read_logs()
    if logs.problems:
        first = logs.problems[0]
        raise click.ClickException(f"{first}; fix {logs.source} first (flask check lists all)")
    try:
        found = read_export(export)
    except ExportError as error:
        raise click.ClickException(str(error)) from None
    pages = Path(current_app.config["FLATPAGES_ROOT"])
    plan = plan_import(found, reload_catalog().posts, logs, pages)
    try:
        written = write_plan(plan, logs)
    except OSError as error:
        raise click.ClickException(f"could not write: {error}") from None
    for path in written:
        click.echo(f"wrote {_shown(path)}")
    click.echo(
        f"Imported {len(plan.posts)} draft {'review' if len(plan.posts) == 1 else 'reviews'} "
        f"and {len(plan.logs)} diary {'entry' if len(plan.logs) == 1 else 'entries'}; "
        f"skipped {len(plan.skipped)} {'row' if len(plan.skipped) == 1 else 'rows'}."
    )
    for skipped in plan.skipped:
        click.echo(f"skipped {skipped}")


def _shown(path: Path) -> str:
    relative = os.path.relpath(path, current_app.root_path)
    return str(path) if relative.startswith("..") else relative
