"""Values worked out once and kept for the rest of the app context, on `g`.

Live, an app context lasts one request, so nothing is kept from one reader's page to the next.
`flask freeze` renders every page in one app context, so what its pages share (links, a post's
summary on each listing, a post's feed entry in every feed) is worked out once per freeze. A
key must name everything the value depends on besides the site itself, the request's script
root among them where the value holds links.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import g

T = TypeVar("T")


def kept(kind: str, key: Hashable, make: Callable[[], T]) -> T:
    """The value kept under `key` among those of `kind`, made with `make()` the first time."""
    values = g.setdefault(f"twombly_kept_{kind}", {})
    if key not in values:
        values[key] = make()
    return values[key]
