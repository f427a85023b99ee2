"""Linked data: every RDF format read back by two implementations (rdflib and Oxigraph), hostile text
intact, one named graph per article, SHACL validation with pySHACL, the ontology against the guide."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from kg import vocab
from kg.cli import main
from kg.errors import KGError
from kg.export.jsonl import clean_text
from kg.export.rdf import FORMATS, article_iri, entity_iri, to_rdf, un_symbol, url_iri, write_rdf
from kg.graph import KnowledgeGraph
from kg.model import ENTITY_TYPES, PREDICATES, Article, Entity, Evidence, Extraction, Triple
from kg.pipeline import build_graph
from kg.validate import load_rdf, validate_file, validate_graph
from tests.conftest import ROOT, SEEDS, SHARED
from tests.test_export import CLEAN_SENTENCE, HOSTILE_ALIAS, HOSTILE_NAME, extractions

OX_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
              "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}
EVIL_TITLE = 'عنوان """ثلاثي""" \\ back\\slash\ttab\r\nسطر\u2028 > < & \u200f\u202e 😀 \ud83d \x00 @prefix ex: <http://e/> .'
EVIL_URL = 'https://example.org/path with space/"q"<x>{y}|\\^`?a=1&b=%zz#frag#more'
EVIL_PERSON = 'مسؤول "مقتبس" \\ <script>alert(1)</script>'


def _evil_extraction() -> Extraction:
    text = f"قال {EVIL_PERSON} إن الكويت تدعم القرار. {EVIL_TITLE}"
    sentence = text.split(". ")[0] + "."
    article = Article("evil_003", text, title=EVIL_TITLE, date="2025-01-31", url=EVIL_URL, source='وكالة "س"')
    evidence = Evidence(article.id, sentence, 0, len(sentence), "title-of-state", 0.75)
    person = Entity("person:evil", "Person", EVIL_PERSON, {EVIL_TITLE})
    kuwait = Entity("Q817", "State", "الكويت", wikidata="Q817")
    return Extraction(article, {"person:evil": person, "Q817": kuwait},
                      [Triple("person:evil", "REPRESENTS", "Q817", evidence, (("date", "2025-01-31"), ("role", "سفير")))])


@pytest.fixture(scope="module")
def graph() -> KnowledgeGraph:
    """The seeds, the hostile articles of test_export and one more hostile article."""
    g, report = build_graph([SEEDS])
    assert report.articles == 5
    g.extend([*extractions(), _evil_extraction()])
    return g


@pytest.fixture(scope="module")
def exports(graph: KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("rdf")
    return {fmt: write_rdf(graph, folder / f"graph{suffix}", fmt) for fmt, (suffix, _, _) in FORMATS.items()}


# -- two implementations -------------------------------------------------------------------------


def _key(term: Any) -> tuple[str, ...]:
    """One comparable form for rdflib and Oxigraph terms."""
    if isinstance(term, ox.Literal):
        return ("L", term.value, term.language or "", "" if term.language else term.datatype.value)
    if isinstance(term, Literal):
        datatype = "" if term.language else str(term.datatype or XSD.string)
        return ("L", str(term), term.language or "", datatype)
    if isinstance(term, ox.BlankNode | ox.NamedNode):
        return ("I", term.value)
    return ("I", str(term))


def _rdflib_triples(path: Path, fmt: str) -> set[tuple[tuple[str, ...], ...]]:
    return {(_key(s), _key(p), _key(o)) for s, p, o in load_rdf(path, fmt)}


def _oxigraph_triples(path: Path, fmt: str) -> set[tuple[tuple[str, ...], ...]]:
    return {(_key(q.subject), _key(q.predicate), _key(q.object)) for q in ox.parse(path=str(path), format=OX_FORMATS[fmt])}


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_rdflib_and_oxigraph_read_back_the_same_triples(graph: KnowledgeGraph, exports: dict[str, Path],
                                                        fmt: str) -> None:
    expected = {(_key(s), _key(p), _key(o)) for s, p, o in to_rdf(graph)}
    assert len(expected) > 1500
    assert _rdflib_triples(exports[fmt], fmt) == expected
    assert _oxigraph_triples(exports[fmt], fmt) == expected


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_hostile_text_round_trips_intact(exports: dict[str, Path], fmt: str) -> None:
    """Quotes, newlines, >, \"\"\", backslashes, bidi marks, emoji, NUL; lone surrogates become U+FFFD."""
    wanted = {
        ("title", clean_text(EVIL_TITLE), "ar"),
        ("label", EVIL_PERSON, "ar"),
        ("alias", clean_text(EVIL_TITLE), "ar"),
        ("label", HOSTILE_NAME, "ar"),
        ("alias", HOSTILE_ALIAS, "ar"),
        ("sentence", CLEAN_SENTENCE, "ar"),
        ("source", 'وكالة "س"', ""),
    }
    assert "\ufffd" in clean_text(EVIL_TITLE) and "\ud83d" not in clean_text(EVIL_TITLE)
    predicates = {"title": "http://purl.org/dc/terms/title", "label": str(RDFS.label), "alias": str(SKOS.altLabel),
                  "sentence": str(vocab.SENTENCE), "source": "http://purl.org/dc/terms/source"}
    for reader in (_rdflib_triples, _oxigraph_triples):
        found = {(name, o[1], o[2]) for _, p, o in reader(exports[fmt], fmt)
                 for name, iri in predicates.items() if p == ("I", iri)}
        assert wanted <= found, (reader.__name__, wanted - found)


