"""Every hostile input of ``tests/hostile_inputs.py`` through `kg build` (a real subprocess, all cases in one
build): its one line, the good file beside it still read, and outputs a standard tool parses; with --strict,
the first such line stops the run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from kg.cli import main
from kg.errors import printable
from tests.conftest import ROOT
from tests.hostile_inputs import CASES, TEXT, Case, good_id, write_cases

ROOT_READS_ALL = os.geteuid() == 0  # root lists a folder whatever its mode


def _expected(name: str) -> Case:
    case = CASES[name]
    if name == "unreadable folder" and ROOT_READS_ALL:
        return Case(case.make, None, articles=1)
    return case


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Path], subprocess.CompletedProcess[str], Path]:
    root = tmp_path_factory.mktemp("hostile")
    named = write_cases(root / "in")
    try:
        result = subprocess.run([sys.executable, "-m", "kg.cli", "build", "--workers", "1", str(root / "in"),
                                 "--out", str(root / "out")], cwd=ROOT, capture_output=True, text=True, timeout=300)
    finally:
        named["unreadable folder"].chmod(0o755)
    return named, result, root / "out"


@pytest.mark.parametrize("name", list(CASES))
def test_a_hostile_input_is_one_line_and_the_good_file_beside_it_is_read(name: str, built) -> None:
    named, result, out = built
    case = _expected(name)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr[-2000:]
    where = printable(str(named[name]))
    skipped = [line for line in result.stderr.splitlines() if line.startswith(f"skipped {where}")]
    notes = [line for line in result.stdout.splitlines() if line.startswith(f"  {where}")]  # renamed, cut
    if case.line is None:
        assert skipped == [] and notes == [], (skipped, notes)
    else:
        lines = skipped if case.where == "stderr" else notes
        assert len(lines) == 1 and case.line in lines[0], (lines, case.line)
        assert (notes if case.where == "stderr" else skipped) == []
    articles = {json.loads(line)["article"] for line in (out / "triples.jsonl").read_text(encoding="utf-8").splitlines()}
    assert good_id(name) in articles


def test_every_readable_article_is_counted_and_the_outputs_parse(built) -> None:
    _, result, out = built
    expected = sum(1 + _expected(name).articles for name in CASES)  # each case's good file and its own
    assert f"articles: {expected}\n" in result.stdout, result.stdout
    store = ox.Store()
    store.bulk_load(path=str(out / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    assert len(store) == len(Graph().parse(out / "graph.ttl", format="turtle")) > 0


@pytest.mark.parametrize("name", ["empty", "huge int", "FIFO", "symlink loop", "duplicate text"])
def test_strict_stops_at_the_hostile_input(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.txt").write_text(TEXT, encoding="utf-8")
    named = CASES[name].make(tmp_path / "in")
    code = main(["-q", "build", "--strict", "--workers", "1", str(tmp_path / "in"), "--out", str(tmp_path / "out")])
    out, err = capsys.readouterr()
    assert code == 1 and out == "" and len(err.splitlines()) == 1, err
    assert err.startswith(f"kg: error: {printable(str(named))}") and CASES[name].line in err
    assert not (tmp_path / "out").exists()
