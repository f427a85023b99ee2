"""Reopening a build: the graph read back from triples.jsonl is the graph the articles made (issue 15, item 2)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.cli import main
from kg.errors import KGError
from kg.export.jsonl import read_jsonl, write_jsonl
from kg.export.rdf import write_turtle
from kg.graph import KnowledgeGraph
from kg.parallel import SMALL_INPUT_BYTES, default_workers, workers_for
from kg.pipeline import build, built_output, read_built
from tests.test_export import CLEAN_SENTENCE, HOSTILE_SENTENCE
from tests.test_export import build as hostile_graph

DEV = Path(__file__).resolve().parents[2] / "shared" / "dev"


def snapshot(graph: KnowledgeGraph) -> tuple[dict[str, Any], dict[tuple[str, str, str], Any]]:
    """Every node and edge with all its attributes, in a form two graphs compare by ==."""
    nodes = {n: dict(d) for n, d in graph.g.nodes(data=True)}
    edges = {(s, o, k): dict(d) for s, o, k, d in graph.g.edges(keys=True, data=True)}
    return nodes, edges


@pytest.fixture(scope="module")
def dev_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[KnowledgeGraph, Path]:
    if not DEV.is_dir():
        pytest.skip(f"{DEV} is not here")
    out = tmp_path_factory.mktemp("dev-out")
    graph, report = build([DEV], out, workers=1)
    assert report.articles == 36
    return graph, out


def test_the_graph_read_back_from_triples_jsonl_is_the_built_one(dev_build, tmp_path: Path) -> None:
    graph, out = dev_build
    again, report = read_built(out / "triples.jsonl")
    assert not report.skipped and report.articles == 36
    assert snapshot(again) == snapshot(graph)
    assert (report.entities_by_type, report.relations_by_predicate) == graph.counts()
    write_turtle(again, tmp_path / "again.ttl")
    assert isomorphic(Graph().parse(out / "graph.ttl"), Graph().parse(tmp_path / "again.ttl"))
    write_jsonl(again, tmp_path / "again.jsonl")
    assert (tmp_path / "again.jsonl").read_bytes() == (out / "triples.jsonl").read_bytes()


def test_seeds_read_back_with_every_kind_of_edge_property(seeds_build) -> None:
    graph, _, out = seeds_build
    again, _ = read_built(out)
    assert snapshot(again) == snapshot(graph)
    dated = [d for _, _, _, d in again.relations() if "date" in d["properties"]]
    assert dated, "REPRESENTS keeps the dates its edge holds, not only the article's"


def test_hostile_strings_read_back_as_written(tmp_path: Path) -> None:
    graph = hostile_graph()
    write_jsonl(graph, tmp_path / "triples.jsonl")
    again, skipped = read_jsonl(tmp_path / "triples.jsonl")
    assert not skipped
    nodes, edges = snapshot(graph)
    for data in edges.values():  # the one change the writer makes: a lone surrogate becomes U+FFFD
        data["evidence"] = [e if e.sentence != HOSTILE_SENTENCE else type(e)(**{**vars(e), "sentence": CLEAN_SENTENCE})
                            for e in data["evidence"]]
    assert snapshot(again) == (nodes, edges)


def test_bad_lines_are_named_and_the_rest_is_read(seeds_build, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    _, _, out = seeds_build
    lines = (out / "triples.jsonl").read_text(encoding="utf-8").splitlines()
    broken = tmp_path / "triples.jsonl"
    fact = json.loads(lines[0])
    del fact["evidence"]
    broken.write_text("\n".join([lines[0], "{not json", json.dumps(fact), "[1, 2]", *lines[1:]]) + "\n",
                      encoding="utf-8")
    graph, report = read_built(broken)
    assert [s.path for s in report.skipped] == [f"{broken}:2", f"{broken}:3", f"{broken}:4"]
    assert snapshot(graph) == snapshot(read_built(out / "triples.jsonl")[0])
    assert main(["export", "--from", "embedded", str(broken), "--out", str(tmp_path / "g.ttl")]) == 0
    err = capsys.readouterr().err
    assert f"skipped {broken}:3: not a triples.jsonl record (KeyError: 'evidence')" in err
    assert "Traceback" not in err


def test_a_line_that_is_not_utf8_is_named_and_skipped(seeds_build, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    _, _, out = seeds_build
    bad = tmp_path / "triples.jsonl"
    lines = (out / "triples.jsonl").read_bytes().splitlines(keepends=True)
    bad.write_bytes(lines[0] + b'{"article": "\xff\xfe"}\n' + b"".join(lines[1:]))
    assert main(["viz", str(bad), "--out", str(tmp_path / "g.html")]) == 0
    assert f"skipped {bad}:2: not UTF-8 (byte 13 of the line)" in capsys.readouterr().err
    with pytest.raises(KGError, match="not the output of `kg build`"):
        read_built(tmp_path / "g.html")


def test_viz_load_and_export_reopen_a_build_folder_or_its_triples(seeds_build, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    _, _, out = seeds_build
    assert main(["viz", str(out / "triples.jsonl"), "--around", "الكويت", "--out", str(tmp_path / "kw.html")]) == 0
    printed = capsys.readouterr()
    assert printed.out.startswith(f"wrote {tmp_path / 'kw.html'}: ") and "skipped" not in printed.err
    assert main(["export", "--from", "embedded", str(out), "--format", "nt", "--out", str(tmp_path / "g.nt")]) == 0
    assert isomorphic(Graph().parse(out / "graph.ttl"), Graph().parse(tmp_path / "g.nt", format="nt"))


def test_a_build_folder_beside_articles_is_one_line(seeds_build, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    _, _, out = seeds_build
    assert main(["viz", str(out), "seeds", "--out", str(tmp_path / "g.html")]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"kg: error: {out / 'triples.jsonl'} is a built graph: give it alone") and "\n" not in err


def test_articles_in_json_lines_are_not_mistaken_for_a_build(tmp_path: Path) -> None:
    articles = tmp_path / "triples.jsonl"  # the name alone decides nothing
    articles.write_text(json.dumps({"id": "a", "text": "نص", "entity": "x"}) + "\n", encoding="utf-8")
    assert built_output(articles) is None and built_output(tmp_path) is None
    assert built_output(Path("seeds")) is None


def test_a_few_small_files_are_extracted_in_one_process(tmp_path: Path) -> None:
    assert workers_for([Path("seeds")]) == 1
    (tmp_path / "big.txt").write_bytes(b"x" * SMALL_INPUT_BYTES)
    assert workers_for([Path("seeds"), tmp_path]) == default_workers()


@pytest.mark.neo4j
def test_load_from_a_build_folder_gives_the_database_of_the_articles(seeds_build, neo4j_driver, neo4j_server,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.test_neo4j_load import clear, dump

    _, _, out = seeds_build
    for name, value in (("NEO4J_URI", neo4j_server.uri), ("NEO4J_USER", neo4j_server.user),
                        ("NEO4J_PASSWORD", neo4j_server.password)):
        monkeypatch.setenv(name, value)
    assert main(["-q", "load", "seeds"]) == 0
    from_articles = dump(neo4j_driver)
    clear(neo4j_driver)
    assert main(["-q", "load", str(out)]) == 0
    assert dump(neo4j_driver) == from_articles
