"""`kg stats`: what a built graph holds, at a glance, before drawing or querying any of it.

Plain rows (label, count), so that the CLI prints them as tables and the notebook turns them into pandas
DataFrames without this module depending on pandas.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from kg.errors import printable
from kg.graph import KnowledgeGraph

UNDATED = "undated"
NO_SOURCE = "(no source)"


@dataclass
class GraphStats:
    """Counts of one graph; every list is sorted by count, largest first, then by label."""

    articles: int = 0
    entities_by_type: list[tuple[str, int]] = field(default_factory=list)
    relations_by_predicate: list[tuple[str, int]] = field(default_factory=list)
    most_connected: list[tuple[str, str, str, int]] = field(default_factory=list)  # (id, name, type, facts)
    facts_by_month: list[tuple[str, int]] = field(default_factory=list)  # (YYYY-MM or "undated", count)
    articles_by_source: list[tuple[str, int]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"articles": self.articles,
                "entities_by_type": dict(self.entities_by_type),
                "relations_by_predicate": dict(self.relations_by_predicate),
                "most_connected": [{"id": i, "name": n, "type": t, "facts": f} for i, n, t, f in self.most_connected],
                "facts_by_month": dict(self.facts_by_month),
                "articles_by_source": dict(self.articles_by_source)}


def _ranked(counts: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def graph_stats(graph: KnowledgeGraph, top: int = 10) -> GraphStats:
    """Counts by type and predicate, the ``top`` entities in the most stated facts, facts per month and
    articles per source.

    A fact is counted once per article that states it, in the month of that article's date, because
    "what was said when" is what an archive's timeline shows; articles with no date count as undated.
    Months run in calendar order, not by count, and undated comes last.
    """
    by_type, by_predicate = graph.counts()
    dates: dict[str, str] = {}
    sources: Counter[str] = Counter()
    for article, data in graph.articles():
        dates[article] = data["date"][:7] if len(data["date"]) >= 7 else UNDATED
        sources[data["source"] or NO_SOURCE] += 1
    months: Counter[str] = Counter()
    for _, _, _, data in graph.relations():
        months.update(dates.get(ev.article, UNDATED) for ev in data["evidence"])
    connected = sorted(((graph.facts(node), node, data) for node, data in graph.entities()),
                       key=lambda t: (-t[0], t[1]))
    return GraphStats(
        articles=len(dates),
        entities_by_type=_ranked(Counter(by_type)),
        relations_by_predicate=_ranked(Counter(by_predicate)),
        most_connected=[(node, data["name"], data["type"], n) for n, node, data in connected[:top] if n],
        facts_by_month=sorted(months.items(), key=lambda kv: (kv[0] == UNDATED, kv[0])),
        articles_by_source=_ranked(sources),
    )


def format_stats(stats: GraphStats) -> str:
    """The sections `kg stats` prints, one aligned two-column table each."""
    def section(title: str, rows: list[tuple[str, int]]) -> list[str]:
        labels = [printable(label) for label, _ in rows]  # names are article text: no control characters
        width = max(map(len, labels), default=0)
        return [f"{title}:", *(f"  {label:<{width}}  {n:7d}" for label, (_, n) in zip(labels, rows, strict=True)),
                ""] if rows else [f"{title}: none", ""]

    lines = [f"articles: {stats.articles}", ""]
    lines += section("entities by type", stats.entities_by_type)
    lines += section("relations by predicate", stats.relations_by_predicate)
    lines += section("most connected (stated facts)",
                     [(f"{name} ({etype}, {node})", n) for node, name, etype, n in stats.most_connected])
    lines += section("facts by month (of the stating article)", stats.facts_by_month)
    lines += section("articles by source", stats.articles_by_source)
    return "\n".join(lines).rstrip("\n") + "\n"