def test_urls_become_valid_iris_or_stay_literals() -> None:
    assert url_iri("http://www.jawharafm.net/ar/article/مخرج/95") == \
        "http://www.jawharafm.net/ar/article/%D9%85%D8%AE%D8%B1%D8%AC/95"
    encoded = url_iri(EVIL_URL)
    assert encoded is not None and re.fullmatch(r"[A-Za-z0-9:/?#%&=._~-]+", encoded)
    assert url_iri("javascript:alert(1)") is None and url_iri("http://[::1]/") is None and url_iri("") is None


# -- named graphs, JSON-LD context ---------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["trig", "nquads"])
def test_one_named_graph_per_article(graph: KnowledgeGraph, exports: dict[str, Path], fmt: str) -> None:
    dataset = Dataset()
    dataset.parse(exports[fmt], format=FORMATS[fmt][1])
    named = {g.identifier for g in dataset.graphs() if g.identifier != dataset.default_graph.identifier}
    with_facts = {ev.article for *_, data in graph.relations() for ev in data["evidence"]}
    assert named == {article_iri(a) for a in with_facts}
    for g in dataset.graphs():
        statements = set(g.subjects(RDF.type, RDF.Statement))
        if g.identifier in named:
            assert statements, g.identifier
            assert {g.value(st, PROV.wasDerivedFrom) for st in statements} == {g.identifier}
            for st in statements:  # the fact it describes is asserted in the same graph
                assert (g.value(st, RDF.subject), g.value(st, RDF.predicate), g.value(st, RDF.object)) in g
        else:
            assert not statements


def test_jsonld_uses_the_published_context(exports: dict[str, Path]) -> None:
    published = json.loads((ROOT / "schema" / "context.jsonld").read_text(encoding="utf-8"))
    document = json.loads(exports["jsonld"].read_text(encoding="utf-8"))
    assert document["@context"] == published["@context"]
    keys = {k for node in document["@graph"] for k in node}
    assert {"label", "mentionedIn", "represents", "sentence", "start", "wasDerivedFrom"} <= keys
    assert not [k for k in keys if k.startswith("http")], "every property has a term in the context"


# -- IRIs, Wikidata, UN symbols -------------------------------------------------------------------------


