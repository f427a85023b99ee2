"""Load a :class:`KnowledgeGraph` into Neo4j, idempotently, and read it back. Every Cypher write lives here.

Model in Neo4j
--------------
* An entity is a node with the label ``Entity`` plus one type label (``Person``, ``State`` …, from the
  fixed whitelist :data:`kg.model.ENTITY_TYPES`) and the properties ``id``, ``type``, ``name``,
  ``aliases`` (list), ``wikidata`` (absent when unknown), ``articles`` (list) and its attributes
  flattened (``number``, ``year``, ``date`` …).
* An article is an ``Article`` node: ``id`` (the article id), ``name``, ``title``, ``date``, ``url``,
  ``source``, ``path``. Article text is never stored, and never part of any query string.
* A fact is a relationship whose type is its predicate (whitelist :data:`kg.model.PREDICATES`), with
  ``key`` (the graph's edge key, ``PREDICATE`` or ``PREDICATE|role``), ``role``, ``dates`` and the
  evidence as parallel, sorted lists ``articles``, ``sentences``, ``starts``, ``ends``, ``rules``,
  ``confidences``. Entities link to the articles naming them with ``MENTIONED_IN``.

Idempotency
-----------
The graph is already aggregated in Python (one row per node and relationship), and a load writes
each in one ``UNWIND $rows AS row … MERGE … ON CREATE SET`` query per batch, grouped by label or
relationship type so every MERGE is an index lookup. The same query returns the stored properties
of the rows that already existed; only those are merged in Python, with the same order-independent
rules as :class:`KnowledgeGraph` (union of aliases, articles and evidence; the fullest name; the
smallest of two conflicting attribute values), and written by a second query in the same
transaction. A relationship one of whose endpoints this load created cannot exist yet, so it is
CREATEd rather than MERGEd (every relationship, on a first load into an empty database; a retried
transaction MERGEs all its rows). A first load therefore never reads anything back, while loading a graph twice, in
pieces, in another order, or again after an interrupted load ends in the same database. Every batch
returns ``count(*)``; a count that differs from the rows sent raises :class:`~kg.errors.Neo4jError`
and rolls the batch back.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from itertools import groupby
from typing import Any

from kg.errors import Neo4jError
from kg.graph import ARTICLE_PREFIX, KnowledgeGraph, _name_rank, article_node
from kg.model import ENTITY_TYPES, PREDICATES, Evidence
from kg.neo4j.server import ConnectionInfo, open_driver

ENTITY_LABEL = "Entity"
ARTICLE_LABEL = "Article"
MENTIONED_IN = "MENTIONED_IN"
NODE_LABELS: tuple[str, ...] = ENTITY_TYPES
REL_TYPES: tuple[str, ...] = (*PREDICATES, MENTIONED_IN)

# Entity properties with a fixed meaning; any other property of an Entity node is an attribute.
NODE_FIELDS = ("id", "type", "name", "aliases", "wikidata", "articles")
ATTR_ESCAPE = "attr_"  # an attribute whose key collides with NODE_FIELDS is stored as attr_<key>
ARTICLE_FIELDS = ("name", "title", "date", "url", "source", "path")
EVIDENCE_FIELDS = ("articles", "sentences", "starts", "ends", "rules", "confidences")
REL_FIELDS = ("key", "role", "dates", *EVIDENCE_FIELDS)
PROP_PREFIX = "prop_"  # a relationship property other than role/date is stored as prop_<name>

DEFAULT_BATCH_SIZE = 5000  # rows per transaction: few round trips, and far below what a 512 MB heap holds
_IDENT = re.compile(r"[A-Z][A-Za-z_]*")
_SURROGATE = re.compile("[\ud800-\udfff]")


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


# --------------------------------------------------------------------------- schema


def schema_statements() -> list[str]:
    """The statements of ``schema/constraints.cypher`` (package ``kg.schema``), comments removed."""
    text = resources.files("kg.schema").joinpath("constraints.cypher").read_text(encoding="utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
    return [stmt.strip() for stmt in body.split(";") if stmt.strip()]


def apply_schema(driver: Any, database: str | None = None) -> int:
    """Create every constraint and index (``IF NOT EXISTS``); returns how many statements ran."""
    statements = schema_statements()
    for stmt in statements:
        driver.execute_query(stmt, database_=database)
    driver.execute_query("CALL db.awaitIndexes(300)", database_=database)
    return len(statements)


# --------------------------------------------------------------------------- rows


def _clean(value: Any) -> Any:
    """Strings as Bolt can carry them (a lone surrogate becomes U+FFFD, one for one)."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def _check_ident(name: str, allowed: tuple[str, ...], what: str) -> str:
    if name not in allowed or not _IDENT.fullmatch(name):
        raise Neo4jError(f"cannot write {what} {name!r} to Neo4j: not one of {', '.join(allowed)}")
    return name


