"""Ad-hoc questions (issue 15, item 3): your own Cypher, read-only unless --write, on the real Neo4j; your own
SPARQL over any export; named queries that find a name however its hamza and ta marbuta are written; CSV that
spreadsheet programs open right."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

from kg.cli import main
from kg.neo4j.queries import QueryResult, bind_params, format_csv, load_query
from kg.neo4j.server import ConnectionInfo
from kg.neo4j.writer import load_graph

pytest_plugins = ["tests.neo4j_fixture"]

HOSTILE = "x'}) DETACH DELETE n //"


def one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err.strip()


# --------------------------------------------------------------------------- CSV and parameters (no server)


def test_csv_opens_in_spreadsheets_and_reads_back_in_python() -> None:
    result = QueryResult(["name", "n", "note"], [{"name": "الأمم المتحدة", "n": -3, "note": "=HYPERLINK(\"x\")"},
                                                 {"name": "-12.5", "n": 2, "note": "@SUM(A1)"}])
    text = format_csv(result)
    assert text.startswith("\ufeffname,n,note\n")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows == [{"name": "الأمم المتحدة", "n": "-3", "note": "'=HYPERLINK(\"x\")"},
                    {"name": "-12.5", "n": "2", "note": "'@SUM(A1)"}]
    assert not format_csv(result, bom=False).startswith("\ufeff")


def test_an_entity_parameter_carries_its_folded_form() -> None:
    bound = bind_params(load_query("entity_facts"), {"entity": " الأمم المتحده "})
    assert bound == {"entity": " الأمم المتحده ", "entity_key": "الامم المتحده"}
    assert bind_params(load_query("entity_facts"), {"entity": "الأمم المتحدة"})["entity_key"] == "الامم المتحده"


# --------------------------------------------------------------------------- kg sparql --query


@pytest.fixture(scope="module")
def turtle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sparql-out")
    assert main(["-q", "build", "seeds", "--out", str(out)]) == 0
    return out / "graph.ttl"


LABEL_QUERY = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?label WHERE { ?s rdfs:label ?label FILTER(STR(?label) = $name) }
"""


def test_sparql_query_file_with_parameters(turtle: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    query = tmp_path / "q.rq"
    query.write_text(LABEL_QUERY, encoding="utf-8")
    assert main(["sparql", "--query", str(query), str(turtle), "--param", "name=الكويت", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"label": "الكويت"}]
    # a hostile value is one literal: it matches nothing and drops nothing
    assert main(["sparql", "--query", str(query), str(turtle), "--param", 'name=x" } } DROP ALL #']) == 0
    assert capsys.readouterr().out.endswith("(0 rows)\n")
    query.write_text("ASK { ?s ?p ?o }", encoding="utf-8")
    assert main(["sparql", "--query", str(query), str(turtle), "--format", "csv", "--no-bom"]) == 0
    assert capsys.readouterr().out == "ask\ntrue\n"
    query.write_text("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 2", encoding="utf-8")
    assert main(["sparql", "--query", str(query), str(turtle), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 2 and set(rows[0]) == {"subject", "predicate", "object"}


@pytest.mark.parametrize("content, message", [
    (b"SELECT ?x WHERE {", "error at"),
    (b"INSERT DATA { <http://x> <http://y> <http://z> }", "expected"),
    (b"", "the query file is empty"),
    (b"SELECT \xff", "not UTF-8 (byte 7)"),
])
def test_a_bad_sparql_file_is_one_line(content: bytes, message: str, turtle: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    query = tmp_path / "q.rq"
    query.write_bytes(content)
    assert main(["sparql", "--query", str(query), str(turtle)]) == 1
    err = one_line(capsys)
    assert err.startswith(f"kg: error: {query}: ") and message in err


# --------------------------------------------------------------------------- kg query on the real Neo4j


@pytest.fixture
def seeded(neo4j_driver: Driver, neo4j_server: ConnectionInfo, monkeypatch: pytest.MonkeyPatch) -> Driver:
    from kg.pipeline import build_graph

    graph, _ = build_graph(["seeds"])
    load_graph(graph, neo4j_server)
    monkeypatch.setenv("NEO4J_URI", neo4j_server.uri)
    monkeypatch.setenv("NEO4J_USER", neo4j_server.user)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_server.password)
    return neo4j_driver


def _count(driver: Driver) -> int:
    return driver.execute_query("MATCH (n) RETURN count(n) AS c").records[0]["c"]


@pytest.mark.neo4j
@pytest.mark.parametrize("typed", ["الأمم المتحده", "الامم المتحدة", "الأُمَم المتحدة"])
def test_named_queries_find_a_name_however_it_is_written(typed: str, seeded: Driver,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "entity_facts", "--param", f"entity={typed}", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and {r["entity"] for r in rows} == {"الأمم المتحدة"}


@pytest.mark.neo4j
def test_cypher_runs_read_only_with_parameters(seeded: Driver, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    before = _count(seeded)
    assert main(["query", "--cypher", "MATCH (e:State {name: $name}) RETURN e.id AS id", "--param", "name=الكويت",
                 "--format", "csv"]) == 0
    assert capsys.readouterr().out == "\ufeffid\nQ817\n"
    query = tmp_path / "q.cypher"
    query.write_text("MATCH (e:Entity) WHERE e.name = $name RETURN count(e) AS n", encoding="utf-8")
    assert main(["query", "--file", str(query), "--param", f"name={HOSTILE}", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"n": 0}]
    assert _count(seeded) == before


@pytest.mark.neo4j
@pytest.mark.parametrize("cypher", ["CREATE (n:Probe) RETURN n", "MATCH (n) DETACH DELETE n"])
def test_a_write_without_write_is_refused_in_one_line(cypher: str, seeded: Driver,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    before = _count(seeded)
    assert main(["query", "--cypher", cypher]) == 1
    assert one_line(capsys) == ("kg: error: the --cypher query writes to the database, and queries run "
                                "read-only: give --write to let it write")
    assert _count(seeded) == before


@pytest.mark.neo4j
def test_write_lets_a_query_write(seeded: Driver, capsys: pytest.CaptureFixture[str]) -> None:
    before = _count(seeded)
    assert main(["query", "--write", "--cypher", "CREATE (n:Probe {name: $name}) RETURN n.name AS name",
                 "--param", f"name={HOSTILE}", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"name": HOSTILE}]
    assert _count(seeded) == before + 1


@pytest.mark.neo4j
@pytest.mark.parametrize("args, message", [
    (["--cypher", "MATCH (n RETURN n"], "the --cypher query failed on bolt://"),
    (["represents_state", "--cypher", "RETURN 1"], "usage error: give one query"),
    (["represents_state", "--write"], "usage error: --write is for --cypher or --file"),
])
def test_query_mistakes_are_one_line(args: list[str], message: str, seeded: Any,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", *args]) in (1, 2)
    assert message in one_line(capsys)