def test_base_iri_sets_every_instance_iri(graph: KnowledgeGraph, tmp_path: Path) -> None:
    base = "https://kg.example.net/data/"
    parsed = Graph().parse(write_rdf(graph, tmp_path / "b.ttl", "turtle", base))
    subjects = {str(s) for s in parsed.subjects()}
    assert subjects and all(s.startswith(base) for s in subjects)
    assert (entity_iri("Q817", base), OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q817")) in parsed
    with pytest.raises(KGError, match="absolute IRI"):
        write_rdf(graph, tmp_path / "x.ttl", "turtle", "not an iri/")
    assert main(["build", str(SEEDS), "--out", str(tmp_path / "o"), "--base-iri", "ftp:/x y/"]) == 2


def test_wikidata_links_and_un_symbols(graph: KnowledgeGraph) -> None:
    rdf = to_rdf(graph)
    same = {(str(s), str(o)) for s, o in rdf.subject_objects(OWL.sameAs)}
    assert (str(entity_iri("Q817")), "http://www.wikidata.org/entity/Q817") in same
    assert all(re.fullmatch(r"http://www\.wikidata\.org/entity/Q[1-9]\d*", o) for _, o in same)
    assert (entity_iri("resolution:unsc:2379"), vocab.UN_SYMBOL, Literal("S/RES/2379 (2017)")) in rdf
    assert un_symbol("2178", "2014", "") == "S/RES/2178 (2014)"
    assert un_symbol("2178", "2014", vocab.UNSC_QID) == "S/RES/2178 (2014)"
    assert un_symbol("72", "2017", "Q1065") is None  # a General Assembly resolution: no S/RES symbol
    assert un_symbol("2178", "", "") is None and un_symbol("٢١٧٨", "2014", "") is None


# -- SHACL ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_export_conforms_to_the_shapes(exports: dict[str, Path], fmt: str) -> None:
    report = validate_file(exports[fmt])
    assert report.triples > 1500
    assert report.conforms, "\n".join(map(str, report.violations[:20]))


def _first(g: Graph, cls: URIRef) -> Node:
    return sorted(g.subjects(RDF.type, cls))[0]


def _mutations() -> dict[str, tuple[Any, str]]:
    person, meeting, resolution = vocab.CLASSES["Person"], vocab.CLASSES["Meeting"], vocab.CLASSES["Resolution"]

    def wrong_domain(g: Graph) -> None:
        g.add((_first(g, meeting), vocab.PROPERTIES["REPRESENTS"], entity_iri("Q817")))

    def wrong_range(g: Graph) -> None:
        g.add((_first(g, person), vocab.PROPERTIES["PARTICIPATED_IN"], entity_iri("Q817")))

    def no_label(g: Graph) -> None:
        g.remove((_first(g, person), RDFS.label, None))

    def english_label(g: Graph) -> None:
        e = _first(g, person)
        g.remove((e, RDFS.label, None))
        g.add((e, RDFS.label, Literal("A name", lang="en")))

    def bad_symbol(g: Graph) -> None:
        g.add((_first(g, resolution), vocab.UN_SYMBOL, Literal("S/RES/12")))

    def bad_number(g: Graph) -> None:
        g.add((_first(g, resolution), vocab.NUMBER, Literal("twelve")))

    def unasserted(g: Graph) -> None:
        st = _first(g, RDF.Statement)
        g.remove((st, RDF.object, None))
        g.add((st, RDF.object, entity_iri("Q1065")))

    def offsets(g: Graph) -> None:
        st = _first(g, RDF.Statement)
        g.remove((st, vocab.START, None))
        g.add((st, vocab.START, Literal(10**9)))

    def no_source(g: Graph) -> None:
        g.remove((_first(g, RDF.Statement), PROV.wasDerivedFrom, None))

    def bad_sameas(g: Graph) -> None:
        g.add((_first(g, person), OWL.sameAs, URIRef("https://evil.example/Q1")))

    return {
        "wrong domain": (wrong_domain, "subject of kg:represents must be a kg:Person"),
        "wrong range": (wrong_range, "object of kg:participatedIn must be a kg:Meeting"),
        "no label": (no_label, "exactly one canonical Arabic rdfs:label"),
        "english label": (english_label, "exactly one canonical Arabic rdfs:label"),
        "bad symbol": (bad_symbol, "S/RES/<number> (<year>)"),
        "bad number": (bad_number, "xsd:integer"),
        "unasserted statement": (unasserted, "does not assert"),
        "start after end": (offsets, "kg:end"),
        "no source article": (no_source, "prov:wasDerivedFrom"),
        "bad sameAs": (bad_sameas, "Wikidata"),
    }


@pytest.mark.parametrize("name", list(_mutations()))
def test_the_shapes_catch_a_broken_graph(graph: KnowledgeGraph, name: str) -> None:
    mutate, expected = _mutations()[name]
    g = to_rdf(graph)
    mutate(g)
    violations = validate_graph(g)
    assert violations, name
    assert any(expected in f"{v.path} {v.message}" for v in violations), [str(v) for v in violations]


def test_shapes_are_generated_from_the_ontology() -> None:
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import build_shapes
    finally:
        sys.path.pop(0)
    assert build_shapes.render() == (ROOT / "schema" / "shapes.ttl").read_text(encoding="utf-8"), \
        "run python tools/build_shapes.py"


def test_kg_validate_reports_each_violation_on_one_line(graph: KnowledgeGraph, exports: dict[str, Path],
                                                       tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(exports["turtle"]), str(exports["jsonld"])]) == 0
    assert capsys.readouterr().err.count("conforms") == 2

    broken = to_rdf(graph)
    _mutations()["wrong domain"][0](broken)
    _mutations()["no label"][0](broken)
    path = tmp_path / "broken.ttl"
    broken.serialize(path, format="turtle")
    assert main(["validate", str(path)]) == 1
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert len(lines) == len(validate_graph(broken)) >= 2
    assert all(line.startswith(f"{path}: Violation: ") for line in lines)
    assert err.strip().splitlines()[-1].startswith("kg: error: 1 of 1 files do not conform")

    garbage = tmp_path / "garbage.ttl"
    garbage.write_text("<a> <b> \"unterminated .\n", encoding="utf-8")
    assert main(["validate", str(garbage)]) == 1
    assert re.fullmatch(r"kg: error: .*garbage\.ttl: not valid turtle \(.*\)\n", capsys.readouterr().err)
    assert main(["validate", str(tmp_path / "graph.xyz")]) == 1
    assert "cannot tell the RDF syntax" in capsys.readouterr().err


