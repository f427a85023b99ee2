"""Which part of the graph `kg viz` draws: all of it, the neighbourhood of one entity, or what a query returns.

Every selection is a :class:`KnowledgeGraph` holding the chosen entities, the relations among them
(the induced subgraph, so no edge is left dangling) and the articles they are mentioned in, so the
page's tooltips keep their dates and sources. The page itself is written by :mod:`kg.export.html`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from kg.errors import KGError
from kg.graph import KnowledgeGraph
from kg.text import normalize

if TYPE_CHECKING:  # the Neo4j modules load the driver; whole-graph and --around pages do not need it
    from kg.neo4j.queries import NamedQuery
    from kg.neo4j.server import ConnectionInfo


class SelectionError(KGError):
    """The entity to draw around is unknown, or a query returned no entity of the graph."""


def _keys(node: str, data: dict[str, Any]) -> Iterator[str]:
    yield node
    yield data["name"]
    yield from data["aliases"]
    if data["wikidata"]:
        yield data["wikidata"]


def find_entities(graph: KnowledgeGraph, name: str) -> list[str]:
    """The ids of the entities whose id, Wikidata QID, name or alias is ``name``.

    An exact match wins; otherwise the Arabic-normalised forms are compared (hamza, ta marbuta,
    diacritics), because users type names the way they write them, not the way the article did.
    Several entities can share an alias (two persons called «العتيبي»): all of them are returned.
    """
    wanted = name.strip()
    exact = sorted(node for node, data in graph.entities() if wanted in _keys(node, data))
    if exact:
        return exact
    folded = normalize(wanted)
    loose = sorted(node for node, data in graph.entities()
                   if any(normalize(key) == folded for key in _keys(node, data)))
    if loose:
        return loose
    raise SelectionError(f"no entity named {name!r} in the graph: give an entity's name, alias, id or "
                         "Wikidata QID (`kg query entity_facts --param entity=…` lists what Neo4j knows)")


def subgraph(graph: KnowledgeGraph, entities: Iterable[str]) -> KnowledgeGraph:
    """The induced subgraph on ``entities`` plus the articles they are mentioned in."""
    keep = set(entities)
    nodes = set(keep)
    for node in keep:
        nodes.update(o for _, o, data in graph.g.out_edges(node, data=True) if data["predicate"] == "MENTIONED_IN")
    sub = KnowledgeGraph()
    sub.g = graph.g.subgraph(nodes).copy()
    return sub


def around(graph: KnowledgeGraph, name: str, depth: int) -> KnowledgeGraph:
    """The entities at most ``depth`` stated facts away from the entity called ``name`` (either direction).

    Articles are not stepped through: every entity of an article is "mentioned in" it, so walking
    through them would reach most of the graph in two steps and say nothing about relations.
    """
    if depth < 0:
        raise SelectionError(f"--depth {depth}: give 0 (the entity alone) or more steps")
    frontier = set(find_entities(graph, name))
    seen = set(frontier)
    for _ in range(depth):
        step = set()
        for node in frontier:
            for s, o, data in [*graph.g.out_edges(node, data=True), *graph.g.in_edges(node, data=True)]:
                if data["predicate"] != "MENTIONED_IN":
                    step.add(o if s == node else s)
        frontier = step - seen
        if not frontier:
            break
        seen |= frontier
    return subgraph(graph, seen)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)


def from_rows(graph: KnowledgeGraph, rows: Iterable[dict[str, Any]], query: str = "the query") -> KnowledgeGraph:
    """The entities a query's rows name (by id, name or alias, in any column or list), with the relations among them.

    The named queries return tables of names and ids rather than nodes, so that they read well on the
    command line; matching every string they return against the graph turns such a table back
    into the part of the graph it is about.
    """
    values = {v for row in rows for cell in row.values() for v in _strings(cell)}
    chosen = [node for node, data in graph.entities() if any(key in values for key in _keys(node, data))]
    if not chosen:
        raise SelectionError(f"{query} returned no entity of the graph: check its --param values "
                             "(`kg query --list` shows what each query expects)")
    return subgraph(graph, chosen)


def query_subgraph(query: NamedQuery | str, params: dict[str, Any], info: ConnectionInfo) -> KnowledgeGraph:
    """Run a named query on Neo4j and return the subgraph, of the graph stored there, that its rows name."""
    from kg.neo4j.queries import load_query, run_query
    from kg.neo4j.writer import read_graph

    if isinstance(query, str):
        query = load_query(query)
    result = run_query(query, info, params)
    return from_rows(read_graph(info), result.rows, f"query {query.name}")


__all__ = ["SelectionError", "around", "find_entities", "from_rows", "query_subgraph", "subgraph"]
