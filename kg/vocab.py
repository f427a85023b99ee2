"""The RDF vocabulary, defined once: classes, one property per predicate, provenance terms.

The ``kg:`` namespace is fixed and does not depend on the ``base_iri`` used for instance data, so
graphs built with different bases still share one schema. Standard vocabularies (rdfs, owl, skos,
prov, dcterms, schema.org, xsd) come from ``rdflib.namespace``.
"""

from __future__ import annotations

from urllib.parse import quote

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SDO

from kg.model import ENTITY_TYPES, PREDICATES

KG = Namespace("https://example.org/kg/vocab#")
WD = Namespace("http://www.wikidata.org/entity/")

# Our classes, each a subclass of its nearest schema.org class.
SCHEMA_CLASS = {
    "Person": SDO.Person,
    "State": SDO.Country,
    "Organization": SDO.Organization,
    "Meeting": SDO.Event,
    "Resolution": SDO.Legislation,
    "Document": SDO.CreativeWork,
    "Place": SDO.Place,
    "Article": SDO.NewsArticle,
}
CLASSES: dict[str, URIRef] = {name: KG[name] for name in (*ENTITY_TYPES, "Article")}


def lower_camel(name: str) -> str:
    """``HOSTED_BY`` -> ``hostedBy``; ``REPRESENTS`` -> ``represents``."""
    head, *rest = name.lower().split("_")
    return head + "".join(part.capitalize() for part in rest)


def term(local: str) -> URIRef:
    """A ``kg:`` term for a code-supplied name, percent-encoded so the IRI is always valid."""
    return KG[quote(local, safe="")]


def predicate_property(predicate: str) -> URIRef:
    return term(lower_camel(predicate))


def class_for(entity_type: str) -> URIRef:
    return CLASSES.get(entity_type) or term(entity_type)


PROPERTIES: dict[str, URIRef] = {p: predicate_property(p) for p in PREDICATES}

# Provenance and attribute terms.
MENTIONED_IN = KG.mentionedIn
ROLE = KG.role
REPORTED_ON = KG.reportedOn
SENTENCE = KG.sentence
START = KG.start
END = KG.end
RULE = KG.rule
CONFIDENCE = KG.confidence
NUMBER = KG.number  # a resolution's number
YEAR = KG.year  # a resolution's year
DATE = KG.date  # e.g. a meeting's date


def vocabulary() -> Graph:
    """The small schema (TBox) that `kg.export.rdf.to_rdf` ships alongside the data."""
    g = Graph()
    for name, cls in CLASSES.items():
        g.add((cls, RDF.type, OWL.Class))
        g.add((cls, RDFS.label, Literal(name, lang="en")))
        g.add((cls, RDFS.subClassOf, SCHEMA_CLASS[name]))
    g.add((CLASSES["Article"], RDFS.subClassOf, PROV.Entity))
    for predicate, prop in PROPERTIES.items():
        g.add((prop, RDF.type, OWL.ObjectProperty))
        g.add((prop, RDFS.label, Literal(predicate)))
    g.add((MENTIONED_IN, RDF.type, OWL.ObjectProperty))
    for prop in (ROLE, REPORTED_ON, SENTENCE, START, END, RULE, CONFIDENCE, NUMBER, YEAR, DATE):
        g.add((prop, RDF.type, OWL.DatatypeProperty))
    return g
