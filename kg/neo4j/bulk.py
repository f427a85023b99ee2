"""First bulk load: the graph as CSV for ``neo4j-admin database import full``.

:func:`kg.neo4j.writer.load_graph` writes through transactions, which is what later loads need
(they merge into what is there), but a first load of an archive into an empty database can skip the
transaction machinery: ``neo4j-admin database import full`` writes the store files straight from
CSV. This module writes those files from the very rows :func:`~kg.neo4j.writer.iter_batches` gives
the transactional writer, so both paths produce the same nodes, labels, relationships and properties
(tested by comparing the two databases), and imports them into the bundled server.

CSV, as the import tool reads it:

* One file per *shape* of row: the tool takes one header per file, with one type per column, while
  entities carry attributes of their own and a relationship's role is a string or, rarely, a list.
  Rows with the same labels or type and the same typed columns share a file.
* Arrays are split on U+001F (the unit separator), which article text does not use. Every string
  is quoted, so an empty string stays an empty string.
* What CSV cannot carry exactly, an empty array or an array with a U+001F inside a value, is left
  out of the file and set by a query once the server runs ("deferred"), so nothing is lost.
"""

from __future__ import annotations

import csv
import re
import subprocess
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from kg.errors import Neo4jError
from kg.graph import KnowledgeGraph
from kg.neo4j.server import Neo4jServer, open_driver
from kg.neo4j.writer import (
    ARTICLE_LABEL,
    ARTICLES,
    ENTITIES,
    ENTITY_LABEL,
    MENTIONED_IN,
    MENTIONS,
    apply_schema,
    iter_batches,
    merge_relation,
)

ARRAY_DELIMITER = "\x1f"
_IMPORTED = re.compile(r"Imported:\s+(\d+) nodes\s+(\d+) relationships", re.MULTILINE)


@dataclass
class ImportFiles:
    """The CSV files of one graph, and the properties they cannot carry (set after the import)."""

    folder: Path
    nodes: list[Path] = field(default_factory=list)
    relationships: list[Path] = field(default_factory=list)
    # Entity or Article → [{"id", "props"}]
    deferred_nodes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # the end node's label → [{"s", "o", "type", "key", "props"}]
    deferred_relationships: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


@dataclass
class ImportStats:
    nodes: int
    relationships: int
    seconds: float


def _csv_type(value: Any) -> str | None:
    """The import tool's type of a value (``string``, ``long[]``…); None for an empty list."""
    if isinstance(value, list | tuple):
        if not value:
            return None
        kinds = {_csv_type(v) for v in value}
        return f"{kinds.pop()}[]" if len(kinds) == 1 else "string[]"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    return "string"


