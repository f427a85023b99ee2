"""notebooks/tour.ipynb runs top to bottom in a real kernel, with and without Neo4j, so the tour cannot rot."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from kg.neo4j.server import ConnectionInfo
from tests.conftest import ROOT

NOTEBOOK = ROOT / "notebooks" / "tour.ipynb"
OUTPUT_FILES = ("triples.jsonl", "graph.ttl", "graph.html", "kuwait.html", "graph.nt", "graph.jsonld")


def run_tour(out: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Execute the notebook (outputs into ``out``) and return the text of every output."""
    monkeypatch.setenv("KG_TOUR_OUT", str(out))
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    # Raises CellExecutionError, naming the cell, if any cell fails.
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    texts = [output.get("text", "") or output.get("data", {}).get("text/plain", "") for output in outputs]
    pages = [output["data"]["text/html"] for output in outputs if "text/html" in output.get("data", {})]
    plots = [output for output in outputs if "image/png" in output.get("data", {})]
    assert plots, "the facts-per-month plot is drawn"
    assert any(page.startswith('<iframe srcdoc="&lt;') and "vis-network" in page for page in pages), \
        "the neighbourhood page is embedded inline, whole and escaped"
    return "".join(texts)


def assert_tour_outputs(text: str, out: Path) -> None:
    assert "articles: 5  skipped: 0" in text
    assert "predicate  relations" in text and "REPRESENTS" in text  # the stats as DataFrames
    assert "month  facts" in text and "source  articles" in text
    assert "بدر المنيخ | نائب المندوب الدائم" in text  # who spoke for Kuwait, from the Python API
    assert " → " in text  # a chain of facts between two actors
    assert "kuwait.html: " in text and "graph.html: " in text
    assert "turtle" in text and "jsonld" in text and " triples" in text
    for name in OUTPUT_FILES:
        assert (out / name).stat().st_size > 0, name


def test_committed_notebook_has_no_outputs() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, "strip the outputs before committing"


def test_tour_runs_without_neo4j(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KG_NEO4J_HOME", str(tmp_path / "no-server"))
    text = run_tour(tmp_path / "out", monkeypatch)
    assert_tour_outputs(text, tmp_path / "out")
    assert "Neo4j part skipped: no Neo4j to connect to" in text


@pytest.mark.neo4j
def test_tour_runs_the_named_queries_on_neo4j(neo4j_driver, neo4j_server: ConnectionInfo, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_URI", neo4j_server.uri)
    monkeypatch.setenv("NEO4J_USER", neo4j_server.user)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_server.password)
    text = run_tour(tmp_path / "out", monkeypatch)
    assert_tour_outputs(text, tmp_path / "out")
    assert f"loaded into {neo4j_server.uri}" in text and "Neo4j part skipped" not in text
    assert "بدر المنيخ" in text.split(f"loaded into {neo4j_server.uri}")[1]  # represents_state's table
    assert "(5 rows)" in text  # most_connected, limit 5
