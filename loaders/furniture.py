"""Page furniture: cookie notices, comment prompts, editor credits, share buttons, placeholder dates.

The patterns are data (`kg/data/patterns/furniture.json`, format in the README beside it), read
once per process. `find_furniture` returns spans into the text as given, so they stay valid
offsets into the original article.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from kg.errors import GazetteerError
from kg.model import Span

_FLAGS = {"IGNORECASE": re.IGNORECASE, "DOTALL": re.DOTALL, "VERBOSE": re.VERBOSE, "ASCII": re.ASCII}
_SCOPES = ("match", "line")
_LINE_BREAKS = "\r\n"


@dataclass(frozen=True)
class FurniturePattern:
    name: str
    regex: re.Pattern[str]
    scope: str = "match"
    max_line_chars: int | None = None
    next_line: bool = False
    next_line_max_chars: int = 60
    # Strings one of which every match contains: the regex runs only on texts holding one. Most
    # articles have no furniture, and a substring test is many times cheaper than a regex scan.
    requires: tuple[str, ...] = ()
    ignore_case: bool = False  # the regex has IGNORECASE, so ``requires`` is lower-cased and checked on folded text

    def may_match(self, text: str, folded: str) -> bool:
        """False when the text cannot hold a match (``folded`` is the text lower-cased, for IGNORECASE)."""
        if not self.requires:
            return True
        haystack = folded if self.ignore_case else text
        for needle in self.requires:  # noqa: SIM110 - a plain loop measured faster than any() or one regex
            if needle in haystack:
                return True
        return False


def _parse_pattern(item: Any, where: str) -> FurniturePattern:
    if not isinstance(item, dict):
        raise GazetteerError(f"{where}: a pattern must be an object")
    try:
        name, source, scope = item["name"], item["regex"], item["scope"]
    except KeyError as err:
        raise GazetteerError(f"{where}: missing key {err}") from err
    if not isinstance(name, str) or not isinstance(source, str) or scope not in _SCOPES:
        raise GazetteerError(f"{where}: name and regex must be strings and scope one of {_SCOPES}")
    flags = re.MULTILINE
    for flag in item.get("flags", []):
        if flag not in _FLAGS:
            raise GazetteerError(f"{where} ({name}): unknown flag {flag!r}")
        flags |= _FLAGS[flag]
    try:
        compiled = re.compile(source, flags)
    except re.error as err:
        raise GazetteerError(f"{where} ({name}): bad regex: {err}") from err
    max_line = item.get("max_line_chars")
    next_max = item.get("next_line_max_chars", 60)
    if (max_line is not None and not isinstance(max_line, int)) or not isinstance(next_max, int):
        raise GazetteerError(f"{where} ({name}): max_line_chars and next_line_max_chars must be integers")
    requires = item.get("requires", [])
    if not isinstance(requires, list) or not all(isinstance(r, str) and r for r in requires):
        raise GazetteerError(f"{where} ({name}): requires must be a list of non-empty strings")
    ignore_case = bool(flags & re.IGNORECASE)
    if ignore_case:
        requires = [r.lower() for r in requires]
    return FurniturePattern(name, compiled, scope, max_line, bool(item.get("next_line", False)), next_max,
                            tuple(requires), ignore_case)


def load_patterns(path: str | Path | None = None) -> tuple[FurniturePattern, ...]:
    """Read a furniture pattern file (the packaged one by default); GazetteerError names a bad file."""
    if path is None:
        ref = resources.files("kg.data") / "patterns" / "furniture.json"
        where, raw = "kg/data/patterns/furniture.json", ref.read_text(encoding="utf-8")
    else:
        where, raw = str(path), Path(path).read_text(encoding="utf-8")
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as err:
        raise GazetteerError(f"{where}:{err.lineno}: not JSON: {err.msg}") from err
    items = data.get("patterns") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise GazetteerError(f"{where}: expected an object with a list 'patterns'")
    return tuple(_parse_pattern(item, f"{where} pattern {i}") for i, item in enumerate(items))


@lru_cache(maxsize=1)
def default_patterns() -> tuple[FurniturePattern, ...]:
    return load_patterns()


def _line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """[line start, line end) of the line(s) holding text[start:end], line breaks excluded."""
    line_start = max(text.rfind("\n", 0, start), text.rfind("\r", 0, start)) + 1
    line_end = end
    while line_end < len(text) and text[line_end] not in _LINE_BREAKS:
        line_end += 1
    return line_start, line_end


def _next_nonempty_line(text: str, pos: int) -> tuple[int, int] | None:
    """Bounds of the first non-blank line after position `pos` (a line end), stripped of spaces."""
    while pos < len(text):
        while pos < len(text) and text[pos] in _LINE_BREAKS:
            pos += 1
        start, end = _line_bounds(text, pos, pos)
        content = text[start:end]
        if content.strip():
            lead = len(content) - len(content.lstrip())
            return start + lead, start + len(content.rstrip())
        pos = end
    return None


def _spans_of(pattern: FurniturePattern, text: str) -> list[Span]:
    spans = []
    for m in pattern.regex.finditer(text):
        if m.end() == m.start():
            continue
        if pattern.scope == "match":
            spans.append(Span(m.start(), m.end(), pattern.name))
            continue
        start, end = _line_bounds(text, m.start(), m.end())
        if pattern.max_line_chars is not None and end - start > pattern.max_line_chars:
            continue
        spans.append(Span(start, end, pattern.name))
        if pattern.next_line:
            nxt = _next_nonempty_line(text, end)
            if nxt and nxt[1] - nxt[0] <= pattern.next_line_max_chars:
                spans.append(Span(nxt[0], nxt[1], pattern.name))
    return spans


def merge_spans(spans: list[Span]) -> tuple[Span, ...]:
    """Sorted, with overlapping or touching spans merged; labels joined with '+'."""
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        if merged and span.start <= merged[-1].end:
            last = merged[-1]
            labels = last.label.split("+")
            label = last.label if span.label in labels else f"{last.label}+{span.label}"
            merged[-1] = Span(last.start, max(last.end, span.end), label)
        else:
            merged.append(span)
    return tuple(merged)


def find_furniture(text: str, patterns: tuple[FurniturePattern, ...] | None = None) -> tuple[Span, ...]:
    """Spans of `text` that are page furniture, sorted and non-overlapping."""
    spans: list[Span] = []
    folded = text.lower()
    for pattern in default_patterns() if patterns is None else patterns:
        if pattern.may_match(text, folded):
            spans.extend(_spans_of(pattern, text))
    return merge_spans(spans)


def in_furniture(spans: tuple[Span, ...], start: int, end: int) -> bool:
    """True when [start, end) lies inside one furniture span."""
    return any(s.start <= start and end <= s.end for s in spans)
