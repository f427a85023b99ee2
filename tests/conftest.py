"""Shared fixtures: where the repository and ../shared are, and the seeds' graph built once."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["tests.neo4j_fixture"]

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def seeds_build(tmp_path_factory: pytest.TempPathFactory):
    """The seeds built once per session with the embedded default: (graph, report, out_dir)."""
    from kg.pipeline import build

    out = tmp_path_factory.mktemp("seeds-out")
    graph, report = build([SEEDS], out)
    return graph, report, out
