"""Page files under pages/: Markdown with YAML front matter between `---` lines.

Flask-FlatPages (registered in catalog.py) reads each file, splits off its front matter, parses
the YAML (`page.meta`), renders the body with `FLATPAGES_HTML_RENDERER` and keeps the page
until its file changes. Where front matter ends it guesses when a file has no `---` lines, so a
post's file is also checked for them here, reading no further than the closing line, once per
version of the file. Line numbers for messages come from the file itself, read only when a
problem is reported and by `flask check`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from flask import current_app
from flask_flatpages import FlatPages, Page

EXTENSION = ".md"  # FLATPAGES_EXTENSION (config.py)
FENCE = "---"
FENCE_ENDINGS = ("---", "...")
OPENING_MISSING = "front matter must open with a '---' line"
CLOSING_MISSING = "front matter is not closed by a '---' line"


class FrontMatterError(ValueError):
    """A page that cannot be published, with the file and line to fix."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line
        self.message = message


@dataclass(frozen=True)
class FrontMatter:
    """A page file split as Twombly reads it: the YAML between the fences, then the body."""

    meta: str
    body: str
    body_line: int  # 1-based line number where the body starts
    problem: str | None = None


def split_front_matter(text: str) -> FrontMatter:
    """Split a file's text into its YAML front matter and its Markdown body."""
    text = text.removeprefix("\ufeff")
    lines = text.split("\n")
    if lines[0].rstrip() != FENCE:
        return FrontMatter("", text, 1, OPENING_MISSING)
    for number, line in enumerate(lines[1:], start=1):
        if line.rstrip() in FENCE_ENDINGS:
            return FrontMatter(
                "\n".join(lines[1:number]), "\n".join(lines[number + 1 :]), number + 2
            )
    return FrontMatter("", text, 1, CLOSING_MISSING)


def read_front_matter(file: str) -> FrontMatter:
    """The front matter of a page file, read afresh (for line numbers)."""
    try:
        with open(file, encoding="utf-8") as handle:
            return split_front_matter(handle.read())
    except (OSError, UnicodeDecodeError) as error:
        return FrontMatter("", "", 1, f"cannot be read: {error}")


def fence_problem(file: str) -> str | None:
    """What is wrong with a page file's `---` lines; reads no further than the closing one."""
    try:
        with open(file, encoding="utf-8") as handle:
            if handle.readline().removeprefix("\ufeff").rstrip() != FENCE:
                return OPENING_MISSING
            if any(line.rstrip() in FENCE_ENDINGS for line in handle):
                return None
    except (OSError, UnicodeDecodeError) as error:
        return f"cannot be read: {error}"
    return CLOSING_MISSING


def flatpages() -> FlatPages:
    """The current app's FlatPages."""
    return current_app.extensions["flatpages"][None]


def page_file(root: str, page: Page) -> str:
    """The path of the file a page was read from."""
    return os.path.join(root, page.path + EXTENSION)


def source_name(file: str, root: str) -> str:
    """A page file as messages name it, from the site folder: pages/her.md."""
    return os.path.relpath(file, os.path.dirname(root))


def unreadable_page(root: str, error: Exception) -> FrontMatterError:
    """The file that stopped FlatPages reading pages, with the line and what is wrong.

    FlatPages reads every file or none: a file whose start its YAML splitter cannot scan (no
    front matter and a first line like "> quote", or a control character) stops it.
    """
    if isinstance(error, UnicodeDecodeError):  # which names no file
        file = _undecodable(root)
        return FrontMatterError(source_name(file, root), 1, f"is not UTF-8 text ({error})")
    mark = getattr(error, "problem_mark", None)
    file = os.path.join(root, f"{mark.name if mark else getattr(error, 'name', '')}{EXTENSION}")
    problem = fence_problem(file)
    if problem:
        return FrontMatterError(source_name(file, root), 1, problem)
    # A character YAML does not allow comes with its offset in the file, not a line.
    line = mark.line + 1 if mark else _line_at(file, getattr(error, "position", 0))
    detail = str(error).split("\n", 1)[0]
    return FrontMatterError(source_name(file, root), line, f"cannot be read: {detail}")


def _line_at(file: str, position: int) -> int:
    try:
        with open(file, encoding="utf-8") as handle:
            return handle.read(position).count("\n") + 1
    except (OSError, UnicodeDecodeError):
        return 1


def _undecodable(root: str) -> str:
    """The first page file that is not UTF-8 text."""
    for folder, _, names in sorted(os.walk(root)):
        for file in sorted(os.path.join(folder, n) for n in names if n.endswith(EXTENSION)):
            try:
                with open(file, encoding="utf-8") as handle:
                    handle.read()
            except UnicodeDecodeError:
                return file
            except OSError:
                continue
    return root
