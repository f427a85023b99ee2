"""`kg bench` on the seeds: every figure is printed and positive. Not a timed test: no speed is asserted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.bench import BenchResult, format_table, measure, run_bench
from kg.cli import cli
from kg.neo4j.server import ConnectionInfo
from tests.conftest import SEEDS


def test_run_bench_on_seeds_gives_positive_figures() -> None:
    results = run_bench([SEEDS], (2, 0), workers=1, neo4j=False)
    assert [r.size for r in results] == ["2", "all"]
    small, whole = results
    assert small.articles == 2 and whole.articles == 5
    for r in results:
        assert r.articles_per_s > 0 and r.mb_per_s > 0 and r.text_mb > 0
        assert r.peak_rss_mb > 0 and r.relationships > 0
        assert r.turtle_triples > r.relationships and r.turtle_triples_per_s > 0
        assert r.neo4j_rel_per_s == r.neo4j_warm_rel_per_s == 0  # not asked for
    table = format_table(results)
    assert "articles/s" in table and "ttl triples/s" in table and len(table.splitlines()) == 3


def test_cli_bench_prints_json_and_two_workers_report_their_memory() -> None:
    res = CliRunner().invoke(cli, ["bench", str(SEEDS), "--sizes", "all", "--workers", "2", "--no-neo4j", "--json"])
    assert res.exit_code == 0, res.output
    (row,) = json.loads(res.output)
    assert row["workers"] == 2 and row["articles"] == 5
    assert row["worker_peak_rss_mb"] > 0  # sampled from /proc while the pool ran


def test_cli_bench_rejects_bad_sizes() -> None:
    res = CliRunner().invoke(cli, ["bench", str(SEEDS), "--sizes", "ten"])
    assert res.exit_code == 2


@pytest.mark.neo4j
def test_measure_loads_into_neo4j(neo4j_server: ConnectionInfo, tmp_path: Path) -> None:
    info = {"uri": neo4j_server.uri, "user": neo4j_server.user, "password": neo4j_server.password}
    result = measure([str(SEEDS)], 0, 1, str(tmp_path), info, turtle=False, batch_size=50)
    assert isinstance(result, BenchResult)
    assert result.neo4j_relationships == result.relationships > 0
    assert result.neo4j_rel_per_s > 0 and result.neo4j_warm_rel_per_s > 0 and result.turtle_triples == 0
    assert result.neo4j_warm_s > 0
