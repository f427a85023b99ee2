"""The predicates of the graph, with the domain and range that ``schema/ontology.ttl`` gives them.

The ontology is the one statement of what a relation may join; the extractor asks this registry before it
records a triple, so a rule that would make a Person HOSTED_BY a Document is refused where it fires (and
named, in ``kg explain``), not found later by SHACL in the exported graph.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from rdflib import RDFS, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL

from kg.model import ENTITY_TYPES, PREDICATES
from kg.vocab import CLASSES, PROPERTIES, schema_file


@dataclass(frozen=True)
class Predicate:
    name: str
    domain: frozenset[str]
    range: frozenset[str]

    def allows(self, subject_type: str, object_type: str) -> bool:
        return subject_type in self.domain and object_type in self.range


def _classes(g: Graph, node) -> frozenset[str]:
    """A class, or the classes of an ``owl:unionOf`` list, as entity type names."""
    by_iri = {iri: name for name, iri in CLASSES.items() if name in ENTITY_TYPES}
    union = g.value(node, OWL.unionOf)
    members = list(Collection(g, union)) if union is not None else [node]
    return frozenset(by_iri[m] for m in members if isinstance(m, URIRef) and m in by_iri)


@cache
def registry() -> dict[str, Predicate]:
    g = Graph().parse(data=schema_file("ontology.ttl"), format="turtle")
    out = {}
    for name in PREDICATES:
        prop = PROPERTIES[name]
        out[name] = Predicate(name, _classes(g, g.value(prop, RDFS.domain)), _classes(g, g.value(prop, RDFS.range)))
    return out