def _cell(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ARRAY_DELIMITER.join(_cell(v) for v in value)
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _fits_csv(value: Any) -> bool:
    if isinstance(value, list | tuple):
        return bool(value) and not any(isinstance(v, str) and ARRAY_DELIMITER in v for v in value)
    return True


class _Files:
    """One CSV writer per header, opened when its first row comes."""

    def __init__(self, folder: Path, prefix: str, stack: ExitStack, into: list[Path]) -> None:
        self.folder, self.prefix, self.stack, self.into = folder, prefix, stack, into
        self.writers: dict[tuple[str, ...], Any] = {}

    def write(self, header: tuple[str, ...], cells: list[str]) -> None:
        writer = self.writers.get(header)
        if writer is None:
            path = self.folder / f"{self.prefix}-{len(self.writers) + 1:03d}.csv"
            handle: IO[str] = self.stack.enter_context(path.open("w", encoding="utf-8", newline=""))
            writer = self.writers[header] = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n")
            writer.writerow(header)
            self.into.append(path)
        writer.writerow(cells)


def _split(props: dict[str, Any]) -> tuple[list[tuple[str, str, Any]], dict[str, Any]]:
    """(the (property, type, value) columns CSV carries, in name order; the properties it cannot)."""
    columns: list[tuple[str, str, Any]] = []
    deferred: dict[str, Any] = {}
    for name in sorted(props):
        value = props[name]
        if value is None:
            continue
        if _fits_csv(value):
            columns.append((name, _csv_type(value), value))
        else:
            deferred[name] = value
    return columns, deferred


def write_import_csv(graph: KnowledgeGraph, folder: Path | str) -> ImportFiles:
    """Write ``graph`` as CSV files for ``neo4j-admin database import full`` into ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    files = ImportFiles(folder)
    with ExitStack() as stack:
        nodes = _Files(folder, "nodes", stack, files.nodes)
        facts = _Files(folder, "relationships", stack, files.relationships)
        for kind, rows in iter_batches(graph):
            if kind in (ENTITIES, ARTICLES):
                id_space = ENTITY_LABEL if kind == ENTITIES else ARTICLE_LABEL
                for row in rows:
                    labels = [ENTITY_LABEL, row["type"]] if kind == ENTITIES else [ARTICLE_LABEL]
                    columns, deferred = _split({k: v for k, v in row.items() if k != "id"})
                    if deferred:
                        files.deferred_nodes.setdefault(id_space, []).append({"id": row["id"], "props": deferred})
                    header = (f"id:ID({id_space})", ":LABEL", *(f"{n}:{t}" for n, t, _ in columns))
                    nodes.write(header, [row["id"], _cell(labels), *(_cell(v) for _, _, v in columns)])
            elif kind == MENTIONS:
                header = (f":START_ID({ENTITY_LABEL})", f":END_ID({ARTICLE_LABEL})", ":TYPE", "key:string")
                for s, key, targets in rows:
                    for o in targets:
                        facts.write(header, [s, o, MENTIONED_IN, _cell(key)])
            else:
                for row in rows:
                    columns, deferred = _split(merge_relation(None, row))
                    end = ARTICLE_LABEL if row["type"] == MENTIONED_IN else ENTITY_LABEL
                    if deferred:
                        files.deferred_relationships.setdefault(end, []).append(
                            {"s": row["s"], "o": row["o"], "type": row["type"], "key": row["key"], "props": deferred})
                    header = (f":START_ID({ENTITY_LABEL})", f":END_ID({end})", ":TYPE",
                              *(f"{n}:{t}" for n, t, _ in columns))
                    facts.write(header, [row["s"], row["o"], row["type"], *(_cell(v) for _, _, v in columns)])
    return files


def import_command(files: ImportFiles, database: str = "neo4j", *, overwrite: bool = False) -> list[str]:
    """The arguments of ``neo4j-admin`` that import ``files`` (for a server elsewhere, too)."""
    args = ["database", "import", "full", database, f"--array-delimiter=U+{ord(ARRAY_DELIMITER):04X}",
            "--multiline-fields=true", "--id-type=string", "--report-file=" + str(files.folder / "import.report")]
    args += [f"--nodes={p}" for p in files.nodes] + [f"--relationships={p}" for p in files.relationships]
    if overwrite:
        args.append("--overwrite-destination=true")
    return args


def set_deferred(driver: Any, files: ImportFiles, database: str | None = None) -> int:
    """Set the properties the CSV could not carry; returns how many nodes and relationships got some."""
    done = 0
    for label, rows in files.deferred_nodes.items():  # label: Entity or Article, never data
        query = f"UNWIND $rows AS row MATCH (n:{label} {{id: row.id}}) SET n += row.props RETURN count(*) AS c"
        done += driver.execute_query(query, rows=rows, database_=database).records[0]["c"]
    for label, rows in files.deferred_relationships.items():
        query = (f"UNWIND $rows AS row MATCH (s:{ENTITY_LABEL} {{id: row.s}})-[r {{key: row.key}}]->"
                 f"(o:{label} {{id: row.o}}) WHERE type(r) = row.type SET r += row.props RETURN count(*) AS c")
        done += driver.execute_query(query, rows=rows, database_=database).records[0]["c"]
    return done


def check_stopped(server: Neo4jServer) -> None:
    """neo4j-admin imports only into a stopped database (and Community cannot stop just one)."""
    if server.status().running:
        raise Neo4jError(f"the Neo4j server of {server.home} is running: stop it first (kg neo4j stop); "
                         "neo4j-admin imports only into a stopped database")


def import_graph(graph: KnowledgeGraph, server: Neo4jServer, *, overwrite: bool = False,
                 csv_dir: Path | str | None = None) -> ImportStats:
    """Import ``graph`` into the stopped bundled ``server`` with ``neo4j-admin``, then start it,
    create the schema and set the deferred properties. Its database must be empty unless ``overwrite``."""
    check_stopped(server)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="kg-import-") as tmp:
        files = write_import_csv(graph, csv_dir or tmp)
        proc = server.run_admin(import_command(files, overwrite=overwrite))
        if proc.returncode != 0:
            raise Neo4jError(f"neo4j-admin database import failed: {_admin_error(proc)}")
        found = _IMPORTED.search(proc.stdout)
        driver = open_driver(server.start(), notifications_min_severity="OFF")
        try:
            apply_schema(driver)
            expected = sum(len(rows) for part in (files.deferred_nodes, files.deferred_relationships)
                           for rows in part.values())
            if (done := set_deferred(driver, files)) != expected:
                raise Neo4jError(f"set the properties CSV cannot carry on {done} of {expected} nodes and "
                                 "relationships after the import")
        finally:
            driver.close()
    if found is None:
        raise Neo4jError("neo4j-admin database import ended without its summary of what it imported")
    return ImportStats(int(found[1]), int(found[2]), time.monotonic() - started)


def _admin_error(proc: subprocess.CompletedProcess[str]) -> str:
    """The tool's own reason, e.g. that the database exists and --overwrite was not given."""
    lines = [line.strip() for line in (proc.stderr + "\n" + proc.stdout).splitlines() if line.strip()]
    useful = [line for line in lines if not line.startswith(("at ", "..", "Caused by"))]
    return (useful or ["no output"])[0][:300]


__all__ = [
    "ImportFiles",
    "ImportStats",
    "check_stopped",
    "import_command",
    "import_graph",
    "set_deferred",
    "write_import_csv",
]
