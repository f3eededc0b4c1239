"""The server's own search, for readers without JavaScript: posts ranked by where words occur.

A word in the title counts most, then in the film's facts (the work, its year, director, cast,
genres), the tagline and the tags, then in the body. Every word must occur somewhere, and a
word matches the words it begins ("ghost" finds "ghostwriter"), as Pagefind's search does.
Spoiler blocks (`data-pagefind-ignore`) are left out of the body, as they are of the index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser

from twombly.content.post import Post

WORD = re.compile(r"\w+")
WEIGHTS = (100, 10, 1)  # title, film facts, body
MAX_QUERY = 200  # characters of a query worth reading


@dataclass(frozen=True)
class Fields:
    """A post's words by where they occur."""

    title: tuple[str, ...]
    facts: tuple[str, ...]
    body: tuple[str, ...]


def words(text: str) -> tuple[str, ...]:
    return tuple(WORD.findall(text.lower()))


class _BodyText(HTMLParser):
    """The text of a post body, without the elements marked data-pagefind-ignore."""

    VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "wbr", "source", "col"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # > 0 inside an ignored element
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        if self.depth or any(name == "data-pagefind-ignore" for name, _ in attrs):
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag not in self.VOID:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if not self.depth:
            self.parts.append(data)


def body_text(html: str) -> str:
    parser = _BodyText()
    parser.feed(html)
    parser.close()
    return " ".join(parser.parts)


@lru_cache(maxsize=8192)
def fields(post: Post) -> Fields:
    """Where each of a post's words occurs (a Post lives until its file changes)."""
    facts = [post.tagline or "", *(tag.name for tag in post.tags)]
    review = post.review
    if review:
        facts += [review.title, str(review.year or ""), review.director or "", *review.cast]
        facts += review.genres
    return Fields(words(post.title), words(" ".join(facts)), words(body_text(post.page.html)))


def score(terms: tuple[str, ...], post: Post) -> tuple[int, float]:
    """How well `post` answers `terms`: the weighted count of the words found, then how dense
    they are in the body (a short post that names a word beats a long one that names it once,
    as in Pagefind's ranking); (0, 0) when a term occurs nowhere."""
    found = fields(post)
    total = 0
    in_body = 0
    for term in terms:
        hits = [
            sum(word.startswith(term) for word in place)
            for place in (found.title, found.facts, found.body)
        ]
        if not any(hits):
            return 0, 0.0
        total += sum(weight * count for weight, count in zip(WEIGHTS, hits, strict=True))
        in_body += hits[-1]
    return total, in_body / max(len(found.body), 1)


def search(query: str, posts: list[Post]) -> list[Post]:
    """The posts that hold every word of `query`, best first (newest first among equals)."""
    terms = words(query[:MAX_QUERY])
    if not terms:
        return []
    scored = [(score(terms, post), index, post) for index, post in enumerate(posts)]
    ranked = sorted(scored, key=lambda s: (-s[0][0], -s[0][1], s[1]))
    return [post for points, _, post in ranked if points[0]]
