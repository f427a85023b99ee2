"""Which part of the graph `kg viz` draws: all of it, the neighbourhood of one entity, or what a query returns.

Every selection is a :class:`KnowledgeGraph` holding the chosen entities, the relations among them
(the induced subgraph, so no edge is left dangling) and the articles they are mentioned in, so the
page's tooltips keep their dates and sources. :func:`focus` then trims a selection to what a browser
draws well (:class:`Limits`) and records what it left out, so the page and the command can say so.
The page itself is written by :mod:`kg.export.html`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kg.errors import KGError
from kg.graph import KnowledgeGraph, search_keys
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
                   if folded in search_keys(node, data["name"], data["aliases"], data["wikidata"]))
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


# Above a few hundred nodes a whole-archive page is a dot cloud whose labels pile up, and vis-network's
# layout and redraws slow down: the default page keeps the most connected entities and says so.
DEFAULT_MAX_NODES = 400
HOW_TO_SEE_MORE = ("kg viz … --around NAME (one entity's neighbourhood), --type TYPE, --min-degree N, "
                   "--max-nodes N (0: no limit)")


@dataclass(frozen=True)
class Limits:
    """What a page draws: entity types (empty: all), a minimum number of stated facts, at most so many nodes.

    ``min_degree`` 1 leaves out the names that carry no fact, most of what an archive yields;
    ``max_nodes`` 0 draws every entity left.
    """

    max_nodes: int = DEFAULT_MAX_NODES
    min_degree: int = 1
    types: tuple[str, ...] = ()


@dataclass
class View:
    """The part of a graph a page draws, the facts count (degree) of each drawn entity, and what was left out."""

    graph: KnowledgeGraph
    degree: dict[str, int]
    total: int  # entities in the graph the view was chosen from
    left_out: list[tuple[int, str]] = field(default_factory=list)  # (how many, why), in the order applied

    def summary(self) -> str:
        """One line for stderr and the page: what is drawn, what was left out and why, or that nothing was."""
        drawn = f"{len(self.degree)} of {self.total} entities drawn"
        if not self.left_out:
            return drawn
        reasons = "; ".join(f"{n} {why}" for n, why in self.left_out)
        return f"{drawn}; left out: {reasons}. To see more: {HOW_TO_SEE_MORE}"


def focus(graph: KnowledgeGraph, limits: Limits | None = None, keep: Iterable[str] = ()) -> View:
    """The entities of ``graph`` within ``limits``, ranked by stated facts (ties by id, so pages are stable).

    ``keep`` (the entity a page is drawn around) is drawn whatever the limits say. Degree is counted in
    ``graph``: for a neighbourhood, the facts within it.
    """
    limits = limits or Limits()
    kept = set(keep)
    degree = {node: graph.facts(node) for node, _ in graph.entities()}
    left_out: list[tuple[int, str]] = []
    chosen = list(degree)

    def apply(wanted: Iterable[str], why: str) -> None:
        nonlocal chosen
        wanted_set = set(wanted) | (kept & set(chosen))
        dropped = len(chosen) - len(wanted_set)
        if dropped:
            left_out.append((dropped, why))
        chosen = [node for node in chosen if node in wanted_set]

    if limits.types:
        types = set(limits.types)
        apply((n for n in chosen if graph.g.nodes[n]["type"] in types), f"not of type {', '.join(limits.types)}")
    if limits.min_degree > 0:
        why = "with no stated fact" if limits.min_degree == 1 else f"with fewer than {limits.min_degree} facts"
        apply((n for n in chosen if degree[n] >= limits.min_degree), why)
    if limits.max_nodes and len(chosen) > limits.max_nodes:
        ranked = sorted((n for n in chosen if n not in kept), key=lambda n: (-degree[n], n))
        room = max(0, limits.max_nodes - len(kept & set(chosen)))
        apply(ranked[:room], f"beyond the {limits.max_nodes} most connected (--max-nodes)")
    if len(chosen) == len(degree):
        return View(graph, degree, len(degree))
    return View(subgraph(graph, chosen), {n: degree[n] for n in chosen}, len(degree), left_out)


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


__all__ = ["DEFAULT_MAX_NODES", "Limits", "SelectionError", "View", "around", "find_entities", "focus", "from_rows",
           "query_subgraph", "subgraph"]
