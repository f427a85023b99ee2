"""The extractor of one article: the phases in order, and the one place a fact is recorded."""

from __future__ import annotations

from dataclasses import replace

from kg.dates import dateline
from kg.extract import python_rules  # noqa: F401 - registers the Python rules
from kg.extract.annotate import Annotate
from kg.extract.common import PREDICATE_REGISTRY, Cluster, SentenceData, TripleKey
from kg.extract.coreference import Coreference
from kg.extract.discourse import Discourse
from kg.extract.names import PersonMentions
from kg.gazetteer import Gazetteer
from kg.model import Article, Entity, Evidence, Extraction, Triple
from kg.rules import Match
from kg.text import split_sentences


class ArticleExtractor(Annotate, PersonMentions, Coreference, Discourse):
    """One article through the phases: annotate, mentions of persons, coreference, discourse and rules."""

    def __init__(self, article: Article, gaz: Gazetteer) -> None:
        self.article = article
        self.gaz = gaz
        self.clusters: dict[str, Cluster] = {}
        self.meetings: list[Cluster] = []
        self.tails: dict[str, tuple[int, set[tuple[str, ...]]]] = {}
        self.triples: dict[TripleKey, Triple] = {}
        self.ranks: dict[TripleKey, tuple] = {}
        # every firing, kept or outranked, with the offset of its sentence: for kg explain
        self.fired: list[tuple[TripleKey, Match, int]] = []
        self.used: set[str] = set()
        self.date: str | None = article.date

    def run(self) -> Extraction:
        sentences = split_sentences(self.article.text, self.article.furniture)
        if self.date is None:
            for s in sentences[:4]:
                self.date = dateline(s.tokens)
                if self.date:
                    break
        data = self.data = [self._read(s) for s in sentences]
        self._repeat_cue_places(data)
        self._drop_event_meetings(data)
        self.home = self._home_state(data)
        self._persons(data)
        self._person_clusters(data)
        for sd in data:
            self._cluster(sd)
        self._merge_documents(data)
        self._group_anaphors(data)
        self._relations(data)
        # A dateline found in the text is the article's date: graph, JSONL and RDF all report it.
        article = self.article if self.article.date or not self.date else replace(self.article, date=self.date)
        return Extraction(article, self._entities(), sorted(self.triples.values(), key=_triple_order))

    def add(self, subject: str | None, predicate: str, obj: str | None, sd: SentenceData, rule: str,
            confidence: float, priority: int, match: Match | None = None, **props: str) -> None:
        """Record a fact unless the ontology forbids it; of two rules that give the same triple, the one with
        the higher priority, then confidence, then the smaller id is recorded (never the one that ran first)."""
        if not subject or not obj or subject == obj:
            return
        for key in (subject, obj):  # a body named only inside a title («وكيل الأمين العام للأمم المتحدة»)
            if key not in self.clusters:
                entry = self.gaz.by_id.get(key)
                if entry is None:
                    return
                self._get(key, entry.type, entry=entry, sentence=sd.sentence.index).names.append(entry.name)
        if not PREDICATE_REGISTRY[predicate].allows(self.clusters[subject].type, self.clusters[obj].type):
            return
        s = sd.sentence
        evidence = Evidence(self.article.id, s.text, s.start, s.end, rule, confidence)
        properties = tuple(sorted((k, v) for k, v in props.items() if v))
        key = (subject, predicate, obj, properties)
        rank = (-priority, -confidence, rule)  # the smallest rank wins: priority, then confidence, then the id
        self.fired.append((key, match or Match(rule, priority, confidence, "", "", ""), s.start))
        if key not in self.triples or rank < self.ranks[key]:
            self.triples[key] = Triple(subject, predicate, obj, evidence, properties)
            self.ranks[key] = rank
            self.used |= {subject, obj}

    def _event_name(self, c: Cluster) -> str:
        """«لقاء ستافان دي ميستورا ووليد المعلم في دمشق»: the meeting a verb reported, named after who met
        and where, in the order the article named them (the noun is the lexicon's ``encounter_noun``)."""
        who = [self.clusters[t.subject].name for t in self.triples.values()
               if t.object == c.key and t.predicate == "PARTICIPATED_IN"]
        where = [self.clusters[t.object].name for t in self.triples.values()
                 if t.subject == c.key and t.predicate == "HELD_IN"]
        noun = min(self.gaz.words("encounter_noun"))
        return f"{noun} {' و'.join(who)}" + (f" في {where[0]}" if where else "")

    def _mention_spans(self) -> dict[str, list[tuple[int, int, str]]]:
        """Where the article names each entity: character offsets and the text there."""
        text = self.article.text
        spans: dict[str, list[tuple[int, int, str]]] = {}
        for sd in self.data:
            for m in sd.mentions:
                span = m.char_span(sd.reader.tokens) if m.key else None
                if span:
                    spans.setdefault(m.key, []).append((*span, text[span[0]:span[1]]))
        return spans

    def _entities(self) -> dict[str, Entity]:
        out: dict[str, Entity] = {}
        spans = self._mention_spans()
        for c in self.clusters.values():
            if (c.weak and c.key not in self.used) or not (c.names or c.event and c.key in self.used):
                continue
            if c.event and not c.names:
                c.names.append(self._event_name(c))
            entity_key = c.key
            # a gazetteer entity is known by all its names, not only those this article happens to use
            names = set(c.names) | set(c.entry.variants if c.entry else ())
            name = c.name
            attrs = dict(sorted((k, v) for k, v in c.attrs.items()
                                if k in ("number", "year", "date", "ordinal", "body")))
            out[entity_key] = Entity(entity_key, c.type, name, names - {name},
                                     c.entry.wikidata if c.entry else None, attrs,
                                     tuple(sorted(set(spans.get(entity_key, ())))))
        return out


def _triple_order(t: Triple) -> tuple:
    return (t.evidence.start, t.predicate, t.subject, t.object, t.properties)


def extract(article: Article, gaz: Gazetteer) -> Extraction:
    return ArticleExtractor(article, gaz).run()

