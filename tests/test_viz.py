"""`kg viz` and kg.viz: the whole graph, one entity's neighbourhood, and what a named query returns from Neo4j."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import networkx as nx
import pytest

from kg.cli import main
from kg.gazetteer import english_names
from kg.graph import KnowledgeGraph
from kg.neo4j.server import ConnectionInfo
from kg.neo4j.writer import load_graph
from kg.viz import Limits, SelectionError, around, find_entities, focus, from_rows
from tests.conftest import SEEDS


def page_data(path: Path) -> dict:
    """The node and edge records of a written page."""
    page = path.read_text(encoding="utf-8")
    return json.loads(re.search(r"var DATA = (\{.*?\});\n", page).group(1))


def page_names(path: Path) -> set[str]:
    """The full names drawn (labels may be cut short; a node's first search name is its name)."""
    return {unescape(n["kgNames"][0]) for n in page_data(path)["nodes"]}


def page_note(path: Path) -> str:
    return unescape(re.search(r'<p id="kg-note"[^>]*>(.*?)</p>', path.read_text(encoding="utf-8")).group(1))


def relation_graph(graph: KnowledgeGraph) -> nx.Graph:
    """Entities linked by stated facts, direction ignored: the reference for neighbourhoods."""
    ref = nx.Graph()
    ref.add_nodes_from(node for node, _ in graph.entities())
    ref.add_edges_from((s, o) for s, o, _, _ in graph.relations())
    return ref


@pytest.fixture(scope="module")
def seeds_graph(seeds_build) -> KnowledgeGraph:
    return seeds_build[0]


@pytest.mark.parametrize("depth", [0, 1, 2, 3])
def test_around_is_the_neighbourhood_within_depth(seeds_graph: KnowledgeGraph, depth: int) -> None:
    sub = around(seeds_graph, "الكويت", depth)
    expected = set(nx.single_source_shortest_path_length(relation_graph(seeds_graph), "Q817", cutoff=depth))
    assert {node for node, _ in sub.entities()} == expected
    # The induced subgraph: every relation among the chosen entities, and no other.
    want = {(s, o, k) for s, o, k, _ in seeds_graph.relations() if s in expected and o in expected}
    assert {(s, o, k) for s, o, k, _ in sub.relations()} == want
    # The articles come along, so tooltips keep their dates.
    assert {a for a, _ in sub.articles()} == {a for n in expected for a in seeds_graph.g.nodes[n]["articles"]}


def test_entities_are_found_by_id_alias_qid_and_normalised_name(seeds_graph: KnowledgeGraph) -> None:
    assert find_entities(seeds_graph, "Q817") == ["Q817"]
    assert find_entities(seeds_graph, "الكويت") == ["Q817"]
    assert find_entities(seeds_graph, "الامم المتحدة") == ["Q1065"]  # typed without hamza
    alias_of = {alias: node for node, data in seeds_graph.entities() for alias in data["aliases"]}
    alias, node = sorted(alias_of.items())[0]
    assert node in find_entities(seeds_graph, alias)
    with pytest.raises(SelectionError, match="no entity named"):
        find_entities(seeds_graph, "لا يوجد كيان بهذا الاسم")


def test_rows_of_a_query_select_the_entities_they_name(seeds_graph: KnowledgeGraph) -> None:
    rows = [{"person": "بدر المنيخ", "represents": "الكويت", "articles": ["000_9b9411f3ce8c0aee"], "n": 3}]
    sub = from_rows(seeds_graph, rows)
    assert {data["name"] for _, data in sub.entities()} == {"بدر المنيخ", "الكويت"}
    with pytest.raises(SelectionError, match="returned no entity"):
        from_rows(seeds_graph, [{"x": "nothing here"}])


def test_focus_keeps_the_most_connected_and_counts_what_it_leaves_out(seeds_graph: KnowledgeGraph) -> None:
    degree = {node: seeds_graph.facts(node) for node, _ in seeds_graph.entities()}
    total = len(degree)
    everything = focus(seeds_graph, Limits(max_nodes=0, min_degree=0))
    assert everything.degree == degree and everything.left_out == [] and everything.graph is seeds_graph
    assert everything.summary() == f"{total} of {total} entities drawn"

    default = focus(seeds_graph)
    with_facts = {n for n, d in degree.items() if d}
    assert set(default.degree) == with_facts and 0 < len(with_facts) < total
    assert default.left_out == [(total - len(with_facts), "with no stated fact")]

    top = focus(seeds_graph, Limits(max_nodes=10))
    ranked = sorted(with_facts, key=lambda n: (-degree[n], n))
    assert set(top.degree) == set(ranked[:10])
    assert {n for n, _ in top.graph.entities()} == set(ranked[:10])
    assert sum(n for n, _ in top.left_out) == total - 10
    assert top.left_out[-1] == (len(with_facts) - 10, "beyond the 10 most connected (--max-nodes)")
    assert "--around" in top.summary() and "--min-degree" in top.summary()
    # the induced subgraph: every relation among the chosen, no other
    assert {(s, o) for s, o, _, _ in top.graph.relations()} == \
        {(s, o) for s, o, _, _ in seeds_graph.relations() if s in top.degree and o in top.degree}

    states = focus(seeds_graph, Limits(min_degree=2, types=("State",)))
    assert set(states.degree) == {n for n, d in degree.items()
                                  if d >= 2 and seeds_graph.g.nodes[n]["type"] == "State"}
    assert [why for _, why in states.left_out] == ["not of type State", "with fewer than 2 facts"]

    bare = next(n for n, d in sorted(degree.items()) if d == 0)
    kept = focus(seeds_graph, Limits(max_nodes=1), keep=[bare])
    assert set(kept.degree) == {bare}  # the entity a page is drawn around is drawn whatever the limits


def test_english_names_from_the_gazetteer_and_cldr() -> None:
    names = english_names()
    assert names["Q817"] == ("Kuwait",)
    assert names["Q43"] == ("Turkey", "Türkiye")  # the gazetteer's name first, then CLDR's
    assert names["Q1065"] == ("United Nations",)


def test_kg_viz_whole_and_around(seeds_graph: KnowledgeGraph, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    whole, near, every = tmp_path / "whole.html", tmp_path / "near.html", tmp_path / "every.html"
    assert main(["viz", str(SEEDS), "--out", str(whole)]) == 0
    err = capsys.readouterr().err.splitlines()
    view = focus(seeds_graph)
    data = page_data(whole)
    assert len(data["nodes"]) == len(view.degree) < len(list(seeds_graph.entities()))
    assert len(data["edges"]) == len(list(seeds_graph.relations()))  # the bare names left out carry none
    assert [line for line in err if "entities drawn" in line] == [f"{whole}: {view.summary()}"]
    assert page_note(whole) == view.summary()
    kuwait = next(n for n in data["nodes"] if unescape(n["kgNames"][0]) == "الكويت")
    assert {"Kuwait", "Q817"} <= set(kuwait["kgNames"]) and "Kuwait" in kuwait["title"]
    assert kuwait["value"] == kuwait["kgFacts"] == seeds_graph.facts("Q817")
    assert main(["-q", "viz", str(SEEDS), "--min-degree", "0", "--out", str(every)]) == 0
    data = page_data(every)
    assert len(data["nodes"]) == len(list(seeds_graph.entities()))
    assert len(data["edges"]) == len(list(seeds_graph.relations()))
    assert 'id="kg-note" dir="ltr" role="note" hidden>' in every.read_text(encoding="utf-8")
    assert main(["-q", "viz", str(SEEDS), "--around", "الكويت", "--depth", "1", "--out", str(near)]) == 0
    expected = around(seeds_graph, "الكويت", 1)
    assert page_names(near) == {data["name"] for _, data in expected.entities()}
    assert len(page_data(near)["edges"]) == len(list(expected.relations()))


def test_kg_build_says_what_its_page_left_out(seeds_graph: KnowledgeGraph, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(SEEDS), "--out", str(tmp_path), "--workers", "1"]) == 0
    page = tmp_path / "graph.html"
    notes = [line for line in capsys.readouterr().err.splitlines() if "entities drawn" in line]
    assert notes == [f"{page}: {focus(seeds_graph).summary()}"]
    assert page_note(page) == focus(seeds_graph).summary()


def test_kg_viz_limits(seeds_graph: KnowledgeGraph, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "top.html"
    assert main(["viz", str(SEEDS), "--max-nodes", "5", "--type", "state", "--type", "Person", "--out", str(out)]) == 0
    err = [line for line in capsys.readouterr().err.splitlines() if "entities drawn" in line]
    view = focus(seeds_graph, Limits(max_nodes=5, types=("State", "Person")))
    assert page_names(out) == {seeds_graph.g.nodes[n]["name"] for n in view.degree} and len(view.degree) == 5
    assert err == [f"{out}: {view.summary()}"] and "not of type State, Person" in err[0]
    # --around keeps its entity even when the limits would leave it out
    assert main(["-q", "viz", str(SEEDS), "--around", "Q817", "--max-nodes", "1", "--type", "Person",
                 "--out", str(out)]) == 0
    assert page_names(out) == {"الكويت"}


def test_kg_viz_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = str(tmp_path / "x.html")
    for args in (["viz", str(SEEDS), "--depth", "2", "--out", out],  # --depth without --around
                 ["viz", str(SEEDS), "--param", "a=1", "--out", out],  # --param without --query
                 ["viz", str(SEEDS), "--around", "الكويت", "--depth", "-1", "--out", out]):
        assert main(args) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("kg: usage error:"), err
    assert main(["viz", "--out", out]) == 1  # nothing to draw from
    assert "give PATHS" in capsys.readouterr().err
    assert not Path(out).exists()


@pytest.mark.neo4j
def test_kg_viz_query_draws_what_the_query_returns(neo4j_driver, neo4j_server: ConnectionInfo,
                                                   seeds_graph: KnowledgeGraph, tmp_path: Path) -> None:
    load_graph(seeds_graph, neo4j_server)
    conn = ["--neo4j-uri", neo4j_server.uri, "--neo4j-user", neo4j_server.user,
            "--neo4j-password", neo4j_server.password]
    out = tmp_path / "kuwait.html"
    assert main(["-q", "viz", "--query", "represents_state", "--param", "state=الكويت", "--out", str(out), *conn]) == 0
    speakers = {s for s, o, _, d in seeds_graph.relations() if o == "Q817" and d["predicate"] == "REPRESENTS"}
    assert speakers
    assert page_names(out) == {seeds_graph.g.nodes[n]["name"] for n in speakers | {"Q817"}}
    assert len(page_data(out)["edges"]) >= len(speakers)
    # The neighbourhood read from Neo4j equals the one built in-process.
    near = tmp_path / "near.html"
    assert main(["-q", "viz", "--from", "neo4j", "--around", "Q817", "--depth", "1", "--out", str(near), *conn]) == 0
    assert page_names(near) == {d["name"] for _, d in around(seeds_graph, "Q817", 1).entities()}
