"""JSON Lines in the format the scorer reads (``/work/shared/gold/GUIDE.md``).

One line per (relation edge, evidence), then one line per (entity, article it is mentioned in), with
where that article names it (character offsets and surface form) and how many facts the entity has,
then one line per article with its title, date, URL and source. Lines follow the graph's sorted order
and every object is dumped with sorted keys and fixed separators, so two writes of the same graph are
byte-identical.

The file holds the whole graph: `read_jsonl` rebuilds the very graph that was written (the lines the
scorer does not need, ``edge_properties``, an entity's ``wikidata`` and ``attrs``, and the article
lines, are ignored by it), so `kg load`, `kg export` and `kg viz` reopen a build without extracting again.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.graph import KnowledgeGraph, article_node, edge_key
from kg.model import Evidence, Skipped

_SURROGATE = re.compile("[\ud800-\udfff]")
ARTICLE_META = ("title", "date", "url", "source")


def clean_text(text: str) -> str:
    """Replace each surrogate code point (unencodable in UTF-8) with U+FFFD.

    One character for one character, so evidence offsets into the article keep pointing at the
    same places. Shared by every writer in ``kg.export``.
    """
    return _SURROGATE.sub("\ufffd", text)


def _dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _entity(node: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"id": node, "type": data["type"], "name": data["name"], "aliases": list(data["aliases"])}


def edge_role(key: str) -> str | None:
    """The role carried in an edge key ``PREDICATE|role`` (see `kg.graph.edge_key`)."""
    _, sep, role = key.partition("|")
    return role if sep else None


def _properties(predicate: str, key: str, props: dict[str, list[str]], date: str) -> dict[str, Any]:
    if predicate == "REPRESENTS":
        out: dict[str, Any] = {}
        role = edge_role(key)
        if role:
            out["role"] = role
        if date:
            out["date"] = date
        return out
    # Other predicates carry no properties today; keep any that appear, one value as a string.
    return {name: values[0] if len(values) == 1 else list(values) for name, values in props.items() if values}


def jsonl_lines(graph: KnowledgeGraph) -> Iterator[str]:
    """The lines of the export, one at a time: the whole corpus's file is hundreds of MB as text."""
    dates = {article_id: data.get("date", "") for article_id, data in graph.articles()}
    nodes = graph.g.nodes
    for s, o, key, data in graph.relations():
        subject, obj = _entity(s, nodes[s]), _entity(o, nodes[o])
        for ev in data["evidence"]:
            record = {
                "article": ev.article,
                "subject": subject,
                "predicate": data["predicate"],
                "object": obj,
                "properties": _properties(data["predicate"], key, data["properties"], dates.get(ev.article, "")),
                "evidence": {"text": ev.sentence, "start": ev.start, "end": ev.end, "rule": ev.rule,
                             "confidence": ev.confidence},
            }
            if data["properties"]:  # every value the edge holds, which `properties` summarises for the scorer
                record["edge_properties"] = data["properties"]
            yield _dumps(record)
    for node, data in graph.entities():
        entity = {**_entity(node, data), "facts": graph.facts(node)}
        entity.update((k, data[k]) for k in ("wikidata", "attrs") if data[k])
        for article in data["articles"]:
            mentions = [{"start": s, "end": e, "text": text} for s, e, text in data["mentions"].get(article, ())]
            yield _dumps({"article": article, "entity": entity, "mentions": mentions})
    for article, data in graph.articles():
        yield _dumps({"article": article, "meta": {k: data[k] for k in ARTICLE_META}})


def write_jsonl(graph: KnowledgeGraph, path: str | Path) -> None:
    """Stream the lines into ``path`` (UTF-8, LF), so memory does not grow with the file."""
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        for line in jsonl_lines(graph):
            out.write(clean_text(line))
            out.write("\n")


