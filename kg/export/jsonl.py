"""JSON Lines in the format the scorer reads (``/work/shared/gold/GUIDE.md``).

One line per (relation edge, evidence), then one line per (entity, article it is mentioned in), with
where that article names it (character offsets and surface form) and how many facts the entity has.
Lines follow the graph's sorted order and every object is dumped with sorted keys and fixed
separators, so two writes of the same graph are byte-identical.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg.graph import KnowledgeGraph

_SURROGATE = re.compile("[\ud800-\udfff]")


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
            yield _dumps({
                "article": ev.article,
                "subject": subject,
                "predicate": data["predicate"],
                "object": obj,
                "properties": _properties(data["predicate"], key, data["properties"], dates.get(ev.article, "")),
                "evidence": {"text": ev.sentence, "start": ev.start, "end": ev.end, "rule": ev.rule,
                             "confidence": ev.confidence},
            })
    for node, data in graph.entities():
        entity = {**_entity(node, data), "facts": graph.facts(node)}
        for article in data["articles"]:
            mentions = [{"start": s, "end": e, "text": text} for s, e, text in data["mentions"].get(article, ())]
            yield _dumps({"article": article, "entity": entity, "mentions": mentions})


def write_jsonl(graph: KnowledgeGraph, path: str | Path) -> None:
    """Stream the lines into ``path`` (UTF-8, LF), so memory does not grow with the file."""
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        for line in jsonl_lines(graph):
            out.write(clean_text(line))
            out.write("\n")