def _entity_row(node: str, data: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": _clean(node),
        "type": _check_ident(data["type"], NODE_LABELS, "entity type"),
        "name": _clean(data["name"]),
        "aliases": _clean(sorted(data.get("aliases", []))),
        "wikidata": data.get("wikidata") or None,
        "articles": _clean(sorted(data.get("articles", []))),
    }
    for key, value in (data.get("attrs") or {}).items():
        if value is None or value == "":
            continue
        prop = ATTR_ESCAPE + key if key in NODE_FIELDS or key.startswith(ATTR_ESCAPE) else key
        row[_clean(prop)] = _clean(str(value))
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
    old_attrs, new_attrs = _row_attrs(old), _row_attrs(new)
    for key in sorted(set(old_attrs) | set(new_attrs)):
        merged[key] = min(v for v in (old_attrs.get(key), new_attrs.get(key)) if v is not None)
    return merged


def _article_row(article_id: str, data: dict[str, Any]) -> dict[str, Any]:
    row = {"id": _clean(article_id)}
    for name in ARTICLE_FIELDS:
        row[name] = _clean(data.get(name) or "")
    return row


def _evidence_key(ev: tuple) -> tuple:
    article, sentence, start, end, rule, confidence = ev
    return (article, start, end, rule, sentence, confidence)


