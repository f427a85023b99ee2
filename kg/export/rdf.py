"""RDF export: the graph as Turtle (or any rdflib serialisation), with per-sentence provenance.

Provenance model: standard RDF reification. Every relation is asserted directly
(``s kg:hostedBy o``) so that plain SPARQL needs no provenance at all, and each piece of evidence
for it gets one ``rdf:Statement`` node with ``rdf:subject``/``rdf:predicate``/``rdf:object``,
``prov:wasDerivedFrom`` the article, and ``kg:sentence``/``kg:start``/``kg:end``/``kg:rule``/
``kg:confidence`` (plus ``kg:role`` and ``kg:reportedOn`` for REPRESENTS). We chose this over a
bespoke ``kg:Assertion`` class because every RDF tool already knows the reification vocabulary
(a bespoke class would have needed its own subject/predicate/object properties anyway), and
because it maps one-to-one onto RDF 1.2 triple terms (``rdf:reifies <<( s p o )>>``) if we move
to those. One node per evidence keeps each sentence's offsets, rule and confidence together.

Determinism: statement nodes are IRIs named by a hash of subject, edge key, object and the
evidence (article, offsets, rule, confidence), never blank nodes; rdflib's Turtle serialiser
sorts subjects and predicates, and line-based formats (N-Triples, N-Quads) are sorted here.

Article text is data: every literal goes through `clean_text` (surrogates -> U+FFFD), ids are
percent-encoded into IRIs, and URLs only become IRIs when they are syntactically safe.
"""

from __future__ import annotations

import hashlib
import math
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD

from kg import vocab
from kg.export.jsonl import clean_text, edge_role
from kg.graph import KnowledgeGraph

DEFAULT_BASE = "https://example.org/kg/"
_LINE_FORMATS = {"nt", "nt11", "ntriples", "n-triples", "nquads", "nq"}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_QID = re.compile(r"Q[1-9][0-9]*")
_SAFE_URL = re.compile(r"https?://[^\s<>\"{}|\\^`\x00-\x1f\x7f]+", re.IGNORECASE)


def _iri(base: str, kind: str, ident: str) -> URIRef:
    return URIRef(base + kind + "/" + quote(clean_text(ident), safe=""))


def entity_iri(entity_id: str, base_iri: str = DEFAULT_BASE) -> URIRef:
    return _iri(base_iri, "entity", entity_id)


def article_iri(article_id: str, base_iri: str = DEFAULT_BASE) -> URIRef:
    return _iri(base_iri, "article", article_id)


def _text(value: str, lang: str | None = None) -> Literal:
    return Literal(clean_text(value), lang=lang)


def _date(value: str) -> Literal:
    """xsd:date for a valid ISO ``YYYY-MM-DD`` (only that form), else a plain string."""
    if _ISO_DATE.fullmatch(value):
        try:
            date.fromisoformat(value)
            return Literal(value, datatype=XSD.date)
        except ValueError:
            pass
    return _text(value)


def _attr(key: str, value: str) -> tuple[URIRef, Literal]:
    if key == "number":
        return vocab.NUMBER, Literal(value, datatype=XSD.integer) if value.isascii() and value.isdigit() \
            else _text(value)
    if key == "year":
        return vocab.YEAR, Literal(value, datatype=XSD.gYear) if re.fullmatch(r"[0-9]{4}", value) \
            else _text(value)
    if key == "date":
        return vocab.DATE, _date(value)
    return vocab.term(vocab.lower_camel(key)), _text(value)


def _statement_iri(base: str, s: str, key: str, o: str, ev: Any) -> URIRef:
    raw = "\x1f".join([s, key, o, ev.article, str(ev.start), str(ev.end), ev.rule, repr(ev.confidence)])
    digest = hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return URIRef(base + "statement/" + digest)


def _add_articles(rdf: Graph, graph: KnowledgeGraph, base: str) -> None:
    for article_id, data in graph.articles():
        a = article_iri(article_id, base)
        rdf.add((a, RDF.type, PROV.Entity))
        rdf.add((a, RDF.type, vocab.CLASSES["Article"]))
        rdf.add((a, DCTERMS.identifier, _text(article_id)))
        if data["title"]:
            rdf.add((a, DCTERMS.title, _text(data["title"], "ar")))
        if data["date"]:
            rdf.add((a, DCTERMS.date, _date(data["date"])))
        if data["url"]:
            url = clean_text(data["url"])
            safe = _SAFE_URL.fullmatch(url)
            rdf.add((a, SDO.url, URIRef(url) if safe else Literal(url, datatype=XSD.anyURI)))
        if data["source"]:
            rdf.add((a, DCTERMS.source, _text(data["source"])))


