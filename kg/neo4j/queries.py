"""The library of named Cypher queries (``queries/*.cypher``, package ``kg.queries``): list, run, format.

Each file starts with a header of comment lines::

    // name: represents_state
    // question: Who represents state X, in which roles and on which dates?
    // params: state (string) - the state's name, alias or id
    // params: limit (int, default 10) - how many rows

``params: none`` declares no parameter; several parameters may also share one line, separated by
``;``. Values given on the command line as ``key=value`` are converted to the declared type
(``string``, ``int``, ``float``, ``bool``, or ``entity``); undeclared parameters get integers auto-detected.
An ``entity`` parameter is a name as a user types it: besides ``$state`` the query gets ``$state_key``,
the name folded as `kg viz --around` folds it (:func:`kg.text.normalize`), to match against the nodes'
``search_keys``, so «الأمم المتحده» finds «الأمم المتحدة». Values always travel as query parameters,
never inside the query text; ad-hoc queries (`run_cypher`) run in a read transaction unless told to write.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from kg.errors import KGError, Neo4jError
from kg.neo4j.server import ConnectionInfo, open_driver
from kg.text import normalize

FORMATS = ("table", "json", "csv")
READ_ONLY_REFUSAL = "Neo.ClientError.Statement.AccessMode"  # the server's code for a write in a read transaction
_HEADER = re.compile(r"^\s*(?://|#)\s*(name|question|params|lists)\s*:\s*(.*?)\s*$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_]\w*)\s*\(\s*(?P<type>string|str|int|integer|float|bool|boolean|entity)"
    r"(?:\s*,\s*default\s+(?P<default>.*?))?\s*\)\s*(?:-\s*(?P<meaning>.*))?$"
)
_SPLIT = re.compile(r";\s*(?=[A-Za-z_]\w*\s*\()")  # ";" before the next "name ("
_TYPES = {"str": "string", "integer": "int", "boolean": "bool"}
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


class QueryError(KGError):
    """A named query is unknown, malformed, or was given missing, unknown or mistyped parameters."""


@dataclass(frozen=True)
class QueryParam:
    name: str
    type: str  # string | int | float | bool | entity
    meaning: str = ""
    default: Any = None
    required: bool = True


@dataclass(frozen=True)
class NamedQuery:
    name: str
    question: str
    params: tuple[QueryParam, ...]
    text: str
    lists: tuple[str, ...] = ()  # SPARQL: columns that GROUP_CONCAT joined with a tab, split back into lists


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)


# --------------------------------------------------------------------------- files


def _convert(value: Any, type_: str, where: str) -> Any:
    if type_ in ("string", "entity"):
        return value if isinstance(value, str) else str(value)
    text = str(value).strip()
    try:
        if type_ == "int":
            return int(text)
        if type_ == "float":
            return float(text)
    except ValueError:
        raise QueryError(f"{where}: {value!r} is not a{'n' if type_ == 'int' else ''} {type_}") from None
    if type_ == "bool":
        if isinstance(value, bool):
            return value
        low = text.lower()
        if low in ("true", "yes", "1", "on"):
            return True
        if low in ("false", "no", "0", "off"):
            return False
        raise QueryError(f"{where}: {value!r} is not a bool (true/false)")
    raise QueryError(f"{where}: unknown parameter type {type_!r}")


def _parse_default(raw: str, type_: str, where: str) -> Any:
    raw = raw.strip()
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'":
        raw = raw[1:-1]
    return _convert(raw, type_, where)


def parse_query(text: str, source: str = "<query>") -> NamedQuery:
    """Parse a query file's header (``//`` comments in Cypher, ``#`` in SPARQL); errors name the file."""
    name = question = None
    params: list[QueryParam] = []
    lists: tuple[str, ...] = ()
    saw_params = False
    for line in text.splitlines():
        if not line.strip():
            continue
        if not line.lstrip().startswith(("//", "#")):
            break  # the header ends at the first line of the query
        m = _HEADER.match(line)
        if not m:
            continue
        key, value = m.group(1), m.group(2)
        if key == "name":
            name = value
        elif key == "question":
            question = value
        elif key == "lists":
            lists = tuple(v.strip() for v in value.split(",") if v.strip())
        else:
            saw_params = True
            if value.lower() in ("", "none", "-"):
                continue
            for spec in (s.strip() for s in _SPLIT.split(value)):
                pm = _PARAM.match(spec)
                if not pm:
                    raise QueryError(
                        f"{source}: cannot read the parameter {spec!r} (expected: name (type[, default V]) - meaning)"
                    )
                type_ = _TYPES.get(pm.group("type"), pm.group("type"))
                default_raw = pm.group("default")
                where = f"{source}: default of {pm.group('name')}"
                params.append(
                    QueryParam(
                        pm.group("name"),
                        type_,
                        (pm.group("meaning") or "").strip(),
                        None if default_raw is None else _parse_default(default_raw, type_, where),
                        default_raw is None,
                    )
                )
    if not name or not question or not saw_params:
        raise QueryError(f"{source}: the header needs 'name:', 'question:' and 'params:' comment lines")
    return NamedQuery(name, question, tuple(params), text, lists)


