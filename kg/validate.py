"""SHACL validation of an export against the shipped shapes (``schema/shapes.ttl``), with pySHACL.

The ontology is passed as pySHACL's ontology graph so that ``sh:class`` sees ``rdfs:subClassOf``
(a ``kg:State`` is a ``kg:Entity``), but no RDFS inference is run: inference would derive each
subject's class from the property's ``rdfs:domain`` and make every domain check pass vacuously.
Datasets (TriG, N-Quads) are validated as the union of their graphs, because an article's graph
refers to entities described in the default graph.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, Node
from rdflib.namespace import SH

from kg import vocab
from kg.errors import KGError
from kg.export.rdf import FORMATS, PREFIXES, guess_format


class ValidationError(KGError):
    """A file to validate is missing, unreadable or not parseable as the RDF syntax it claims."""


@dataclass(frozen=True)
class Violation:
    """One SHACL result, flattened for a one-line report."""

    focus: str
    path: str
    message: str
    value: str
    severity: str

    def __str__(self) -> str:
        value = f" (value: {self.value})" if self.value and self.value != self.focus else ""
        return f"{self.severity}: {self.focus} {self.path}: {self.message}{value}"


@dataclass(frozen=True)
class ValidationReport:
    path: Path
    triples: int
    violations: list[Violation]

    @property
    def conforms(self) -> bool:
        return not self.violations


def load_rdf(path: str | Path, fmt: str | None = None) -> Graph:
    """Parse an export into one graph (the union of all graphs for TriG and N-Quads)."""
    path = Path(path)
    fmt = fmt or guess_format(path)
    if fmt not in FORMATS:
        raise ValidationError(f"unknown RDF format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if not path.is_file():
        raise ValidationError(f"{path}: no such file")
    _, parser, named = FORMATS[fmt]
    try:
        if not named:
            return Graph().parse(path, format=parser)
        dataset = Dataset()
        dataset.parse(path, format=parser)
    except Exception as err:  # rdflib raises many unrelated types for bad input
        first_line = (str(err).strip().splitlines() or [type(err).__name__])[0]
        raise ValidationError(f"{path}: not valid {fmt} ({first_line[:200]})") from err
    union = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def shapes_graph() -> Graph:
    return Graph().parse(data=vocab.schema_file("shapes.ttl"), format="turtle")


def ontology_graph() -> Graph:
    return Graph().parse(data=vocab.schema_file("ontology.ttl"), format="turtle")


def validate_graph(data: Graph) -> list[Violation]:
    """Every SHACL result for ``data``, sorted so reports are stable."""
    from pyshacl import validate as shacl_validate

    _, results, _ = shacl_validate(data, shacl_graph=shapes_graph(), ont_graph=ontology_graph(),
                                   inference="none", advanced=True, allow_warnings=True)
    violations = []
    for result in results.subjects(SH.resultSeverity, None):
        violations.append(Violation(
            focus=_show(results.value(result, SH.focusNode)),
            path=_show(results.value(result, SH.resultPath)),
            message=str(results.value(result, SH.resultMessage) or ""),
            value=_show(results.value(result, SH.value)),
            severity=_show(results.value(result, SH.resultSeverity)).removeprefix("sh:"),
        ))
    return sorted(set(violations), key=str)


def validate_file(path: str | Path, fmt: str | None = None) -> ValidationReport:
    data = load_rdf(path, fmt)
    return ValidationReport(Path(path), len(data), validate_graph(data))


def _show(node: Node | None) -> str:
    """A node as short Turtle (``kg:represents``, ``"x"@ar``), on one line."""
    if node is None:
        return ""
    return " ".join(node.n3(_NAMES.namespace_manager).split())[:200]


_NAMES = Graph(bind_namespaces="none")
for _prefix, _ns in PREFIXES.items():
    _NAMES.bind(_prefix, _ns)
_NAMES.bind("sh", SH)
