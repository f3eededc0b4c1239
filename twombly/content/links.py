"""The addresses in rendered HTML (href, src, poster, srcset), each rewritten by a function.

Post bodies link to site paths (`/posts/her/`, `![](/static/her.jpg)`, raw `<a href>`): a
copy served under a sub-path needs them under it, and a feed needs them absolute. The tags
are found by the standard library's HTML parser (so nothing in a comment, a script or escaped
code is taken for a link), and only the attributes that change are rewritten: the rest of the
HTML stays byte for byte as it was. An address the function cannot handle is left as it is.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import lru_cache
from html.parser import HTMLParser
from urllib.parse import urljoin

ATTRIBUTES = frozenset({"href", "src", "poster", "srcset"})
# One attribute of a start tag, as HTMLParser reads it: name, then an optional value.
ATTRIBUTE = re.compile(
    r"""(?P<space>[\s/]*)(?P<name>[^\s/>][^\s/=>]*)"""
    r"""(?:(?P<equals>\s*=+\s*)(?P<value>'[^']*'|"[^"]*"|(?!['"])[^>\s]*))?"""
)
Convert = Callable[[str], str]


class LinkTags(HTMLParser):
    """Collects (offset, raw text) of each start tag that has a link attribute."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self.line_starts = [0, *(match.end() for match in re.finditer("\n", text))]
        self.found: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if any(name in ATTRIBUTES for name, _ in attrs):
            line, column = self.getpos()
            self.found.append((self.line_starts[line - 1] + column, self.get_starttag_text()))

    handle_startendtag = handle_starttag


def rewrite_links(text: str, convert: Convert) -> str:
    """`text` (HTML) with every link attribute's address passed through `convert`."""
    finder = LinkTags(text)
    try:
        finder.feed(text)
        finder.close()
    except Exception:  # HTMLParser is lenient; should it ever refuse, the HTML stays as it is
        return text
    pieces, done = [], 0
    for offset, raw in finder.found:
        if text.startswith(raw, offset):
            pieces += [text[done:offset], rewrite_tag(raw, convert)]
            done = offset + len(raw)
    return "".join([*pieces, text[done:]])


def rewrite_tag(raw: str, convert: Convert) -> str:
    """One start tag with its link attributes' values converted, everything else kept."""
    name_end = re.match(r"<[^\s/>]+", raw).end()  # type: ignore[union-attr]
    body_end = len(raw) - (2 if raw.endswith("/>") else 1)

    def attribute(match: re.Match[str]) -> str:
        value = match["value"]
        if match["name"].lower() not in ATTRIBUTES or value is None:
            return match[0]
        quote = value[0] if value[:1] in ("'", '"') else ""
        address = html.unescape(value[1:-1] if quote else value)
        changed = (
            convert_srcset(address, convert)
            if match["name"].lower() == "srcset"
            else (safely(convert, address))
        )
        if changed == address:
            return match[0]
        quoted = '"' + html.escape(changed, quote=True) + '"'
        return f"{match['space']}{match['name']}{match['equals']}{quoted}"

    return raw[:name_end] + ATTRIBUTE.sub(attribute, raw[name_end:body_end]) + raw[body_end:]


def convert_srcset(srcset: str, convert: Convert) -> str:
    """`img.jpg 1x, big.jpg 2x`: each candidate's address converted, its size kept."""
    candidates = []
    for candidate in srcset.split(","):
        address, space, size = candidate.strip().partition(" ")
        candidates.append(safely(convert, address) + space + size)
    return ", ".join(candidates)


def safely(convert: Convert, address: str) -> str:
    try:
        return convert(address)
    except ValueError:  # urljoin's "Invalid IPv6 URL" on //[x]/, and the like
        return address


def is_site_path(address: str) -> bool:
    """`/posts/her/`: a path from the site's root (not `//host/...`, not relative)."""
    return address.startswith("/") and not address.startswith(("//", "/\\"))


@lru_cache(maxsize=512)
def under_root(text: str, root: str) -> str:
    """HTML whose site paths are moved under `root` (`/blog` or `https://example.org/blog`);
    FlatPages hands out the same body string each time, so a page is rewritten once."""
    if not root:
        return text
    return rewrite_links(text, lambda address: prefixed(root, address))


def prefixed(root: str, address: str) -> str:
    return root + address if is_site_path(address) else address


def absolute_links(text: str, page_url: str, root: str) -> str:
    """HTML for a reader with no page: site paths under `root`, relative ones on `page_url`."""
    return rewrite_links(text, lambda address: absolute_link(address, page_url, root))


def absolute_link(address: str, page_url: str, root: str) -> str:
    """One address made absolute: a site path under `root`, a relative one on `page_url`;
    one that does not parse is left as it is."""
    if is_site_path(address):
        return prefixed(root, address)
    return safely(lambda relative: urljoin(page_url, relative), address)
