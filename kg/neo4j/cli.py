"""Click commands for Neo4j: ``kg neo4j start|stop|status``, ``kg load``, ``kg query`` and ``kg export``.

``kg/cli.py`` registers them; the options and progress bars the two modules share live in :mod:`kg.cli_common`.
Failures are raised as :class:`~kg.errors.KGError` subclasses; the main CLI prints them as one line.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import click
from tqdm import tqdm

from kg.cli_common import (
    QUIET,
    check_base_iri,
    connection_options,
    gazetteer_option,
    open_graph,
    read_query_file,
    rows_options,
    verbosity,
    workers_option,
)
from kg.errors import KGError
from kg.export.rdf import FORMATS as RDF_FORMATS
from kg.neo4j.queries import (
    bind_params,
    format_result,
    list_queries,
    load_query,
    parse_param_pairs,
    run_cypher,
    run_query,
)
from kg.neo4j.server import (
    DOWNLOAD_MB,
    ServerStatus,
    connection_from_env_or_server,
    server_status,
    start_server,
    stop_server,
)
from kg.neo4j.writer import DEFAULT_BATCH_SIZE, load_graph, read_graph

# --------------------------------------------------------------------------- kg neo4j …


@click.group("neo4j")
def neo4j_cli() -> None:
    """Run the bundled Neo4j 5.26 server (downloaded once with Maven)."""


@neo4j_cli.command("start")
@click.option("--port", type=click.IntRange(1, 65535), default=None,
              help="Bolt port (default: the one this instance used last, a free one the first time).")
@click.option("--http", is_flag=True, help="Also serve Neo4j Browser on 127.0.0.1 (downloaded once, about 15 MB).")
def start_cmd(port: int | None, http: bool) -> None:
    """Start the bundled server (or report the one already running) and print how to connect to it.

    The first start downloads Neo4j (about 130 MB of jars) with Maven, once, and shows its progress."""
    quiet = verbosity() == QUIET
    bar: tqdm | None = None

    def say(message: str) -> None:
        if not quiet:
            click.echo(message, err=True)

    def progress(done: int, files: int) -> None:
        nonlocal bar
        if quiet:
            return
        if bar is None:
            bar = tqdm(total=DOWNLOAD_MB * 10**6, unit="B", unit_scale=True, file=sys.stderr, dynamic_ncols=True,
                       desc="downloading")
        bar.set_postfix_str(f"{files} files", refresh=False)
        bar.update(done - bar.n)

    try:
        start_server(port=port, http=http, say=say, progress=progress)
    finally:
        if bar is not None:
            bar.close()
    if not quiet:
        _print_connection(server_status())


def _print_connection(st: ServerStatus) -> None:
    """Where the server listens, and a line to paste into a shell so that other tools find it too."""
    click.echo(f"Neo4j {st.version} is running at {st.uri} (user {st.user}, pid {st.pid}, home {st.home})")
    if st.http_port:
        click.echo(f"Neo4j Browser: http://127.0.0.1:{st.http_port}/browser/ (connect to {st.uri})")
    password = f'"$(cat {shlex.quote(str(st.password_file))})"'
    click.echo(f"export NEO4J_URI={st.uri} NEO4J_USER={st.user} NEO4J_PASSWORD={password}")


@neo4j_cli.command("stop")
def stop_cmd() -> None:
    """Stop the bundled server."""
    stopped = stop_server()
    if verbosity() != QUIET:
        click.echo("Neo4j stopped" if stopped else "Neo4j was not running")


@neo4j_cli.command("status")
def status_cmd() -> None:
    """Say whether the bundled server runs, where, and how to connect; exit 1 when it does not run."""
    st = server_status()
    if not st.running:
        raise KGError(f"Neo4j is not running (home {st.home}): start it with `kg neo4j start`")
    _print_connection(st)


@neo4j_cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@gazetteer_option
@click.option("--overwrite", is_flag=True, help="Replace the database if it already holds a graph.")
@click.option("--csv-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Keep the CSV files here (default: a temporary folder, removed after).")
@workers_option
def import_cmd(paths: tuple[Path, ...], gazetteers: tuple[Path, ...], overwrite: bool, csv_dir: Path | None,
               workers: int | None) -> None:
    """First bulk load: extract PATHS and import the graph with neo4j-admin into the STOPPED bundled
    server, then start it. Much faster than `kg load` for an archive; later batches go through `kg load`."""
    from kg.neo4j.bulk import check_stopped, import_graph
    from kg.neo4j.server import Neo4jServer

    server = Neo4jServer()
    check_stopped(server)  # before the extraction, which may take a while
    graph, report = open_graph(paths, gazetteers, workers)
    if not report.articles:
        raise KGError("no article could be read from the given paths: nothing to import")
    stats = import_graph(graph, server, overwrite=overwrite, csv_dir=csv_dir)
    if verbosity() != QUIET:
        click.echo(f"imported {report.articles} articles: {stats.nodes} nodes and {stats.relationships} "
                   f"relationships in {stats.seconds:.1f} s; Neo4j is running at {server_status().uri}")


# --------------------------------------------------------------------------- kg load


@click.command("load")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@gazetteer_option
@workers_option
@click.option(
    "--batch-size",
    type=click.IntRange(1),
    default=DEFAULT_BATCH_SIZE,
    show_default=True,
    help="Rows per write transaction.",
)
@connection_options
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary (same as `kg -q load`).")
def load_cmd(
    paths: tuple[Path, ...],
    gazetteers: tuple[Path, ...],
    workers: int | None,
    batch_size: int,
    neo4j_uri: str | None,
    neo4j_user: str | None,
    neo4j_password: str | None,
    quiet: bool,
) -> None:
    """Extract the articles under PATHS (or reopen a `kg build` output folder) and merge the graph into Neo4j
    (idempotent)."""
    quiet = quiet or verbosity() == QUIET
    info = connection_from_env_or_server(neo4j_uri, neo4j_user, neo4j_password)
    graph, report = open_graph(paths, gazetteers, workers, quiet)
    if not report.articles:
        raise KGError("no article could be read from the given paths: nothing to load")
    stats = load_graph(graph, info, batch_size=batch_size)
    if not quiet:
        click.echo(
            f"loaded {report.articles} articles into {info.uri}: {stats.nodes} nodes and "
            f"{stats.relationships} relationships merged in {stats.batches} batches "
            f"({stats.seconds:.1f} s); database now holds {stats.db_nodes} nodes and "
            f"{stats.db_relationships} relationships"
        )
        if report.skipped:
            click.echo(f"skipped {len(report.skipped)} (named above)", err=True)


# --------------------------------------------------------------------------- kg query


@click.command("query")
@click.argument("name", required=False)
@click.option("--cypher", metavar="TEXT", help="Run this Cypher instead of a named query.")
@click.option("--file", "cypher_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Run the Cypher in this file instead of a named query.")
@click.option("--write", is_flag=True, help="Let --cypher/--file write (by default it runs in a read transaction).")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE", help="A query parameter (repeatable).")
@rows_options
@click.option("--list", "list_only", is_flag=True, help="List the named queries and their parameters.")
@connection_options
def query_cmd(
    name: str | None,
    cypher: str | None,
    cypher_file: Path | None,
    write: bool,
    params: tuple[str, ...],
    fmt: str,
    bom: bool,
    list_only: bool,
    neo4j_uri: str | None,
    neo4j_user: str | None,
    neo4j_password: str | None,
) -> None:
    """Run the named Cypher query NAME (see --list), or your own (--cypher, --file), and print its rows.

    \b
    kg query represents_state --param state=الكويت
    kg query --cypher "MATCH (e:State) RETURN e.name AS state ORDER BY state" --format csv > states.csv
    kg query --file q.cypher --param name=الكويت     (in the file: $name)
    """
    if sum(x is not None for x in (name, cypher, cypher_file)) > 1:
        raise click.UsageError("give one query: a NAME, --cypher TEXT or --file FILE")
    if write and cypher is None and cypher_file is None:
        raise click.UsageError("--write is for --cypher or --file; the named queries only read")
    if list_only or not (name or cypher or cypher_file):
        for q in list_queries():
            click.echo(f"{q.name}: {q.question}")
            for p in q.params:
                default = "" if p.required else f", default {p.default!r}"
                click.echo(f"    --param {p.name}=… ({p.type}{default}) {p.meaning}".rstrip())
        return
    given = parse_param_pairs(params)
    if name:
        query = load_query(name)
        bind_params(query, given)  # a wrong name or parameter is reported before connecting
        info = connection_from_env_or_server(neo4j_uri, neo4j_user, neo4j_password)
        result = run_query(query, info, given)
    else:
        text = cypher if cypher is not None else read_query_file(cypher_file)  # type: ignore[arg-type]
        if not text.strip():
            raise click.UsageError("--cypher is empty: give the query text")
        info = connection_from_env_or_server(neo4j_uri, neo4j_user, neo4j_password)
        result = run_cypher(text, info, given, write=write, what=str(cypher_file or "the --cypher query"))
    click.echo(format_result(result, fmt, bom=bom), nl=False)


# --------------------------------------------------------------------------- kg export


@click.command("export")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--from",
    "source",
    type=click.Choice(["neo4j", "embedded"]),
    required=True,
    help="Read the graph back from Neo4j, or build it in-process from PATHS (articles or a `kg build` output).",
)
@click.option(
    "--format", "fmt", type=click.Choice(list(RDF_FORMATS)), default="turtle", show_default=True,
    help="RDF syntax: turtle, nt (N-Triples), jsonld (JSON-LD), trig or nquads (one named graph per article).",
)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Output file.")
@click.option("--base-iri", default=None, callback=check_base_iri,
              help="Base IRI of entities and articles (default: the Turtle export's).")
@gazetteer_option
@workers_option
@connection_options
def export_cmd(
    paths: tuple[Path, ...],
    source: str,
    fmt: str,
    out: Path,
    base_iri: str | None,
    gazetteers: tuple[Path, ...],
    workers: int | None,
    neo4j_uri: str | None,
    neo4j_user: str | None,
    neo4j_password: str | None,
) -> None:
    """Write the graph as RDF: read back from Neo4j (--from neo4j) or built from PATHS (--from embedded)."""
    from kg.export.rdf import DEFAULT_BASE, write_rdf

    if source == "neo4j":
        if paths:
            raise KGError("--from neo4j reads the database and takes no PATHS (use --from embedded to build them)")
        info = connection_from_env_or_server(neo4j_uri, neo4j_user, neo4j_password)
        graph = read_graph(info)
    else:
        if not paths:
            raise KGError("--from embedded needs PATHS of articles to build the graph from")
        graph, report = open_graph(paths, gazetteers, workers)
        if not report.articles:
            raise KGError("no article could be read from the given paths: nothing to export")
    write_rdf(graph, out, fmt, base_iri or DEFAULT_BASE)


__all__ = ["export_cmd", "load_cmd", "neo4j_cli", "query_cmd"]
