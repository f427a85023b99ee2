"""Every SPARQL twin in queries/ gives the same answers on the Turtle export (Oxigraph) as its Cypher
query gives on a real Neo4j server loaded with the same graph. No mocks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kg.export.rdf import write_rdf
from kg.graph import KnowledgeGraph
from kg.neo4j.queries import QueryResult, list_queries, load_query, run_query
from kg.neo4j.server import ConnectionInfo, open_driver
from kg.neo4j.writer import load_graph
from kg.pipeline import build_graph
from kg.sparql import open_store, run_sparql
from tests.conftest import SEEDS
from tests.test_export import HOSTILE_NAME, extractions

pytestmark = pytest.mark.neo4j

# Each twin with parameter sets that exercise it on the seeds (a name, an alias, an id, a miss).
CASES: dict[str, list[dict[str, Any]]] = {
    "represents_state": [{"state": "الكويت"}, {"state": "دولة الكويت"}, {"state": HOSTILE_NAME}, {"state": "Q817"}, {"state": "الأمم المتحدة"}, {"state": "لا أحد"}],
    "person_roles": [{"person": "منصور العتيبي"}, {"person": "بدر المنيخ"}, {"person": "فلاديمير فورونكوف"}, {"person": "غوتيريش"}],
    "meetings_hosted": [{"host": "الكويت"}, {"host": "Q817"}, {"host": "المغرب"}],
    "resolutions_established": [{}],
    "entities_by_article": [{"article": "000_9b9411f3ce8c0aee"}, {"article": "003_e1e820eec52d95b2"},
                            {"article": "004_f87deceac6bf3a27"}],
    "operates_in": [{"organization": "داعش"}, {"organization": "القاعدة"}],
    "entity_facts": [{"entity": "بدر المنيخ"}, {"entity": "الكويت"}, {"entity": "مجلس الأمن"},
                     {"entity": HOSTILE_NAME}, {"entity": "منصور العتيبي"}],
}


def _canonical(result: QueryResult, lists: tuple[str, ...]) -> list[tuple[Any, ...]]:
    """Rows as comparable tuples; list columns as sorted tuples (SPARQL's GROUP_CONCAT has no order)."""
    def cell(column: str, value: Any) -> Any:
        if column in lists:
            return tuple(sorted(value or []))
        if isinstance(value, float):
            return round(value, 9)
        return value

    return sorted(tuple(cell(c, row[c]) for c in result.columns) for row in result.rows)


@pytest.fixture(scope="module")
def loaded(neo4j_instance: Any, neo4j_server: ConnectionInfo,
           tmp_path_factory: pytest.TempPathFactory) -> tuple[ConnectionInfo, Any]:
    """The seeds plus the hand-made articles of test_export (a dated article, hostile names)."""
    graph: KnowledgeGraph = build_graph([SEEDS])[0]
    graph.extend(extractions())

    driver = open_driver(neo4j_server)
    driver.execute_query("MATCH (n) DETACH DELETE n")
    driver.close()
    load_graph(graph, neo4j_server)
    path = write_rdf(graph, tmp_path_factory.mktemp("twins") / "graph.ttl", "turtle")
    return neo4j_server, open_store(path)


def test_there_are_at_least_six_twins_and_each_has_a_cypher_namesake() -> None:
    twins = list_queries("sparql")
    assert len(twins) >= 6
    cypher = {q.name: q for q in list_queries("cypher")}
    for twin in twins:
        assert twin.name in cypher
        assert twin.params == cypher[twin.name].params, twin.name
        assert twin.name in CASES, f"add parameter cases for the twin {twin.name}"


@pytest.mark.parametrize("name, params", [(n, p) for n, cases in CASES.items() for p in cases],
                         ids=lambda v: v if isinstance(v, str) else "-".join(map(str, v.values())) or "none")
def test_twin_gives_the_same_answers_as_cypher(loaded: tuple[ConnectionInfo, Any], name: str,
                                               params: dict[str, Any]) -> None:
    info, store = loaded
    twin = load_query(name, "sparql")
    cypher = run_query(name, info, params)
    sparql = run_sparql(twin, store, params)
    assert sparql.columns == cypher.columns
    assert _canonical(sparql, twin.lists) == _canonical(cypher, twin.lists)


def test_twins_answer_something_on_the_seeds(loaded: tuple[ConnectionInfo, Any]) -> None:
    """Guards the comparison above against passing on empty answers only."""
    _, store = loaded
    for name, cases in CASES.items():
        assert any(run_sparql(name, store, p).rows for p in cases), name


def test_a_hostile_parameter_is_a_value_not_query_text(loaded: tuple[ConnectionInfo, Any], tmp_path: Path) -> None:
    _, store = loaded
    for evil in ['x" } . ?s ?p ?o } #', "x' } UNION { ?s ?p ?o }", "\\\" \n $state"]:
        assert run_sparql("represents_state", store, {"state": evil}).rows == []


def test_roles_are_dated_in_rdf(loaded: tuple[ConnectionInfo, Any]) -> None:
    """"X held role R for state S, reported on date D" is answerable from the RDF alone."""
    _, store = loaded
    rows = run_sparql("person_roles", store, {"person": "منصور العتيبي"}).rows
    dated = [(r["role"], r["for_entity"], r["dates"]) for r in rows if r["dates"]]
    assert ("المندوب الدائم", "الكويت", ["2024-03-05"]) in dated