def _add_entities(rdf: Graph, graph: KnowledgeGraph, base: str) -> None:
    for node, data in graph.entities():
        e = entity_iri(node, base)
        rdf.add((e, RDF.type, vocab.class_for(data["type"])))
        rdf.add((e, DCTERMS.identifier, _text(node)))
        rdf.add((e, RDFS.label, _text(data["name"], "ar")))
        for alias in data["aliases"]:
            rdf.add((e, SKOS.altLabel, _text(alias, "ar")))
        if _QID.fullmatch(data["wikidata"]):
            rdf.add((e, OWL.sameAs, vocab.WD[data["wikidata"]]))
        for key, value in sorted(data["attrs"].items()):
            rdf.add((e, *_attr(key, value)))
        for article_id in data["articles"]:
            rdf.add((e, vocab.MENTIONED_IN, article_iri(article_id, base)))


def _confidence(value: float) -> Literal:
    if math.isfinite(value):
        return Literal(Decimal(repr(float(value))), datatype=XSD.decimal)
    return Literal(value, datatype=XSD.double)


def _add_relations(rdf: Graph, graph: KnowledgeGraph, base: str) -> None:
    dates = {article_id: data["date"] for article_id, data in graph.articles()}
    for s, o, key, data in graph.relations():
        predicate = data["predicate"]
        subj, obj, prop = entity_iri(s, base), entity_iri(o, base), vocab.predicate_property(predicate)
        rdf.add((subj, prop, obj))
        role = edge_role(key)
        for ev in data["evidence"]:
            st = _statement_iri(base, s, key, o, ev)
            rdf.add((st, RDF.type, RDF.Statement))
            rdf.add((st, RDF.subject, subj))
            rdf.add((st, RDF.predicate, prop))
            rdf.add((st, RDF.object, obj))
            rdf.add((st, PROV.wasDerivedFrom, article_iri(ev.article, base)))
            rdf.add((st, vocab.SENTENCE, _text(ev.sentence, "ar")))
            rdf.add((st, vocab.START, Literal(ev.start)))
            rdf.add((st, vocab.END, Literal(ev.end)))
            rdf.add((st, vocab.RULE, _text(ev.rule)))
            rdf.add((st, vocab.CONFIDENCE, _confidence(ev.confidence)))
            if role:
                rdf.add((st, vocab.ROLE, _text(role, "ar")))
            if predicate == "REPRESENTS" and dates.get(ev.article):
                rdf.add((st, vocab.REPORTED_ON, _date(dates[ev.article])))
            for name, values in sorted(data["properties"].items()):
                if name != "role":
                    for value in values:
                        rdf.add((st, vocab.term(vocab.lower_camel(name)), _text(value)))


def to_rdf(graph: KnowledgeGraph, base_iri: str = DEFAULT_BASE) -> Graph:
    """The graph as RDF: vocabulary, articles, entities, direct triples and reified evidence."""
    rdf = Graph(bind_namespaces="core")
    for prefix, ns in (("kg", vocab.KG), ("wd", vocab.WD), ("schema", SDO), ("prov", PROV),
                       ("dcterms", DCTERMS), ("skos", SKOS)):
        rdf.bind(prefix, ns)
    rdf += vocab.vocabulary()
    _add_articles(rdf, graph, base_iri)
    _add_entities(rdf, graph, base_iri)
    _add_relations(rdf, graph, base_iri)
    return rdf


def write_turtle(graph: KnowledgeGraph, path: str | Path, base_iri: str = DEFAULT_BASE,
                 fmt: str = "turtle") -> None:
    """Serialise with any rdflib format (``turtle``, ``nt``, ``xml``, ``json-ld`` ...).

    Turtle and the line-based formats are byte-identical across runs; RDF/XML and JSON-LD follow
    rdflib's own ordering, which is not guaranteed stable across processes.
    """
    text = to_rdf(graph, base_iri).serialize(format=fmt)
    if fmt.lower() in _LINE_FORMATS:
        text = "".join(sorted(line + "\n" for line in text.splitlines() if line.strip()))
    Path(path).write_bytes(text.encode("utf-8"))
