"""RDF export: Turtle (the default), N-Triples, JSON-LD, TriG and N-Quads, streamed from the graph.

Provenance: every fact is asserted directly (``s kg:hostedBy o``), so plain SPARQL needs no
provenance at all, and each sentence it was read from gets one ``rdf:Statement`` (standard RDF
reification) with ``rdf:subject/predicate/object``, ``prov:wasDerivedFrom`` the article, and the
sentence, offsets, rule and confidence; a REPRESENTS statement also carries the role and the date
it was reported. We chose reification over RDF-star because every RDF tool reads it (rdflib 7
has no RDF-star, and RDF 1.2 triple terms are not yet in most stores) and it keeps sentence-level
detail; named graphs alone would only say "this article", not which sentence. TriG and N-Quads
add the named graphs too: one graph per article, named by the article's IRI, holding the facts
that article supports and their statements, while articles and entities sit in the default graph.

Speed: the writers format terms themselves (escaping by the N-Triples/Turtle grammar) instead of
building an rdflib graph, so a corpus-sized graph streams out at well over 100,000 triples/s;
`to_rdf` parses that output back when an rdflib graph is wanted. Output order follows the
graph's sorted order and statement IRIs are content hashes, so exports are byte-identical
across runs and input orders.

Article text is data: literals go through `clean_text` (surrogates -> U+FFFD) and are escaped,
ids are percent-encoded into IRIs, and URLs are re-encoded until they are valid IRIs.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD

from kg import vocab
from kg.errors import KGError
from kg.export.jsonl import clean_text, edge_role
from kg.graph import KnowledgeGraph

DEFAULT_BASE = "https://example.org/kg/"
# --format name -> (file suffix, rdflib parser name, has named graphs)
FORMATS: dict[str, tuple[str, str, bool]] = {
    "turtle": (".ttl", "turtle", False),
    "nt": (".nt", "nt", False),
    "jsonld": (".jsonld", "json-ld", False),
    "trig": (".trig", "trig", True),
    "nquads": (".nq", "nquads", True),
}
SUFFIXES = {suffix: fmt for fmt, (suffix, _, _) in FORMATS.items()} | {".json": "jsonld", ".nquads": "nquads"}
PREFIXES = {
    "kg": str(vocab.KG), "rdf": str(RDF), "rdfs": str(RDFS), "xsd": str(XSD), "owl": str(OWL),
    "skos": str(SKOS), "dcterms": str(DCTERMS), "prov": str(PROV), "schema": str(SDO), "wd": str(vocab.WD),
}
_BASE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`\x00-\x20\x7f]*[/#]")
_QID = re.compile(r"Q[1-9][0-9]*")
_LOCAL = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f]')
_URI_SAFE = "!$&'()*+,-./:;=?@_~"  # RFC 3986 reserved and unreserved characters kept as they are
_URI_CHARS = r"[A-Za-z0-9!$&'()*+,\-./:;=?@_~%]"
_ABSOLUTE_URI = re.compile(rf"[A-Za-z][A-Za-z0-9+.\-]*:{_URI_CHARS}+(#{_URI_CHARS}*)?")
_HOST = re.compile(r"[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.?(:[0-9]{1,5})?")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_DATE_FORMS = ((re.compile(r"\d{4}-\d{2}-\d{2}"), str(XSD.date)), (re.compile(r"\d{4}-\d{2}"), str(XSD.gYearMonth)),
               (re.compile(r"\d{4}"), str(XSD.gYear)))


class Iri(str):
    """An absolute IRI, already valid (every constructor below guarantees it)."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Lit:
    """A literal: ``lang`` for language-tagged strings, ``datatype`` (an IRI) for typed ones."""

    value: str
    lang: str = ""
    datatype: str = ""


Term = Iri | Lit
Block = tuple[Iri, list[tuple[Iri, Term]]]  # one subject and its (predicate, object) pairs

