"""The `kg` command: a thin layer over ``kg.pipeline`` and friends.

Errors of the package (``KGError``) and usage errors become one plain line on stderr at this
boundary. Exit codes: 0 success, 1 an error the message explains, 2 a usage error.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path

import click

from kg.cli_common import (
    NORMAL,
    QUIET,
    VERBOSE,
    article_progress,
    check_base_iri,
    connection_options,
    gazetteer_option,
    open_graph,
    read_query_file,
    rows_options,
    verbosity,
    workers_option,
)
from kg.errors import KGError, printable
from kg.export.rdf import DEFAULT_BASE
from kg.export.rdf import FORMATS as RDF_FORMATS
from kg.model import DEFAULT_TIME_BUDGET, ENTITY_TYPES, Skipped
from kg.neo4j.cli import export_cmd, load_cmd, neo4j_cli, query_cmd
from kg.viz import DEFAULT_MAX_NODES

EXIT_ERROR = 1
EXIT_USAGE = 2

EPILOG = """\b
Exit codes:
  0  success
  1  an error; one plain line on stderr says what to fix
  2  a usage error (unknown option, missing or invalid argument)

\b
--quiet and --verbose go before the command:  kg -q build seeds --out out"""


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=EPILOG)
@click.version_option(package_name="arabic-diplomacy-kg")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors: no progress bars, no summaries.")
@click.option("-v", "--verbose", is_flag=True, help="Also print each input file as it is read, and timings.")
@click.pass_context
def cli(ctx: click.Context, quiet: bool, verbose: bool) -> None:
    """Knowledge graphs of actors, bodies, meetings and resolutions from Arabic news."""
    if quiet and verbose:
        raise click.UsageError("--quiet and --verbose exclude each other: give one")
    ctx.obj = QUIET if quiet else VERBOSE if verbose else NORMAL
    # the Neo4j driver logs each retried transaction and dropped connection, which Python prints when no
    # handler is set: noise beside the one line a failure gets, so only -v shows them
    logging.getLogger("neo4j").setLevel(logging.WARNING if verbose else logging.CRITICAL)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for triples.jsonl, graph.ttl and graph.html.")
@gazetteer_option
@click.option("--rules", "rule_files", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="An extra relation rule file, or folder of them (repeatable; see README, Adding a rule).")
@click.option("--base-iri", default=DEFAULT_BASE, show_default=True, callback=check_base_iri,
              help="Base IRI of the Turtle export (absolute, ending in / or #).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary (same as `kg -q build`).")
@workers_option
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Where extraction runs: local processes, or a dask.distributed cluster (see README, Scaling).")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="With --engine dask: the scheduler, e.g. tcp://host:8786 (default: a local cluster).")
@click.option("--strict", is_flag=True,
              help="Stop at the first bad input (exit 1, its one-line message) instead of reporting it and going on.")
@click.option("--time-budget", type=click.FloatRange(min=0, min_open=True), default=DEFAULT_TIME_BUDGET,
              show_default=True, metavar="SECONDS", help="CPU seconds one article may take; past them it is skipped.")
def build(paths: tuple[Path, ...], out_dir: Path, gazetteers: tuple[Path, ...], rule_files: tuple[Path, ...],
          base_iri: str, quiet: bool, workers: int | None, engine: str, scheduler: str | None, strict: bool,
          time_budget: float) -> None:
    """Build the merged graph of PATHS (.txt, .jsonl[.gz], .html files or folders) into --out."""
    from kg.parallel import workers_for
    from kg.pipeline import build as run_build

    if scheduler and engine != "dask":
        raise click.UsageError("--scheduler needs --engine dask")

    quiet = quiet or verbosity() == QUIET
    started = time.perf_counter()
    bar, on_article = article_progress(quiet)
    try:
        _, report = run_build(paths, out_dir, gazetteers, base_iri, on_article,
                              workers=workers or workers_for(paths), engine=engine, scheduler=scheduler,
                              rule_files=rule_files, time_budget=time_budget, strict=strict)
    finally:
        bar.close()
    if quiet:
        return
    if verbosity() == VERBOSE:
        click.echo(f"built and wrote in {time.perf_counter() - started:.1f} s", err=True)
    click.echo(f"articles: {report.articles}")
    click.echo(f"entities: {sum(report.entities_by_type.values())}  " + _counts(report.entities_by_type))
    click.echo(f"relations: {sum(report.relations_by_predicate.values())}  " + _counts(report.relations_by_predicate))
    for heading, lines in (("renamed", report.renamed), ("cut", report.cut)):
        if lines:
            click.echo(f"{heading}: {len(lines)}")
            for line in lines:
                click.echo(f"  {printable(line)}")
    click.echo(f"skipped: {len(report.skipped)}")
    reasons: dict[str, int] = {}
    for item in report.skipped:
        reason = item.reason.split(":")[0].split("(")[0].strip()
        reasons[reason] = reasons.get(reason, 0) + 1
    for reason, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])):
        click.echo(f"  {n:6d}  {reason}")
    for kind, path in report.outputs.items():
        click.echo(f"wrote {kind}: {path}")
    if report.page_note:
        click.echo(report.page_note, err=True)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--article", "article_ids", multiple=True, metavar="ID",
              help="Only the article with this id (file name without .txt; repeatable).")
@click.option("--gazetteer", "gazetteers", multiple=True, type=click.Path(file_okay=False, path_type=Path),
              help="An extra folder of gazetteer *.json files (repeatable).")
@click.option("--rules", "rule_files", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="An extra relation rule file, or folder of them (repeatable).")
def explain(paths: tuple[Path, ...], article_ids: tuple[str, ...], gazetteers: tuple[Path, ...],
            rule_files: tuple[Path, ...]) -> None:
    """Print every fact of the articles in PATHS with the rule that made it and the words it matched.

    A line starting with + is a recorded fact; - a firing that a rule of higher priority outranked."""
    from kg.explain import explain as explain_article
    from kg.explain import format_explanations
    from kg.gazetteer import load_gazetteer
    from loaders import iter_articles

    gaz = load_gazetteer(gazetteers, rule_files)
    seen = False
    for item in iter_articles(paths):
        if isinstance(item, Skipped):
            click.echo(f"skipped {item}", err=True)
            continue
        if article_ids and item.id not in article_ids:
            continue
        seen = True
        click.echo(f"== {item.id}")
        click.echo(format_explanations(explain_article(item, gaz)))
    if article_ids and not seen:
        raise KGError(f"no article with id {', '.join(article_ids)} in {', '.join(map(str, paths))}")


@cli.command()
@click.argument("gold", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("triples", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--show-errors", is_flag=True, help="List every missed and extra triple and entity.")
def evaluate(gold: Path, triples: Path, as_json: bool, show_errors: bool) -> None:
    """Score TRIPLES (JSON Lines) against a GOLD file, by the rules of the annotation guide."""
    import json

    from kg.evaluate import evaluate as run_evaluate
    from kg.evaluate import format_report

    result = run_evaluate(gold, triples)
    if as_json:
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=1))
    else:
        click.echo(format_report(result, show_errors=show_errors))


@cli.command()
@click.argument("name", required=False)
@click.argument("rdf_file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--query", "query_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Run the SPARQL in this file instead of a named query (then RDF_FILE is the only argument).")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE", help="A query parameter (repeatable).")
@rows_options
@click.option("--rdf-format", type=click.Choice(list(RDF_FORMATS)), default=None,
              help="RDF syntax of RDF_FILE (default: from its suffix).")
@click.option("--list", "list_only", is_flag=True, help="List the SPARQL queries and their parameters.")
def sparql(name: str | None, rdf_file: Path | None, query_file: Path | None, params: tuple[str, ...], fmt: str,
           bom: bool, rdf_format: str | None, list_only: bool) -> None:
    """Run the SPARQL twin NAME of a named query, or your own (--query FILE), on RDF_FILE, an RDF export such as
    out/graph.ttl (Oxigraph, read-only).

    \b
    kg sparql represents_state out/graph.ttl --param state=الكويت
    kg sparql --query q.rq out/graph.ttl --param name=الكويت     (in the file: $name)
    """
    from kg.neo4j.queries import format_result, list_queries, parse_param_pairs
    from kg.sparql import open_store, run_sparql, run_sparql_text

    if query_file is not None:
        if rdf_file is not None:
            raise click.UsageError("with --query FILE give only the RDF file to query, not a query NAME")
        rdf_file, name = (Path(name) if name else None), None
    if list_only or not (name or query_file):
        for q in list_queries("sparql"):
            args = ", ".join(f"{p.name} ({p.type})" for p in q.params) or "no parameters"
            click.echo(f"{q.name}: {q.question} [{args}]")
        return
    if rdf_file is None:
        raise click.UsageError("give the RDF file to query, e.g. kg sparql represents_state out/graph.ttl")
    given = parse_param_pairs(params)
    text = read_query_file(query_file) if query_file else None
    store = open_store(rdf_file, rdf_format)
    result = run_sparql_text(text, store, given, where=str(query_file)) if text else run_sparql(name, store, given)
    click.echo(format_result(result, fmt, bom=bom), nl=False)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True,
              help="How many of the most connected entities to list.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@gazetteer_option
@workers_option
def stats(paths: tuple[Path, ...], top: int, as_json: bool, gazetteers: tuple[Path, ...],
          workers: int | None) -> None:
    """Print what a graph holds: entities by type, relations by predicate, the most connected entities, facts
    per month and articles per source.

    PATHS is a `kg build` output folder (or its triples.jsonl), read back at once, or articles to extract.

    \b
    kg stats out/
    """
    from kg.stats import format_stats, graph_stats

    graph, report = open_graph(paths, gazetteers, workers)
    if not report.articles:
        raise KGError("no article could be read from the given paths: no graph to describe")
    figures = graph_stats(graph, top)
    click.echo(json.dumps(figures.as_dict(), ensure_ascii=False, indent=1) if as_json else format_stats(figures),
               nl=as_json)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(list(RDF_FORMATS)), default=None,
              help="RDF syntax of every FILE (default: from each file's suffix).")
@click.option("--max-shown", type=click.IntRange(min=0), default=50, show_default=True,
              help="Print at most this many violations per file (0: all).")
def validate(files: tuple[Path, ...], fmt: str | None, max_shown: int) -> None:
    """Check the RDF exports FILES (Turtle, N-Triples, JSON-LD, TriG, N-Quads) against the SHACL shapes.

    Prints each violation on one line and exits 1 if any file does not conform.
    """
    from kg.validate import validate_file

    failed = 0
    for path in files:
        report = validate_file(path, fmt)
        shown = report.violations if not max_shown else report.violations[:max_shown]
        for violation in shown:
            click.echo(f"{path}: {violation}")
        if len(shown) < len(report.violations):
            click.echo(f"{path}: … and {len(report.violations) - len(shown)} more")
        if report.conforms:
            click.echo(f"{path}: conforms ({report.triples} triples)", err=True)
        else:
            failed += 1
            click.echo(f"{path}: {len(report.violations)} violations in {report.triples} triples", err=True)
    if failed:
        raise KGError(f"{failed} of {len(files)} files do not conform to the shapes")


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--out", default=Path("graph.html"), show_default=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The page to write.")
@click.option("--from", "source", type=click.Choice(["embedded", "neo4j"]), default=None,
              help="Build the graph from PATHS (embedded, the default) or read the one stored in Neo4j.")
@click.option("--around", metavar="NAME",
              help="Draw only the entities near this one (its name, an alias, its id or Wikidata QID).")
@click.option("--depth", type=click.IntRange(min=0), default=None,
              help="How many stated facts away from --around to go (default 1; 0 is the entity alone).")
@click.option("--query", "query_name", metavar="NAME",
              help="Draw the entities a named Cypher query returns from Neo4j (see `kg query --list`).")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE", help="A parameter of --query (repeatable).")
@gazetteer_option
@workers_option
@click.option("--title", default="شبكة المعرفة", show_default=True, help="Title of the page.")
@click.option("--max-nodes", type=click.IntRange(min=0), default=DEFAULT_MAX_NODES, show_default=True,
              help="Draw at most this many entities, those with most facts (0: no limit; browsers slow down "
                   "above a few thousand).")
@click.option("--min-degree", type=click.IntRange(min=0), default=1, show_default=True,
              help="Draw only entities with at least this many stated facts (0: also the names with none).")
@click.option("--type", "types", multiple=True, type=click.Choice(ENTITY_TYPES, case_sensitive=False),
              help="Draw only entities of this type (repeatable).")
@connection_options
def viz(paths: tuple[Path, ...], out: Path, source: str | None, around: str | None, depth: int | None,
        query_name: str | None, params: tuple[str, ...], gazetteers: tuple[Path, ...], workers: int | None,
        title: str, max_nodes: int, min_degree: int, types: tuple[str, ...],
        neo4j_uri: str | None, neo4j_user: str | None, neo4j_password: str | None) -> None:
    """Write an offline interactive page of the graph built from PATHS (articles, or a `kg build` output
    folder, reopened without extracting again), or of part of it.

    By default the page draws the --max-nodes entities with most facts, and says what it left out.

    \b
    kg viz seeds/ --out graph.html                          the whole graph
    kg viz out/ --around الكويت --out kw.html               from a build's output folder
    kg viz seeds/ --around الكويت --depth 2 --out kw.html   one entity's neighbourhood
    kg viz seeds/ --type Person --min-degree 2              persons with two facts or more
    kg viz --from neo4j --around الكويت                     the same, from Neo4j
    kg viz --query represents_state --param state=الكويت    what a named query returns (Neo4j)
    """
    from kg.export.html import write_html
    from kg.gazetteer import english_names
    from kg.neo4j.server import connection_from_env_or_server
    from kg.viz import Limits, find_entities, query_subgraph
    from kg.viz import around as select_around

    if depth is not None and around is None:
        raise click.UsageError("--depth needs --around NAME (the entity to start from)")
    if params and not query_name:
        raise click.UsageError("--param needs --query NAME")
    if query_name and around:
        raise click.UsageError("--query and --around exclude each other: give one")
    from_neo4j = source == "neo4j" or query_name is not None
    if from_neo4j and paths:
        raise KGError("Neo4j is read as it is and takes no PATHS (drop them, or use --from embedded)")
    if not from_neo4j and not paths:
        raise KGError("give PATHS of articles to build the graph from, or --from neo4j to draw the one in Neo4j")
    started = time.perf_counter()
    if from_neo4j:
        from kg.neo4j.queries import bind_params, load_query, parse_param_pairs
        from kg.neo4j.writer import read_graph

        query = load_query(query_name) if query_name else None
        given = parse_param_pairs(params)
        if query:
            bind_params(query, given)  # a wrong name or parameter is reported before connecting
        info = connection_from_env_or_server(neo4j_uri, neo4j_user, neo4j_password)
        graph = query_subgraph(query, given, info) if query else read_graph(info)
    else:
        graph, report = open_graph(paths, gazetteers, workers)
        if not report.articles:
            raise KGError("no article could be read from the given paths: nothing to draw")
    centre: list[str] = []
    if around is not None:
        centre = find_entities(graph, around)
        graph = select_around(graph, around, 1 if depth is None else depth)
    limits = Limits(max_nodes, min_degree, types)  # click gives each type as ENTITY_TYPES spells it
    view = write_html(graph, out, title=title, limits=limits, keep=centre, english=english_names(gazetteers))
    level = verbosity()
    if view.left_out and level >= NORMAL:
        click.echo(f"{out}: {view.summary()}", err=True)
    if level >= NORMAL:
        n_entities, n_relations = len(view.degree), len(list(view.graph.relations()))
        click.echo(f"wrote {out}: {n_entities} entities, {n_relations} relations")
    if level == VERBOSE:
        click.echo(f"drawn in {time.perf_counter() - started:.1f} s", err=True)


def _parse_sizes(_ctx: click.Context, _param: click.Parameter, value: str) -> tuple[int, ...]:
    try:
        sizes = tuple(0 if part.strip().lower() == "all" else int(part) for part in value.split(","))
    except ValueError:
        raise click.BadParameter(f"{value!r}: give article counts and/or 'all', comma-separated") from None
    if any(n < 0 for n in sizes):
        raise click.BadParameter("sizes are article counts, not negative")
    return sizes


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--sizes", default="1000,10000,all", show_default=True, callback=_parse_sizes,
              help="Measure the first N articles, for each N (comma-separated; 'all' for the whole corpus).")
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Extraction processes (default: cores).")
@click.option("--neo4j/--no-neo4j", default=True, show_default=True,
              help="Time the Neo4j load (NEO4J_URI's database is EMPTIED; default: a private temporary server).")
@click.option("--turtle/--no-turtle", default=True, show_default=True, help="Time the Turtle export.")
@click.option("--batch-size", type=click.IntRange(min=1), default=None, help="Rows per Neo4j write transaction.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def bench(paths: tuple[Path, ...], sizes: tuple[int, ...], workers: int | None, neo4j: bool, turtle: bool,
          batch_size: int | None, as_json: bool) -> None:
    """Measure extraction, peak memory, Neo4j load and Turtle export on the first N articles of PATHS.

    PATHS defaults to ../shared/corpus. Each size runs in a fresh process; the table is printed
    row by row as sizes finish.
    """
    from kg.bench import format_json, format_table, run_bench
    from kg.parallel import default_workers

    corpus = list(paths) or [Path("../shared/corpus")]
    shown: list = []

    def show(result: object) -> None:
        shown.append(result)
        if not as_json:
            click.echo(format_table(shown).splitlines()[-1] if len(shown) > 1 else format_table(shown))

    results = run_bench(corpus, sizes, workers=workers or default_workers(), neo4j=neo4j, turtle=turtle,
                        batch_size=batch_size, on_result=show)
    if as_json:
        click.echo(format_json(results))


@cli.group("ner")
def ner_cli() -> None:
    """Train, cross-validate, run and time the project's own name recogniser (a CRF; see kg/data/ner/README.md)."""