def list_queries(language: str = "cypher") -> list[NamedQuery]:
    """Every packaged query in ``language`` (``cypher`` or ``sparql``), sorted by name."""
    folder = resources.files("kg.queries")
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith("." + language):
            found.append(parse_query(entry.read_text(encoding="utf-8"), f"queries/{entry.name}"))
    return sorted(found, key=lambda q: q.name)


def load_query(name: str, language: str = "cypher") -> NamedQuery:
    queries = {q.name: q for q in list_queries(language)}
    if name not in queries:
        raise QueryError(f"no {language} query named {name!r}; available: {', '.join(sorted(queries))}")
    return queries[name]


# --------------------------------------------------------------------------- parameters


def parse_param_pairs(pairs: Iterable[str]) -> dict[str, Any]:
    """``["state=الكويت", "limit=5"]`` -> ``{"state": "الكويت", "limit": 5}`` (integers auto-converted)."""
    out: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise QueryError(f"--param {pair!r}: expected key=value")
        out[key] = int(value) if re.fullmatch(r"[+-]?\d+", value.strip()) else value
    return out


def bind_params(query: NamedQuery, given: Mapping[str, Any]) -> dict[str, Any]:
    """The declared parameters, converted to their types, defaults filled in; errors name the query."""
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(given) - set(declared))
    if unknown:
        accepted = ", ".join(declared) or "none"
        raise QueryError(f"query {query.name} takes no parameter {', '.join(unknown)} (parameters: {accepted})")
    bound: dict[str, Any] = {}
    for p in query.params:
        if p.name in given:
            bound[p.name] = _convert(given[p.name], p.type, f"query {query.name}, parameter {p.name}")
        elif p.required:
            raise QueryError(
                f"query {query.name} needs --param {p.name}=… ({p.type}{': ' + p.meaning if p.meaning else ''})"
            )
        else:
            bound[p.name] = p.default
        if p.type == "entity":
            bound[p.name + "_key"] = normalize(bound[p.name].strip())
    return bound


# --------------------------------------------------------------------------- running


def _plain(value: Any) -> Any:
    """Neo4j values as JSON-ready Python values."""
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if hasattr(value, "iso_format"):
        return value.iso_format()
    if hasattr(value, "element_id"):  # a node or relationship slipped through: its properties
        return {k: _plain(v) for k, v in dict(value).items()}
    return str(value)


def run_query(
    query: NamedQuery | str,
    info: ConnectionInfo,
    params: Mapping[str, Any] | None = None,
    *,
    database: str | None = None,
) -> QueryResult:
    """Run a named query (read transaction) with bound parameters; rows as dicts in column order."""
    if isinstance(query, str):
        query = load_query(query)
    return run_cypher(query.text, info, bind_params(query, params or {}), database=database,
                      what=f"query {query.name}")


