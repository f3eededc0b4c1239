"""A Markdown extension that does not try patterns which cannot match the text at hand.

Python-Markdown tries each of its inline patterns (code spans, links, emphasis, entities...) on
every piece of text, and tests every block (a paragraph, most often) against a dozen block
processors, most of them a regular expression searched through the whole block. Together that
is about half of the time of rendering a post. Most of those expressions cannot match without
some string: "[" for a link, "&" and ";" for an entity, "#" for a heading, ">" for a quote.
`required` reads these strings from each expression itself; when one of them does not occur
in the text, the pattern is not tried. The HTML is the same as without the extension (the
tests compare them on every construct and on generated text).

Inline patterns: the "inline" tree processor is replaced with a subclass overriding its private
per-pattern method; were a Markdown release to rename that method, nothing would be skipped
and the output would stay the same. Blocks: only the processors of Markdown's own classes
whose test (or, for link references and footnotes, whose run) is that one expression are
guarded, matched by exact class.
"""

from __future__ import annotations

import re

# The parser behind `re` (public as sre_parse until Python 3.11, which deprecated that name).
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

from markdown import Markdown, blockprocessors
from markdown.extensions import Extension
from markdown.extensions.footnotes import FootnoteBlockProcessor
from markdown.inlinepatterns import InlineProcessor as InlinePattern
from markdown.treeprocessors import InlineProcessor

Needles = tuple[tuple[str, ...], ...]  # each tuple: strings of which every match holds one

_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT)}
_ATOMIC = getattr(sre, "ATOMIC_GROUP", None)
_APPLY = "_InlineProcessor__applyPattern"
# Block processors whose test is a search of this expression alone, False when it fails...
_TESTED_BY = {
    blockprocessors.BlockQuoteProcessor: "RE",
    blockprocessors.HashHeaderProcessor: "RE",
    blockprocessors.SetextHeaderProcessor: "RE",
    blockprocessors.HRProcessor: "SEARCH_RE",
}
# ...and those whose run searches it and, finding nothing, puts the block back and says False.
_RUN_BY = {blockprocessors.ReferenceProcessor: "RE", FootnoteBlockProcessor: "RE"}


def required(pattern: re.Pattern[str], *, lookbehind: bool = True) -> Needles:
    """Sets of strings such that every match of `pattern` contains one string of each set.

    () when nothing is known (a case-insensitive pattern, say). With `lookbehind=False` what a
    lookbehind needs is left out: it may lie before the place a search starts from.
    """
    if pattern.flags & re.IGNORECASE:
        return ()
    parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    if parsed.state.flags & re.IGNORECASE:
        return ()
    found = _required(list(parsed), lookbehind)
    return tuple(tuple(sorted(needles)) for needles in found if "" not in needles)


def _required(items: list[tuple[Any, Any]], lookbehind: bool) -> list[set[str]]:
    found: list[set[str]] = []
    run = ""  # consecutive literal characters: one string
    for op, value in items:
        if op is sre.LITERAL:
            run += chr(value)
            continue
        if run:
            found.append({run})
            run = ""
        found += _required_by(op, value, lookbehind)
    if run:
        found.append({run})
    return found


def _required_by(op: Any, value: Any, lookbehind: bool) -> list[set[str]]:
    if op is sre.IN:
        if all(member_op is sre.LITERAL for member_op, _ in value):
            return [{chr(code) for _, code in value}]
    elif op is sre.SUBPATTERN:
        _, flags_added, _, body = value
        if not flags_added & re.IGNORECASE:
            return _required(list(body), lookbehind)
    elif op is _ATOMIC:
        return _required(list(value), lookbehind)
    elif op in _REPEATS:
        least, _, body = value
        if least > 0:
            return _required(list(body), lookbehind)
    elif op is sre.ASSERT:
        direction, body = value
        if direction > 0 or lookbehind:
            return _required(list(body), lookbehind)
    elif op is sre.BRANCH:
        alternatives = [_required(list(branch), lookbehind) for branch in value[1]]
        if all(alternatives):
            return [set().union(*(needles[0] for needles in alternatives))]
    return []  # anchors, negative lookarounds, any character, ranges, backreferences


def _holds(text: str, needles: Needles, start: int = 0) -> bool:
    for strings in needles:
        for string in strings:
            if text.find(string, start) >= 0:
                break
        else:
            return False
    return True


class SkippingInlineProcessor(InlineProcessor):
    """Markdown's inline processor, not trying a pattern the rest of the text cannot match."""

    def __init__(self, md: Markdown) -> None:
        super().__init__(md)
        self._needles: dict[object, Needles] = {}
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
            needles = self._needles[pattern] = _inline_needles(pattern)
        if needles and not _holds(data, needles, startIndex):
            return data, False, 0
        return self._apply(pattern, data, patternIndex, startIndex)


def _inline_needles(pattern: Any) -> Needles:
    if not isinstance(pattern, InlinePattern):  # old-style patterns match differently
        return ()
    return required(pattern.compiled_re, lookbehind=False)


def _guard_blocks(md: Markdown) -> None:
    for processor in md.parser.blockprocessors:
        kind = type(processor)
        if kind in _TESTED_BY:
            needles = required(getattr(processor, _TESTED_BY[kind]))
            if needles:
                processor.test = _guarded_test(processor.test, needles)  # type: ignore[method-assign]
        elif kind in _RUN_BY:
            needles = required(getattr(processor, _RUN_BY[kind]))
            if needles:
                processor.run = _guarded_run(processor.run, needles)  # type: ignore[method-assign]


def _guarded_test(test: Any, needles: Needles) -> Any:
    def guarded(parent: Any, block: str) -> bool:
        return _holds(block, needles) and test(parent, block)

    return guarded


def _guarded_run(run: Any, needles: Needles) -> Any:
    def guarded(parent: Any, blocks: list[str]) -> Any:
        return run(parent, blocks) if _holds(blocks[0], needles) else False

    return guarded


class SkipUnmatchable(Extension):
    """Put it after the others: `Markdown(extensions=[..., SkipUnmatchable()])`."""

    def extendMarkdown(self, md: Markdown) -> None:
        _guard_blocks(md)
        if hasattr(InlineProcessor, _APPLY) and "inline" in md.treeprocessors:
            priority = md.treeprocessors._priority[md.treeprocessors.get_index_for_name("inline")]
            md.treeprocessors.register(SkippingInlineProcessor(md), "inline", priority.priority)
