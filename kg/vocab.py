"""The names of the RDF vocabulary, defined once for the exporters, the validator and the tests.

The vocabulary itself, with its labels, definitions, domains, ranges and schema.org / PROV-O
alignment, is ``schema/ontology.ttl`` (shipped as ``kg.schema``); this module only names its terms.
The ``kg:`` namespace is fixed and does not depend on the ``--base-iri`` used for instance data,
so graphs built under different bases still share one schema.
"""

from __future__ import annotations

from importlib import resources

from rdflib import Namespace, URIRef

from kg.model import ENTITY_TYPES, PREDICATES

KG = Namespace("https://example.org/kg/vocab#")
ONTOLOGY_IRI = URIRef("https://example.org/kg/vocab")
WD = Namespace("http://www.wikidata.org/entity/")
UNSC_QID = "Q37470"  # the Security Council: resolutions it adopts get an S/RES symbol


def lower_camel(name: str) -> str:
    """``HOSTED_BY`` -> ``hostedBy``; ``REPRESENTS`` -> ``represents``."""
    head, *rest = name.lower().split("_")
    return head + "".join(part.capitalize() for part in rest)


CLASSES: dict[str, URIRef] = {name: KG[name] for name in (*ENTITY_TYPES, "Article")}
PROPERTIES: dict[str, URIRef] = {p: KG[lower_camel(p)] for p in PREDICATES}

# Entity attributes, provenance of each statement, and the entity-article link.
MENTIONED_IN = KG.mentionedIn
NUMBER = KG.number  # a resolution's number
YEAR = KG.year  # a resolution's year
UN_SYMBOL = KG.unSymbol  # S/RES/2379 (2017)
DATE = KG.date  # a meeting's date
ORDINAL = KG.ordinal  # a meeting's ordinal (الرابع)
SENTENCE = KG.sentence
START = KG.start
END = KG.end
RULE = KG.rule
CONFIDENCE = KG.confidence
ROLE = KG.role
REPORTED_ON = KG.reportedOn


def schema_file(name: str) -> str:
    """The text of a file shipped in ``kg.schema`` (ontology.ttl, shapes.ttl, context.jsonld)."""
    return resources.files("kg.schema").joinpath(name).read_text(encoding="utf-8")