def _relation_row(s: str, o: str, key: str, data: dict[str, Any]) -> dict[str, Any]:
    predicate = _check_ident(data["predicate"], REL_TYPES, "relationship type")
    row: dict[str, Any] = {"s": _clean(s), "o": _clean(o), "key": _clean(key), "type": predicate}
    props: dict[str, Any] = {}
    for name, values in (data.get("properties") or {}).items():
        values = _clean(sorted(values))
        if name == "role":
            props["role"] = values
        elif name == "date":
            props["dates"] = values
        else:
            props[PROP_PREFIX + _clean(name)] = values
    row["props"] = props
    row["evidence"] = [
        (_clean(e.article), _clean(e.sentence), int(e.start), int(e.end), _clean(e.rule), float(e.confidence))
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


# --------------------------------------------------------------------------- transactions


def _chunks(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def _write_entities(tx: Any, label: str, rows: list[dict[str, Any]], created: set[str] | None = None) -> dict[str, int]:
    """MERGE one label's entities; a new node gets its row as is, an existing one the merge of both.

    One query does the common case (a node not yet in the database) and returns the stored
    properties of the nodes that already existed; only those are merged in Python and written by
    a second query. A first load of a graph therefore writes each node once, with no read-back.
    ``created`` receives the ids of the nodes this batch created: no relationship can touch them
    yet, so :func:`_create_relations` may CREATE theirs instead of MERGE-ing them.
    """
    label = _check_ident(label, NODE_LABELS, "entity type")
    # The label comes from the whitelist above, never from data; the values travel as $rows.
    query = (
        f"UNWIND $rows AS row OPTIONAL MATCH (old:{ENTITY_LABEL} {{id: row.id}}) "
        "WITH row, CASE WHEN old IS NULL THEN null ELSE properties(old) END AS before "
        f"MERGE (n:{ENTITY_LABEL} {{id: row.id}}) ON CREATE SET n:{label}, n += row.props "
        "RETURN count(*) AS written, collect(CASE WHEN before IS NULL THEN null ELSE [row.i, before] END) AS existing"
    )
    rec = tx.run(query, rows=[{"i": i, "id": r["id"], "props": r} for i, r in enumerate(rows)]).single()
    if rec["written"] != len(rows):
        raise Neo4jError(f"Neo4j wrote {rec['written']} of {len(rows)} {label} nodes in one batch")
    updates = [{"id": rows[i]["id"], "props": merge_entity(before, rows[i])} for i, before in rec["existing"]]
    if updates:
        tx.run(f"UNWIND $rows AS row MATCH (n:{ENTITY_LABEL} {{id: row.id}}) SET n += row.props",
               rows=updates).consume()
    if created is not None:
        existed = {rows[i]["id"] for i, _ in rec["existing"]}
        created.clear()  # a retried attempt starts over
        created.update(r["id"] for r in rows if r["id"] not in existed)
    return {label: len(rows)}


def _write_articles(tx: Any, rows: list[dict[str, Any]], created: set[str] | None = None) -> dict[str, int]:
    """MERGE articles (their properties are facts about the article: the row wins); the ids of the
    articles this batch created go to ``created``, as in :func:`_write_entities`."""
    query = (
        f"UNWIND $rows AS row OPTIONAL MATCH (old:{ARTICLE_LABEL} {{id: row.id}}) WITH row, old IS NULL AS fresh "
        f"MERGE (a:{ARTICLE_LABEL} {{id: row.id}}) SET a += row "
        "RETURN count(*) AS written, collect(CASE WHEN fresh THEN row.id END) AS fresh"
    )
    rec = tx.run(query, rows=rows).single()
    got = rec["written"]
    if got != len(rows):
        raise Neo4jError(f"Neo4j wrote {got} of {len(rows)} Article nodes in one batch")
    if created is not None:
        created.clear()  # a retried attempt starts over
        created.update(rec["fresh"])
    return {ARTICLE_LABEL: got}


def _mention_groups(rows: list[dict[str, Any]]) -> list[list[Any]]:
    """``MENTIONED_IN`` rows as ``[entity, key, [article, …]]``, one per run of rows with the same
    entity and key (rows come sorted): a bare link is two ids, and packing one small list per entity
    instead of one dict per link is most of the client's time on a large load."""
    groups: list[list[Any]] = []
    for (s, key), run in groupby(rows, key=lambda r: (r["s"], r["key"])):
        groups.append([s, key, [r["o"] for r in run]])
    return groups


def _endpoints(rel_type: str) -> tuple[str, str, str]:
    """The checked type, the label of its end node, and the query head matching both endpoints."""
    rel_type = _check_ident(rel_type, REL_TYPES, "relationship type")
    target = ARTICLE_LABEL if rel_type == MENTIONED_IN else ENTITY_LABEL
    return rel_type, target, (f"UNWIND $rows AS row MATCH (s:{ENTITY_LABEL} {{id: row.s}}) "
                              f"MATCH (o:{target} {{id: row.o}}) ")


def _mentions_query(verb: str) -> str:
    """``MERGE`` or ``CREATE`` the links of `_mention_groups` rows (``[entity, key, [article, …]]``)."""
    return (f"UNWIND $rows AS row MATCH (s:{ENTITY_LABEL} {{id: row[0]}}) UNWIND row[2] AS aid "
            f"MATCH (o:{ARTICLE_LABEL} {{id: aid}}) {verb} (s)-[:{MENTIONED_IN} {{key: row[1]}}]->(o) "
            "RETURN count(*) AS written")


def _write_relations(tx: Any, rel_type: str, rows: list[dict[str, Any]]) -> int:
    """MERGE one type's relationships, like :func:`_write_entities`: new ones are written as they
    come, existing ones merged with what is stored. ``MENTIONED_IN`` carries nothing but its key, so
    it is a bare MERGE."""
    rel_type, target, ends = _endpoints(rel_type)
    if rel_type == MENTIONED_IN:
        query = _mentions_query("MERGE") + ", [] AS existing"
        params = _mention_groups(rows)
    else:
        query = ends + (
            f"OPTIONAL MATCH (s)-[old:{rel_type} {{key: row.key}}]->(o) "
            "WITH row, s, o, CASE WHEN old IS NULL THEN null ELSE properties(old) END AS before "
            f"MERGE (s)-[r:{rel_type} {{key: row.key}}]->(o) ON CREATE SET r += row.props "
            "RETURN count(*) AS written, "
            "collect(CASE WHEN before IS NULL THEN null ELSE [row.i, before] END) AS existing"
        )
        params = [{"i": i, "s": r["s"], "o": r["o"], "key": r["key"], "props": merge_relation(None, r)}
                  for i, r in enumerate(rows)]
    rec = tx.run(query, rows=params).single()
    if rec["written"] != len(rows):
        raise Neo4jError(
            f"Neo4j wrote {rec['written']} of {len(rows)} {rel_type} relationships in one batch "
            "(an endpoint node is missing)"
        )
    updates = [{"s": rows[i]["s"], "o": rows[i]["o"], "key": rows[i]["key"], "props": merge_relation(before, rows[i])}
               for i, before in rec["existing"]]
    if updates:
        tx.run(f"UNWIND $rows AS row MATCH (s:{ENTITY_LABEL} {{id: row.s}})-[r:{rel_type} {{key: row.key}}]->"
               f"(o:{target} {{id: row.o}}) SET r += row.props", rows=updates).consume()
    return len(rows)


def _create_relations(tx: Any, rel_type: str, rows: list[dict[str, Any]]) -> int:
    """CREATE one type's relationships that cannot exist yet: one of their endpoints was created by
    this very load (see :func:`_split_fresh`). A CREATE skips MERGE's search of the endpoints'
    relationships and its locks on both nodes: on a first load into an empty database every
    relationship goes through here. The properties are those a MERGE of a new one would set."""
    rel_type, _, ends = _endpoints(rel_type)
    if rel_type == MENTIONED_IN:
        query = _mentions_query("CREATE")
        params = _mention_groups(rows)
    else:
        query = ends + f"CREATE (s)-[r:{rel_type}]->(o) SET r = row.props RETURN count(*) AS written"
        params = [{"s": r["s"], "o": r["o"], "props": merge_relation(None, r)} for r in rows]
    written = tx.run(query, rows=params).single()["written"]
    if written != len(rows):
        raise Neo4jError(
            f"Neo4j wrote {written} of {len(rows)} {rel_type} relationships in one batch "
            "(an endpoint node is missing)"
        )
    return written


def _split_fresh(
    rel_type: str, rows: list[dict[str, Any]], new_entities: set[str], new_articles: set[str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(rows that are surely new, rows that may exist): a relationship is surely new when this load
    created its start or end node, since relationships are written only after all nodes."""
    new_targets = new_articles if rel_type == MENTIONED_IN else new_entities
    fresh: list[dict[str, Any]] = []
    other: list[dict[str, Any]] = []
    for row in rows:
        (fresh if row["s"] in new_entities or row["o"] in new_targets else other).append(row)
    return fresh, other


def _relations_tx(
    rel_type: str, rows: list[dict[str, Any]], new_entities: set[str], new_articles: set[str]
) -> Callable[[Any], int]:
    """The transaction function of one relationship batch: CREATE the surely new, MERGE the rest.

    Should the driver ever run it a second time (a retry after an unknown commit outcome), every row
    goes through MERGE: that attempt cannot know what the first one left, and MERGE stays idempotent.
    """
    fresh, other = _split_fresh(rel_type, rows, new_entities, new_articles)
    attempts = 0

    def work(tx: Any) -> int:
        nonlocal attempts
        attempts += 1
        if attempts > 1:
            return _write_relations(tx, rel_type, rows)
        written = _create_relations(tx, rel_type, fresh) if fresh else 0
        return written + (_write_relations(tx, rel_type, other) if other else 0)

    return work


# --------------------------------------------------------------------------- load


def _driver_error(exc: Exception, info: ConnectionInfo, stats: LoadStats, total: int) -> Neo4jError:
    from neo4j import exceptions as nx

    done = f"after {stats.batches} of {total} batches"
    if isinstance(exc, nx.ServiceUnavailable | nx.SessionExpired | OSError):
        return Neo4jError(f"lost the connection to Neo4j at {info.uri} {done}; the load is idempotent: run it again")
    if isinstance(exc, nx.AuthError):
        return Neo4jError(f"authentication failed for {info.user} at {info.uri}")
    msg = getattr(exc, "message", None) or str(exc)
    return Neo4jError(f"Neo4j at {info.uri} rejected a batch {done}: {msg}")


def plan_batches(graph: KnowledgeGraph, batch_size: int = DEFAULT_BATCH_SIZE) -> list[tuple[str, str, list]]:
    """The load as a list of (kind, label-or-type, rows): entities, articles, then relationships."""
    if batch_size < 1:
        raise Neo4jError(f"batch size must be at least 1, not {batch_size}")
    entity_rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for node, data in graph.entities():
        row = _entity_row(node, data)
        entity_rows[row["type"]].append(row)
    article_rows = [_article_row(aid, data) for aid, data in graph.articles()]
    rel_rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    mentions = rel_rows[MENTIONED_IN]
    for s, o, key, data in graph.relations(include_mentions=True):
        if data["predicate"] == MENTIONED_IN:
            o = o.removeprefix(ARTICLE_PREFIX)
            if not data.get("properties") and not data.get("evidence"):  # a bare link: most rows, kept cheap
                mentions.append({"s": _clean(s), "o": _clean(o), "key": _clean(key), "type": MENTIONED_IN,
                                 "props": {}, "evidence": []})
                continue
        row = _relation_row(s, o, key, data)
        rel_rows[row["type"]].append(row)
    plan: list[tuple[str, str, list]] = []
    for label in NODE_LABELS:  # grouped by label: each batch is one query with a static label
        plan += [("entities", label, chunk) for chunk in _chunks(entity_rows.get(label, []), batch_size)]
    plan += [("articles", ARTICLE_LABEL, chunk) for chunk in _chunks(article_rows, batch_size)]
    for rel_type in REL_TYPES:
        plan += [("relations", rel_type, chunk) for chunk in _chunks(rel_rows.get(rel_type, []), batch_size)]
    return plan


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
    """
    from neo4j import exceptions as nx

    started = time.monotonic()
    plan = plan_batches(graph, batch_size)
    stats = LoadStats()
    driver = open_driver(info, max_transaction_retry_time=max_retry_time, notifications_min_severity="OFF")
    try:
        with driver.session(database=database) as session:
            try:
                apply_schema(driver, database)
                new_entities: set[str] = set()  # nodes this load created: their relationships are CREATEd
                new_articles: set[str] = set()
                for kind, name, rows in plan:
                    created: set[str] = set()
                    if kind == "entities":
                        written = session.execute_write(_write_entities, name, rows, created)
                        new_entities |= created
                        for label, n in written.items():
                            stats.nodes_by_label[label] = stats.nodes_by_label.get(label, 0) + n
                        stats.nodes += sum(written.values())
                    elif kind == "articles":
                        n = session.execute_write(_write_articles, rows, created)[ARTICLE_LABEL]
                        new_articles |= created
                        stats.nodes_by_label[ARTICLE_LABEL] = stats.nodes_by_label.get(ARTICLE_LABEL, 0) + n
                        stats.nodes += n
                    else:
                        n = session.execute_write(_relations_tx(name, rows, new_entities, new_articles))
                        stats.relationships_by_type[name] = stats.relationships_by_type.get(name, 0) + n
                        stats.relationships += n
                    stats.batches += 1
                    if on_batch is not None:
                        on_batch(stats)
                stats.db_nodes = session.run("MATCH (n) RETURN count(n) AS c").single()["c"]
                stats.db_relationships = session.run("MATCH ()-[r]->() RETURN count(r) AS c").single()["c"]
            except (nx.Neo4jError, nx.DriverError, OSError) as exc:
                raise _driver_error(exc, info, stats, len(plan)) from exc
    finally:
        driver.close()
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
            path=props.get("path") or "",
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
    "LoadStats",
    "apply_schema",
    "load_graph",
    "load_many",
    "merge_entity",
    "merge_relation",
    "plan_batches",
    "read_graph",
    "schema_statements",
]
