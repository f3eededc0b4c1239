"""`flask check` for comments/: files that do not parse or match the format, and orphans."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

from flask import current_app

from twombly.comments.store import CommentFileError, store
from twombly.content.check import Problem

COMMENT_NUMBER = re.compile(r"^comment (\d+):")
# A quote inside a JSON string is escaped, so only the key itself matches.
COMMENTS_LIST = re.compile(r'"comments"\s*:\s*\[')
BETWEEN_ITEMS = re.compile(r"\s*,?\s*")


def comment_problems(slugs: list[str], page_slugs: set[str]) -> Iterator[Problem]:
    """Problems of the comment files of `slugs`; `page_slugs` are the posts that exist."""
    comments = store()
    for slug in slugs:
        path = comments.path(slug)
        shown = os.path.relpath(path, current_app.root_path)
        try:
            comments.read(slug)
        except CommentFileError as error:
            yield _comment_file_problem(shown, path, error)
            continue
        if slug not in page_slugs:
            yield Problem(shown, 1, f"comments for '{slug}', but there is no such post in pages/")


def _comment_file_problem(shown: str, path: Path, error: CommentFileError) -> Problem:
    message = str(error).removeprefix(f"{path}: ")
    cause = error.__cause__
    if isinstance(cause, json.JSONDecodeError):
        return Problem(shown, cause.lineno, f"does not parse: {cause.msg}")
    number = COMMENT_NUMBER.match(message)
    line = 1
    if number:
        starts = comment_lines(path.read_text(encoding="utf-8"))
        index = int(number.group(1)) - 1
        line = starts[index] if index < len(starts) else 1
    return Problem(shown, line, message)


def comment_lines(text: str) -> list[int]:
    """The line on which each entry of the "comments" list starts (the file is valid JSON)."""
    found = COMMENTS_LIST.search(text)
    if found is None:
        return []
    decoder, lines = json.JSONDecoder(), []
    position = BETWEEN_ITEMS.match(text, found.end()).end()  # type: ignore[union-attr]
    while position < len(text) and text[position] != "]":
        lines.append(text.count("\n", 0, position) + 1)
        _, end = decoder.raw_decode(text, position)
        position = BETWEEN_ITEMS.match(text, end).end()  # type: ignore[union-attr]
    return lines
