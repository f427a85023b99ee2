"""The Python API: load -> extract -> merge -> write. The CLI is a thin layer over these functions.

Articles stream through: each is loaded, extracted and merged into the graph, then dropped, so
memory grows with the graph and not with the text read.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path

from kg.errors import InputError, KGError
from kg.export.html import write_html
from kg.export.jsonl import read_jsonl, write_jsonl
from kg.export.rdf import DEFAULT_BASE, write_turtle
from kg.gazetteer import Gazetteer, english_names, load_gazetteer
from kg.graph import KnowledgeGraph
from kg.ids import digest
from kg.memory import bulk_gc
from kg.model import DEFAULT_TIME_BUDGET, Article, Extraction, Skipped
from kg.parallel import extract_all
from loaders import iter_articles

OUTPUT_FILES = {"triples": "triples.jsonl", "turtle": "graph.ttl", "html": "graph.html"}


@dataclass
class BuildReport:
    """What a build read, skipped and produced: the CLI prints it as the closing summary."""

    articles: int = 0
    text_bytes: int = 0  # UTF-8 bytes of article text read, for throughput figures (kg bench)
    skipped: list[Skipped] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)  # one line per article read under a new id
    cut: list[str] = field(default_factory=list)  # one line per article cut to MAX_TEXT_CHARS
    entities_by_type: dict[str, int] = field(default_factory=dict)
    relations_by_predicate: dict[str, int] = field(default_factory=dict)
    outputs: dict[str, Path] = field(default_factory=dict)
    page_note: str = ""  # what graph.html left out (kg.viz.View.summary), empty when it draws every entity


def build_graph(paths: Iterable[str | Path], gazetteer: Gazetteer | None = None,
                on_article: Callable[[Article | Skipped], None] | None = None, *, workers: int = 1,
                engine: str = "local", scheduler: str | None = None, limit: int | None = None,
                time_budget: float | None = DEFAULT_TIME_BUDGET, strict: bool = False,
                ) -> tuple[KnowledgeGraph, BuildReport]:
    """Extract every article under ``paths`` (or the first ``limit`` items) and merge them into one graph.

    A file that cannot be read, an article the extractor fails on or that outlasts ``time_budget`` CPU
    seconds, is recorded as skipped with a one-line reason; the run goes on with the rest, unless
    ``strict``: then the first skipped input, or text cut to ``kg.model.MAX_TEXT_CHARS``, raises InputError.
    ``workers``, ``engine`` and ``scheduler`` choose where extraction runs (see :mod:`kg.parallel`);
    results are merged in input order, so the graph is the same whichever is chosen.
    """
    gaz = gazetteer or load_gazetteer()
    graph = KnowledgeGraph()
    report = BuildReport()

    seen: dict[str, tuple[str, str]] = {}  # article id -> (digest of its text, where it was read)

    def counted() -> Iterator[Article | Skipped]:
        for item in islice(iter_articles(paths), limit):
            if isinstance(item, Article):
                item = unique_id(item, seen, report)
                if isinstance(item, Article):
                    report.text_bytes += len(item.text.encode("utf-8", "surrogatepass"))
                    if item.cut_from:
                        where, reason = item.path or item.id, (
                            f"{item.cut_from:,} characters, more than an article may hold: "
                            f"only the first {len(item.text):,} are read")
                        if strict:
                            raise InputError(where, reason)
                        report.cut.append(f"{where}: {reason}")
            yield item

    with bulk_gc():
        for item, result in extract_all(counted(), gaz, workers=workers, engine=engine, scheduler=scheduler,
                                        budget=time_budget):
            if isinstance(result, Extraction):
                try:
                    graph.add(result)
                    report.articles += 1
                except KGError as err:
                    result = Skipped(item.path or item.id, str(err))  # type: ignore[union-attr]
            if isinstance(result, Skipped):
                if strict:
                    raise InputError(result.path, result.reason)
                report.skipped.append(result)
            if on_article:
                on_article(result if isinstance(result, Skipped) else item)
    graph.resolve_names(gaz.words("patronymics"))
    report.entities_by_type, report.relations_by_predicate = graph.counts()
    return graph, report


def unique_id(article: Article, seen: dict[str, tuple[str, str]], report: BuildReport) -> Article | Skipped:
    """One id per text: the same text read twice (one article in two dumps) is skipped with one line; a
    different text under an id already used («x.txt» in two folders, a repeated JSON id) is read as «id~2»,
    and the report says so. Facts and offsets of two texts never pool under one article."""
    where = article.path or article.id
    text = digest(article.text)
    first = seen.get(article.id)
    if first is not None:
        if first[0] == text:
            return Skipped(where, f"duplicate of article {article.id!r} read from {first[1]}")
        n = 2
        while f"{article.id}~{n}" in seen:
            n += 1
        renamed = f"{article.id}~{n}"
        report.renamed.append(f"{where}: article id {article.id!r} is already used by {first[1]}: read as {renamed!r}")
        article = replace(article, id=renamed)
    seen[article.id] = (text, where)
    return article


def built_output(path: str | Path) -> Path | None:
    """The triples.jsonl of a `kg build` output folder, or ``path`` itself when it is such a file; None for
    articles. A JSON Lines file of articles has a ``text`` in every record; the build's records never do."""
    path = Path(path)
    if path.is_dir():
        path = path / OUTPUT_FILES["triples"]
    if not path.name.endswith(".jsonl") or not path.is_file():
        return None
    try:
        with open(path, "rb") as fh:
            first = json.loads(fh.readline(1 << 20))
    except (OSError, ValueError):
        return None  # the loaders name what is wrong with it
    return path if isinstance(first, dict) and "text" not in first and \
        {"predicate", "entity", "meta"} & first.keys() else None