TYPE = Iri(RDF.type)
_P = {name: Iri(iri) for name, iri in {
    "identifier": DCTERMS.identifier, "title": DCTERMS.title, "date": DCTERMS.date, "source": DCTERMS.source,
    "label": RDFS.label, "altLabel": SKOS.altLabel, "sameAs": OWL.sameAs, "url": SDO.url,
    "subject": RDF.subject, "predicate": RDF.predicate, "object": RDF.object, "derived": PROV.wasDerivedFrom,
    "Statement": RDF.Statement, "Entity": PROV.Entity, "mentionedIn": vocab.MENTIONED_IN,
    "number": vocab.NUMBER, "year": vocab.YEAR, "unSymbol": vocab.UN_SYMBOL, "mdate": vocab.DATE,
    "ordinal": vocab.ORDINAL, "sentence": vocab.SENTENCE, "start": vocab.START, "end": vocab.END,
    "rule": vocab.RULE, "confidence": vocab.CONFIDENCE, "role": vocab.ROLE, "reportedOn": vocab.REPORTED_ON,
}.items()}
_CLASS = {name: Iri(iri) for name, iri in vocab.CLASSES.items()}
_PROPERTY = {name: Iri(iri) for name, iri in vocab.PROPERTIES.items()}
_INTEGER, _DECIMAL, _GYEAR, _ANYURI = str(XSD.integer), str(XSD.decimal), str(XSD.gYear), str(XSD.anyURI)


def guess_format(path: Path) -> str:
    """The `FORMATS` name for a file, from its suffix."""
    fmt = SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise KGError(f"{path}: cannot tell the RDF syntax from the suffix; pass --format ({', '.join(FORMATS)})")
    return fmt


# ------------------------------------------------------------------------------------ IRIs


def check_base_iri(base_iri: str) -> str:
    """An absolute IRI ending in ``/`` or ``#``, or a `KGError` that says what to pass instead."""
    if not _BASE.fullmatch(base_iri):
        raise KGError(f"--base-iri {base_iri!r}: give an absolute IRI ending in / or #, e.g. {DEFAULT_BASE}")
    return base_iri


def _iri(base: str, kind: str, ident: str) -> Iri:
    return Iri(base + kind + "/" + quote(clean_text(ident), safe=""))


def entity_iri(entity_id: str, base_iri: str = DEFAULT_BASE) -> URIRef:
    """The IRI of an entity, for users of the export (the writers use the internal `Iri` form)."""
    return URIRef(_iri(base_iri, "entity", entity_id))


def article_iri(article_id: str, base_iri: str = DEFAULT_BASE) -> URIRef:
    return URIRef(_iri(base_iri, "article", article_id))


def url_iri(url: str) -> Iri | None:
    """An http(s) page URL as a valid (ASCII) IRI, unsafe characters percent-encoded; None if it is not one.

    Strict on purpose: stores such as Oxigraph reject a whole file for one malformed IRI, so any
    other URL is kept as an ``xsd:anyURI`` literal instead.
    """
    head, sep, fragment = clean_text(url).strip().partition("#")
    encoded = quote(head, safe=_URI_SAFE + "%") + sep + quote(fragment, safe=_URI_SAFE + "%")
    encoded = _BAD_PERCENT.sub("%25", encoded)
    scheme, _, rest = encoded.partition("://")
    host = rest.split("/", 1)[0].split("?", 1)[0]
    if scheme.lower() in ("http", "https") and _HOST.fullmatch(host) and _ABSOLUTE_URI.fullmatch(encoded):
        return Iri(encoded)
    return None


# -------------------------------------------------------------------------------- literals


def _text(value: str, lang: str = "") -> Lit:
    return Lit(clean_text(value), lang)


def date_literal(value: str) -> Lit | None:
    """xsd:date, xsd:gYearMonth or xsd:gYear for a valid ISO date, month or year; else None."""
    for pattern, datatype in _DATE_FORMS:
        if pattern.fullmatch(value):
            try:
                date.fromisoformat((value + "-01-01")[:10])
            except ValueError:
                return None
            return Lit(value, datatype=datatype)
    return None


def _integer(value: Any) -> Lit:
    return Lit(str(int(value)), datatype=_INTEGER)


def _confidence(value: float) -> Lit:
    value = min(max(float(value), 0.0), 1.0) if math.isfinite(value) else 0.0
    return Lit(format(Decimal(repr(value)), "f"), datatype=_DECIMAL)


def un_symbol(number: str, year: str, body: str) -> str | None:
    """``S/RES/2379 (2017)`` for a Security Council resolution whose number and year are known.

    A resolution is the Security Council's unless the article named another body; other bodies'
    symbols (A/RES/72/284) need a session number that articles rarely give, so they get none.
    """
    if number.isascii() and number.isdigit() and int(number) > 0 and re.fullmatch(r"[12][0-9]{3}", year) \
            and body in ("", vocab.UNSC_QID):
        return f"S/RES/{int(number)} ({year})"
    return None


