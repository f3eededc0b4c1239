"""Reading an export's XML safely (defusedxml: no entity expansion, no external entities)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import parse


class ExportError(Exception):
    """An export that cannot be read: the message names the file (and line)."""


def read_xml(path: Path) -> Element:
    try:
        return parse(str(path)).getroot()
    except ParseError as error:
        line = error.position[0] if error.position else 1
        raise ExportError(f"{path}:{line}: not well-formed XML: {error}") from None
    except DefusedXmlException as error:
        raise ExportError(f"{path}: refused: {error}") from None
    except OSError as error:
        raise ExportError(f"{path}: cannot be read: {error.strerror or error}") from None


def local(tag: str) -> str:
    """A tag's name without its namespace: WXR 1.0, 1.1 and 1.2 differ only there."""
    return tag.rsplit("}", 1)[-1]


def children(element: Element, name: str) -> Iterator[Element]:
    return (child for child in element if local(child.tag) == name)


def text(element: Element, name: str) -> str:
    """The text of the first child named `name` ("" when there is none)."""
    for child in children(element, name):
        return (child.text or "").strip()
    return ""


def attribute(element: Element, name: str) -> str:
    """An attribute by its local name (Disqus puts its ids in a namespace)."""
    for key, value in element.attrib.items():
        if local(key) == name:
            return value
    return ""
