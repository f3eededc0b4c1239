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
    """The line on which each entry of the top-level "comments" list starts."""
    decoder = json.JSONDecoder()
    position = _skip(text, text.index("{") + 1)
    while position < len(text) and text[position] != "}":
        key, position = decoder.raw_decode(text, position)
        position = _skip(text, text.index(":", position) + 1)
        if key == "comments" and text[position] == "[":
            return _list_item_lines(text, position + 1, decoder)
        _, position = decoder.raw_decode(text, position)
        position = _skip(text, position)
        if text[position] == ",":
            position = _skip(text, position + 1)
    return []


def _list_item_lines(text: str, position: int, decoder: json.JSONDecoder) -> list[int]:
    lines = []
    position = _skip(text, position)
    while text[position] != "]":
        lines.append(text.count("\n", 0, position) + 1)
        _, position = decoder.raw_decode(text, position)
        position = _skip(text, position)
        if text[position] == ",":
            position = _skip(text, position + 1)
    return lines


def _skip(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    return position
