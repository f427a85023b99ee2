"""Load a :class:`KnowledgeGraph` into Neo4j, idempotently, and read it back. Every Cypher write lives here.

Model in Neo4j
--------------
* An entity is a node with the label ``Entity`` plus one type label (``Person``, ``State`` …, from the
  fixed whitelist :data:`kg.model.ENTITY_TYPES`) and the properties ``id``, ``type``, ``name``,
  ``aliases`` (list), ``wikidata`` (absent when unknown), ``articles`` (list), ``search_keys`` (the
  Arabic-normalised id, name and aliases that named queries match a typed name against, see
  :func:`kg.graph.search_keys`) and its attributes flattened (``number``, ``year``, ``date`` …).
* An article is an ``Article`` node: ``id`` (the article id), ``name``, ``title``, ``date``, ``url``,
  ``source``, ``path``. Article text is never stored, and never part of any query string.
* A fact is a relationship whose type is its predicate (whitelist :data:`kg.model.PREDICATES`), with
  ``key`` (the graph's edge key, ``PREDICATE`` or ``PREDICATE|role``), ``role``, ``dates`` and the
  evidence as parallel, sorted lists ``articles``, ``sentences``, ``starts``, ``ends``, ``rules``,
  ``confidences``. Entities link to the articles naming them with ``MENTIONED_IN``.

Idempotency
-----------
The graph is already aggregated in Python (one row per node and relationship), and a load writes
each in one ``UNWIND $rows AS row … MERGE … ON CREATE SET`` query per batch, every MERGE an index
lookup. The same query returns the stored properties of the rows that already existed; only those
are merged in Python, with the same order-independent rules as :class:`KnowledgeGraph` (union of
aliases, articles and evidence; the fullest name; the smallest of two conflicting attribute
values), and written by a second query in the same transaction. A relationship one of whose
endpoints this load created cannot exist yet, so it is CREATEd rather than MERGEd (every
relationship, on a first load into an empty database; a retried transaction MERGEs all its rows).
Likewise, into a database that held no node when the load began, nodes are CREATEd (see
:func:`_nodes_tx`). A first load therefore never reads anything back, while loading a graph twice, in pieces, in
another order, or again after an interrupted load ends in the same database. Every batch returns
``count(*)``; a count that differs from the rows sent raises :class:`~kg.errors.Neo4jError` and
rolls the batch back.

Speed
-----
A batch holds rows of any entity type or predicate: the type label and the relationship type
travel in the row and reach Cypher as ``$(row.type)`` (Neo4j 5.26), after the check against the
whitelists, so the query text never holds data and the server plans a handful of queries instead
of one per label and type (a plan costs ~0.1 s, and the server re-plans after the statistics
change, e.g. into an emptied database), with no transaction of a few rows per rare predicate.
While the server writes one batch, a background thread builds the next ones, and the garbage
collector runs less often (the rows are acyclic, freed by reference counting, and a graph of
millions of objects made every full collection expensive).
"""

from __future__ import annotations

import queue
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent import futures
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from operator import itemgetter
from typing import Any

from kg.errors import Neo4jError
from kg.graph import KnowledgeGraph, _name_rank, article_node, search_keys
from kg.memory import bulk_gc
from kg.model import ENTITY_TYPES, PREDICATES, Evidence
from kg.neo4j.server import ConnectionInfo, open_driver

ENTITY_LABEL = "Entity"
ARTICLE_LABEL = "Article"
LOCK_LABEL = "KgLoadLock"  # never stored: see _load_lock
MENTIONED_IN = "MENTIONED_IN"
NODE_LABELS: tuple[str, ...] = ENTITY_TYPES
REL_TYPES: tuple[str, ...] = (*PREDICATES, MENTIONED_IN)

# Entity properties with a fixed meaning; any other property of an Entity node is an attribute.
NODE_FIELDS = ("id", "type", "name", "aliases", "wikidata", "articles", "search_keys")
ATTR_ESCAPE = "attr_"  # an attribute whose key collides with NODE_FIELDS is stored as attr_<key>
ARTICLE_FIELDS = ("name", "title", "date", "url", "source")
EVIDENCE_FIELDS = ("articles", "sentences", "starts", "ends", "rules", "confidences")
REL_FIELDS = ("key", "role", "dates", *EVIDENCE_FIELDS)
PROP_PREFIX = "prop_"  # a relationship property other than role/date is stored as prop_<name>

DEFAULT_BATCH_SIZE = 5000  # rows per transaction: few round trips, and far below what a 512 MB heap holds
WRITERS = 2  # sessions writing at once (see _Writers)
PREFETCH = 8  # batches built ahead of the writes: the server is the slower side, and memory stays bounded
_IDENT = re.compile(r"[A-Z][A-Za-z_]*")
_SURROGATE = re.compile("[\ud800-\udfff]")
# What a schema statement raises when a concurrent load has just created the same index or constraint.
_SCHEMA_RACE_CODES = frozenset({"Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists",
                                "Neo.ClientError.Schema.IndexAlreadyExists",
                                "Neo.ClientError.Schema.ConstraintAlreadyExists"})
