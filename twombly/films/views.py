"""The browse pages: every film by title, year, rating or date watched; directors, actors,
genres, decades and ratings; the watch diary and each year in review; the Letterboxd export."""

from __future__ import annotations

from flask import Blueprint, Flask, Response, render_template
from werkzeug.exceptions import NotFound

from twombly.films.diary import YearInReview, diary_months, diary_years, viewings
from twombly.films.letterboxd_export import export_csv
from twombly.films.library import SORTS, Group, library, person_slug
from twombly.films.logs import log_path
from twombly.web.cache import cached_page, stamp_file

bp = Blueprint("films", __name__)
# What each people page lists, and what a person there is called.
KINDS = {
    "directors": ("Directors", "Films directed by {}"),
    "actors": ("Actors", "Films with {}"),
    "genres": ("Genres", "{} films"),
}


@bp.get("/films/", defaults={"sort": "title"})
@bp.get("/films/by-<any(year, rating, watched):sort>/")
@cached_page
def films(sort: str) -> str:
    """Every reviewed film, in one of four orders."""
    return render_template(
        "films/films.html", films=library().sorted(sort), sort=sort, sorts=SORTS
    )


@bp.get("/directors/", defaults={"kind": "directors"}, endpoint="directors")
@bp.get("/actors/", defaults={"kind": "actors"}, endpoint="actors")
@bp.get("/genres/", defaults={"kind": "genres"}, endpoint="genres")
@cached_page
def people(kind: str) -> str:
    """Every director, actor or genre, with how many films and their average rating."""
    groups = getattr(library(), kind).values()
    return render_template("films/people.html", kind=kind, heading=KINDS[kind][0], groups=groups)


@bp.get("/directors/<slug>/", defaults={"kind": "directors"}, endpoint="director")
@bp.get("/actors/<slug>/", defaults={"kind": "actors"}, endpoint="actor")
@bp.get("/genres/<slug>/", defaults={"kind": "genres"}, endpoint="genre")
@cached_page
def person(kind: str, slug: str) -> str:
    """One person's (or genre's) films, newest first, with the average rating."""
    group: Group | None = getattr(library(), kind).get(slug)
    if group is None:
        raise NotFound()
    heading = KINDS[kind][1].format(group.label)
    return render_template("films/person.html", kind=kind, group=group, heading=heading)


@bp.get("/years/")
@cached_page
def years() -> str:
    """Every decade of release, with its films."""
    return render_template("films/years.html", decades=library().decades)


@bp.get("/years/<int:decade>s/")
@cached_page
def decade(decade: int) -> str:
    """The films of one decade of release, grouped by year, newest first."""
    groups = library().decades.get(decade)
    if groups is None:
        raise NotFound()
    return render_template("films/decade.html", decade=decade, groups=groups)


@bp.get("/ratings/")
@cached_page
def ratings() -> str:
    """The rated films, grouped by stars, highest first."""
    return render_template("films/ratings.html", groups=library().ratings)


@bp.get("/diary/")
@cached_page
def diary() -> str:
    """Every viewing, newest first, by month."""
    return render_template(
        "films/diary.html", months=diary_months(viewings()), years=diary_years()
    )


@bp.get("/diary/<int:year>/")
@cached_page
def diary_year(year: int) -> str:
    """A year in review."""
    review = YearInReview(year, viewings())
    if not review.viewings:
        raise NotFound()
    return render_template("films/year.html", review=review, years=diary_years())


@bp.get("/letterboxd.csv")
@cached_page
def letterboxd_csv() -> Response:
    """Every published review in Letterboxd's import format."""
    return Response(export_csv(), mimetype="text/csv")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    for endpoint in ("films.diary", "films.diary_year"):
        stamp_file(app, endpoint, log_path)
    app.jinja_env.globals.update(person_slug=person_slug, film_library=library)
