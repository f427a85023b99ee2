"""What every `kg` command shares: verbosity, progress bars, the options several commands take, and opening a graph.

Both :mod:`kg.cli` and :mod:`kg.neo4j.cli` import from here, and neither imports the other's helpers, so there
is no import cycle between the two command modules.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from tqdm import tqdm

from kg.errors import KGError
from kg.model import Skipped

if TYPE_CHECKING:  # the pipeline loads the extractor; `kg neo4j status` and `kg query` need none of it
    from kg.graph import KnowledgeGraph
    from kg.pipeline import BuildReport

QUIET, NORMAL, VERBOSE = -1, 0, 1


def verbosity() -> int:
    """QUIET, NORMAL or VERBOSE as chosen on the `kg` group; NORMAL when a command runs on its own."""
    ctx = click.get_current_context(silent=True)
    level = ctx.find_root().obj if ctx else None
    return level if isinstance(level, int) else NORMAL


def article_progress(quiet: bool = False) -> tuple[tqdm, Callable[[object], None]]:
    """A progress bar over articles and the callback that advances it.

    Skipped files are always named (they are what a user has to fix); verbose also names each input
    file as reading moves on to it. ``quiet`` is a command's own --quiet, which wins over the group.
    """
    level = QUIET if quiet else verbosity()
    bar = tqdm(unit=" articles", disable=level == QUIET, file=sys.stderr, dynamic_ncols=True)
    current = {"path": ""}

    def on_article(item: object) -> None:
        bar.update(1)
        if level == QUIET:
            return
        if isinstance(item, Skipped):
            bar.write(f"skipped {item}", file=sys.stderr)
        elif level == VERBOSE and getattr(item, "path", "") != current["path"]:
            current["path"] = item.path  # type: ignore[attr-defined]
            bar.write(f"reading {item.path}", file=sys.stderr)  # type: ignore[attr-defined]

    return bar, on_article


def open_graph(paths: tuple[Path, ...], gazetteers: tuple[Path, ...], workers: int | None,
               quiet: bool = False) -> tuple[KnowledgeGraph, BuildReport]:
    """The graph of PATHS behind a progress bar (for load, import, export and viz): reread from a built output
    folder or its triples.jsonl, or else extracted from the articles."""
    from kg.gazetteer import load_gazetteer
    from kg.parallel import workers_for
    from kg.pipeline import build_graph, built_output, read_built

    built = [b for b in map(built_output, paths) if b]
    if built and len(paths) > 1:
        raise KGError(f"{built[0]} is a built graph: give it alone (one output of `kg build`), not with other paths")
    started = time.perf_counter()
    if built:
        graph, report = read_built(built[0])
        what = "reread"
        if not quiet and verbosity() != QUIET:
            for item in report.skipped:
                click.echo(f"skipped {item}", err=True)
    else:
        bar, on_article = article_progress(quiet)
        try:
            graph, report = build_graph(paths, load_gazetteer(gazetteers), on_article,
                                        workers=workers or workers_for(paths))
        finally:
            bar.close()
        what = "built"
    if verbosity() == VERBOSE and not quiet:
        click.echo(f"{what} the graph of {report.articles} articles in {time.perf_counter() - started:.1f} s",
                   err=True)
    return graph, report


def check_base_iri(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """Checks --base-iri before any work, so a typo is a usage error and not a failure after the build."""
    from kg.export.rdf import check_base_iri as check

    try:
        return value if value is None else check(value)
    except KGError as err:
        raise click.BadParameter(str(err).removeprefix("--base-iri ")) from err


def workers_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """--workers, with one default for every command that extracts (see `kg.parallel.workers_for`)."""
    return click.option("--workers", type=click.IntRange(min=1), default=None,
                        help="Extraction processes (default: the cores available, one for a few small files); "
                             "the output does not depend on it.")(func)


def gazetteer_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """--gazetteer, repeatable."""
    return click.option("--gazetteer", "gazetteers", multiple=True, type=click.Path(file_okay=False, path_type=Path),
                        help="An extra folder of gazetteer *.json files (repeatable; when extracting).")(func)


def connection_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--neo4j-uri / --neo4j-user / --neo4j-password (env NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD)."""
    func = click.option("--neo4j-password", envvar="NEO4J_PASSWORD", default=None, show_envvar=True,
                        help="Password (default: the bundled server's own).")(func)
    func = click.option("--neo4j-user", envvar="NEO4J_USER", default=None, show_envvar=True,
                        help="User name (default neo4j).")(func)
    return click.option("--neo4j-uri", envvar="NEO4J_URI", default=None, show_envvar=True,
                        help="Bolt URI (default: the server started with `kg neo4j start`).")(func)


def rows_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--format and --bom/--no-bom, for the commands that print query rows (`kg query`, `kg sparql`)."""
    func = click.option("--bom/--no-bom", default=True, show_default=True,
                        help="With --format csv: start with a UTF-8 byte order mark, so that spreadsheet programs "
                             "read the Arabic right.")(func)
    return click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
                        show_default=True, help="table for reading, json or csv for other programs.")(func)


def read_query_file(path: Path) -> str:
    """The text of a --file/--query FILE, or one line saying why it cannot be used."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        raise KGError(f"{path}: not UTF-8 (byte {err.start}): save the query as UTF-8") from err
    except OSError as err:
        raise KGError(f"{path}: cannot read the query ({err.strerror or err})") from err
    if not text.strip():
        raise KGError(f"{path}: the query file is empty")
    return text