def read_built(path: str | Path) -> tuple[KnowledgeGraph, BuildReport]:
    """Reopen a build (its output folder or triples.jsonl) without extracting again: the same graph as the
    build's own."""
    triples = built_output(path)
    if triples is None:
        raise KGError(f"{path}: not the output of `kg build` (no triples.jsonl in it, or not such a file)")
    graph, skipped = read_jsonl(triples)
    report = BuildReport(articles=sum(1 for _ in graph.articles()), skipped=skipped)
    report.entities_by_type, report.relations_by_predicate = graph.counts()
    return graph, report


def write_outputs(graph: KnowledgeGraph, out_dir: str | Path, base_iri: str = DEFAULT_BASE,
                  gazetteer_dirs: Iterable[str | Path] = (), report: BuildReport | None = None) -> dict[str, Path]:
    """triples.jsonl (the scorer's format), graph.ttl and graph.html, all deterministic.

    graph.html draws the default page (:class:`kg.viz.Limits`), English names from the gazetteers; what it
    leaves out goes into ``report.page_note``, so the command can say so.
    """
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise KGError(f"{out}: cannot create the output folder ({err.strerror})") from err
    paths = {kind: out / name for kind, name in OUTPUT_FILES.items()}
    write_jsonl(graph, paths["triples"])
    write_turtle(graph, paths["turtle"], base_iri=base_iri)
    view = write_html(graph, paths["html"], english=english_names(gazetteer_dirs))
    if report is not None and view.left_out:
        report.page_note = f"{paths['html']}: {view.summary()}"
    return paths


def build(paths: Iterable[str | Path], out_dir: str | Path, gazetteer_dirs: Iterable[str | Path] = (),
          base_iri: str = DEFAULT_BASE, on_article: Callable[[Article | Skipped], None] | None = None, *,
          workers: int = 1, engine: str = "local", scheduler: str | None = None,
          rule_files: Iterable[str | Path] = (), time_budget: float | None = DEFAULT_TIME_BUDGET,
          strict: bool = False) -> tuple[KnowledgeGraph, BuildReport]:
    """Build the graph of ``paths`` and write its outputs into ``out_dir`` (nothing is written when a
    ``strict`` build stops at a bad input)."""
    graph, report = build_graph(paths, load_gazetteer(gazetteer_dirs, rule_files), on_article, workers=workers,
                                engine=engine, scheduler=scheduler, time_budget=time_budget, strict=strict)
    report.outputs = write_outputs(graph, out_dir, base_iri, gazetteer_dirs, report)
    return graph, report
