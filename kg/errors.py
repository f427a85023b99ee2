"""One exception hierarchy, so the CLI can turn every expected failure into one plain line."""

from __future__ import annotations

import re

# control characters, bidi overrides and isolates, and the lone surrogates of undecodable file names
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def printable(text: str) -> str:
    """A file name or field as a terminal shows it on one line: a newline, an ESC or a bidi override in a
    name is written as an escape (``\\n``, ``\\x1b``, ``\\u202e``), never obeyed."""
    def escape(m: re.Match[str]) -> str:
        ch = m.group()
        return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(ch) or (
            f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
    return _UNPRINTABLE.sub(escape, text)


class KGError(Exception):
    """Root of every error this package raises on purpose."""


class InputError(KGError):
    """An input file cannot be read as articles (empty, binary, undecodable, malformed)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{printable(path)}: {printable(reason)}")
        self.path = path
        self.reason = reason


class TimeBudgetExceeded(KGError):
    """One article's extraction used up its time budget (kg.parallel.time_budget)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"extraction took more than {seconds:g} s of CPU time, the budget per article: not read")
        self.seconds = seconds


class GazetteerError(KGError):
    """A gazetteer or pattern data file is malformed; names the file so users can fix their extension."""


class DependencyError(KGError):
    """A required external program or package (Java, Maven, camel-tools) is missing."""


class Neo4jError(KGError):
    """The Neo4j server could not be started, reached, authenticated against, or written to."""


class EvaluationError(KGError):
    """A gold or prediction file for `kg evaluate` is malformed."""
