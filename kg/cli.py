"""The `kg` command: a thin layer over ``kg.pipeline`` and friends.

Errors of the package (``KGError``) become one plain line on stderr at this boundary.
Exit codes: 0 success, 1 an error the message explains, 2 a usage error.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from tqdm import tqdm

from kg.errors import KGError
from kg.export.rdf import DEFAULT_BASE
from kg.model import Skipped

EXIT_ERROR = 1
EXIT_USAGE = 2


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="arabic-diplomacy-kg")
def cli() -> None:
    """Knowledge graphs of actors, bodies, meetings and resolutions from Arabic news."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for triples.jsonl, graph.ttl and graph.html.")
@click.option("--gazetteer", "gazetteers", multiple=True, type=click.Path(file_okay=False, path_type=Path),
              help="An extra folder of gazetteer *.json files (repeatable).")
@click.option("--base-iri", default=DEFAULT_BASE, show_default=True, help="Base IRI of the Turtle export.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
def build(paths: tuple[Path, ...], out_dir: Path, gazetteers: tuple[Path, ...], base_iri: str, quiet: bool) -> None:
    """Build the merged graph of PATHS (.txt, .jsonl[.gz], .html files or folders) into --out."""
    from kg.pipeline import build as run_build

    bar = tqdm(unit=" articles", disable=quiet, file=sys.stderr, dynamic_ncols=True)

    def on_article(item: object) -> None:
        bar.update(1)
        if isinstance(item, Skipped) and not quiet:
            bar.write(f"skipped {item}", file=sys.stderr)

    try:
        _, report = run_build(paths, out_dir, gazetteers, base_iri, on_article)
    finally:
        bar.close()
    if quiet:
        return
    click.echo(f"articles: {report.articles}")
    click.echo(f"entities: {sum(report.entities_by_type.values())}  " + _counts(report.entities_by_type))
    click.echo(f"relations: {sum(report.relations_by_predicate.values())}  " + _counts(report.relations_by_predicate))
    click.echo(f"skipped: {len(report.skipped)}")
    reasons: dict[str, int] = {}
    for item in report.skipped:
        reason = item.reason.split(":")[0].split("(")[0].strip()
        reasons[reason] = reasons.get(reason, 0) + 1
    for reason, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])):
        click.echo(f"  {n:6d}  {reason}")
    for kind, path in report.outputs.items():
        click.echo(f"wrote {kind}: {path}")


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


def _register_neo4j_commands() -> None:
    from kg.neo4j.cli import export_cmd, load_cmd, neo4j_cli, query_cmd

    cli.add_command(neo4j_cli)
    cli.add_command(load_cmd)
    cli.add_command(query_cmd)
    cli.add_command(export_cmd)


_register_neo4j_commands()


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in counts.items())


def main(argv: list[str] | None = None) -> int:
    """Entry point: runs the command and turns every expected failure into one line."""
    try:
        cli.main(args=argv, prog_name="kg", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("kg: interrupted", err=True)
        return EXIT_ERROR
    except click.ClickException as err:
        err.show()
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
