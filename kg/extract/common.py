"""What the phases of extraction share: the article-level clusters, the per-sentence data, and small
readings of a sentence that several phases make."""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.dates import DateMention
from kg.gazetteer import Entry, Gazetteer
from kg.mentions import (
    Mention,
    SentenceReader,
)
from kg.model import Article, Triple
from kg.ner import NameSpan
from kg.predicates import registry
from kg.rules import Match
from kg.text import Sentence, clitic_readings

UNSC_QID = "Q37470"
PREDICATE_REGISTRY = registry()
TripleKey = tuple[str, str, str, tuple[tuple[str, str], ...]]
# Offices that, named without a state, belong to the state the article is about (وزير الخارجية). A head of
# state named without one is as often a foreign one («جلالة الملك عبدالله الثاني» in a Saudi story).
STATE_OFFICES = {"head_of_government", "crown_prince", "minister", "deputy_minister",
                 "assistant_minister"}
OPEN_QUOTES = set("«“")
CLOSE_QUOTES = set("»”")
CLAUSE_PUNCTUATION = {".", ":", "؛"}

@dataclass
class Cluster:
    """One entity as this article knows it: every mention, and what the rules learned about it."""

    key: str
    type: str
    entry: Entry | None = None
    names: list[str] = field(default_factory=list)
    attrs: dict[str, str] = field(default_factory=dict)
    head: str = ""  # meetings, documents, pattern organisations: the head noun
    weak: bool = False  # pattern organisations are kept only when a relation needs them, unless named
    represents: Entry | None = None  # persons: the body they hold office for
    event: bool = False  # a meeting read from a verb («التقى»): named after who met (``_event_name``)
    sentence: int = 0

    @property
    def name(self) -> str:
        if self.entry:
            return self.entry.name
        return max(self.names, key=lambda n: (len(n.split()), n)) if self.names else self.key


@dataclass
class SentenceData:
    sentence: Sentence
    reader: SentenceReader
    mentions: list[Mention]
    dates: list[DateMention]
    names: list[NameSpan]  # what the name recogniser found in the sentence
    listed: list[tuple[int, int, Entry]]  # well-known persons (persons.json) named in full: start, end, entry
    speech_verbs: list[int] = field(default_factory=list)


def head_noun(r: SentenceReader, m: Mention) -> str:
    for stem, _ in clitic_readings(r.norms[m.start]):
        bare = stem[2:] if stem.startswith("ال") else stem
        bare = bare[:-1] if bare.endswith("ا") and len(bare) > 4 else bare
        for role in ("meeting_triggers", "document_triggers", "organization_heads"):
            if bare in r.gaz.words(role):
                return bare
    return r.norms[m.start]


def armed(m: Mention) -> bool:
    return bool(m.entry and m.entry.kind == "armed_group")


def mention_at(sd: SentenceData, k: int, types: tuple[str, ...]) -> Mention | None:
    return next((m for m in sd.mentions if m.start == k and m.type in types and m.key), None)


def nearest_key(mentions: list[Mention], k: int) -> str | None:
    if not mentions:
        return None
    return min(mentions, key=lambda m: abs(m.start - k)).key


def intervening_verb(r: SentenceReader, a: int, b: int) -> bool:
    return any(r.speech_verb(k) or not r.tokens[k].is_word and r.norms[k] in CLAUSE_PUNCTUATION
               for k in range(a + 1, b))


def title_starts(r: SentenceReader, k: int) -> bool:
    k = r.skip_honorifics(k)
    m = r.matches.get(k)
    return bool(m and m.kind == "title")


def in_title_chain(r: SentenceReader, m: Mention) -> bool:
    """A state or body that only qualifies a title («رئيس جمهورية طاجيكستان») is not itself a participant."""
    if m.type == "Person":
        return False
    for k in range(max(0, m.start - 8), m.start):
        chain = r.title_chain(k)
        if chain and chain.start < m.start < chain.end + 1:
            return True
    return False


def listed_end(r: SentenceReader, end: int) -> int | None:
    """Where a gazetteer person's name that the text names up to ``end`` ends: there, or after the family
    name that follows («سلمان بن عبد العزيز» «آل سعود»), which variants leave out. None where a patronymic
    follows: «عبدالله بن عبدالعزيز» «بن مساعد» is another man than the king the gazetteer lists."""
    if end < len(r.tokens) and r.word(end, "patronymics"):
        return None
    return family_end(r, end)


def family_end(r: SentenceReader, end: int) -> int:
    """A name read up to ``end`` goes on with the family name that follows it («… بن مساعد» «آل سعود»)."""
    if end + 1 < len(r.tokens) and r.word(end, "family_markers") and r.tokens[end + 1].is_word:
        return end + 2
    return end


def demonstrative_head(r: SentenceReader, k: int) -> bool:
    return k < len(r.tokens) and any(stem in r.gaz.words("demonstratives") for stem, _ in clitic_readings(r.norms[k]))



class ExtractorState:
    """What every phase reads and writes on the one extractor of an article (``ArticleExtractor``)."""

    article: Article
    gaz: Gazetteer
    date: str | None
    data: list[SentenceData]
    home: Entry | None
    main_meeting: str | None
    clusters: dict[str, Cluster]
    meetings: list[Cluster]  # the Meeting clusters of `clusters`, in the order they were made
    tails: dict[str, tuple[int, set[tuple[str, ...]]]]  # organisation key -> (names read, their tails)
    triples: dict[TripleKey, Triple]
    ranks: dict[TripleKey, tuple]
    fired: list[tuple[TripleKey, Match, int]]
    used: set[str]