# ------------------------------------------------------------------------ graph -> blocks


def _article_block(article_id: str, data: dict[str, Any], base: str) -> Block:
    pairs: list[tuple[Iri, Term]] = [(TYPE, _CLASS["Article"]), (TYPE, _P["Entity"]),
                                     (_P["identifier"], _text(article_id))]
    if data["title"]:
        pairs.append((_P["title"], _text(data["title"], "ar")))
    if data["date"]:
        pairs.append((_P["date"], date_literal(data["date"]) or _text(data["date"])))
    if data["url"]:
        iri = url_iri(data["url"])
        pairs.append((_P["url"], iri if iri else Lit(clean_text(data["url"]), datatype=_ANYURI)))
    if data["source"]:
        pairs.append((_P["source"], _text(data["source"])))
    return _iri(base, "article", article_id), pairs


def _entity_block(node: str, data: dict[str, Any], base: str) -> Block:
    pairs: list[tuple[Iri, Term]] = [(TYPE, _CLASS.get(data["type"]) or Iri(vocab.KG["Entity"])),
                                     (_P["identifier"], _text(node)), (_P["label"], _text(data["name"], "ar"))]
    pairs += [(_P["altLabel"], _text(alias, "ar")) for alias in data["aliases"]]
    if _QID.fullmatch(data["wikidata"]):
        pairs.append((_P["sameAs"], Iri(vocab.WD[data["wikidata"]])))
    attrs = data["attrs"]
    number, year = attrs.get("number", ""), attrs.get("year", "")
    if number.isascii() and number.isdigit() and int(number) > 0:
        pairs.append((_P["number"], _integer(number)))
    if re.fullmatch(r"[12][0-9]{3}", year):
        pairs.append((_P["year"], Lit(year, datatype=_GYEAR)))
    if data["type"] == "Resolution" and (symbol := un_symbol(number, year, attrs.get("body", ""))):
        pairs.append((_P["unSymbol"], Lit(symbol)))
    if attrs.get("date") and (meeting_date := date_literal(attrs["date"])):
        pairs.append((_P["mdate"], meeting_date))
    if attrs.get("ordinal"):
        pairs.append((_P["ordinal"], _text(attrs["ordinal"])))
    pairs += [(_P["mentionedIn"], _iri(base, "article", a)) for a in data["articles"]]
    return _iri(base, "entity", node), pairs


def _statement_iri(base: str, s: str, key: str, o: str, ev: Any) -> Iri:
    raw = "\x1f".join([s, key, o, ev.article, str(ev.start), str(ev.end), ev.rule, repr(ev.confidence)])
    return Iri(base + "statement/" + hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:32])


def _statement_block(st: Iri, subj: Iri, prop: Iri, obj: Iri, ev: Any, role: str | None,
                     reported: Lit | None, base: str) -> Block:
    pairs: list[tuple[Iri, Term]] = [
        (TYPE, _P["Statement"]), (TYPE, _P["Entity"]),
        (_P["subject"], subj), (_P["predicate"], prop), (_P["object"], obj),
        (_P["derived"], _iri(base, "article", ev.article)), (_P["sentence"], _text(ev.sentence, "ar")),
        (_P["start"], _integer(ev.start)), (_P["end"], _integer(ev.end)), (_P["rule"], _text(ev.rule)),
        (_P["confidence"], _confidence(ev.confidence)),
    ]
    if role:
        pairs.append((_P["role"], _text(role, "ar")))
    if reported:
        pairs.append((_P["reportedOn"], reported))
    return st, pairs