_SCHEMA_NAME = re.compile(r"CREATE\s+(?:CONSTRAINT|INDEX)\s+(?P<name>\w+)\s+IF\s+NOT\s+EXISTS\b", re.IGNORECASE)

# The kinds of batch, in the order a load writes them: all nodes before any relationship.
ENTITIES, ARTICLES, RELATIONS, MENTIONS = "entities", "articles", "relations", "mentions"
Batch = tuple[str, list]  # (kind, rows); MENTIONS rows are [entity, key, [article, …]] groups


@dataclass
class LoadStats:
    """What one load wrote: rows per label and type, batches (transactions), time, final totals."""

    nodes: int = 0
    relationships: int = 0
    batches: int = 0
    seconds: float = 0.0
    nodes_by_label: dict[str, int] = field(default_factory=dict)
    relationships_by_type: dict[str, int] = field(default_factory=dict)
    db_nodes: int = 0
    db_relationships: int = 0
    phase: str = "connecting"  # what the load was doing, for the message should it fail


# --------------------------------------------------------------------------- schema


def schema_statements() -> list[str]:
    """The statements of ``schema/constraints.cypher`` (package ``kg.schema``), comments removed."""
    text = resources.files("kg.schema").joinpath("constraints.cypher").read_text(encoding="utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
    return [stmt.strip() for stmt in body.split(";") if stmt.strip()]


def apply_schema(driver: Any, database: str | None = None) -> int:
    """Create every constraint and index the database lacks (``IF NOT EXISTS`` all the same); returns
    how many statements ran. The names present are read first: each statement is a schema
    transaction of its own, and while batches are being built in another thread (the GIL) the
    fifteen of them took 0.4-0.9 s of every load, for nothing once the schema exists."""
    from neo4j import exceptions as nx

    present = {rec["name"] for show in ("SHOW CONSTRAINTS YIELD name", "SHOW INDEXES YIELD name")
               for rec in driver.execute_query(show, database_=database).records}
    ran = 0
    for stmt in schema_statements():
        named = _SCHEMA_NAME.match(stmt)
        if named is None or named["name"] not in present:
            try:
                driver.execute_query(stmt, database_=database)
            except nx.ClientError as exc:
                # another load created it since SHOW ran: IF NOT EXISTS does not cover that race
                if exc.code not in _SCHEMA_RACE_CODES:
                    raise
            ran += 1
    driver.execute_query("CALL db.awaitIndexes(300)", database_=database)
    return ran


# --------------------------------------------------------------------------- rows


def _clean_str(value: str) -> str:
    """A string as Bolt can carry it: a lone surrogate becomes U+FFFD, one for one. Most strings are
    ids (ASCII) or clean text, and the test before the substitution is a quarter of its cost."""
    if value.isascii() or not _SURROGATE.search(value):
        return value
    return _SURROGATE.sub("\ufffd", value)


def _clean(value: Any) -> Any:
    """:func:`_clean_str` on a string or on every string of a list or tuple (made a list)."""
    if isinstance(value, str):
        return _clean_str(value)
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def _check_ident(name: str, allowed: tuple[str, ...], what: str) -> str:
    if name not in allowed or not _IDENT.fullmatch(name):
        raise Neo4jError(f"cannot write {what} {name!r} to Neo4j: not one of {', '.join(allowed)}")
    return name


def _entity_row(node_id: str, data: dict[str, Any]) -> dict[str, Any]:
    """The properties of an entity node; ``node_id`` is already cleaned."""
    row: dict[str, Any] = {
        "id": node_id,
        "type": _check_ident(data["type"], NODE_LABELS, "entity type"),
        "name": _clean_str(data["name"]),
        "aliases": _clean(sorted(data.get("aliases", []))),
        "wikidata": data.get("wikidata") or None,
        "articles": _clean(sorted(data.get("articles", []))),
    }
    row["search_keys"] = search_keys(node_id, row["name"], row["aliases"], row["wikidata"])
    for key, value in (data.get("attrs") or {}).items():
        if value is None or value == "":
            continue
        prop = ATTR_ESCAPE + key if key in NODE_FIELDS or key.startswith(ATTR_ESCAPE) else key
        row[_clean_str(prop)] = _clean_str(str(value))
    return row


def _row_attrs(row: dict[str, Any]) -> dict[str, str]:
    return {k: v for k, v in row.items() if k not in NODE_FIELDS and v is not None}


def _attr_name(prop: str) -> str:
    return prop[len(ATTR_ESCAPE) :] if prop.startswith(ATTR_ESCAPE) else prop


def merge_entity(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    """Merge an entity's stored properties with a new row; the result never depends on load order."""
    if old is None:
        return dict(new)
    name = min(old["name"], new["name"], key=_name_rank)
    names = set(old.get("aliases") or []) | set(new["aliases"]) | {old["name"], new["name"]}
    wikis = [w for w in (old.get("wikidata"), new.get("wikidata")) if w]
    merged: dict[str, Any] = {
        "id": new["id"],
        "type": old.get("type") or new["type"],
        "name": name,
        "aliases": sorted(names - {name}),
        "wikidata": min(wikis) if wikis else None,
        "articles": sorted(set(old.get("articles") or []) | set(new["articles"])),
    }
    merged["search_keys"] = search_keys(merged["id"], name, merged["aliases"], merged["wikidata"])
    old_attrs, new_attrs = _row_attrs(old), _row_attrs(new)
    for key in sorted(set(old_attrs) | set(new_attrs)):
        merged[key] = min(v for v in (old_attrs.get(key), new_attrs.get(key)) if v is not None)
    return merged


def _article_row(article_id: str, data: dict[str, Any]) -> dict[str, Any]:
    """The properties of an article node; ``article_id`` is already cleaned."""
    row = {"id": article_id}
    for name in ARTICLE_FIELDS:
        row[name] = _clean_str(data.get(name) or "")
    return row


def _evidence_key(ev: tuple) -> tuple:
    article, sentence, start, end, rule, confidence = ev
    return (article, start, end, rule, sentence, confidence)


def _relation_row(s: str, o: str, key: str, data: dict[str, Any]) -> dict[str, Any]:
    """A relationship with its properties and evidence; ``s`` and ``o`` are already cleaned."""
    predicate = _check_ident(data["predicate"], REL_TYPES, "relationship type")
    row: dict[str, Any] = {"s": s, "o": o, "key": _clean_str(key), "type": predicate}
    props: dict[str, Any] = {}
    for name, values in (data.get("properties") or {}).items():
        values = _clean(sorted(values))
        if name == "role":
            props["role"] = values
        elif name == "date":
            props["dates"] = values
        else:
            props[PROP_PREFIX + _clean_str(name)] = values
    row["props"] = props
    row["evidence"] = [
        (_clean_str(e.article), _clean_str(e.sentence), int(e.start), int(e.end), _clean_str(e.rule),
         float(e.confidence))
        for e in data.get("evidence") or []
    ]
    return row


def merge_relation(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    """Relationship properties to SET: lists unioned and sorted, evidence lists kept parallel."""
    old = old or {}
    props: dict[str, Any] = {"key": new["key"]}
    list_props = dict(new["props"])
    for name in old:
        if name in ("role", "dates") or name.startswith(PROP_PREFIX):
            list_props.setdefault(name, [])
    for name, values in list_props.items():
        before = old.get(name)
        if isinstance(before, str):
            before = [before]
        union = sorted(set(before or []) | set(values))
        props[name] = union
    if "role" in props:  # the role is part of the key: one value, stored as a string
        props["role"] = props["role"][0] if len(props["role"]) == 1 else props["role"]
    evidence = set(new["evidence"])
    if old.get("articles"):
        evidence |= set(zip(*(old[f] for f in EVIDENCE_FIELDS), strict=True))
    if evidence:
        ordered = sorted(evidence, key=_evidence_key)
        for i, name in enumerate(EVIDENCE_FIELDS):
            props[name] = [ev[i] for ev in ordered]
    return props


def _check_types(nodes: list[tuple[str, dict[str, Any]]], adjacency: dict[str, dict[str, dict[str, Any]]]) -> None:
    """Every entity type and predicate is on the whitelists: checked before anything is written,
    since the batches are built while earlier ones are being written."""
    for label in {data["type"] for _, data in nodes} - {ARTICLE_LABEL}:
        _check_ident(label, NODE_LABELS, "entity type")
    edges = (data for nbrs in adjacency.values() for keyed in nbrs.values() for data in keyed.values())
    for predicate in {data["predicate"] for data in edges}:
        _check_ident(predicate, REL_TYPES, "relationship type")


def iter_batches(graph: KnowledgeGraph, batch_size: int = DEFAULT_BATCH_SIZE) -> Iterator[Batch]:
    """The load as (kind, rows) batches of at most ``batch_size`` nodes or relationships each: entities
    and articles, then facts and ``MENTIONED_IN`` links (see :data:`Batch`).

    A bare ``MENTIONED_IN`` link (no properties, no evidence: all of them in a built graph) is two ids,
    so the links of one entity travel as one ``[entity, key, [article, …]]`` group: one small list per
    entity instead of one dict per link is most of the client's time on a large load. The edges are
    read from networkx's adjacency dicts, whose views cost more than the rows built from them.
    """
    if batch_size < 1:
        raise Neo4jError(f"batch size must be at least 1, not {batch_size}")
    g = graph.g
    nodes = sorted(g.nodes(data=True), key=itemgetter(0))
    adjacency = dict(g.adjacency())
    _check_types(nodes, adjacency)
    ids: dict[str, str] = {}  # graph node → the id written (an article's id, without its prefix)
    entities: list[dict[str, Any]] = []
    articles: list[dict[str, Any]] = []
    for node, data in nodes:
        if data["type"] == ARTICLE_LABEL:
            ids[node] = aid = _clean_str(data["article_id"])
            articles.append(_article_row(aid, data))
            if len(articles) == batch_size:
                yield ARTICLES, articles
                articles = []
        else:
            ids[node] = eid = _clean_str(node)
            entities.append(_entity_row(eid, data))
            if len(entities) == batch_size:
                yield ENTITIES, entities
                entities = []
    if entities:
        yield ENTITIES, entities
    if articles:
        yield ARTICLES, articles
    facts: list[dict[str, Any]] = []
    groups: list[list[Any]] = []
    room = batch_size  # links the current MENTIONS batch can still take
    for node, _ in nodes:
        s = ids[node]
        links: dict[str, list[str]] = {}
        for o, keyed in adjacency[node].items():
            for key, data in keyed.items():
                if data["predicate"] == MENTIONED_IN and not data.get("properties") and not data.get("evidence"):
                    links.setdefault(key, []).append(ids[o])
                    continue
                facts.append(_relation_row(s, ids[o], key, data))
                if len(facts) == batch_size:
                    yield RELATIONS, facts
                    facts = []
        for key, targets in links.items():
            key = _clean_str(key)
            while targets:
                take, targets = targets[:room], targets[room:]
                groups.append([s, key, take])
                room -= len(take)
                if not room:
                    yield MENTIONS, groups
                    groups, room = [], batch_size
    if facts:
        yield RELATIONS, facts
    if groups:
        yield MENTIONS, groups


def plan_batches(graph: KnowledgeGraph, batch_size: int = DEFAULT_BATCH_SIZE) -> list[Batch]:
    """Every batch of :func:`iter_batches`, in the order a load writes them."""
    return list(iter_batches(graph, batch_size))


def _batch_len(kind: str, rows: list) -> int:
    """How many nodes or relationships a batch writes."""
    return sum(len(group[2]) for group in rows) if kind == MENTIONS else len(rows)


# --------------------------------------------------------------------------- transactions

# Only Entity and Article are ever part of a query's text; a type label or relationship type
# reaches Cypher as $(row.type), from a row whose type was checked against the whitelists.
_ENTITY_MERGE = (
    f"UNWIND $rows AS row OPTIONAL MATCH (old:{ENTITY_LABEL} {{id: row.id}}) "
    "WITH row, CASE WHEN old IS NULL THEN null ELSE properties(old) END AS before "
    f"MERGE (n:{ENTITY_LABEL} {{id: row.id}}) ON CREATE SET n:$(row.type), n += row "
    "RETURN count(*) AS written, collect(before) AS existing"
)
_ENTITY_UPDATE = f"UNWIND $rows AS row MATCH (n:{ENTITY_LABEL} {{id: row.id}}) SET n += row"
_ENTITY_CREATE = f"UNWIND $rows AS row CREATE (n:{ENTITY_LABEL}) SET n = row, n:$(row.type) RETURN count(*) AS written"
_ARTICLE_CREATE = f"UNWIND $rows AS row CREATE (a:{ARTICLE_LABEL}) SET a = row RETURN count(*) AS written"
_ARTICLE_MERGE = (
    f"UNWIND $rows AS row OPTIONAL MATCH (old:{ARTICLE_LABEL} {{id: row.id}}) WITH row, old IS NULL AS fresh "
    f"MERGE (a:{ARTICLE_LABEL} {{id: row.id}}) SET a += row "
    "RETURN count(*) AS written, collect(CASE WHEN fresh THEN row.id END) AS fresh"
)


def _check_written(written: int, expected: int, what: str) -> None:
    if written != expected:
        hint = " (an endpoint node is missing)" if what.endswith("relationships") else ""
        raise Neo4jError(f"Neo4j wrote {written} of {expected} {what} in one batch{hint}")


def _write_entities(tx: Any, rows: list[dict[str, Any]], created: set[str] | None = None) -> int:
    """MERGE entities; a new node gets its row as is, an existing one the merge of both.

    One query does the common case (a node not yet in the database) and returns the stored
    properties of the nodes that already existed; only those are merged in Python and written by
    a second query. A first load of a graph therefore writes each node once, with no read-back.
    ``created`` receives the ids of the nodes this batch created: no relationship can touch them
    yet, so :func:`_relations_tx` may CREATE theirs instead of MERGE-ing them.
    """
    rec = tx.run(_ENTITY_MERGE, rows=rows).single()
    _check_written(rec["written"], len(rows), "entity nodes")
    existing: list[dict[str, Any]] = rec["existing"]
    if existing:
        by_id = {r["id"]: r for r in rows}
        tx.run(_ENTITY_UPDATE, rows=[merge_entity(before, by_id[before["id"]]) for before in existing]).consume()
    if created is not None:
        existed = {before["id"] for before in existing}
        created.clear()  # a retried attempt starts over
        created.update(r["id"] for r in rows if r["id"] not in existed)
    return len(rows)


def _write_articles(tx: Any, rows: list[dict[str, Any]], created: set[str] | None = None) -> int:
    """MERGE articles (their properties are facts about the article: the row wins); the ids of the
    articles this batch created go to ``created``, as in :func:`_write_entities`."""
    rec = tx.run(_ARTICLE_MERGE, rows=rows).single()
    _check_written(rec["written"], len(rows), "Article nodes")
    if created is not None:
        created.clear()  # a retried attempt starts over
        created.update(rec["fresh"])
    return len(rows)


def _by_target(rows: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Relationship rows by the label of their end node: Article for MENTIONED_IN, Entity otherwise."""
    parts: dict[str, list[dict[str, Any]]] = {ENTITY_LABEL: [], ARTICLE_LABEL: []}
    for row in rows:
        parts[ARTICLE_LABEL if row["type"] == MENTIONED_IN else ENTITY_LABEL].append(row)
    return [(label, part) for label, part in parts.items() if part]


def _write_relations(tx: Any, rows: list[dict[str, Any]], create: bool) -> int:
    """CREATE (``create``: relationships that cannot exist yet) or MERGE facts of any type.

    A MERGE works like :func:`_write_entities`: new relationships are written as they come,
    existing ones merged with what is stored. A CREATE skips MERGE's search of the endpoints'
    relationships and its locks on both nodes, and sets what a MERGE of a new one would.
    """
    written = 0
    for target, part in _by_target(rows):
        ends = f"UNWIND $rows AS row MATCH (s:{ENTITY_LABEL} {{id: row.s}}) MATCH (o:{target} {{id: row.o}}) "
        params = [{"i": i, "s": r["s"], "o": r["o"], "key": r["key"], "type": r["type"],
                   "props": merge_relation(None, r)} for i, r in enumerate(part)]
        if create:
            query = ends + "CREATE (s)-[r:$(row.type)]->(o) SET r = row.props RETURN count(*) AS written"
            written += tx.run(query, rows=params).single()["written"]
            continue
        query = ends + (
            "OPTIONAL MATCH (s)-[old {key: row.key}]->(o) WHERE type(old) = row.type "
            "WITH row, s, o, CASE WHEN old IS NULL THEN null ELSE properties(old) END AS before "
            "MERGE (s)-[r:$(row.type) {key: row.key}]->(o) ON CREATE SET r += row.props "
            "RETURN count(*) AS written, "
            "collect(CASE WHEN before IS NULL THEN null ELSE [row.i, before] END) AS existing"
        )
        rec = tx.run(query, rows=params).single()
        written += rec["written"]
        updates = [{**params[i], "props": merge_relation(before, part[i])} for i, before in rec["existing"]]
        if updates:
            tx.run(f"UNWIND $rows AS row MATCH (s:{ENTITY_LABEL} {{id: row.s}})-[r {{key: row.key}}]->"
                   f"(o:{target} {{id: row.o}}) WHERE type(r) = row.type SET r += row.props",
                   rows=updates).consume()
    return written


def _write_mentions(tx: Any, groups: list[list[Any]], create: bool) -> int:
    """CREATE or MERGE bare ``MENTIONED_IN`` links, given as ``[entity, key, [article, …]]`` groups."""
    verb = "CREATE" if create else "MERGE"
    query = (f"UNWIND $rows AS row MATCH (s:{ENTITY_LABEL} {{id: row[0]}}) UNWIND row[2] AS aid "
             f"MATCH (o:{ARTICLE_LABEL} {{id: aid}}) {verb} (s)-[:{MENTIONED_IN} {{key: row[1]}}]->(o) "
             "RETURN count(*) AS written")
    return tx.run(query, rows=groups).single()["written"]


def _split_fresh(kind: str, rows: list, new_entities: set[str], new_articles: set[str]) -> tuple[list, list]:
    """(rows that are surely new, rows that may exist): a relationship is surely new when this load
    created its start or end node, since relationships are written only after all nodes."""
    fresh: list = []
    other: list = []
    if kind == MENTIONS:
        for s, key, targets in rows:
            if s in new_entities:
                fresh.append([s, key, targets])
                continue
            new = [o for o in targets if o in new_articles]
            old = [o for o in targets if o not in new_articles] if len(new) < len(targets) else []
            fresh += [[s, key, new]] if new else []
            other += [[s, key, old]] if old else []
        return fresh, other
    for row in rows:
        new_targets = new_articles if row["type"] == MENTIONED_IN else new_entities
        (fresh if row["s"] in new_entities or row["o"] in new_targets else other).append(row)
    return fresh, other


def _nodes_tx(kind: str, rows: list[dict[str, Any]], into_empty: bool) -> Callable[[Any, set[str]], int]:
    """The transaction function of an ENTITIES or ARTICLES batch, which fills ``created``.

    Into a database that held no node when the load began, no row can exist yet: the first attempt
    CREATEs them all, which spares a lookup and a lock per node (a quarter of the node phase). A
    retry MERGEs, as does every load into a database with data. Should another writer than a
    ``kg load`` (those take turns, see :func:`_load_lock`) create one of these nodes meanwhile, the
    uniqueness constraint rejects the CREATE and :meth:`_Writers._run` runs the batch again: a MERGE.
    """
    merge = _write_entities if kind == ENTITIES else _write_articles
    attempts = 0

    def work(tx: Any, created: set[str]) -> int:
        nonlocal attempts
        attempts += 1
        if not into_empty or attempts > 1:
            return merge(tx, rows, created)
        query = _ENTITY_CREATE if kind == ENTITIES else _ARTICLE_CREATE
        what = "entity nodes" if kind == ENTITIES else f"{ARTICLE_LABEL} nodes"  # as in _write_entities/_articles
        _check_written(tx.run(query, rows=rows).single()["written"], len(rows), what)
        created.clear()
        created.update(r["id"] for r in rows)
        return len(rows)

    return work


def _relations_tx(kind: str, rows: list, new_entities: set[str], new_articles: set[str]) -> Callable[[Any], int]:
    """The transaction function of one RELATIONS or MENTIONS batch: CREATE the surely new, MERGE the rest.

    Should the driver ever run it a second time (a retry after an unknown commit outcome), every row
    goes through MERGE: that attempt cannot know what the first one left, and MERGE stays idempotent.
    """
    write = _write_mentions if kind == MENTIONS else _write_relations
    what = f"{MENTIONED_IN} relationships" if kind == MENTIONS else "fact relationships"
    expected = _batch_len(kind, rows)
    fresh, other = _split_fresh(kind, rows, new_entities, new_articles)
    attempts = 0

    def work(tx: Any) -> int:
        nonlocal attempts
        attempts += 1
        if attempts > 1:
            written = write(tx, rows, create=False)
        else:
            written = (write(tx, fresh, create=True) if fresh else 0) + (write(tx, other, create=False) if other else 0)
        _check_written(written, expected, what)
        return written

    return work


# --------------------------------------------------------------------------- load


class _Failed:
    """An exception raised while building batches, handed to the writing thread."""

    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


_DONE = object()


class _Prefetch:
    """Batches built by a background thread while the caller writes earlier ones.

    The two alternate otherwise: the server idles while Python builds rows, and Python while the
    server writes. The thread holds the GIL only while it builds; the writer waits on its socket.
    At most ``depth`` batches wait in the queue; an exception in the thread is raised in the
    caller, where that batch would have come, and :meth:`close` stops the thread.
    """

    def __init__(self, batches: Iterator[Batch], depth: int) -> None:
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(batches,), name="kg-neo4j-batches", daemon=True)
        self._thread.start()

    def _run(self, batches: Iterator[Batch]) -> None:
        try:
            for batch in batches:
                if not self._put(batch):
                    return
        except BaseException as exc:  # noqa: BLE001 - relayed to the caller, raised there
            self._put(_Failed(exc))
            return
        self._put(_DONE)

    def _put(self, item: Any) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def __iter__(self) -> Iterator[Batch]:
        while (item := self._queue.get()) is not _DONE:
            if isinstance(item, _Failed):
                raise item.exc
            yield item

    def close(self) -> None:
        self._stop.set()
        self._thread.join()


def _driver_error(exc: Exception, info: ConnectionInfo, stats: LoadStats) -> Neo4jError:
    from neo4j import exceptions as nx

    done = f"after {stats.batches} committed batches" if stats.batches else "before any batch was committed"
    if isinstance(exc, nx.ServiceUnavailable | nx.SessionExpired | OSError):
        return Neo4jError(f"lost the connection to Neo4j at {info.uri} {done}; the load is idempotent: run it again")
    if isinstance(exc, nx.AuthError):
        return Neo4jError(f"authentication failed for {info.user} at {info.uri}")
    msg = getattr(exc, "message", None) or str(exc)
    if stats.batches == 0 and stats.phase != "batches":
        return Neo4jError(f"Neo4j at {info.uri} refused the load while {stats.phase}: {msg}")
    return Neo4jError(f"Neo4j at {info.uri} rejected a batch {done}: {msg}")


def _add(totals: dict[str, int], counts: dict[str, int]) -> None:
    for name, n in counts.items():
        totals[name] = totals.get(name, 0) + n


class _Writers:
    """Batches written by ``n`` sessions at once, each in a thread of its own, one batch per session.

    The server runs a transaction on one core; this machine has two, so two transactions at once
    write faster. Nodes come first: at the first relationship batch every node batch in flight is
    waited for, so the relationships find all endpoints and know which ones this load created
    (those are CREATEd, see :func:`_relations_tx`). Batches of a phase write disjoint rows.
    The stats and ``on_batch`` are updated in the calling thread, in the order the commits end.
    """

    def __init__(self, driver: Any, database: str | None, n: int, stats: LoadStats,
                 on_batch: Callable[[LoadStats], None] | None, into_empty: bool) -> None:
        self._sessions: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._opened = [driver.session(database=database) for _ in range(n)]
        for session in self._opened:
            self._sessions.put(session)
        self._pool = ThreadPoolExecutor(n, thread_name_prefix="kg-neo4j-write")
        self._pending: dict[Future[tuple[int, set[str]]], tuple[str, list]] = {}
        self._n = n
        self.stats = stats
        self.on_batch = on_batch
        self.new_entities: set[str] = set()  # nodes this load created: their relationships are CREATEd
        self.new_articles: set[str] = set()
        self._nodes_phase = True
        self._into_empty = into_empty

    def _run(self, kind: str, rows: list, work: Callable[..., Any]) -> tuple[int, set[str]]:
        from neo4j import exceptions as nx

        session = self._sessions.get()
        try:
            created: set[str] = set()
            if kind not in (ENTITIES, ARTICLES):
                return session.execute_write(work), created
            try:
                return session.execute_write(work, created), created
            except nx.ConstraintError:  # a CREATE met a node made meanwhile: the next attempt MERGEs
                return session.execute_write(work, created), created
        finally:
            self._sessions.put(session)

    def submit(self, kind: str, rows: list) -> None:
        if kind in (RELATIONS, MENTIONS):
            if self._nodes_phase:
                self.wait(0)
                self._nodes_phase = False
            work: Callable[..., Any] = _relations_tx(kind, rows, self.new_entities, self.new_articles)
        else:
            work = _nodes_tx(kind, rows, self._into_empty)
        self.wait(self._n - 1)
        self._pending[self._pool.submit(self._run, kind, rows, work)] = (kind, rows)

    def wait(self, most: int) -> None:
        """Wait until at most ``most`` batches are in flight; account for those done."""
        while len(self._pending) > most:
            done, _ = futures.wait(self._pending, return_when=futures.FIRST_COMPLETED)
            for future in done:
                kind, rows = self._pending.pop(future)
                n, created = future.result()
                stats = self.stats
                if kind == ENTITIES:
                    self.new_entities |= created
                    stats.nodes += n
                    _add(stats.nodes_by_label, Counter(r["type"] for r in rows))
                elif kind == ARTICLES:
                    self.new_articles |= created
                    stats.nodes += n
                    _add(stats.nodes_by_label, {ARTICLE_LABEL: n})
                else:
                    stats.relationships += n
                    _add(stats.relationships_by_type,
                         {MENTIONED_IN: n} if kind == MENTIONS else Counter(r["type"] for r in rows))
                stats.batches += 1
                if self.on_batch is not None:
                    self.on_batch(stats)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        for session in self._opened:
            session.close()


@contextmanager
def _load_lock(driver: Any, database: str | None) -> Iterator[None]:
    """Hold the database's load lock: loads into one database take turns, each writing alone.

    A load CREATEs what cannot exist yet (nodes into an empty database, relationships of nodes it made),
    which is only safe while no other load writes the same graph: two at once once failed on «Node(0)
    already exists», and a CREATE racing another load's MERGE would duplicate a relationship. Neo4j has
    no lock that outlives a transaction, so the lock is one: a transaction left open for the whole load,
    holding the uniqueness lock of a ``KgLoadLock`` node it creates. Another load's CREATE of that node
    waits until this transaction ends; it is rolled back, so the node is never stored, and a load that
    dies releases the lock with its connection.
    """
    session = driver.session(database=database)
    try:
        tx = session.begin_transaction()
        try:
            tx.run(f"CREATE (:{LOCK_LABEL} {{id: 'load'}})").consume()
            yield
        finally:
            tx.rollback()
    finally:
        session.close()


def load_graph(
    graph: KnowledgeGraph,
    info: ConnectionInfo,
    batch_size: int = DEFAULT_BATCH_SIZE,
    *,
    database: str | None = None,
    on_batch: Callable[[LoadStats], None] | None = None,
    max_retry_time: float = 15.0,
) -> LoadStats:
    """Write ``graph`` into Neo4j (schema first, then batches of ``batch_size`` rows per transaction).

    ``on_batch`` is called with the running stats after each committed batch. Raises
    :class:`Neo4jError` on any failure; what was committed before stays, and a second run completes it.
    The garbage collector runs less often during the load (:func:`kg.memory.bulk_gc`).
    """
    from neo4j import exceptions as nx

    started = time.monotonic()
    if batch_size < 1:
        raise Neo4jError(f"batch size must be at least 1, not {batch_size}")
    stats = LoadStats()
    with bulk_gc():
        batches = _Prefetch(iter_batches(graph, batch_size), PREFETCH)
        try:
            driver = open_driver(info, max_transaction_retry_time=max_retry_time, notifications_min_severity="OFF")
            try:
                stats.phase = "creating the schema"
                apply_schema(driver, database)
                stats.phase = "waiting for another kg load into the same database to end"
                with _load_lock(driver, database):
                    stats.phase = "batches"
                    empty = driver.execute_query("MATCH (n) RETURN count(n) = 0 AS empty", database_=database)
                    writers = _Writers(driver, database, WRITERS, stats, on_batch, empty.records[0]["empty"])
                    try:
                        for kind, rows in batches:
                            writers.submit(kind, rows)
                        writers.wait(0)
                    finally:
                        writers.close()
                with driver.session(database=database) as session:
                    stats.db_nodes = session.run("MATCH (n) RETURN count(n) AS c").single()["c"]
                    stats.db_relationships = session.run("MATCH ()-[r]->() RETURN count(r) AS c").single()["c"]
            except (nx.Neo4jError, nx.DriverError, OSError) as exc:
                raise _driver_error(exc, info, stats) from exc
            finally:
                driver.close()
        finally:
            batches.close()
    stats.seconds = time.monotonic() - started
    return stats


# --------------------------------------------------------------------------- read back


def read_graph(info: ConnectionInfo, *, database: str | None = None) -> KnowledgeGraph:
    """Everything this module wrote, read back into a :class:`KnowledgeGraph` (e.g. for export)."""
    from neo4j import exceptions as nx

    graph = KnowledgeGraph()
    g = graph.g
    driver = open_driver(info, notifications_min_severity="OFF")
    try:
        with driver.session(database=database) as session:
            try:
                entities = list(session.run("MATCH (n:Entity) RETURN n.id AS id, properties(n) AS props ORDER BY n.id"))
                articles = list(
                    session.run("MATCH (a:Article) RETURN a.id AS id, properties(a) AS props ORDER BY a.id")
                )
                relations = list(
                    session.run(
                        "MATCH (s:Entity)-[r]->(o) WHERE type(r) IN $types AND (o:Entity OR o:Article) "
                        "RETURN s.id AS s, o.id AS o, o:Article AS to_article, type(r) AS type, "
                        "properties(r) AS props ORDER BY s, o, r.key",
                        types=list(REL_TYPES),
                    )
                )
            except (nx.Neo4jError, nx.DriverError, OSError) as exc:
                msg = getattr(exc, "message", None) or str(exc)
                raise Neo4jError(f"cannot read the graph from Neo4j at {info.uri}: {msg}") from exc
    finally:
        driver.close()
    for rec in entities:
        props = dict(rec["props"])
        if props.get("type") not in NODE_LABELS:
            continue
        attrs = {_attr_name(k): v for k, v in sorted(props.items()) if k not in NODE_FIELDS}
        g.add_node(
            rec["id"],
            type=props["type"],
            name=props.get("name", rec["id"]),
            aliases=list(props.get("aliases") or []),
            wikidata=props.get("wikidata") or "",
            attrs=attrs,
            articles=list(props.get("articles") or []),
            mentions={},  # mention offsets live in triples.jsonl only: Neo4j does not store them yet
        )
    for rec in articles:
        props = rec["props"]
        g.add_node(
            article_node(rec["id"]),
            type="Article",
            name=props.get("name") or rec["id"],
            article_id=rec["id"],
            title=props.get("title") or "",
            date=props.get("date") or "",
            url=props.get("url") or "",
            source=props.get("source") or "",
        )
    for rec in relations:
        props = rec["props"]
        s = rec["s"]
        o = article_node(rec["o"]) if rec["to_article"] else rec["o"]
        if s not in g or o not in g:
            continue
        properties: dict[str, list[str]] = {}
        if props.get("role") is not None:
            role = props["role"]
            properties["role"] = [role] if isinstance(role, str) else list(role)
        if props.get("dates"):
            properties["date"] = list(props["dates"])
        for name, values in props.items():
            if name.startswith(PROP_PREFIX):
                properties[name[len(PROP_PREFIX) :]] = list(values)
        evidence = [
            Evidence(a, sent, start, end, rule, conf)
            for a, sent, start, end, rule, conf in zip(*(props.get(f) or [] for f in EVIDENCE_FIELDS), strict=True)
        ]
        g.add_edge(
            s,
            o,
            props.get("key") or rec["type"],
            predicate=rec["type"],
            properties=dict(sorted(properties.items())),
            evidence=evidence,
        )
    return graph


def load_many(graphs: Iterable[KnowledgeGraph], info: ConnectionInfo, **kwargs: Any) -> list[LoadStats]:
    """Load several graphs one after the other (e.g. one per incoming batch of articles)."""
    return [load_graph(graph, info, **kwargs) for graph in graphs]


__all__ = [
    "DEFAULT_BATCH_SIZE",
    "Batch",
    "LoadStats",
    "apply_schema",
    "iter_batches",
    "load_graph",
    "load_many",
    "merge_entity",
    "merge_relation",
    "plan_batches",
    "read_graph",
    "schema_statements",
]
