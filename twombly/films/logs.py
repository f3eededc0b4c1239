"""The diary's log file: films seen without a review, one entry each (diary.yaml by default).

The file is a YAML list; each entry takes the keys of a post's `review:` block (title, year,
director, cast, rating, genres, runtime, rewatch, ...) and must say when the film was `watched`:

    - title: Paterson
      year: 2016
      watched: 2017-03-04
      rating: 4

A bad entry is left out and named, with its line, by `flask check`; the others still show.
The file is read again only when it changes.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from flask import current_app

from twombly.content.pages import FrontMatterError
from twombly.content.post import Review
from twombly.content.review_matter import read_review


@dataclass(frozen=True)
class Log:
    """A film seen, rated or logged without a review."""

    review: Review
    line: int


@dataclass(frozen=True)
class LogFile:
    path: Path
    source: str  # as messages name it: diary.yaml
    logs: list[Log]
    problems: list[FrontMatterError]


def log_path() -> Path:
    """The log file: DIARY_FILE, relative to the site folder."""
    return Path(current_app.root_path, current_app.config["DIARY_FILE"])


def read_logs() -> LogFile:
    """The entries of the log file (none when there is no file), kept until it changes."""
    path = log_path()
    try:
        status = path.stat()
        key: tuple = (str(path), status.st_mtime_ns, status.st_size)
    except OSError:
        key = (str(path), None, None)
    cache = current_app.extensions.setdefault("twombly.films.logs", {})
    if cache.get("key") != key:
        cache.update(key=key, logs=parse_logs(path, os.path.relpath(path, current_app.root_path)))
    return cache["logs"]


def parse_logs(path: Path, source: str) -> LogFile:
    """Read the log file at `path`, naming it `source` in messages."""

    def unusable(line: int, message: str) -> LogFile:
        return LogFile(path, source, [], [FrontMatterError(source, line, message)])

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return LogFile(path, source, [], [])
    except (OSError, UnicodeDecodeError) as error:
        return unusable(1, f"cannot be read: {error}")
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        items = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        return unusable(mark.line + 1 if mark else 1, f"YAML does not parse: {error}")
    if items is None:
        return LogFile(path, source, [], [])
    if not isinstance(items, list) or not isinstance(root, yaml.SequenceNode):
        return unusable(1, "must be a list of entries")
    logs, problems = [], []
    lines = text.split("\n")
    for node, item in zip(root.value, items, strict=True):
        first = node.start_mark.line + 1
        fail = _fail_at(source, lines, first, node.end_mark.line + 1)
        try:
            logs.append(Log(_entry(item, fail), first))
        except FrontMatterError as error:
            problems.append(error)
    return LogFile(path, source, logs, problems)


def _entry(item: object, fail) -> Review:
    if not isinstance(item, dict):
        raise fail("title", "an entry must be a mapping (title, watched, rating, ...)")
    review = read_review(item, fail)
    if review is None or not review.watched:
        raise fail("watched", "an entry must say when the film was watched (watched: YYYY-MM-DD)")
    return review


def _fail_at(source: str, lines: list[str], first: int, last: int):
    """A `fail(key, message)` naming the key's line within the entry's lines."""

    def fail(key: str, message: str) -> FrontMatterError:
        pattern = re.compile(rf"^[\s-]*{re.escape(key)}\s*:")
        for number in range(first, min(last, len(lines)) + 1):
            if pattern.match(lines[number - 1]):
                return FrontMatterError(source, number, message)
        return FrontMatterError(source, first, message)

    return fail
