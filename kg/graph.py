"""The merged knowledge graph, held in networkx: the embedded default that needs no server.

Nodes are entities (keyed by their stable id) and articles (keyed ``article:<id>``).
Edges are keyed by ``PREDICATE`` or ``PREDICATE|role`` so that the same fact stated by several
articles becomes one edge whose ``evidence`` lists every source, while a person who held two
roles for one state keeps two edges.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict
from itertools import chain
from typing import Any

import networkx as nx

from kg.errors import KGError
from kg.ids import name_key, part_of_name
from kg.model import Article, Entity, Evidence, Extraction
from kg.text import normalize

ARTICLE_PREFIX = "article:"


def article_node(article_id: str) -> str:
    return ARTICLE_PREFIX + article_id


def search_keys(node: str, name: str, aliases: Iterable[str], wikidata: str | None) -> list[str]:
    """The forms a user may type for an entity (id, QID, name, aliases), folded as `--around` folds a name
    (hamza, ta marbuta, diacritics): Neo4j stores them so that named queries find «الأمم المتحده» too."""
    return sorted({normalize(form) for form in (node, name, *aliases, wikidata or "") if form})


def edge_key(predicate: str, properties: dict[str, str]) -> str:
    role = properties.get("role")
    return f"{predicate}|{role}" if role else predicate


class KnowledgeGraph:
    """A thin, deterministic layer over ``nx.MultiDiGraph``.

    Every list attribute is kept sorted and de-duplicated so that two builds over the same input,
    in any order, produce byte-identical exports.
    """

    def __init__(self) -> None:
        self.g = nx.MultiDiGraph()

    # -- building -----------------------------------------------------------------------------

    def add(self, extraction: Extraction) -> None:
        article = extraction.article
        self._add_article(article)
        for entity in extraction.entities.values():
            self._add_entity(entity, article.id)
        for triple in extraction.triples:
            if triple.subject not in extraction.entities or triple.object not in extraction.entities:
                raise KGError(f"{article.id}: a triple names an entity the extraction does not hold")
            props = dict(triple.properties)
            key = edge_key(triple.predicate, props)
            if self.g.has_edge(triple.subject, triple.object, key):
                data = self.g.edges[triple.subject, triple.object, key]
            else:
                self.g.add_edge(triple.subject, triple.object, key, predicate=triple.predicate,
                                properties={}, evidence=[])
                data = self.g.edges[triple.subject, triple.object, key]
            for name, value in props.items():
                values = set(data["properties"].get(name, [])) | {value}
                data["properties"][name] = sorted(values)
            _insert_sorted(data["evidence"], triple.evidence, _evidence_order)

    def extend(self, extractions: Iterable[Extraction]) -> None:
        for extraction in extractions:
            self.add(extraction)

    def _add_article(self, article: Article) -> None:
        # the local file an article was read from is no property of the article: the same articles read from
        # differently named files make the same graph (and the same Neo4j and RDF)
        self.g.add_node(article_node(article.id), type="Article", name=article.title or article.id,
                        article_id=article.id, title=article.title, date=article.date or "",
                        url=article.url or "", source=article.source or "")

    def _add_entity(self, entity: Entity, article_id: str) -> None:
        if entity.id not in self.g:
            self.g.add_node(entity.id, type=entity.type, name=entity.name, aliases=[],
                            wikidata=entity.wikidata or "", attrs={}, articles=[], mentions={})
        data = self.g.nodes[entity.id]
        names = set(data["aliases"]) | set(entity.aliases) | {entity.name, data["name"]}
        # A pairwise minimum over a total order: the canonical name never depends on input order.
        data["name"] = min(data["name"], entity.name, key=_name_rank)
        data["aliases"] = sorted(names - {data["name"]})
        data["wikidata"] = data["wikidata"] or (entity.wikidata or "")
        for k, v in entity.attrs.items():  # on a conflict the smaller value wins: order-independent
            data["attrs"][k] = min(data["attrs"].get(k, v), v)
        _insert_sorted(data["articles"], article_id)
        if entity.mentions:
            data["mentions"][article_id] = entity.mentions
        self.g.add_edge(entity.id, article_node(article_id), "MENTIONED_IN", predicate="MENTIONED_IN",
                        properties={}, evidence=[])

    def resolve_names(self, patronymics: frozenset[str]) -> int:
        """Merge each person or document named in a shorter form into the one entity of its type in the graph
        whose fuller name it is part of, and return how many merged: «المعلم» into «وليد المعلم», «عبدالله
        الثاني» into «عبدالله الثاني بن الحسين», «الاتفاق النووي» into «الاتفاق النووي الإيراني».

        Within an article the extractor does this already; across articles only the whole graph knows whether
        the short form is unambiguous: with two persons named «… الأسد», «الأسد» alone stays apart, and so does
        «البيان الختامي» beside several final communiqués. It runs on the finished graph, so the result does
        not depend on input order."""
        def person(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
            # across articles, a shorter name is the start of the fuller one («محمد بن نايف»), its tail
            # («الجبير»، «قائد السبسي») or its given name and surname («عادل الجبير»), not its father's name
            # («حمد عيسى» of «حمد بن عيسى»): one that skips words otherwise is as often another man's
            return part_of_name(short, full, patronymics) and (
                full[:len(short)] == short or full[-len(short):] == short
                or len(short) == 2 and short[-1] == full[-1] and full[-2] not in patronymics)

        def document(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
            return len(short) >= 2 and full[:len(short)] == short

        return self._resolve("Person", person) + self._resolve("Document", document)

    def _resolve(self, entity_type: str, part: Callable[[tuple[str, ...], tuple[str, ...]], bool]) -> int:
        names: dict[str, list[tuple[str, ...]]] = {}
        by_token: dict[str, set[str]] = {}
        for node, data in self.entities():
            if data["type"] != entity_type:
                continue
            forms = [tokens for tokens in (tuple(name_key(n).split()) for n in (data["name"], *data["aliases"]))
                     if tokens]
            if forms:
                names[node] = forms
                for tokens in forms:
                    by_token.setdefault(tokens[0], set()).add(node)
                    by_token.setdefault(tokens[-1], set()).add(node)
        merged = 0
        # The longest form of each, kept up to date as forms move to an owner, and the nodes merged away: two
        # tests that spare most candidates the name comparison and the graph look-up (of a name shared by
        # thousands of persons, «محمد», most forms are no longer than the one being placed).
        longest = {node: max(map(len, forms)) for node, forms in names.items()}
        removed: set[str] = set()
        for node in sorted(names, key=lambda n: (longest[n], n)):
            if node in removed:
                continue
            short = max(names[node], key=len)
            size = len(short)
            owners: set[str] = set()
            # Whether one owner or several exist is all that counts, never which is met first: the candidates are
            # read as they are, and the loop stops at a second owner.
            first, last = by_token.get(short[0], set()), by_token.get(short[-1], set())
            for other in chain(first, () if last is first else last):
                if longest[other] > size and other != node and other not in removed \
                        and any(len(full) > size and part(short, full) for full in names[other]):
                    owners.add(other)
                    if len(owners) > 1:
                        break  # ambiguous: no need to find the others
            if len(owners) == 1:
                owner = owners.pop()
                self._merge_into(node, owner)
                names[owner] += names[node]
                longest[owner] = max(longest[owner], longest[node])
                removed.add(node)
                merged += 1
        return merged

    def _merge_into(self, source: str, target: str) -> None:
        src, dst = self.g.nodes[source], self.g.nodes[target]
        names = set(dst["aliases"]) | set(src["aliases"]) | {src["name"]}
        dst["aliases"] = sorted(names - {dst["name"]})
        for article in src["articles"]:
            _insert_sorted(dst["articles"], article)
        for article, spans in src["mentions"].items():
            dst["mentions"][article] = tuple(sorted({*dst["mentions"].get(article, ()), *spans}))
        for k, v in src["attrs"].items():
            dst["attrs"][k] = min(dst["attrs"].get(k, v), v)
        moved = [(target, o, key, data) for _, o, key, data in self.g.out_edges(source, keys=True, data=True)]
        moved += [(s, target, key, data) for s, _, key, data in self.g.in_edges(source, keys=True, data=True)]
        self.g.remove_node(source)
        for s, o, key, data in moved:
            if s == o:
                continue
            if not self.g.has_edge(s, o, key):
                self.g.add_edge(s, o, key, predicate=data["predicate"], properties={}, evidence=[])
            edge = self.g.edges[s, o, key]
            for name, values in data["properties"].items():
                edge["properties"][name] = sorted(set(edge["properties"].get(name, [])) | set(values))
            for ev in data["evidence"]:
                _insert_sorted(edge["evidence"], ev, _evidence_order)

    # -- reading ------------------------------------------------------------------------------

    def entities(self) -> Iterator[tuple[str, dict[str, Any]]]:
        for node in sorted(self.g.nodes):
            data = self.g.nodes[node]
            if data["type"] != "Article":
                yield node, data

    def articles(self) -> Iterator[tuple[str, dict[str, Any]]]:
        for node in sorted(self.g.nodes):
            data = self.g.nodes[node]
            if data["type"] == "Article":
                yield data["article_id"], data

    def relations(self, include_mentions: bool = False) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
        """Edges in a stable order: (subject, object, key, data)."""
        for s, o, key in sorted(self.g.edges(keys=True)):
            data = self.g.edges[s, o, key]
            if include_mentions or data["predicate"] != "MENTIONED_IN":
                yield s, o, key, data

    def facts(self, node: str) -> int:
        """How many stated facts (relations other than MENTIONED_IN) touch the entity. Most names an archive
        yields carry none; views leave those out by default, and searches still find them."""
        edges = self.g.edges
        return sum(1 for u, v, k in (*self.g.out_edges(node, keys=True), *self.g.in_edges(node, keys=True))
                   if edges[u, v, k]["predicate"] != "MENTIONED_IN")

    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        """Entities by type and relations by predicate, for the build summary (no sorting of the edges:
        this runs after every build, on graphs of hundreds of thousands of them)."""
        by_type = Counter(t for _, t in self.g.nodes(data="type") if t != "Article")
        by_pred = Counter(p for _, _, p in self.g.edges(data="predicate") if p != "MENTIONED_IN")
        return dict(sorted(by_type.items())), dict(sorted(by_pred.items()))


def _name_rank(name: str) -> tuple[int, str]:
    """Prefer the fullest form of a name (most tokens), then the lexicographically smallest."""
    return (-len(name.split()), name)


def _evidence_order(e: Evidence) -> tuple[str, int, int, str]:
    return (e.article, e.start, e.end, e.rule)


def _insert_sorted(items: list[Any], value: Any, key: Any = None) -> None:
    """Keep ``items`` sorted and unique in O(log n) comparisons: popular entities are in thousands
    of articles, and re-sorting on every add made large builds quadratic."""
    probe = key(value) if key else value
    i = bisect_left(items, probe, key=key)
    if i < len(items) and (key(items[i]) if key else items[i]) == probe:
        return
    items.insert(i, value)


def evidence_dict(evidence: Evidence) -> dict[str, Any]:
    return asdict(evidence)