# -- the ontology against the annotation guide ---------------------------------------------------------


def _guide_relations() -> dict[str, tuple[set[str], set[str]]]:
    guide = (SHARED / "gold" / "GUIDE.md").read_text(encoding="utf-8")
    out = {}
    for pred, subjects, objects in re.findall(r"^\| ([A-Z_]+) \| ([A-Za-z ,]+?) → ([A-Za-z ,]+?) \|", guide, re.M):
        out[pred] = tuple({w.strip() for w in re.split(r",| or ", side) if w.strip()} for side in (subjects, objects))
    return out


def _classes(g: Graph, node: Node) -> set[str]:
    from rdflib.collection import Collection

    union = g.value(node, OWL.unionOf)
    members = list(Collection(g, union)) if union is not None else [node]
    return {str(m).removeprefix(str(vocab.KG)) for m in members}


@pytest.mark.skipif(not (SHARED / "gold" / "GUIDE.md").is_file(), reason="needs ../shared/gold/GUIDE.md")
def test_ontology_matches_the_annotation_guide() -> None:
    onto = Graph().parse(ROOT / "schema" / "ontology.ttl")
    relations = _guide_relations()
    assert set(relations) == set(PREDICATES)
    for predicate, (subjects, objects) in relations.items():
        prop = vocab.PROPERTIES[predicate]
        assert (prop, RDF.type, OWL.ObjectProperty) in onto
        assert _classes(onto, onto.value(prop, RDFS.domain)) == subjects, predicate
        assert _classes(onto, onto.value(prop, RDFS.range)) == objects, predicate


def test_every_term_has_arabic_and_english_labels_and_definitions() -> None:
    onto = Graph().parse(ROOT / "schema" / "ontology.ttl")
    terms = [vocab.CLASSES[t] for t in (*ENTITY_TYPES, "Article")] + list(vocab.PROPERTIES.values()) + [
        vocab.MENTIONED_IN, vocab.NUMBER, vocab.YEAR, vocab.UN_SYMBOL, vocab.DATE, vocab.ORDINAL, vocab.SENTENCE,
        vocab.START, vocab.END, vocab.RULE, vocab.CONFIDENCE, vocab.ROLE, vocab.REPORTED_ON]
    for term in terms:
        for prop in (RDFS.label, SKOS.definition):
            langs = {o.language for o in onto.objects(term, prop)}
            assert {"ar", "en"} <= langs, (term, prop)
    for name in (*ENTITY_TYPES, "Article"):
        supers = {str(o) for o in onto.objects(vocab.CLASSES[name], RDFS.subClassOf)}
        assert any(s.startswith("https://schema.org/") for s in supers), name
    assert (vocab.CLASSES["Article"], RDFS.subClassOf, PROV.Entity) in onto
    # every term the exporter writes in the kg: namespace is declared in the ontology
    used = {p for p in to_rdf(build_graph([SEEDS])[0]).predicates() if str(p).startswith(str(vocab.KG))}
    assert used and all((p, RDF.type, None) in onto for p in used)


# -- determinism ---------------------------------------------------------------------------------------

_WRITE_IN_SUBPROCESS = """
import importlib.util, sys
sys.path.insert(0, sys.argv[4])
from tests.test_export import build
from kg.export.rdf import write_rdf
write_rdf(build(), sys.argv[2], sys.argv[3])
"""


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_exports_are_byte_identical_across_processes(tmp_path: Path, fmt: str) -> None:
    """Different hash seeds change set order, and the input order differs; the output must not change."""
    from tests.test_export import build

    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"{seed}.out"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", _WRITE_IN_SUBPROCESS, "", str(out), fmt, str(ROOT)],
                       check=True, env=env, cwd=ROOT)
        outputs.append(out.read_bytes())
    here = write_rdf(build(reverse=True), tmp_path / "here.out", fmt)
    assert outputs[0] == outputs[1] == here.read_bytes()
    assert isomorphic(load_rdf(here, fmt), to_rdf(build()))
