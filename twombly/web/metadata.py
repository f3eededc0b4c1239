"""What a page tells machines about itself: link-preview images and schema.org JSON-LD.

The JSON-LD is built here as plain data; templates write it with Flask's `tojson` filter, which
escapes `<`, `>`, `&` and `'` as `\\u003c`... so no front matter can close the script block.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, current_app

from twombly.content.catalog import related_posts
from twombly.content.links import absolute_link
from twombly.content.post import Post, Review
from twombly.films.library import library, person_slug
from twombly.urls import external_url
from twombly.web.images import poster_url

SCHEMA = "https://schema.org"


def preview_image(post: Post) -> str | None:
    """The post's `image` as an absolute URL (a relative one, `/static/her.jpg` or
    `images/her.jpg`, is taken from the site's root, under its sub-path if it has one), else
    the review's poster."""
    if not post.image:
        return poster_url(post.review.poster) if post.review else None
    root = current_app.config["BASE_URL"].rstrip("/")
    return absolute_link(post.image, root + "/", root)


def website_data() -> dict[str, Any]:
    """schema.org WebSite, for the index."""
    config = current_app.config
    return present(
        {
            "@context": SCHEMA,
            "@type": "WebSite",
            "name": config["TITLE"],
            "url": external_url("blog.index"),
            "inLanguage": config["LANGUAGE"],
            "description": config["DESCRIPTION"] or None,
        }
    )


def post_data(post: Post) -> dict[str, Any]:
    """schema.org BlogPosting for a post, or a Review of a Movie when it reviews a film."""
    url = external_url("blog.post", slug=post.slug)
    data = {
        "@context": SCHEMA,
        "@type": "Review" if post.review else "BlogPosting",
        "headline": post.title,
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": post.date.isoformat(),
        "dateModified": post.modified.isoformat(),
        "author": author_data(),
        "inLanguage": current_app.config["LANGUAGE"],
        "description": post.summary or None,
        "keywords": [tag.name for tag in post.tags],
        "image": preview_image(post),
    }
    if post.review:
        rating = post.review.rating
        data["name"] = post.title
        data["itemReviewed"] = movie_data(post.review)
        data["reviewRating"] = rating_data(rating) if rating is not None else None
    return present(data)


def present(data: dict[str, Any]) -> dict[str, Any]:
    """`data` without the keys that have no value (None or an empty list)."""
    return {key: value for key, value in data.items() if value not in (None, [])}


def author_data() -> dict[str, str]:
    """The site's author as a Person, or the site itself when no author is configured."""
    config = current_app.config
    if config["AUTHOR"]:
        return {"@type": "Person", "name": config["AUTHOR"]}
    return {"@type": "Organization", "name": config["TITLE"]}


def movie_data(review: Review) -> dict[str, Any]:
    """schema.org Movie: the film's facts, its people with their pages on this site."""
    shown = library()
    directors = [person(name, "films.director", shown.directors) for name in review.directors]
    country = {"@type": "Country", "name": review.country} if review.country else None
    return present(
        {
            "@type": "Movie",
            "name": review.title,
            "dateCreated": str(review.year) if review.year else None,
            "director": directors[0] if len(directors) == 1 else directors,
            "actor": [person(name, "films.actor", shown.actors) for name in review.cast],
            "genre": list(review.genres),
            "duration": iso_duration(review.runtime) if review.runtime else None,
            "sameAs": [url for url in (review.imdb_url, review.tmdb_url) if url],
            "countryOfOrigin": country,
            "inLanguage": review.language,
            "image": poster_url(review.poster),
        }
    )


def iso_duration(minutes: int) -> str:
    """Minutes as an ISO 8601 duration: 126 -> PT2H6M."""
    hours, rest = divmod(minutes, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{rest}M" if rest or not hours else "")


def rating_data(rating: float) -> dict[str, Any]:
    return {"@type": "Rating", "ratingValue": rating, "bestRating": 5, "worstRating": 0.5}


def person(name: str, endpoint: str, pages: Mapping[str, Any]) -> dict[str, str]:
    """A Person, with the address of their page on the site when they have one."""
    data = {"@type": "Person", "name": name}
    slug = person_slug(name)
    if slug in pages:
        data["url"] = external_url(endpoint, slug=slug)
    return data


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        preview_image=preview_image,
        website_data=website_data,
        post_data=post_data,
        related_posts=related_posts,
    )