def iter_blocks(graph: KnowledgeGraph, base_iri: str = DEFAULT_BASE,
                named_graphs: bool = False) -> Iterator[tuple[Iri | None, Block]]:
    """(graph name, block) in a stable order; graph name None is the default graph.

    Without named graphs each entity's block also holds the facts it is the subject of. With them,
    article graphs hold the facts each article supports and their statements.
    """
    base = check_base_iri(base_iri)
    dates: dict[str, Lit | None] = {}
    for article_id, data in graph.articles():
        dates[article_id] = date_literal(data["date"]) if data["date"] else None
        yield None, _article_block(article_id, data, base)
    facts: dict[str, list[tuple[Iri, Term]]] = {}
    per_article: dict[str, list[Block]] = {}
    statements: list[Block] = []
    asserted: set[tuple[str, str, str, str]] = set()  # (article, subject, property, object) already in its graph
    for s, o, key, data in graph.relations():
        subj, obj, prop = _iri(base, "entity", s), _iri(base, "entity", o), _PROPERTY[data["predicate"]]
        role = edge_role(key)
        represents = data["predicate"] == "REPRESENTS"
        if not named_graphs and (prop, obj) not in facts.setdefault(s, []):
            facts[s].append((prop, obj))
        for ev in data["evidence"]:
            block = _statement_block(_statement_iri(base, s, key, o, ev), subj, prop, obj, ev, role,
                                     dates.get(ev.article) if represents else None, base)
            if named_graphs:
                blocks = per_article.setdefault(ev.article, [])
                if (ev.article, s, prop, o) not in asserted:
                    asserted.add((ev.article, s, prop, o))
                    blocks.append((subj, [(prop, obj)]))
                blocks.append(block)
            else:
                statements.append(block)
    for node, data in graph.entities():
        subject, pairs = _entity_block(node, data, base)
        yield None, (subject, pairs + facts.get(node, []))
    for article_id in sorted(per_article):
        name = _iri(base, "article", article_id)
        for block in per_article[article_id]:
            yield name, block
    for block in statements:
        yield None, block


# ----------------------------------------------------------------------------- serialisers


def _escape(value: str) -> str:
    if not _NEEDS_ESCAPE.search(value):
        return value
    return _NEEDS_ESCAPE.sub(lambda m: _ESCAPES.get(m.group(), f"\\u{ord(m.group()):04X}"), value)


@cache
def _short(iri: str) -> str:
    """``kg:hostedBy`` for an IRI in a known namespace with a plain local name, else ``<iri>``."""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and _LOCAL.fullmatch(iri[len(ns):]):
            return f"{prefix}:{iri[len(ns):]}"
    return f"<{iri}>"


def _nt_term(term: Term) -> str:
    if isinstance(term, Iri):
        return f"<{term}>"
    text = f'"{_escape(term.value)}"'
    if term.lang:
        return f"{text}@{term.lang}"
    return f"{text}^^<{term.datatype}>" if term.datatype else text


def _ttl_term(term: Term) -> str:
    if isinstance(term, Iri):
        return _short(term)
    text = f'"{_escape(term.value)}"'
    if term.lang:
        return f"{text}@{term.lang}"
    return f"{text}^^{_short(term.datatype)}" if term.datatype else text


def _ttl_block(block: Block, indent: str = "") -> str:
    """One subject with its predicates; a run of objects of one predicate becomes an object list."""
    subject, pairs = block
    lines: list[str] = []
    previous: Iri | None = None
    for p, o in pairs:
        if p == previous:
            lines[-1] += ", " + _ttl_term(o)
            continue
        lead = _short(subject) if not lines else "   "
        lines.append(f"{indent}{lead} {'a' if p == TYPE else _short(p)} {_ttl_term(o)}")
        previous = p
    return " ;\n".join(lines) + " .\n"


def _write_turtle(blocks: Iterable[tuple[Iri | None, Block]], out: IO[str], trig: bool) -> None:
    out.write("".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items()) + "\n")
    current: Iri | None = None
    for name, block in blocks:
        if trig and name != current:
            if current is not None:
                out.write("}\n\n")
            if name is not None:
                out.write(f"<{name}> {{\n")
            current = name
        out.write(_ttl_block(block, "  " if current is not None else "") + "\n")
    if current is not None:
        out.write("}\n")


def _write_lines(blocks: Iterable[tuple[Iri | None, Block]], out: IO[str], quads: bool) -> None:
    for name, (subject, pairs) in blocks:
        s = f"<{subject}>"
        g = f" <{name}>" if quads and name is not None else ""
        out.write("".join(f"{s} <{p}> {_nt_term(o)}{g} .\n" for p, o in pairs))


@cache
def jsonld_context() -> dict[str, Any]:
    """The published context (``schema/context.jsonld``), shipped in the package."""
    return json.loads(vocab.schema_file("context.jsonld"))["@context"]