def run_cypher(
    text: str,
    info: ConnectionInfo,
    params: Mapping[str, Any] | None = None,
    *,
    write: bool = False,
    database: str | None = None,
    what: str = "the query",
) -> QueryResult:
    """Run any Cypher, in a read transaction unless ``write``: the server itself refuses a write in one
    (access mode READ), so an ad-hoc question can never change the database by accident."""
    from neo4j import exceptions as nx

    driver = open_driver(info, notifications_min_severity="OFF")
    try:
        with driver.session(database=database) as session:

            def work(tx: Any) -> QueryResult:
                result = tx.run(text, dict(params or {}))
                columns = list(result.keys())
                rows = [{c: _plain(rec[c]) for c in columns} for rec in result]
                return QueryResult(columns, rows)

            try:
                return session.execute_write(work) if write else session.execute_read(work)
            except (nx.Neo4jError, nx.DriverError, OSError) as exc:
                if getattr(exc, "code", "") == READ_ONLY_REFUSAL:
                    raise QueryError(f"{what} writes to the database, and queries run read-only: "
                                     "give --write to let it write") from exc
                msg = (getattr(exc, "message", None) or str(exc)).splitlines()[0]
                raise Neo4jError(f"{what} failed on {info.uri}: {msg}") from exc
    finally:
        driver.close()


# --------------------------------------------------------------------------- formatting


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value).replace("\n", " ")


def _width(text: str) -> int:
    """Display width: combining marks (Arabic harakat) take no column, wide East Asian take two."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) == "Cf":
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_table(result: QueryResult, max_width: int = 60) -> str:
    def clip(text: str) -> str:
        return text if _width(text) <= max_width else text[: max_width - 1] + "…"

    header = list(result.columns)
    body = [[clip(_cell(row.get(c))) for c in header] for row in result.rows]
    widths = [max([_width(h)] + [_width(r[i]) for r in body]) for i, h in enumerate(header)]
    lines = [
        "  ".join(_pad(h, w) for h, w in zip(header, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(_pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip() for r in body]
    lines.append(f"({len(body)} row{'s' if len(body) != 1 else ''})")
    return "\n".join(lines) + "\n"


def format_json(result: QueryResult) -> str:
    return json.dumps(result.rows, ensure_ascii=False, indent=2) + "\n"


def _sheet_cell(value: Any) -> str:
    """A cell a spreadsheet shows as text: article text that starts like a formula (``=HYPERLINK(…)``, ``+``,
    ``-``, ``@``) is prefixed with an apostrophe, the OWASP advice against CSV injection; numbers are left as
    they are."""
    cell = _cell(value)
    if isinstance(value, str) and cell[:1] in ("=", "+", "-", "@") and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def format_csv(result: QueryResult, bom: bool = True) -> str:
    """CSV that a spreadsheet program opens right: a UTF-8 byte order mark first (without it Excel reads the
    Arabic as Windows-1252), and no cell that runs as a formula. ``bom=False`` for programs that do not skip
    the mark."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(result.columns)
    for row in result.rows:
        writer.writerow([_sheet_cell(row.get(c)) for c in result.columns])
    return ("\ufeff" if bom else "") + buf.getvalue()


def format_result(result: QueryResult, fmt: str = "table", *, bom: bool = True) -> str:
    """The rows as a table to read, JSON, or CSV (with a byte order mark unless ``bom`` is False)."""
    if fmt == "table":
        return format_table(result)
    if fmt == "json":
        return format_json(result)
    if fmt == "csv":
        return format_csv(result, bom)
    raise QueryError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")


__all__ = [
    "FORMATS",
    "NamedQuery",
    "QueryError",
    "QueryParam",
    "QueryResult",
    "bind_params",
    "format_result",
    "list_queries",
    "load_query",
    "parse_param_pairs",
    "parse_query",
    "run_cypher",
    "run_query",
]