_NER_DIR = click.argument("ner_dir", required=False, default=Path("../shared/ner"),
                          type=click.Path(exists=True, file_okay=False, path_type=Path))
_AQMAR = click.option("--aqmar/--no-aqmar", default=None,
                      help="Also train on AQMAR's PERS/LOC/ORG (default: as the packaged model was built).")


@ner_cli.command("train")
@_NER_DIR
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the model (default: the packaged kg/data/ner/names.crfsuite).")
@_AQMAR
def ner_train(ner_dir: Path, out: Path | None, aqmar: bool | None) -> None:
    """Rebuild the model from NER_DIR (default ../shared/ner: ANERcorp train, AQMAR); deterministic."""
    import hashlib

    from kg.gazetteer import WORDS_FILE, load_gazetteer
    from kg.ner import USE_AQMAR, learned_words, packaged_model, train, training_data

    anercorp, extra = training_data(ner_dir, USE_AQMAR if aqmar is None else aqmar)
    started = time.perf_counter()
    path = train([*anercorp, *extra], out or packaged_model(), load_gazetteer())
    words = path.with_name(WORDS_FILE)
    words.write_text(json.dumps(learned_words(ner_dir), ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    if verbosity() != QUIET:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        click.echo(f"wrote {path}: {path.stat().st_size / 1e6:.2f} MB, sha256 {digest}, "
                   f"{len(anercorp) + len(extra)} sentences in {time.perf_counter() - started:.0f} s")


@ner_cli.command("cv")
@_NER_DIR
@click.option("--folds", type=click.IntRange(min=2), default=5, show_default=True,
              help="Contiguous blocks of ANERcorp sentences (it repeats articles, so folds are never shuffled).")
@_AQMAR
@click.option("--c1", type=float, default=None, help="L1 weight (default: the packaged model's).")
@click.option("--c2", type=float, default=None, help="L2 weight (default: the packaged model's).")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True, help="Folds trained at once.")
def ner_cv(ner_dir: Path, folds: int, aqmar: bool | None, c1: float | None, c2: float | None, workers: int) -> None:
    """Strict (exact span and type) P/R/F1 per type and micro, cross-validated on ANERcorp train in NER_DIR."""
    from kg.gazetteer import load_gazetteer
    from kg.ner import USE_AQMAR, cross_validate, training_data

    anercorp, extra = training_data(ner_dir, USE_AQMAR if aqmar is None else aqmar)
    params = {k: v for k, v in (("c1", c1), ("c2", c2)) if v is not None}
    started = time.perf_counter()
    scores = cross_validate(anercorp, load_gazetteer(), folds, extra, params, workers=workers)
    click.echo(scores.table())
    if verbosity() == VERBOSE:
        click.echo(f"{folds} folds in {time.perf_counter() - started:.0f} s", err=True)


@ner_cli.command("tag")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--model", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="A model of `kg ner train --out` (default: the packaged one).")
def ner_tag(file: str, model: Path | None) -> None:
    """Tag FILE (or - for stdin): CoNLL lines `token [gold label]`, blank lines between sentences.

    Writes `token label` lines (B-PERS I-PERS B-LOC I-LOC B-ORG I-ORG O) with the same sentence breaks; a gold
    label in the input is ignored. This is how an outside benchmark runs the model.
    """
    from kg.gazetteer import load_gazetteer
    from kg.ner import NameTagger, format_conll, read_conll

    sentences = read_conll(file, labels=False)
    tagger = NameTagger.load(load_gazetteer(), model)
    for line in format_conll((words, tagger.tag(words)) for words, _ in sentences):
        sys.stdout.write(line)


@ner_cli.command("bench")
@click.argument("corpus", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--limit", type=click.IntRange(min=1), default=2000, show_default=True, help="Articles to tag.")
@click.option("--model", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="A model of `kg ner train --out` (default: the packaged one).")
def ner_bench(corpus: tuple[Path, ...], limit: int, model: Path | None) -> None:
    """Tokens/s and ms per article of the model alone (features and tagging, one core) on CORPUS.

    CORPUS defaults to ../shared/corpus; every sentence of the first --limit articles is tagged twice,
    and the second (warm) pass is the figure that counts.
    """
    from kg.gazetteer import load_gazetteer
    from kg.ner import bench

    click.echo(str(bench(list(corpus) or [Path("../shared/corpus")], load_gazetteer(), limit, model)))


for command in (neo4j_cli, load_cmd, query_cmd, export_cmd):
    cli.add_command(command)


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in counts.items())


def main(argv: list[str] | None = None) -> int:
    """Entry point: runs the command and turns every expected failure into one line."""
    try:
        cli.main(args=argv, prog_name="kg", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("kg: interrupted", err=True)
        return EXIT_ERROR
    except click.UsageError as err:
        where = f" (see {err.ctx.command_path} --help)" if err.ctx else ""
        click.echo(f"kg: usage error: {err.format_message()}{where}", err=True)
        return EXIT_USAGE
    except click.ClickException as err:
        click.echo(f"kg: error: {err.format_message()}", err=True)
        return EXIT_USAGE
    except KGError as err:
        click.echo(f"kg: error: {err}", err=True)
        return EXIT_ERROR
    except OSError as err:
        click.echo(f"kg: error: {err.filename or ''}: {err.strerror}", err=True)
        return EXIT_ERROR
    return 0


def run() -> None:
    """Console-script entry: exit with main()'s code."""
    sys.exit(main())


if __name__ == "__main__":
    run()