@cache
def _jsonld_terms() -> dict[str, tuple[str, str]]:
    """Full IRI -> (term, coercion) for every term the context defines."""
    ctx = jsonld_context()

    def expand(value: str) -> str:
        prefix, _, local = value.partition(":")
        return ctx[prefix] + local if isinstance(ctx.get(prefix), str) else value

    terms: dict[str, tuple[str, str]] = {}
    for term, definition in ctx.items():
        if isinstance(definition, str) and not definition.endswith(("/", "#")) and not definition.startswith("@"):
            terms[expand(definition)] = (term, "")  # an alias such as "identifier": "dcterms:identifier"
        elif isinstance(definition, dict):
            coercion = definition.get("@type", "")
            terms[expand(definition["@id"])] = (term, coercion if coercion == "@id" else expand(coercion))
    return terms


@cache
def _jsonld_classes() -> dict[str, str]:
    """``kg:Person`` -> ``Person``: the class terms of the context."""
    ctx = jsonld_context()
    return {value: name for name, value in ctx.items() if value == "kg:" + name}


def _jsonld_node(block: Block) -> dict[str, Any]:
    terms, classes = _jsonld_terms(), _jsonld_classes()
    subject, pairs = block
    node: dict[str, Any] = {"@id": str(subject)}
    for p, o in pairs:
        if p == TYPE:
            short = _short(o)
            node.setdefault("@type", []).append(classes.get(short, short.strip("<>")))
            continue
        term, coercion = terms.get(p, (p, ""))
        if isinstance(o, Iri):
            value: Any = str(o) if coercion == "@id" else {"@id": str(o)}
        elif coercion and o.datatype == coercion:
            value = o.value
        elif o.lang:
            value = {"@value": o.value, "@language": o.lang}
        elif not o.datatype and not coercion:
            value = o.value
        else:
            value = {"@value": o.value, "@type": o.datatype or str(XSD.string)}
        node.setdefault(term, []).append(value)
    return node


def _write_jsonld(blocks: Iterable[tuple[Iri | None, Block]], out: IO[str]) -> None:
    out.write('{"@context": ' + json.dumps(jsonld_context(), ensure_ascii=False) + ',\n "@graph": [')
    for i, (_, block) in enumerate(blocks):
        out.write(("," if i else "") + "\n  " + json.dumps(_jsonld_node(block), ensure_ascii=False))
    out.write("\n]}\n")


_WRITERS: dict[str, Callable[[Iterable[tuple[Iri | None, Block]], IO[str]], None]] = {
    "turtle": lambda blocks, out: _write_turtle(blocks, out, trig=False),
    "trig": lambda blocks, out: _write_turtle(blocks, out, trig=True),
    "nt": lambda blocks, out: _write_lines(blocks, out, quads=False),
    "nquads": lambda blocks, out: _write_lines(blocks, out, quads=True),
    "jsonld": _write_jsonld,
}


def serialize(graph: KnowledgeGraph, out: IO[str], fmt: str = "turtle", base_iri: str = DEFAULT_BASE) -> None:
    """Stream ``graph`` as ``fmt`` (one of `FORMATS`) into a text stream."""
    if fmt not in FORMATS:
        raise KGError(f"unknown RDF format {fmt!r}: choose one of {', '.join(FORMATS)}")
    _WRITERS[fmt](iter_blocks(graph, base_iri, named_graphs=FORMATS[fmt][2]), out)


def write_rdf(graph: KnowledgeGraph, path: str | Path, fmt: str = "turtle", base_iri: str = DEFAULT_BASE) -> Path:
    """Write ``graph`` as ``fmt`` into ``path`` (UTF-8, LF line ends)."""
    check_base_iri(base_iri)
    path = Path(path)
    try:
        with path.open("w", encoding="utf-8", newline="\n") as out:
            serialize(graph, out, fmt, base_iri)
    except OSError as err:
        raise KGError(f"{path}: cannot write the {fmt} export ({err.strerror})") from err
    return path


def write_turtle(graph: KnowledgeGraph, path: str | Path, base_iri: str = DEFAULT_BASE) -> Path:
    return write_rdf(graph, path, "turtle", base_iri)


def to_rdf(graph: KnowledgeGraph, base_iri: str = DEFAULT_BASE, named_graphs: bool = False) -> Graph | Dataset:
    """The export as an rdflib `Graph` (or a `Dataset` with one named graph per article)."""
    import io

    text = io.StringIO()
    fmt = "nquads" if named_graphs else "nt"
    serialize(graph, text, fmt, base_iri)
    target = Dataset() if named_graphs else Graph()
    target.parse(data=text.getvalue(), format=FORMATS[fmt][1])
    for prefix, ns in PREFIXES.items():
        target.bind(prefix, ns)
    return target
