"""Reading a Letterboxd data export: its diary, reviews, ratings and watched films, row by row.

The export is the zip Letterboxd gives (Settings, Import & export, Export your data) or the
folder it unpacks to; only its top-level diary.csv, reviews.csv, ratings.csv and watched.csv
are read. Each row becomes a `Row`, or a `Skipped` naming its file, line and what is wrong.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

FILES = ("reviews.csv", "diary.csv", "ratings.csv", "watched.csv")


class ExportError(Exception):
    """The export cannot be read at all; the message says why."""


@dataclass(frozen=True)
class Row:
    """One row of the export, checked."""

    file: str
    line: int
    name: str
    year: int | None
    day: date  # Watched Date when the row has one, else Date
    rating: float | None = None
    rewatch: bool = False
    review: str = ""
    tags: tuple[str, ...] = ()

    @property
    def film(self) -> tuple[str, int | None]:
        return (self.name.casefold(), self.year)

    @property
    def where(self) -> str:
        year = f", {self.year}" if self.year else ""
        return f"{self.file} line {self.line} ({self.name}{year})"


@dataclass(frozen=True)
class Skipped:
    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass
class Export:
    rows: dict[str, list[Row]] = field(default_factory=lambda: {name: [] for name in FILES})
    skipped: list[Skipped] = field(default_factory=list)


def read_export(path: Path) -> Export:
    """Every row of the export's four files; ExportError when none of them is there."""
    texts = dict(_texts(path))
    if not texts:
        raise ExportError(f"{path} holds none of {', '.join(FILES)}: is it a Letterboxd export?")
    export = Export()
    for name, text in texts.items():
        for line, values in _records(text):
            try:
                export.rows[name].append(_row(name, line, values))
            except ValueError as error:
                film = ", ".join(
                    filter(None, (values.get(key, "").strip() for key in ("Name", "Year")))
                )
                export.skipped.append(
                    Skipped(f"{name} line {line} ({film or 'no name'})", str(error))
                )
    return export


def _texts(path: Path) -> Iterator[tuple[str, str]]:
    try:
        if path.is_dir():
            for name in FILES:
                if (path / name).is_file():
                    yield name, (path / name).read_text(encoding="utf-8-sig")
        elif zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                for name in FILES:
                    if name in archive.namelist():
                        yield name, archive.read(name).decode("utf-8-sig")
        else:
            raise ExportError(f"{path} is neither a folder nor a zip file")
    except (OSError, UnicodeDecodeError, zipfile.BadZipFile) as error:
        raise ExportError(f"{path} cannot be read: {error}") from error


def _records(text: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(line where the record starts, its values by column) for each record after the header."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    start = 2
    try:
        for values in reader:
            yield start, {key: value or "" for key, value in values.items() if key}
            start = reader.line_num + 1
    except csv.Error as error:
        raise ExportError(f"line {reader.line_num}: not CSV ({error})") from error


def _row(file: str, line: int, values: dict[str, str]) -> Row:
    name = values.get("Name", "").strip()
    if not name:
        raise ValueError("no film name")
    year_text = values.get("Year", "").strip()
    if year_text and not (year_text.isdigit() and 1800 <= int(year_text) <= 9999):
        raise ValueError(f"the year {year_text!r} is not a year")
    review = values.get("Review", "").replace("\r\n", "\n").strip()
    if file == "reviews.csv" and not review:
        raise ValueError("the review is empty")
    return Row(
        file=file,
        line=line,
        name=name,
        year=int(year_text) if year_text else None,
        day=_day(values.get("Watched Date", "").strip() or values.get("Date", "").strip()),
        rating=_rating(values.get("Rating", "").strip()),
        rewatch=values.get("Rewatch", "").strip().lower() in ("yes", "true"),
        review=review,
        tags=tuple(tag.strip() for tag in values.get("Tags", "").split(",") if tag.strip()),
    )


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"the date {text!r} is not a date (YYYY-MM-DD)") from None


def _rating(text: str) -> float | None:
    if not text:
        return None
    try:
        rating = float(text)
    except ValueError:
        raise ValueError(f"the rating {text!r} is not a number") from None
    if not 0.5 <= rating <= 5 or (rating * 2) % 1:
        raise ValueError(f"the rating {text} is not a whole or half star from 0.5 to 5")
    return rating
