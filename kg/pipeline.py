"""The Python API: load -> extract -> merge -> write. The CLI is a thin layer over these functions.

Articles stream through: each is loaded, extracted and merged into the graph, then dropped, so
memory grows with the graph and not with the text read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import KGError
from kg.export.html import write_html
from kg.export.jsonl import write_jsonl
from kg.export.rdf import DEFAULT_BASE, write_turtle
from kg.extract import extract
from kg.gazetteer import Gazetteer, load_gazetteer
from kg.graph import KnowledgeGraph
from kg.model import Article, Skipped
from loaders import iter_articles

OUTPUT_FILES = {"triples": "triples.jsonl", "turtle": "graph.ttl", "html": "graph.html"}


@dataclass
class BuildReport:
    """What a build read, skipped and produced: the CLI prints it as the closing summary."""

    articles: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    entities_by_type: dict[str, int] = field(default_factory=dict)
    relations_by_predicate: dict[str, int] = field(default_factory=dict)
    outputs: dict[str, Path] = field(default_factory=dict)


def build_graph(paths: Iterable[str | Path], gazetteer: Gazetteer | None = None,
                on_article: Callable[[Article | Skipped], None] | None = None,
                ) -> tuple[KnowledgeGraph, BuildReport]:
    """Extract every article under ``paths`` and merge them into one graph.

    A file that cannot be read, or an article the extractor fails on, is recorded as skipped with a
    one-line reason; the run goes on with the rest.
    """
    gaz = gazetteer or load_gazetteer()
    graph = KnowledgeGraph()
    report = BuildReport()
    for item in iter_articles(paths):
        if isinstance(item, Article):
            try:
                graph.add(extract(item, gaz))
                report.articles += 1
            except KGError as err:
                item = Skipped(item.path or item.id, str(err))
                report.skipped.append(item)
            except Exception as err:  # a bug on one odd article must not cost the other forty thousand
                item = Skipped(item.path or item.id, f"extraction failed ({type(err).__name__}: {err})")
                report.skipped.append(item)
        else:
            report.skipped.append(item)
        if on_article:
            on_article(item)
    report.entities_by_type, report.relations_by_predicate = graph.counts()
    return graph, report


def write_outputs(graph: KnowledgeGraph, out_dir: str | Path, base_iri: str = DEFAULT_BASE) -> dict[str, Path]:
    """triples.jsonl (the scorer's format), graph.ttl and graph.html, all deterministic."""
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise KGError(f"{out}: cannot create the output folder ({err.strerror})") from err
    paths = {kind: out / name for kind, name in OUTPUT_FILES.items()}
    write_jsonl(graph, paths["triples"])
    write_turtle(graph, paths["turtle"], base_iri=base_iri)
    write_html(graph, paths["html"])
    return paths


def build(paths: Iterable[str | Path], out_dir: str | Path, gazetteer_dirs: Iterable[str | Path] = (),
          base_iri: str = DEFAULT_BASE, on_article: Callable[[Article | Skipped], None] | None = None,
          ) -> tuple[KnowledgeGraph, BuildReport]:
    """Build the graph of ``paths`` and write its outputs into ``out_dir``."""
    graph, report = build_graph(paths, load_gazetteer(gazetteer_dirs), on_article)
    report.outputs = write_outputs(graph, out_dir, base_iri)
    return graph, report
