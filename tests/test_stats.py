"""`kg stats` (issue 15, item 6): counts by type and predicate, the most connected entities, facts per month
and articles per source, from a build folder read back or from articles."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from kg.cli import main
from kg.stats import NO_SOURCE, UNDATED, format_stats, graph_stats
from tests.test_export import HOSTILE_NAME
from tests.test_export import build as hostile_graph


def test_stats_of_a_small_graph() -> None:
    stats = graph_stats(hostile_graph(), top=3)
    assert stats.articles == 2
    assert stats.entities_by_type == [("Organization", 3), ("Person", 1), ("Resolution", 1), ("State", 1)]
    assert stats.relations_by_predicate == [("REPRESENTS", 2), ("ADOPTED_BY", 1), ("MEMBER_OF", 1)]
    # 001_test (2024-03-05) states REPRESENTS and ADOPTED_BY once each; undated 002_test states three facts
    assert stats.facts_by_month == [("2024-03", 2), (UNDATED, 3)]
    assert stats.articles_by_source == [(NO_SOURCE, 1), ("كونا", 1)]
    assert stats.most_connected == [("Q817", "الكويت", "State", 2),
                                    ("person:منصور_العتيبي", "منصور العتيبي", "Person", 2),
                                    ("Q1065", "الأمم المتحدة", "Organization", 1)]


def test_names_are_printed_without_their_control_characters() -> None:
    graph = hostile_graph()
    graph.g.nodes[HOSTILE_NAME]["name"] = "سفير\x1b[2J\u202e"
    text = format_stats(graph_stats(graph))
    assert "\x1b" not in text and "\u202e" not in text and "سفير\\x1b[2J\\u202e" in text


def test_stats_agree_with_the_graph_they_describe(seeds_build) -> None:
    graph, report, _ = seeds_build
    stats = graph_stats(graph, top=1000)
    assert dict(stats.entities_by_type) == report.entities_by_type
    assert dict(stats.relations_by_predicate) == report.relations_by_predicate
    assert sum(n for _, n in stats.facts_by_month) == sum(len(d["evidence"]) for *_, d in graph.relations())
    degree = Counter()
    for s, o, _, _ in graph.relations():
        degree.update((s, o))
    assert [(node, n) for node, _, _, n in stats.most_connected] == sorted(degree.items(), key=lambda kv: (-kv[1], kv[0]))
    assert sum(n for _, n in stats.articles_by_source) == report.articles == 5


def test_cli_stats_of_a_build_folder_and_of_articles(seeds_build, capsys: pytest.CaptureFixture[str]) -> None:
    _, report, out = seeds_build
    assert main(["stats", str(out), "--top", "3"]) == 0
    printed = capsys.readouterr()
    text = printed.out
    assert text.startswith("articles: 5\n") and printed.err == ""
    for title in ("entities by type:", "relations by predicate:", "most connected (stated facts):",
                  "facts by month (of the stating article):", "articles by source:"):
        assert f"\n{title}\n" in text, title
    assert main(["stats", str(out), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["entities_by_type"] == report.entities_by_type and len(figures["most_connected"]) == 10
    assert main(["-q", "stats", "seeds", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == figures


def test_cli_stats_of_nothing_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    assert main(["-q", "stats", str(tmp_path)]) == 1
    assert capsys.readouterr().err == "kg: error: no article could be read from the given paths: no graph to describe\n"
