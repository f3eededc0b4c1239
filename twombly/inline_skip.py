"""A Markdown extension that skips inline patterns which cannot match the text at hand.

Python-Markdown tries every inline pattern (code spans, links, emphasis, entities...) on every
piece of text, and each try costs a few microseconds of Python before its regular expression
even runs: a third of the time of rendering a post. Most patterns can only start with one of
a few strings (a link with "[", an entity with "&"), read here from the pattern's own regular
expression. When none of them occurs in the rest of the text, the pattern cannot match there
and is not tried. The HTML is the same as without the extension (tests compare them).

It replaces the "inline" tree processor with a subclass that overrides its private per-pattern
method; were a Markdown release to rename that method, nothing would be skipped any more and
the output would still be the same.
"""

from __future__ import annotations

import re

# The parser behind `re` (public as sre_parse until Python 3.11, which deprecated that name).
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor as InlinePattern
from markdown.treeprocessors import InlineProcessor

_ZERO_WIDTH = {sre.AT, sre.ASSERT, sre.ASSERT_NOT}
_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT)}
_GROUPS = {sre.SUBPATTERN, getattr(sre, "ATOMIC_GROUP", sre.SUBPATTERN)}
_APPLY = "_InlineProcessor__applyPattern"


def starts(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Strings one of which begins every match of `pattern`; None when it could be anything."""
    if pattern.flags & re.IGNORECASE:
        return None
    parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    if parsed.state.flags & re.IGNORECASE:
        return None
    found = _starts(list(parsed))
    return frozenset(found) if found and "" not in found else None


def _starts(items: list[tuple[Any, Any]]) -> set[str] | None:
    for index, (op, value) in enumerate(items):
        if op in _ZERO_WIDTH:
            continue
        if op is sre.LITERAL:
            run = ""
            for next_op, next_value in items[index:]:
                if next_op is not sre.LITERAL:
                    break
                run += chr(next_value)
            return {run}
        if op is sre.IN:
            if not all(member_op is sre.LITERAL for member_op, _ in value):
                return None
            return {chr(code) for _, code in value}
        if op is sre.BRANCH:
            branches = [_starts(list(branch)) for branch in value[1]]
            if any(found is None for found in branches):
                return None
            return set().union(*branches)  # type: ignore[arg-type]
        if op is sre.SUBPATTERN:
            _, flags_added, _, body = value
            return None if flags_added & re.IGNORECASE else _starts(list(body))
        if op in _GROUPS:  # an atomic group
            return _starts(list(value))
        if op in _REPEATS:
            least, _, body = value
            return _starts(list(body)) if least > 0 else None
        return None
    return None  # every item was zero-width: the pattern can match an empty string


class SkippingInlineProcessor(InlineProcessor):
    """Markdown's inline processor, not trying a pattern whose start is not in the text."""

    def __init__(self, md: Markdown) -> None:
        super().__init__(md)
        self._needles: dict[object, tuple[str, ...]] = {}  # () when any text may match
        self._apply = getattr(super(), _APPLY)

    def run(self, tree: Any, ancestors: list[str] | None = None) -> Any:
        # The patterns are looked up by index for every try; a Registry sorts and maps a name
        # on each lookup, a list of the same patterns in the same order does not.
        registry = self.inlinePatterns
        self.inlinePatterns = list(registry)  # type: ignore[assignment]
        try:
            return super().run(tree, ancestors)
        finally:
            self.inlinePatterns = registry

    def _InlineProcessor__applyPattern(
        self, pattern: Any, data: str, patternIndex: int, startIndex: int = 0
    ) -> tuple[str, bool, int]:
        needles = self._needles.get(pattern)
        if needles is None:
            needles = self._needles[pattern] = _needles_of(pattern)
        if needles:
            for needle in needles:
                if data.find(needle, startIndex) >= 0:
                    break
            else:
                return data, False, 0
        return self._apply(pattern, data, patternIndex, startIndex)


def _needles_of(pattern: Any) -> tuple[str, ...]:
    if not isinstance(pattern, InlinePattern):  # old-style patterns match differently
        return ()
    return tuple(starts(pattern.compiled_re) or ())


class SkipUnmatchableInline(Extension):
    """Use it beside the others: `Markdown(extensions=[..., SkipUnmatchableInline()])`."""

    def extendMarkdown(self, md: Markdown) -> None:
        if hasattr(InlineProcessor, _APPLY) and "inline" in md.treeprocessors:
            priority = md.treeprocessors._priority[md.treeprocessors.get_index_for_name("inline")]
            md.treeprocessors.register(SkippingInlineProcessor(md), "inline", priority.priority)
