"""`kg export`: RDF read back from a real Neo4j 5.26 equals RDF of the graph built in-process. No mocks."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal
from rdflib.compare import isomorphic, to_isomorphic
from rdflib.namespace import DCTERMS, RDFS

from kg.cli import main
from kg.export.jsonl import clean_text
from kg.export.rdf import entity_iri, write_turtle
from kg.graph import KnowledgeGraph
from kg.model import Article, Entity, Evidence, Extraction, Triple
from kg.neo4j.server import ConnectionInfo
from kg.neo4j.writer import load_graph
from kg.pipeline import build_graph
from kg.validate import load_rdf

pytestmark = pytest.mark.neo4j

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
EVIL = "x'}) DETACH DELETE n // \"q\" <b>&amp;</b> \\ `t` @prefix ex: <http://evil/> . \n تجربة"
BASE = "https://kg.example.net/test/"


def _conn(info: ConnectionInfo) -> list[str]:
    return ["--neo4j-uri", info.uri, "--neo4j-user", info.user, "--neo4j-password", info.password]


def _parse(path: Path, fmt: str = "turtle") -> Graph:
    assert path.is_file() and path.stat().st_size > 0, path
    return Graph().parse(path, format=fmt)


def _diff(a: Graph, b: Graph) -> str:
    ia, ib = to_isomorphic(a), to_isomorphic(b)
    only_a, only_b = ia - ib, ib - ia
    return f"{len(only_a)} triples only in the first, {len(only_b)} only in the second: " + "; ".join(
        str(t) for t in list(only_a)[:3] + list(only_b)[:3]
    )


@pytest.fixture(scope="module")
def seeds_graph() -> KnowledgeGraph:
    graph, report = build_graph([SEEDS])
    assert report.articles == 5 and not report.skipped
    return graph


def test_neo4j_export_is_isomorphic_to_the_embedded_export(
    neo4j_driver: Any, neo4j_server: ConnectionInfo, seeds_graph: KnowledgeGraph, tmp_path: Path
) -> None:
    stats = load_graph(seeds_graph, neo4j_server)
    assert stats.db_relationships == seeds_graph.g.number_of_edges() > 0
    from_db, embedded = tmp_path / "neo4j.ttl", tmp_path / "embedded.ttl"
    assert main(["export", "--from", "neo4j", "--format", "turtle", "--out", str(from_db), *_conn(neo4j_server)]) == 0
    assert main(["export", "--from", "embedded", "--format", "turtle", "--out", str(embedded), str(SEEDS)]) == 0
    a, b = _parse(from_db), _parse(embedded)
    assert len(a) > 1000
    assert isomorphic(a, b), _diff(a, b)
    # the in-process API gives the same graph as the CLI's embedded build
    api = tmp_path / "api.ttl"
    write_turtle(seeds_graph, api)
    assert isomorphic(_parse(api), b)


@pytest.mark.parametrize("fmt", ["nt", "jsonld", "trig", "nquads"])
def test_other_formats_and_base_iri(
    neo4j_driver: Any,
    neo4j_server: ConnectionInfo,
    seeds_graph: KnowledgeGraph,
    tmp_path: Path,
    fmt: str,
) -> None:
    load_graph(seeds_graph, neo4j_server)
    out = tmp_path / f"graph.{fmt}"
    args = ["export", "--from", "neo4j", "--format", fmt, "--base-iri", BASE, "--out", str(out)]
    assert main(args + _conn(neo4j_server)) == 0
    expected = tmp_path / "expected.ttl"
    write_turtle(seeds_graph, expected, BASE)
    got, want = load_rdf(out, fmt), _parse(expected)  # datasets: the union of their graphs
    assert isomorphic(got, want), _diff(got, want)
    assert (entity_iri("Q817", BASE), None, None) in got


def test_hostile_entity_name_survives_the_round_trip(
    neo4j_driver: Any, neo4j_server: ConnectionInfo, seeds_graph: KnowledgeGraph, tmp_path: Path
) -> None:
    sentence = "He said \"it's over\" — `x` \\ '}) MATCH (m) DETACH DELETE m //"
    article = Article(id="inj'1 <evil>", text=sentence + " " + EVIL)
    evil_id = "person:" + EVIL
    entities = {
        evil_id: Entity(evil_id, "Person", EVIL, aliases={'"quoted" alias', EVIL + " 2"}, attrs={"role": EVIL}),
        "Q817": Entity("Q817", "State", "الكويت", wikidata="Q817"),
    }
    triple = Triple(
        evil_id, "REPRESENTS", "Q817", Evidence(article.id, sentence, 0, len(sentence), "test", 0.5), (("role", EVIL),)
    )
    graph = copy.deepcopy(seeds_graph)  # the module's seeds graph stays untouched
    graph.add(Extraction(article, entities, [triple]))
    load_graph(graph, neo4j_server)

    out = tmp_path / "neo4j.ttl"
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update(NEO4J_URI=neo4j_server.uri, NEO4J_USER=neo4j_server.user, NEO4J_PASSWORD=neo4j_server.password)
    proc = subprocess.run(
        [sys.executable, "-m", "kg.cli", "export", "--from", "neo4j", "--format", "turtle", "--out", str(out)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    expected = tmp_path / "expected.ttl"
    write_turtle(graph, expected)
    got, want = _parse(out), _parse(expected)
    assert isomorphic(got, want), _diff(got, want)

    person = entity_iri(evil_id)
    assert (person, RDFS.label, Literal(clean_text(EVIL), lang="ar")) in got
    assert (person, DCTERMS.identifier, Literal(clean_text(evil_id))) in got
    assert clean_text(EVIL) in {str(o) for o in got.objects(person, None)}  # the role attribute
    assert any(str(o) == clean_text(sentence) for o in got.objects(None, None))  # the evidence sentence


def test_export_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "x.ttl"
    assert main(["export", "--from", "embedded", "--out", str(out)]) == 1
    assert "needs PATHS" in capsys.readouterr().err
    assert main(["export", "--from", "neo4j", "--out", str(out), str(SEEDS)]) == 1
    assert "takes no PATHS" in capsys.readouterr().err
    assert main(["export", "--from", "neo4j", "--format", "rdfa", "--out", str(out)]) == 2
    assert not out.exists()
