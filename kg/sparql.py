"""The SPARQL twins of the named Cypher queries (``queries/*.sparql``), run on an RDF export.

A twin answers the same question as its Cypher namesake over the RDF export instead of Neo4j,
with the same columns. SPARQL has no list values, so list columns are ``GROUP_CONCAT``-ed with a
tab and named in the header's ``# lists:`` line; `run_sparql` splits them back into lists.
Parameters (``$state``) are bound the way Jena's ParameterizedSparqlString binds them: each is
written into the query as one RDF literal by Oxigraph's own serialiser, which escapes it, so a
value can never change the query's structure. `run_sparql_text` runs any other query the same way
(`kg sparql --query FILE`). (Oxigraph's ``substitutions`` would be cleaner, but
it only binds variables of the outer projection, and the twins use parameters inside subqueries.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import KGError
from kg.export.rdf import FORMATS, guess_format
from kg.neo4j.queries import NamedQuery, QueryError, QueryResult, bind_params, load_query

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_OX_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
               "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}
_NUMBERS = {"http://www.w3.org/2001/XMLSchema#integer": int, "http://www.w3.org/2001/XMLSchema#decimal": Decimal,
            "http://www.w3.org/2001/XMLSchema#double": float, "http://www.w3.org/2001/XMLSchema#boolean": None}


def open_store(path: str | Path, fmt: str | None = None) -> ox.Store:
    """An in-memory Oxigraph store holding an export (datasets: all graphs, queried as their union)."""
    path = Path(path)
    fmt = fmt or guess_format(path)
    if fmt not in FORMATS:
        raise KGError(f"unknown RDF format {fmt!r}: choose one of {', '.join(FORMATS)}")
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=_OX_FORMATS[fmt])
    except (SyntaxError, ValueError, OSError, MemoryError) as err:  # MemoryError: a term over 16 MiB
        raise KGError(f"{path}: cannot load it as {fmt} ({str(err).splitlines()[0][:200]})") from err
    return store


def _python(term: Any) -> Any:
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        convert = _NUMBERS.get(term.datatype.value, str)
        if convert is None:
            return term.value == "true"
        return float(term.value) if convert is Decimal else convert(term.value)
    return term.value


def _term(value: Any) -> ox.Literal:
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
    if isinstance(value, int | float):
        return ox.Literal(str(value), datatype=ox.NamedNode(
            "http://www.w3.org/2001/XMLSchema#" + ("integer" if isinstance(value, int) else "double")))
    return ox.Literal(str(value))


def run_sparql(query: NamedQuery | str, store: ox.Store, params: Mapping[str, Any] | None = None) -> QueryResult:
    """Run a named SPARQL query on ``store``; rows as dicts in column order, list columns as lists."""
    if isinstance(query, str):
        query = load_query(query, "sparql")
    return run_sparql_text(query.text, store, bind_params(query, params or {}), query.lists,
                           f"queries/{query.name}.sparql")


def run_sparql_text(text: str, store: ox.Store, params: Mapping[str, Any] | None = None, lists: Iterable[str] = (),
                    where: str = "the query") -> QueryResult:
    """Run any read-only SPARQL (SELECT, ASK, CONSTRUCT, DESCRIBE): ``$name`` is bound to ``params[name]`` as
    one escaped literal; a ``$name`` not given stays the SPARQL variable it also is. An ASK answers in one
    ``ask`` column, a CONSTRUCT or DESCRIBE in ``subject``, ``predicate``, ``object`` rows. Updates are not
    run: Oxigraph's query parser does not take them."""
    params = params or {}
    text = _PARAM.sub(lambda m: str(_term(params[m.group(1)])) if m.group(1) in params else m.group(), text)
    try:
        solutions = store.query(text, use_default_graph_as_union=True)
    except (SyntaxError, ValueError, OSError) as err:
        raise QueryError(f"{where}: {str(err).splitlines()[0][:300]}") from err
    if isinstance(solutions, ox.QueryBoolean):
        return QueryResult(["ask"], [{"ask": bool(solutions)}])
    if isinstance(solutions, ox.QueryTriples):
        columns = ["subject", "predicate", "object"]
        return QueryResult(columns, [{c: _python(getattr(t, c)) for c in columns} for t in solutions])
    columns = [v.value for v in solutions.variables]
    rows = []
    for solution in solutions:
        row = {c: _python(solution[c]) for c in columns}
        for c in lists:
            row[c] = [item for item in (row[c] or "").split("\t") if item]
        rows.append(row)
    return QueryResult(columns, rows)
