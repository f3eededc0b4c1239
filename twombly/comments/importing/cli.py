"""`flask comments import wordpress|disqus|isso FILE`: bring old comments in, with a report."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click
from flask.cli import with_appcontext

from twombly.comments.importing import disqus, isso, wordpress
from twombly.comments.importing.bring_in import Report, bring_in
from twombly.comments.importing.safe_xml import ExportError
from twombly.comments.importing.source import Export
from twombly.comments.store import CommentFileError, CommentWriteError, InvalidComment
from twombly.content.catalog import reload_catalog

READERS: dict[str, Callable[[Path], Export]] = {
    "wordpress": wordpress.read,
    "disqus": disqus.read,
    "isso": isso.read,
}


@click.command("import")
@click.argument("source", type=click.Choice(list(READERS)))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--map",
    "mappings",
    multiple=True,
    metavar="OLD-URL=SLUG",
    help="Put the comments of an old address on this post; repeat for more.",
)
@with_appcontext
def import_command(source: str, file: Path, mappings: tuple[str, ...]) -> None:
    """Bring in comments from a WordPress export (WXR), a Disqus export or an Isso database."""
    posts = {slug: entry.title for slug, entry in reload_catalog().entries.items()}
    mapping = {}
    for item in mappings:
        old, _, slug = item.rpartition("=")
        if not old or slug not in posts:
            raise click.BadParameter(f"{item!r}: give OLD-URL=SLUG of a post", param_hint="--map")
        mapping[old] = slug
    try:
        report = bring_in(READERS[source](file), posts, mapping)
    except (ExportError, CommentFileError, CommentWriteError, InvalidComment) as error:
        raise click.ClickException(str(error)) from None
    for line in report_lines(report):
        click.echo(line)


def report_lines(report: Report) -> list[str]:
    lines = [
        f"{slug}: {count} new, {report.present[slug]} already there"
        for slug, count in sorted(report.added.items())
    ]
    if report.left_out:
        lines.append(f"left out: {report.left_out} (deleted, in the trash, or pingbacks)")
    lines += [f"refused: {reason}" for reason in report.refused]
    for thread in report.unmatched:
        shown = f" ({thread.title})" if thread.title else ""
        lines.append(
            f"no post for {thread.url}{shown}, {len(thread.comments)} comments: "
            f"add --map {thread.url}=SLUG"
        )
    total = sum(report.added.values())
    lines.append(f"{total} comment{'' if total == 1 else 's'} imported")
    return lines
