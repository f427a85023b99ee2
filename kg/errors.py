"""One exception hierarchy, so the CLI can turn every expected failure into one plain line."""

from __future__ import annotations


class KGError(Exception):
    """Root of every error this package raises on purpose."""


class InputError(KGError):
    """An input file cannot be read as articles (empty, binary, undecodable, malformed)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class GazetteerError(KGError):
    """A gazetteer or pattern data file is malformed; names the file so users can fix their extension."""


class DependencyError(KGError):
    """A required external program or package (Java, Maven, camel-tools) is missing."""


class Neo4jError(KGError):
    """The Neo4j server could not be started, reached, authenticated against, or written to."""


class EvaluationError(KGError):
    """A gold or prediction file for `kg evaluate` is malformed."""
