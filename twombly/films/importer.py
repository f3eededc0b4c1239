"""`flask import letterboxd`: a Letterboxd export into draft reviews and diary log entries.

Each reviewed film becomes a draft post, pages/<slug>.md, with its review block, rating,
watched dates, tags and the review text as its body. Films logged, rated or marked watched
without a review become entries of the log file (diary.yaml). A film the site already reviews,
or a viewing the diary already has, is skipped and named: importing twice changes nothing. No
file is ever replaced: posts are created only where no file is, and the log file is rewritten
whole (its old bytes first, then the new entries) through a temporary file.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from slugify import slugify

from twombly.atomic import write_whole
from twombly.content.post import Post
from twombly.films.letterboxd import Export, Row, Skipped
from twombly.films.logs import LogFile


@dataclass
class Plan:
    posts: dict[Path, str] = field(default_factory=dict)  # new file -> its text
    logs: list[dict] = field(default_factory=list)  # new log entries
    skipped: list[Skipped] = field(default_factory=list)


def film_key(title: str, year: int | None) -> tuple[str, int | None]:
    return (title.casefold(), year)


def plan_import(export: Export, posts: Iterable[Post], logs: LogFile, pages: Path) -> Plan:
    """What importing `export` adds to a site with these posts and log file."""
    plan = Plan(skipped=list(export.skipped))
    reviewed = {film_key(p.review.title, p.review.year): p for p in posts if p.review}
    reviews = [post.review for post in reviewed.values()] + [log.review for log in logs.logs]
    seen = {(film_key(r.title, r.year), day) for r in reviews for day in r.watched}
    known = {film for film, _ in seen}
    by_film: dict[tuple, list[Row]] = {}
    for row in export.rows["reviews.csv"]:
        if row.film in reviewed:
            plan.skipped.append(
                Skipped(row.where, f"already reviewed in {reviewed[row.film].source}")
            )
        else:
            by_film.setdefault(row.film, []).append(row)
    taken = {path.stem for path in pages.glob("*.md")}
    for rows in by_film.values():
        slug = _free_slug(rows[0], taken)
        taken.add(slug)
        plan.posts[pages / f"{slug}.md"] = post_text(rows)
        seen |= {(rows[0].film, row.day) for row in rows}
    for name in ("diary.csv", "ratings.csv", "watched.csv"):
        for row in export.rows[name]:
            if (row.film, row.day) in seen or (
                name != "diary.csv" and row.film in known | set(by_film)
            ):
                plan.skipped.append(Skipped(row.where, "already in the diary"))
                continue
            seen.add((row.film, row.day))
            known.add(row.film)
            plan.logs.append(_log_entry(row))
    return plan


def _free_slug(row: Row, taken: set[str]) -> str:
    base = slugify(row.name) or "film"
    for slug in (base, f"{base}-{row.year}"):
        if slug not in taken:
            return slug
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def post_text(rows: list[Row]) -> str:
    """A draft review of the film in `rows` (its reviews, oldest first)."""
    rows = sorted(rows, key=lambda row: row.day)
    last = rows[-1]
    review: dict = {"title": last.name}
    if last.year:
        review["year"] = last.year
    rating = next((row.rating for row in reversed(rows) if row.rating is not None), None)
    if rating is not None:
        review["rating"] = int(rating) if rating.is_integer() else rating
    days = sorted({row.day for row in rows})
    review["watched"] = days[0] if len(days) == 1 else days
    if any(row.rewatch for row in rows):
        review["rewatch"] = True
    tags = list(dict.fromkeys(tag for row in rows for tag in row.tags))
    meta = {"title": last.name, "date": last.day, "draft": True, "tags": tags, "review": review}
    head = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, default_flow_style=None)
    if len(rows) == 1:
        body = last.review
    else:
        body = "\n\n".join(f"*Watched {row.day.isoformat()}:*\n\n{row.review}" for row in rows)
    return f"---\n{head}---\n\n{body.strip()}\n"


def _log_entry(row: Row) -> dict:
    entry: dict = {"title": row.name}
    if row.year:
        entry["year"] = row.year
    entry["watched"] = row.day
    if row.rating is not None:
        entry["rating"] = int(row.rating) if row.rating.is_integer() else row.rating
    if row.rewatch:
        entry["rewatch"] = True
    return entry


def write_plan(plan: Plan, logs: LogFile) -> list[Path]:
    """Create the new posts (never over a file) and add the new entries to the log file."""
    written = []
    for path, text in plan.posts.items():
        write_whole(path, text.encode("utf-8"), new=True)
        written.append(path)
    if plan.logs:
        old = logs.path.read_bytes() if logs.path.exists() else b""
        if old and not old.endswith(b"\n"):
            old += b"\n"
        new = yaml.safe_dump(plan.logs, allow_unicode=True, sort_keys=False).encode("utf-8")
        write_whole(logs.path, old + new)
        written.append(logs.path)
    return written