def read_jsonl(path: str | Path) -> tuple[KnowledgeGraph, list[Skipped]]:
    """The graph a `write_jsonl` file holds, and the lines it could not read.

    A line that is not a record of this format (or not UTF-8) is skipped with its line number, and reading
    goes on; a file that cannot be opened is an :class:`~kg.errors.InputError`. A file written before the
    article lines existed still opens: its articles get their ids as names, and no title or date.
    """
    graph = KnowledgeGraph()
    skipped: list[Skipped] = []
    try:
        with open(path, "rb") as lines:
            for lineno, raw in enumerate(lines, 1):
                try:
                    line = raw.decode("utf-8")
                    if line.strip():
                        _read_record(graph, json.loads(line))
                except UnicodeDecodeError as err:
                    skipped.append(Skipped(f"{path}:{lineno}", f"not UTF-8 (byte {err.start} of the line)"))
                except (ValueError, KeyError, TypeError, AttributeError) as err:
                    reason = f"not a triples.jsonl record ({type(err).__name__}: {err})"
                    skipped.append(Skipped(f"{path}:{lineno}", reason[:300]))
    except OSError as err:
        raise InputError(str(path), err.strerror or str(err)) from err
    return graph, skipped


def _read_record(graph: KnowledgeGraph, rec: dict[str, Any]) -> None:
    """Add one line's record; every field is read before the graph changes, so a bad line leaves no trace."""
    g = graph.g
    article = rec["article"]
    if not isinstance(article, str):
        raise TypeError("'article' must be a string")
    if "meta" in rec:
        meta = {k: str(rec["meta"][k] or "") for k in ARTICLE_META}
        _read_article(graph, article).update(meta, name=meta["title"] or article)
    elif "entity" in rec:
        entity = rec["entity"]
        spans = tuple((int(m["start"]), int(m["end"]), str(m["text"])) for m in rec["mentions"])
        extra = {"wikidata": str(entity.get("wikidata", "")), "attrs": dict(entity.get("attrs", {}))}
        node = _read_entity(graph, entity)
        data = g.nodes[node]
        data.update(extra)
        data["articles"].append(article)
        if spans:
            data["mentions"][article] = spans
        _read_article(graph, article)
        g.add_edge(node, article_node(article), "MENTIONED_IN", predicate="MENTIONED_IN", properties={},
                   evidence=[])
    elif "predicate" in rec:
        ev = rec["evidence"]
        evidence = Evidence(article, str(ev["text"]), int(ev["start"]), int(ev["end"]), str(ev["rule"]),
                            float(ev["confidence"]))
        props = {str(k): sorted(map(str, v)) for k, v in rec.get("edge_properties", {}).items()}
        key = edge_key(str(rec["predicate"]), {"role": props["role"][0]} if props.get("role") else {})
        subject, obj = _read_entity(graph, rec["subject"]), _read_entity(graph, rec["object"])
        if not g.has_edge(subject, obj, key):
            g.add_edge(subject, obj, key, predicate=rec["predicate"], properties=props, evidence=[])
        g.edges[subject, obj, key]["evidence"].append(evidence)
    else:
        raise ValueError("neither a fact, an entity nor an article line")


def _read_article(graph: KnowledgeGraph, article: str) -> dict[str, Any]:
    """The article's node: the entity lines come before its own line, which may be missing in older files."""
    node = article_node(article)
    if node not in graph.g:
        graph.g.add_node(node, type="Article", name=article, article_id=article, title="", date="", url="",
                         source="")
    return graph.g.nodes[node]


def _read_entity(graph: KnowledgeGraph, entity: dict[str, Any]) -> str:
    """The entity node of a record, added with its names the first time it is read."""
    node, etype, name, aliases = str(entity["id"]), str(entity["type"]), str(entity["name"]), entity["aliases"]
    if node not in graph.g:
        graph.g.add_node(node, type=etype, name=name, aliases=sorted(map(str, aliases)), wikidata="", attrs={},
                         articles=[], mentions={})
    return node
