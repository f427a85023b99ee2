"""Stage 2: one article in, its entities and triples (with provenance) out.

The article is read twice. The first pass finds mentions in every sentence (``kg.mentions``)
and groups them into article-level clusters (coreference: a surname to the full name, «الجلسة» to
the session last named, «الإعلان» to the declaration). The second pass walks the sentences in
order, keeping the discourse state a reader keeps (who is speaking, which meeting is current,
whether a quotation is open), and applies the relation rules. Every rule is keyed on roles of the
lexicon (``kg/data/patterns/lexicon.json``), never on a particular sentence.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cached_property

from kg.dates import DateMention, dateline, find_dates
from kg.gazetteer import PHRASE_START, Entry, Gazetteer, stem_forms
from kg.ids import digest, entity_id, name_key, part_of_name
from kg.mentions import (
    Mention,
    SentenceReader,
    document_mentions,
    encounter_mentions,
    meeting_mentions,
    organization_mentions,
    resolution_mentions,
)
from kg.model import Article, Entity, Evidence, Extraction, Triple
from kg.ner import NameSpan
from kg.predicates import registry
from kg.rules import PYTHON_RULES, Match, python_rule, run_rules
from kg.text import Sentence, clitic_readings, normalize_phrase, split_sentences

UNSC_QID = "Q37470"
PREDICATE_REGISTRY = registry()
TripleKey = tuple[str, str, str, tuple[tuple[str, str], ...]]
# Offices that, named without a state, belong to the state the article is about (وزير الخارجية).
_STATE_OFFICES = {"head_of_state", "head_of_government", "crown_prince", "minister", "deputy_minister",
                  "assistant_minister"}
_AT_MEETING = {"خلال", "في", "امام", "اثناء"}
_LIST_STOPS = {"خلال", "منذ", "حيث", "الذي", "التي", ".", ":", "؛"}
_NAME_LINKS = ("patronymics", "kunya_markers", "family_markers")
_OPEN_QUOTES = set("«“")
_CLOSE_QUOTES = set("»”")


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
        return max(self.names, key=lambda n: (len(n.split()), n))


@dataclass
class SentenceData:
    sentence: Sentence
    reader: SentenceReader
    mentions: list[Mention]
    dates: list[DateMention]
    names: list[NameSpan]  # what the name recogniser found in the sentence
    speech_verbs: list[int] = field(default_factory=list)


class ArticleExtractor:
    def __init__(self, article: Article, gaz: Gazetteer) -> None:
        self.article = article
        self.gaz = gaz
        self.clusters: dict[str, Cluster] = {}
        self.triples: dict[TripleKey, Triple] = {}
        self.ranks: dict[TripleKey, tuple] = {}
        # every firing, kept or outranked, with the offset of its sentence: for kg explain
        self.fired: list[tuple[TripleKey, Match, int]] = []
        self.used: set[str] = set()
        self.date: str | None = article.date

    # -- driver ---------------------------------------------------------------------------------

    def run(self) -> Extraction:
        sentences = split_sentences(self.article.text, self.article.furniture)
        if self.date is None:
            for s in sentences[:4]:
                self.date = dateline(s.tokens)
                if self.date:
                    break
        data = self.data = [self._read(s) for s in sentences]
        self.home = self._home_state(data)
        self._persons(data)
        self._person_clusters(data)
        for sd in data:
            self._cluster(sd)
        self._group_anaphors(data)
        self._relations(data)
        # A dateline found in the text is the article's date: graph, JSONL and RDF all report it.
        article = self.article if self.article.date or not self.date else replace(self.article, date=self.date)
        return Extraction(article, self._entities(), sorted(self.triples.values(), key=_triple_order))

    # -- pass 1: mentions and clusters -----------------------------------------------------------

    def _read(self, sentence: Sentence) -> SentenceData:
        reader = SentenceReader(sentence, self.gaz)
        docs = document_mentions(reader)
        inside_docs = {i for d in docs if d.via == "pattern" for i in range(d.start, d.end)}
        mentions: list[Mention] = []
        for m in reader.matches.values():
            if m.start in inside_docs or m.kind not in ("name", "adj"):
                continue
            entry: Entry = m.payload  # type: ignore[assignment]
            if m.kind == "adj" and entry.type != "State":
                continue
            mentions.append(Mention(entry.type, m.start, m.end, reader.surface(m.start, m.end, m.prefix),
                                    entry=entry, via=m.kind, prefix=m.prefix))
        # a match, a tournament, a training camp: no sentence about sport names a meeting of the guide
        if not reader.cues("sport_context"):
            mentions += meeting_mentions(reader) + encounter_mentions(reader)
        mentions += docs + resolution_mentions(reader)
        mentions += [o for o in organization_mentions(reader) if o.start not in inside_docs]
        mentions.sort(key=lambda m: (m.start, -m.end))
        return SentenceData(sentence, reader, mentions, find_dates(sentence.tokens, self.date),
                            _with_kunyas(reader, self.gaz.names.spans(sentence.tokens, confidence=False)))

    def _home_state(self, data: list[SentenceData]) -> Entry | None:
        """The state whose offices an article leaves unnamed («وزير الخارجية»): the state of its dateline
        («الرياض – واس»), else the one it names most often (the first on a tie). A national news agency and a
        title only one state's head bears («خادم الحرمين الشريفين») speak for their state too: a Saudi story
        about Jordan names Jordan more often than the kingdom whose ministers it quotes."""
        counts: Counter[str] = Counter()
        first: dict[str, tuple[int, Entry]] = {}
        for sd in data:
            for m in sd.mentions:
                state, votes = None, 1
                if m.entry and m.entry.type == "State":
                    state = m.entry
                elif m.entry and m.entry.kind == "news_agency" and m.entry.located_in and sd.sentence.index < 4:
                    state, votes = self.gaz.lookup(m.entry.located_in), 3
                if sd.sentence.index < 4 and m.entry and m.via == "name" and _dateline(sd.reader, m):
                    place = m.entry if m.entry.type == "State" else self.gaz.lookup(m.entry.located_in or "")
                    if place is not None and place.type == "State":
                        return place  # where the story was filed speaks for its unnamed offices
                if state is not None and state.type == "State":
                    counts[state.name] += votes
                    first.setdefault(state.name, (sd.sentence.index * 1000 + m.start, state))
            for t in sd.reader.matches.values():
                body = self.gaz.lookup(t.payload.default_body) if t.kind == "title" and t.payload.default_body \
                    else None
                if body is not None and body.type == "State":
                    counts[body.name] += 1
                    first.setdefault(body.name, (sd.sentence.index * 1000 + t.start, body))
        if not counts:
            return None
        ranked = sorted(counts, key=lambda k: (-counts[k], first[k][0]))
        runner_up = counts[ranked[1]] if len(ranked) > 1 else 0
        if counts[ranked[0]] < 2 or counts[ranked[0]] < 2 * runner_up:
            return None  # no single state dominates: an implicit office cannot be attributed safely
        return first[ranked[0]][1]

    def _persons(self, data: list[SentenceData]) -> None:
        """Persons, in two passes over the article.

        Title chains first, as they carry the role and the body («وزير الخارجية الروسي سيرجي لافروف»). Then, in
        each sentence, the names the recogniser found with no title («أنطونيو غوتيريش»), the subjects of speech
        verbs, and the surnames of persons already named («قال لافروف»). Wherever the recogniser marked a name,
        its span says where the name is; the rules say where it must end, and add names only where a title or
        a speech verb vouches for them (``_vouched_name``).
        """
        known: set[str] = set()
        for sd in data:
            r = sd.reader
            i = 0
            while i < len(r.tokens):
                chain = r.title_chain(i)
                if not chain or all(t.kind == "editor" for t in chain.titles) \
                        or i > 0 and r.norms[i - 1].endswith("عبد"):  # «عبد الملك» is a name, not a king
                    i += 1
                    continue
                if r.word(i - 1, "eponym_heads"):  # «جامعة الملك سعود»، «كأس ولي العهد»: a name, not an office
                    i = max(chain.end, r.name_at(r.skip_honorifics(chain.end)))
                    continue
                start = r.skip_honorifics(chain.end)
                end = self._name_end(sd, start, known, anchored="title")
                span = (start, end, 0) if end > start else self._name_before(sd, chain.start, known)
                body, implicit = self._chain_body(chain)
                if span:
                    person = Mention("Person", span[0], span[1], r.surface(*span), via="title", prefix=span[2],
                                     titles=tuple(chain.titles),
                                     role=" و".join(chain.role_tokens).replace("\u0640", "").strip(),
                                     body=body, body_implicit=implicit, lead=chain.start)
                    sd.mentions.append(person)
                    known |= set(normalize_phrase(person.name))
                i = max(chain.end, span[1] if span else chain.end)
        for sd in data:
            r = sd.reader
            taken = {k for m in sd.mentions for k in range(m.start, m.end)}
            for name in sd.names:
                if name.type != "PERS" or name.start in taken:
                    continue
                start = r.skip_honorifics(name.start)
                if r.word(start, "patronymics") and start > 0 and start - 1 not in taken \
                        and r.name_like(start - 1, first=True) and r.norms[start - 1] not in self.gaz.common_words:
                    start -= 1  # «تركي» «بن فهد المشيقح»: a name never starts with بن
                elif self._stray_conjunction(r, start, known) and start + 1 < name.end:
                    start += 1  # «ودرس» «كارفالهو»: a verb with و, not a name
                end = self._name_end(sd, start, known)
                if end - start == 1 and r.norms[start] not in known \
                        and r.norms[start] not in self.gaz.words("person_words"):
                    continue  # one word alone, with no title to vouch for it, is a name the article or the model knows
                nisbas = [m for m in sd.mentions if m.via == "adj" and start <= m.start < end]
                clash = taken.intersection(range(start, end)) - {k for m in nisbas for k in range(m.start, m.end)}
                if end > start and not clash:
                    sd.mentions = [m for m in sd.mentions if m not in nisbas]  # «أبو قتادة التونسي» is no Tunisia
                    prefix = self._conjunction(sd, start, known)
                    sd.mentions.append(Mention("Person", start, end, r.surface(start, end, prefix), via="model",
                                               prefix=prefix))
                    taken |= set(range(start, end))
                    known |= set(normalize_phrase(sd.mentions[-1].name))
            for v in range(len(r.tokens)):
                if v in taken:
                    continue
                if r.word(v, "speech_verbs") and (r.norms[v] not in ("بين", "وبين") or v == _first_word(r)):
                    sd.speech_verbs.append(v)
                    start = r.skip_honorifics(v + 1)
                    if start in taken:
                        continue
                    end = self._name_end(sd, start, known, anchored="speech")
                    if end > start and self._plausible_name(r, start, end, known):
                        sd.mentions.append(Mention("Person", start, end, r.surface(start, end), via="speech"))
                        taken |= set(range(start, end))
                elif r.norms[v] in known and r.tokens[v].is_word \
                        and not self.gaz.is_non_name(r.norms[v], r.tokens[v].text):
                    end = self._name_end(sd, v, known)
                    if end > v:
                        sd.mentions.append(Mention("Person", v, end, r.surface(v, end), via="name"))
                        taken |= set(range(v, end))
            sd.mentions.sort(key=lambda m: (m.start, -m.end))

    def _name_end(self, sd: SentenceData, start: int, known: set[str], anchored: str = "") -> int:
        """Where a personal name starting at token ``start`` ends (``start`` when none starts there).

        A name is what the recogniser marked, cut at the first word that cannot be part of one: it may run on
        into a word with an attached pronoun («ميركل قولها»), a common word or a cue word. Where it marked
        nothing, the names of persons the article has already named, and after a title or a speech verb what
        ``_vouched_name`` allows: words that merely look like a name are as often «قال مصدر عسكري».
        """
        r = sd.reader
        model = self._model_name(sd, start, anchored)
        if model is None:
            end = start
            while end < len(r.tokens) and r.norms[end] in known and r.tokens[end].is_word:
                end += 1
            return self._vouched_name(r, start, known, anchored) if end == start and anchored else end
        end = next((k for k in range(start + 1, model.end) if self._suffixed(r, k)), model.end)
        end = r.name_at(start, known, until=end)
        if end == model.end and end < len(r.tokens) and r.norms[end - 1].endswith("عبد") and r.tokens[end].is_word:
            end += 1  # «عبد اللطيف بن عبد» «الملك»: عبد is never the last word of a name
        family = next((k for k in (end - 1, end) if start < k and r.word(k, "family_markers")), None)
        if family is not None and family + 1 < len(r.tokens) and r.tokens[family + 1].is_word \
                and not r.gaz.is_stopword(r.tokens[family + 1].text):  # «آل الشيخ» too
            end = family + 2  # «سلمان بن عبدالعزيز آل سعود»: the recogniser often stops before the family name
        elif end == model.end and end - start >= 3 and r.word(end - 2, "patronymics") and self._surname(r, end):
            end += 1  # «محمد بن عبدالله بن علي الشبلان»: a patronymic chain ends in the family name
        elif anchored and end == model.end and r.name_at(start, known) > end and self._surname(r, end):
            end += 1  # «عبد العزيز كاميلوف»: a title or speech verb vouches for the foreign surname left out
        nisba = r.matches.get(end)
        if end > start and r.word(start, "kunya_markers") and nisba and nisba.kind == "adj":
            end = nisba.end  # «أبو قتادة التونسي»: a nom de guerre ends in its nisba
        while end - 1 > start and any(r.word(end - 1, role) for role in _NAME_LINKS):
            end -= 1  # «المراهق بن»: a name never ends in بن, أبو or آل
        return end

    def _vouched_name(self, r: SentenceReader, start: int, known: set[str], anchor: str) -> int:
        """End of the name a title or a speech verb (``anchor``) vouches for where the recogniser saw none: a
        given name it learned and what follows («غادة والي»), or one word that is no common word, with no
        proclitic or pronoun suffix («الرئيس أوباما»; not «جلالة الملك أطلق», «الناطق باسم»), and with the
        article only after a title («وزير الخارجية الجبير»; «قال الجيش» is no person)."""
        if start >= len(r.tokens) or start in r.covered or r.norms[start] in self.gaz.common_words:
            return start
        norm = r.norms[start]
        if norm.startswith("ال") and anchor == "title":
            return start + 1 if r.name_like(start, first=False) and not self._suffixed(r, start) \
                and not r.tokens[start].text.endswith("ة") and self.gaz.roles(norm) <= {PHRASE_START} else start
        if not r.name_like(start, first=True):
            return start
        if norm in self.gaz.words("person_words"):
            end = r.name_at(start, known, common=True)
            if end - start >= 2 and not any(self._suffixed(r, k) or r.norms[k].startswith("و")
                                            for k in range(start + 1, end)):
                return end
        if self._suffixed(r, start) or any(stem != norm for stem, _ in clitic_readings(norm)):
            return start
        end = start + 1  # and the words after it that can only be a name («الممثلة العليا … فيديريكا موغيريني»)
        while end < min(len(r.tokens), start + 3) and not r.norms[end].startswith("ال") and self._surname(r, end):
            end += 1
        return end

    def _model_name(self, sd: SentenceData, start: int, anchored: str) -> NameSpan | None:
        """The recogniser's name over token ``start``. After a title or a speech verb, which vouch for a name,
        names it marked side by side are one («إمام» «علي رحمان»), and it may have left out the first word."""
        names = [n for n in sd.names if n.type == "PERS"]
        if anchored:
            joined: list[NameSpan] = []
            for n in names:
                if joined and joined[-1].end == n.start:
                    before = joined.pop()
                    n = NameSpan(before.start, n.end, n.type)
                joined.append(n)
            names = joined
        found = next((n for n in names if n.start <= start < n.end), None)
        if found is None and anchored:
            nxt = next((n for n in names if n.start == start + 1), None)
            if nxt and sd.reader.name_like(start, first=False) and sd.reader.norms[start] not in self.gaz.common_words:
                found = nxt._replace(start=start)
        return found

    def _name_before(self, sd: SentenceData, i: int, known: set[str]) -> tuple[int, int, int] | None:
        """The name before a title («سيرجي ايفانوف، نائب …»), where the recogniser or the article vouches for it."""
        span = sd.reader.name_before(i, known)
        if span is None:
            return None
        first = sd.reader.norms[span[0]]  # the recogniser may leave out a first name: «ليندا» «توماس غرينفيلد»
        lead = span[0] + (first not in self.gaz.common_words and not first.startswith("و"))
        if any(n.type == "PERS" and span[0] <= n.start <= lead and n.start < span[1] for n in sd.names) \
                or all(sd.reader.norms[k] in known for k in range(span[0], span[1])):
            return span
        return None

    def _conjunction(self, sd: SentenceData, k: int, known: set[str]) -> int:
        """1 when the name's first word carries the conjunction و of a list of names («… وكيري», «الجبير ومحمد
        جواد ظريف»): ANERcorp, which the recogniser learned from, keeps it inside the name. A word that is a
        name as written («وليد») keeps its و unless it follows a name, a comma or another و."""
        r = sd.reader
        norm = r.norms[k]
        if len(norm) < 4 or not norm.startswith("و"):
            return 0
        stem, names = norm[1:], self.gaz.words("person_words")
        prev = k - 1
        after_name = prev >= 0 and (r.norms[prev] in known or r.norms[prev] in ("،", ",")
                                    or any(n.type == "PERS" and n.start <= prev < n.end for n in sd.names))
        if stem in known or stem in names:
            return 1 if norm not in names or norm.startswith("وو") or stem in known or after_name else 0
        return 1 if after_name and norm not in names else 0  # «… وروبرت ردفورد وكلينت إيستوود»

    def _stray_conjunction(self, r: SentenceReader, k: int, known: set[str]) -> bool:
        """Is token k a word with the conjunction و that neither it nor its stem is known as a name?"""
        norm, names = r.norms[k], self.gaz.words("person_words")
        return norm.startswith("و") and norm not in names and norm[1:] not in names and norm[1:] not in known

    def _surname(self, r: SentenceReader, k: int) -> bool:
        """Could token k end a name the recogniser cut short («عبد العزيز كاميلوف», «حمد سليمان المشعان»)? A
        name-like word that is no common word, with no pronoun suffix or proclitic, not in ة, and not the first
        word of a title («نائب»)."""
        norm = r.norms[k] if k < len(r.tokens) else ""
        if not r.name_like(k, first=False) or self._suffixed(r, k) or r.tokens[k].text.endswith("ة") \
                or norm in self.gaz.common_words \
                or norm.startswith(("و", "ب", "ل")) and norm not in self.gaz.words("person_words"):
            return False  # a word in ة is an adjective or a noun far more often than a foreign surname
        return not any(form in self.gaz.title_heads for form, _, _ in stem_forms(r.norms[k]))

    def _suffixed(self, r: SentenceReader, k: int) -> bool:
        """Does the word carry an attached pronoun (لمستضيفيه، تصريحاته، قولها)? Names rarely do."""
        raw = r.tokens[k].text
        return len(raw) > 4 and raw.endswith(tuple(self.gaz.words("pronoun_suffixes"))) \
            and not raw.endswith(tuple(self.gaz.words("name_endings")))

    def _plausible_name(self, r: SentenceReader, start: int, end: int, known: set[str]) -> bool:
        """A speech-verb subject with no title is a name when the article knows it, or when it is followed by
        what follows a speaker (إن، أن، a comma, a colon, a quote); one word only by «إن» or a colon."""
        if any(r.norms[k] in known for k in range(start, end)):
            return True
        nxt = r.norms[end] if end < len(r.tokens) else "."
        return (end - start >= 2 or nxt in ("ان", "انه", ":")) \
            and (nxt in {"ان", "انه", "،", ",", ":", "«", "“", '"', "الي", "علي"}
                                      or not r.tokens[end].is_word if end < len(r.tokens) else True)

    def _chain_body(self, chain) -> tuple[Entry | None, bool]:
        if chain.body:
            return chain.body, False
        if chain.home:
            return self.home, True
        return None, True

    def _cluster(self, sd: SentenceData) -> None:
        r = sd.reader
        for m in sd.mentions:
            if m.entry:
                m.key = m.entry.id
                c = self._get(m.key, m.entry.type, entry=m.entry, sentence=sd.sentence.index)
                c.names.append(m.name)
                c.head = c.head or _head(r, m)
            elif m.type == "Person":
                c = self.clusters[m.key]
                c.names.append(m.name)
                self._adopt_title(c, m)
            elif m.type == "Resolution":
                body = m.body.id if m.body else UNSC_QID
                m.key = f"resolution:{'unsc' if body == UNSC_QID else body}:{m.attrs['number']}"
                c = self._get(m.key, "Resolution", sentence=sd.sentence.index)
                c.names.append(m.name)
                c.attrs.update(m.attrs)
                if m.body:
                    c.attrs["body"] = m.body.id
            elif m.type == "Organization":
                self._organization_key(m, r, sd)
            elif m.type == "Document":
                self._document_key(m, r, sd)
        for m in sd.mentions:
            if m.type == "Meeting":
                self._meeting_key(m, sd)

    def _group_anaphors(self, data: list[SentenceData]) -> None:
        """«التنظيم»، «الجماعة»: the bare word refers back to the armed group last named, or before any is
        named, to the one the article is about."""
        last = self.salient_group()
        if last is None:
            return
        for sd in data:
            covered = {k for m in sd.mentions for k in range(m.start, m.end)}
            named = [m for m in sd.mentions if _armed(m) and m.key]
            for k in sd.reader.cues("group_anaphors"):
                if self._other_body_head(sd.reader, k):
                    continue  # «لهذه المجموعة» after «مجموعة العمل …»: the working group, not the armed one
                before = [m for m in named if m.end <= k]
                key = before[-1].key if before else last
                if k not in covered:
                    sd.mentions.append(Mention("Organization", k, k + 1, sd.reader.surface(k, k + 1),
                                               entry=self.clusters[key].entry, via="anaphor", key=key))
            last = named[-1].key if named else last
            sd.mentions.sort(key=lambda m: (m.start, -m.end))

    def _other_body_head(self, r: SentenceReader, k: int) -> bool:
        head = _head(r, Mention("Organization", k, k + 1, ""))
        return _demonstrative_head(r, k - 1) or any(
            c.type == "Organization" and c.head == head and not (c.entry and c.entry.kind == "armed_group")
            for c in self.clusters.values())

    def _organization_key(self, m: Mention, r: SentenceReader, sd: SentenceData) -> None:
        """«المجموعة المعنية بمنع …» is «مجموعة العمل المعنية بمنع …»: what a group is concerned with
        identifies it, whatever its head is called."""
        head = _head(r, m)
        tail = self._org_tail(m.name)
        named = bool(m.attrs.get("named"))  # a body the text names («مفوضية الاتحاد الأفريقي») stands on its own
        for c in self.clusters.values():
            if c.type == "Organization" and tail and any(self._org_tail(n) == tail for n in c.names):
                m.key = c.key
                c.names.append(m.name)
                c.weak = c.weak and not named
                return
        m.key = entity_id("Organization", f"{head} {' '.join(tail)}" if tail else m.name)
        fresh = m.key not in self.clusters
        c = self._get(m.key, "Organization", sentence=sd.sentence.index)
        c.names.append(m.name)
        c.head, c.weak = head, (fresh or c.weak) and not named

    def _org_tail(self, name: str) -> tuple[str, ...]:
        tokens = normalize_phrase(name)
        linkers = self.gaz.words("organization_linkers")
        for k, tok in enumerate(tokens[1:], 1):
            if tok in linkers:
                return tokens[k:]
        return ()

    def _get(self, key: str, type_: str, entry: Entry | None = None, sentence: int = 0) -> Cluster:
        if key not in self.clusters:
            self.clusters[key] = Cluster(key, type_, entry=entry, sentence=sentence)
        return self.clusters[key]

    def _person_clusters(self, data: list[SentenceData]) -> None:
        """One cluster per person of the article, whichever of their names the article uses first.

        The fullest names are placed first; a shorter one joins the person it is part of: the same given name
        and a subsequence of the full name («الملك سلمان», «محمد بن نايف» of «محمد بن نايف بن عبدالعزيز آل
        سعود»), or its tail («الجبير», «قائد السبسي»). Reading from the given name keeps «سلمان بن عبدالعزيز»
        apart from «محمد بن سلمان بن عبدالعزيز», whose tokens it shares."""
        found = [(sd.sentence.index, m) for sd in data for m in sd.mentions if m.type == "Person"]
        found.sort(key=lambda p: (-len(name_key(p[1].name).split()), p[0], p[1].start))
        people: list[tuple[tuple[str, ...], Cluster]] = []
        patronymics = self.gaz.words("patronymics")
        for index, m in found:
            tokens = tuple(name_key(m.name).split())
            cluster = next((c for full, c in people if part_of_name(tokens, full, patronymics)), None)
            if cluster is None:
                cluster = self._get(entity_id("Person", self._person_signature(tokens)), "Person", sentence=index)
                people.append((tokens, cluster))
            cluster.sentence = min(cluster.sentence, index)
            m.key = cluster.key

    def _person_signature(self, tokens: tuple[str, ...]) -> str:
        """The part of a full name that stays the same across articles, which name the same person more or less
        fully: the given name and surname («عادل بن أحمد الجبير» and «عادل الجبير»), or, for a name that ends
        in its patronymic chain, the given name and the father's («محمد بن نايف بن عبدالعزيز آل سعود» and
        «محمد بن نايف»). A kunya («أبو زيد») is one unit; a family name after آل is dropped."""
        kunya, patronymics = self.gaz.words("kunya_markers"), self.gaz.words("patronymics")
        units: list[str] = []
        for tok in tokens:
            if units and units[-1] in kunya:
                units[-1] += " " + tok
            else:
                units.append(tok)
        family = next((k for k, u in enumerate(units[1:], 1) if u in self.gaz.words("family_markers")), None)
        units = units[:family] if family else units
        first = next((k for k, u in enumerate(units) if u in patronymics), None)
        if len(units) <= 2 or first is None:
            return " ".join(units)
        if units[-2] in patronymics:
            return " ".join(units[:first + 2])
        return f"{units[0]} {units[-1]}"

    def _adopt_title(self, c: Cluster, m: Mention) -> None:
        if m.role and not c.attrs.get("role"):
            c.attrs["role"] = m.role
        if m.body and (c.represents is None or not m.body_implicit):
            c.represents = m.body

    def _document_key(self, m: Mention, r: SentenceReader, sd: SentenceData) -> None:
        head = _head(r, m)
        if m.via == "anaphor":
            docs = [c for c in self.clusters.values() if c.type == "Document" and c.head == head]
            if docs or not m.attrs.get("released"):
                m.key = docs[-1].key if docs else ""
                return
        m.key = entity_id("Document", m.name)
        c = self._get(m.key, "Document", sentence=sd.sentence.index)
        c.names.append(m.name)
        c.head = head

    def _meeting_key(self, m: Mention, sd: SentenceData) -> None:
        """Which meeting a mention names. A definite mention with the head of a meeting already named refers
        back to it («القمة العربية» … «القمة»), as does a bare definite head («الاجتماع»); a phrase that
        states its own convener, host, place or date is that meeting. «الجلسة الافتتاحية للقمة» is the
        summit's, named inside it. An indefinite phrase that ties itself to no body, state, person or date
        («قمة عربية ناجحة»، «33 قمة») names no particular meeting."""
        r = sd.reader
        if m.via == "event":
            self._encounter_key(m, sd)
            return
        if any(x.type == "Meeting" and m.start < x.start < m.end and not x.attrs.get("weak") for x in sd.mentions):
            return
        attrs = self._meeting_attrs(m, sd)
        m.attrs.update(attrs)
        # «المؤتمر»، and in construct with a definite noun «مؤتمر الحوار الوطني»، «جلسة مجلس الوزراء»
        definite = bool(m.attrs.get("definite")) or any(r.norms[k].startswith("ال") for k in range(m.start + 1, m.end))
        # «قمة كامب ديفيد»: a meeting named after a place or a name no gazetteer knows
        named = m.end - m.start > 1 and r.name_like(m.start + 1, first=True) \
            and r.norms[m.start + 1] not in self.gaz.common_words
        # «دورة»، «لقاء» with no state, body or host of their own: a definite one may refer back to a meeting
        # already named, but never starts one (it is as often a tournament, a match or an interview)
        weak = m.attrs.get("weak") and not (attrs.get("convener") or attrs.get("host"))
        if weak and not definite:
            return
        # «وعقد جلالته اجتماعاً مع سموه»، «الصادر عن مؤتمر …»: a meeting that was held, hosted, opened or
        # issued something is a particular one
        held = any(r.word(k, role) for k in range(max(0, m.start - 3), m.start)
                   for role in ("convene_verbs", "open_verbs", "host_verbs", "issue_cues"))
        specific = _distinct(attrs) or _anchored(sd, m) or named or held and not r.norms[m.start - 1].isdigit()
        if not definite and not specific:
            return
        head = _head(r, m)
        bare = m.end - m.start == 1
        modifiers = {_adjective_stem(r.norms[k]) for k in range(m.start + 1, m.end) if r.word(k, "meeting_modifiers")}
        attrs_kind = {"kind": " ".join(sorted(modifiers))} if modifiers else {}
        earlier = [c for c in reversed(self.clusters.values()) if c.type == "Meeting"
                   and not _conflict(c.attrs, attrs) and not _conflict(c.attrs, attrs_kind)]
        same_body = [c for c in earlier
                     if any(attrs.get(k) and c.attrs.get(k) == attrs[k] for k in ("convener", "host"))]
        same_head = [c for c in earlier if c.head == head]
        target = next(iter([c for c in same_body if c in same_head or not definite]
                           + (same_head + (earlier if bare else []) if definite else [])), None)
        if target is None:
            if weak:
                return
            key = f"meeting:{digest(self.article.id, str(sd.sentence.index), str(m.start))}"
            target = self._get(key, "Meeting", sentence=sd.sentence.index)
            target.head = head
        for k, v in {**attrs, **attrs_kind}.items():
            target.attrs.setdefault(k, v)
        target.names.append(m.name)
        m.key = target.key

    def _encounter_key(self, m: Mention, sd: SentenceData) -> None:
        """A verb of meeting is a meeting when a person, state or body meets: named right after the verb
        («التقى وزير الخارجية …») or right before it («الأمين العام … يجتمع مع …»), and no meeting noun is
        its object («اجتمع بالوفد خلال الاجتماع» is that meeting)."""
        parties = ("Person", "State", "Organization")
        after = any(x.type in parties and x.via != "adj" and x.key and m.end <= x.phrase_start <= m.end + 1
                    for x in sd.mentions)
        before = any(x.type in parties and x.via != "adj" and x.key and 0 <= m.start - x.end <= 1
                     for x in sd.mentions)
        if not (after or before) or any(x.type == "Meeting" and x.via != "event" and 0 <= x.start - m.end <= 6
                                        for x in sd.mentions):
            return
        m.key = f"meeting:{digest(self.article.id, str(sd.sentence.index), str(m.start))}"
        c = self._get(m.key, "Meeting", sentence=sd.sentence.index)
        c.head, c.event = sd.reader.norms[m.start], True

    def _meeting_attrs(self, m: Mention, sd: SentenceData) -> dict[str, str]:
        """Convener, host, place, date and ordinal that the meeting's own phrase or clause states."""
        r = sd.reader
        attrs: dict[str, str] = {}
        inner = [x for x in sd.mentions if m.start < x.start < m.end and x.key]
        for x in inner:
            if x.type == "Organization" and "convener" not in attrs and _convener_position(r, m, x) \
                    and not _armed(x):
                attrs["convener"] = x.key
            elif x.type == "Place" and r.norms[x.start - 1] in ("في",) or (x.type == "Place" and x.prefix):
                attrs.setdefault("place", x.key)
        for d in sd.dates:
            if m.start <= d.start <= m.end + 3:
                attrs.setdefault("date", d.value)
        meetings_here = [x for x in sd.mentions if x.type == "Meeting"]
        if "date" not in attrs and len(meetings_here) == 1 and len(sd.dates) == 1:
            attrs["date"] = sd.dates[0].value
        for k in range(m.start, m.end):
            if r.word(k, "ordinals"):
                attrs.setdefault("ordinal", r.norms[k])
        for v in range(len(r.tokens)):
            if r.word(v, "convene_verbs") and v < m.start:
                org = _mention_at(sd, v + 1, ("Organization",))
                if org is None and not _meeting_between(sd, v, m.start):  # «وكان مجلس الأمن قد عقد …»
                    back = v - 1 if v >= 1 and r.norms[v - 1] in ("قد", "وقد") else v
                    org = next((x for x in sd.mentions if x.type == "Organization" and x.key and x.end == back),
                               None)
                if org and "convener" not in attrs:
                    attrs["convener"] = org.key
            if r.word(v, "host_verbs"):
                host = self._host_for(sd, v)
                city = _mention_at(sd, v + 1, ("Place",)) or next(
                    (x for x in sd.mentions if x.type == "Place" and x.key and x.end == v), None)
                if host is None and city and v < m.start and not _meeting_between(sd, v, m.start):
                    attrs.setdefault("place", city.key)  # «تستضيف الرياض …»: a city hosts, so it is held there
                if host and ((v < m.start and not _meeting_between(sd, v, m.start)) or
                             (v > m.end and not _meeting_between(sd, m.end, v))):
                    attrs.setdefault("host", host.key)
        return attrs

    def _host_for(self, sd: SentenceData, v: int) -> Mention | None:
        """«استضافت الكويت …» (after the verb), «الكويت تستضيف …» or «… انها استضافت» (the last state before)."""
        after = _mention_at(sd, v + 1, ("State", "Organization"))
        if after:
            return after
        before = [x for x in sd.mentions if x.end <= v and x.type == "State" and x.via == "name"]
        return before[-1] if before else None

    # -- pass 2: relations ------------------------------------------------------------------------

    def _relations(self, data: list[SentenceData]) -> None:
        speaker: str | None = None
        quote_open = False
        meetings = [c.key for c in sorted(self.clusters.values(), key=lambda c: c.sentence)
                    if c.type == "Meeting"]
        self.main_meeting = meetings[0] if meetings else None
        current_meeting = self.main_meeting
        for sd in data:
            r = sd.reader
            speaker, speaking = self._speaker(sd, speaker, quote_open)
            here = [m for m in sd.mentions if m.type == "Meeting" and m.key]
            if here:
                current_meeting = here[0].key
            if not r.cues("sport_context"):  # a sentence about a match or a team states no fact of the guide
                ctx = Ctx(self, sd, speaker, speaking or quote_open, current_meeting)
                run_rules(self.gaz.rules, ctx)
                for rule in PYTHON_RULES.values():
                    ctx.priority = rule.priority
                    rule.run(ctx)
            opens = sum(t.norm in _OPEN_QUOTES for t in r.tokens)
            closes = sum(t.norm in _CLOSE_QUOTES for t in r.tokens)
            if opens != closes:
                quote_open = opens > closes and speaking

    def _speaker(self, sd: SentenceData, speaker: str | None, quote_open: bool) -> tuple[str | None, bool]:
        """Who is speaking in this sentence, and whether it is reported speech at all."""
        r = sd.reader
        if not sd.speech_verbs:
            statement = bool(r.cues("statement_nouns"))
            return speaker, statement
        for v in sd.speech_verbs:
            subject = next((m for m in sd.mentions if m.type in ("Person", "Document") and m.key
                            and v < m.start <= v + 2), None)
            # the title chain may sit between the verb and the name
            chained = next((m for m in sd.mentions if m.type == "Person" and m.via == "title" and m.key
                            and m.start > v and not _intervening_verb(r, v, m.start)
                            and _title_starts(r, v + 1)), None)
            subject = subject or chained
            if subject:
                return subject.key, True
            nxt = r.norms[v + 1] if v + 1 < len(r.tokens) else ""
            if nxt in self.gaz.words("statement_context") and speaker and self.clusters.get(speaker) \
                    and self.clusters[speaker].type == "Document":
                return speaker, True
            before = [m for m in sd.mentions if m.type == "Person" and m.key and 0 < v - m.end <= 3]
            if before:
                return before[-1].key, True
            if v == _first_word(r):
                return speaker, True
            if _mention_at(sd, v + 1, ("State", "Organization")):
                return None, False
        return speaker, True

    def reported_meeting(self) -> str | None:
        """The meeting the article reports, to which its speakers are taken to speak: its first meeting, but
        only one whose body, host or place the article names. A quoted speaker in a story that merely
        mentions «اجتماع» or «ندوة» (a minister on prices, a coach on the season) spoke to the press."""
        main = self.clusters.get(self.main_meeting) if self.main_meeting else None
        return main.key if main and any(main.attrs.get(k) for k in ("convener", "host", "place")) else None

    def salient_group(self) -> str | None:
        """The armed group an article is about, which «التنظيم» refers back to."""
        groups = [c for c in self.clusters.values() if c.entry and c.entry.kind == "armed_group"]
        return max(groups, key=lambda c: (len(c.names), -c.sentence)).key if groups else None

    # -- output ---------------------------------------------------------------------------------

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
        rank = (priority, confidence, _Reverse(rule))
        self.fired.append((key, match or Match(rule, priority, confidence, "", "", ""), s.start))
        if key not in self.triples or rank > self.ranks[key]:
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


@dataclass
class Ctx:
    """What a relation rule sees: the sentence, its mentions, and the discourse state."""

    ex: ArticleExtractor
    sd: SentenceData
    speaker: str | None
    speaking: bool
    meeting: str | None
    priority: int = 0  # of the Python rule running: what ``add`` records it with

    @property
    def r(self) -> SentenceReader:
        return self.sd.reader

    @cached_property
    def mentions(self) -> list[Mention]:
        """The sentence's clustered mentions, filtered once: every rule asks, and keys are fixed by now."""
        return [m for m in self.sd.mentions if m.key]

    def of(self, *types: str) -> list[Mention]:
        return [m for m in self.mentions if m.type in types]

    def cues(self, role: str) -> list[int]:
        return self.r.cues(role)

    def add(self, s: str | None, p: str, o: str | None, rule: str, conf: float, priority: int | None = None,
            match: Match | None = None, **props: str) -> None:
        self.ex.add(s, p, o, self.sd, rule, conf, self.priority if priority is None else priority, match, **props)

    def cluster(self, key: str | None) -> Cluster | None:
        return self.ex.clusters.get(key) if key else None

    def context(self, name: str, k: int) -> str | None:
        """The discourse state a data rule's ``context`` slot reads at token k."""
        if name == "speaker":
            return self.speaker if self.speaking else None
        if name == "meeting":  # the meeting of the sentence nearest to k, else the current one
            return _nearest(self.of("Meeting"), k) or self.meeting
        if name == "reported_meeting":
            return self.ex.reported_meeting()
        return self.ex.home.id if self.ex.home else None

    def list_end(self, k: int) -> int:
        return _list_end(self.r, k)

    def in_title_chain(self, m: Mention) -> bool:
        return _in_title_chain(self, m)


# -- relation rules -------------------------------------------------------------------------------


@python_rule("represents.title", priority=60)
def rule_represents(ctx: Ctx) -> None:
    """«نائب المندوب الدائم للكويت لدى الأمم المتحدة المستشار بدر المنيخ»: the title chain before a name ties
    the person to its body, as does one in apposition after it («ستيفن دوجاريك، المتحدث باسم الأمين العام
    للأمم المتحدة»); «الأمين العام للأمم المتحدة» to the title's own body; «وزير الخارجية» with no state to
    the state the article is about."""
    date = ctx.ex.date or ""
    r = ctx.r
    for m in ctx.of("Person"):
        # «ستيفن دوجاريك، المتحدث باسم الأمين العام للأمم المتحدة»: a title in apposition after the name
        k = r.skip_honorifics(m.end + 1) if m.end + 1 < len(r.tokens) and r.norms[m.end] in ("،", ",") else -1
        chain = r.title_chain(k) if k > 0 and not (k in r.matches and r.matches[k].prefix) else None  # not «، ورئيس»
        if chain and any(t.represents and t.kind != "honorific" for t in chain.titles):
            # «المتحدث باسم الأمين العام للأمم المتحدة»: a title of a title speaks for the body of the second
            inner = r.title_chain(chain.end) if chain.body is None else None
            body = chain.body or (inner and (inner.body or next(
                (ctx.ex.gaz.lookup(t.default_body) for t in inner.titles if t.default_body), None)))
            if body:
                role = " و".join(chain.role_tokens).replace("\u0640", "").strip()
                ctx.add(m.key, "REPRESENTS", body.id, "represents.apposition", 0.8, role=role, date=date)
        if m.via != "title":
            continue
        titles = [t for t in m.titles if t.represents and t.kind != "honorific"]
        if not titles:
            continue
        if m.body and not m.body_implicit:
            ctx.add(m.key, "REPRESENTS", m.body.id, "represents.title", 0.9, role=m.role, date=date)
        for t in titles:
            default = ctx.ex.gaz.lookup(t.default_body) if t.default_body else None
            if default:
                ctx.add(m.key, "REPRESENTS", default.id, "represents.title_default_body", 0.75,
                        role=m.role, date=date)
        person = ctx.cluster(m.key)
        explicit = person is not None and person.represents is not None and person.represents != ctx.ex.home
        if (m.body is None or m.body_implicit) and ctx.ex.home and not any(t.default_body for t in titles) \
                and not explicit \
                and any(t.kind in _STATE_OFFICES for t in titles) and len(m.name.split()) >= 2:
            ctx.add(m.key, "REPRESENTS", ctx.ex.home.id, "represents.implicit_state", 0.6, role=m.role, date=date)


@python_rule("participated.speaker", priority=40)
def rule_speaker_participation(ctx: Ctx) -> None:
    """«وقال المندوب … خلال الجلسة»: a speaker speaks at the meeting the sentence places them in, or else at
    the meeting the article reports (``reported_meeting``)."""
    speaker = ctx.cluster(ctx.speaker)
    if ctx.speaking and speaker and speaker.type == "Person" \
            and any(m.key == ctx.speaker for m in ctx.of("Person")):
        at = [m for m in ctx.of("Meeting") if _at_meeting(ctx.r, m.start)]
        ctx.add(ctx.speaker, "PARTICIPATED_IN", at[0].key if at else ctx.ex.reported_meeting(),
                "participated.speaker", 0.6)


@python_rule("convened.phrase", priority=60)
def rule_convened(ctx: Ctx) -> None:
    """«جلسة مجلس الأمن»، «اجتماعا وزاريا للتحالف»، «وكان مجلس الأمن قد عقد جلسة»: the convener that
    coreference found in the meeting's phrase or clause (``_meeting_attrs``)."""
    for m in ctx.of("Meeting"):
        convener = m.attrs.get("convener")
        if convener:
            ctx.add(m.key, "CONVENED_BY", convener, "convened.phrase", 0.85)


@python_rule("hosted.verb", priority=60)
def rule_hosted(ctx: Ctx) -> None:
    """«استضافت الكويت الاجتماع»، «انطلقت في الكويت أعمال المؤتمر»، «تنطلق بالدوحة غدا أعمال …»: the host
    and place coreference found for the meeting, and the place an opening verb names before it."""
    r = ctx.r
    for m in ctx.of("Meeting"):
        if m.attrs.get("host"):
            ctx.add(m.key, "HOSTED_BY", m.attrs["host"], "hosted.verb", 0.85)
        if m.attrs.get("place"):
            ctx.add(m.key, "HELD_IN", m.attrs["place"], "held_in.phrase", 0.8)
    for v in ctx.cues("open_verbs"):
        j = v + 1
        while j < len(r.tokens) and j - v < 4 and r.norms[j] not in ("في",):
            j += 1
        where = _mention_at(ctx.sd, j + 1, ("State", "Place"))
        if not where:  # «تنطلق بالدوحة غدا أعمال …»: the place carries the preposition
            where = next((m for m in ctx.of("State", "Place") if v < m.start <= v + 2 and m.prefix
                          and r.tokens[m.start].norm[m.prefix - 1:m.prefix] == "ب"), None)
        if not where:
            where = _mention_at(ctx.sd, j, ("State", "Place")) if j < len(r.tokens) else None
            if not where or not where.prefix:
                continue
        after = [m for m in ctx.of("Meeting") if m.start > where.end]
        before = [m for m in ctx.of("Meeting") if m.end <= v]
        meeting = after[0] if after and not before else (before[-1] if before else None)
        if meeting is None:
            continue
        if where.type == "State":
            ctx.add(meeting.key, "HOSTED_BY", where.key, "hosted.opened_in", 0.7)
        else:
            ctx.add(meeting.key, "HELD_IN", where.key, "held_in.verb", 0.8)


@python_rule("chaired.cue", priority=55)
def rule_chaired(ctx: Ctx) -> None:
    """«برئاسة وزير الخارجية …»، «ترأس الوزير الاجتماع»، «ترأست السعودية الاجتماع»، «برئاسة مشتركة من
    المغرب وهولندا»: the chair of the meeting or body near the cue."""
    r = ctx.r
    for c in ctx.cues("chair_cues"):
        if any(r.word(k, "candidacy_words") for k in range(max(0, c - 2), c)):
            continue  # «ترشحه لرئاسة الاتحاد»، «انتخابات رئاسة …»: running for the chair is not chairing
        norm = r.norms[c]
        chair = next((m for m in ctx.of("Person", "State") if c < m.start <= c + 6
                      and not _in_title_chain(ctx, m)), None)
        pronoun = norm.endswith(("ها", "ه")) and not norm.endswith("رئاسه")
        obj = next((m for m in ctx.of("Organization", "Meeting") if c < m.start <= c + 4), None)
        if obj is None and _demonstrative_head(r, c + 1):
            obj = _anaphoric_org(ctx, c + 1)
        if chair and chair.type == "Person" and (pronoun or obj is None or obj.type == "Meeting"):
            meeting = obj.key if obj and obj.type == "Meeting" else ctx.meeting
            ctx.add(meeting, "CHAIRED_BY", chair.key, "chaired.cue", 0.8)
            ctx.add(chair.key, "PARTICIPATED_IN", meeting, "participated.chair", 0.75)
        elif obj and obj.type in ("Organization", "Meeting"):
            state = _clause_state(ctx, c)
            if state is None and chair and chair.type == "State" and chair.end <= obj.start:
                state = chair.key  # «ترأست السعودية الاجتماع …»
            ctx.add(obj.key, "CHAIRED_BY", state, "chaired.nominal", 0.6)
        elif chair and chair.type == "State" and ctx.meeting:
            # «عقد الاجتماع برئاسة مشتركة من المغرب وهولندا»: the states chair the meeting of the clause
            k = chair.start
            while (m := _mention_at(ctx.sd, k, ("State",))) and m.via == "name":
                ctx.add(ctx.meeting, "CHAIRED_BY", m.key, "chaired.states", 0.6)
                k = m.end + (1 if m.end < len(r.tokens) and r.norms[m.end] in ("،", ",", "و") else 0)


@python_rule("resolutions", priority=60)
def rule_resolutions(ctx: Ctx) -> None:
    """«قرار مجلس الأمن 2216» (the body in the resolution's phrase); «أنشأ مجلس الأمن بموجب القرار 2379
    فريقا …» (who established what, on which legal basis); «صاغت المملكة المتحدة القرار»; «اعتمد مجلس
    الأمن القرار 2719» and «القرار 2719 الذي اعتمده مجلس الأمن»."""
    r = ctx.r
    for res in ctx.of("Resolution"):
        if res.body:
            ctx.add(res.key, "ADOPTED_BY", res.body.id, "adopted.phrase", 0.9)
    for e in ctx.cues("establish_cues"):
        creator = next((m for m in ctx.of("Organization", "State") if e < m.start <= e + 3 and not _armed(m)), None)
        created = None
        if e >= 1 and (r.word(e - 1, "relative_pronouns") or r.norms[e].startswith(("ال", "و"))):
            created = next((m for m in reversed(ctx.of("Organization")) if 0 <= e - m.end <= 2), None)
        if created is None and creator:
            created = next((m for m in ctx.of("Organization") if creator.end <= m.start <= creator.end + 8), None)
        basis = next((res for res in ctx.of("Resolution")
                      if e < res.start <= e + 8 and _legal_basis_before(r, res.start, e)), None)
        if basis is None:
            basis = next((res for res in reversed(ctx.of("Resolution")) if 0 <= e - res.end <= 2), None)
        if created is None or _armed(created):
            continue
        if creator:
            ctx.add(creator.key, "ESTABLISHES", created.key, "establishes.verb", 0.8)
        if basis:
            ctx.add(basis.key, "ESTABLISHES", created.key, "establishes.by_resolution", 0.8)
            if creator and creator.type == "Organization":
                ctx.add(basis.key, "ADOPTED_BY", creator.key, "adopted.creator", 0.75)
    for c in ctx.cues("negotiate_cues"):
        res = next((m for m in ctx.of("Resolution") if c < m.start <= c + 5), None)
        if not res:
            continue
        who = next((m for m in reversed(ctx.of("State", "Person")) if 0 <= c - m.end <= 3), None)
        if who is None:  # «صاغت المملكة المتحدة القرار …»: the subject follows the verb
            who = next((m for m in ctx.of("State", "Person") if c < m.start <= c + 2 and m.end <= res.start), None)
        ctx.add(res.key, "NEGOTIATED_BY", who.key if who else None, "negotiated.cue", 0.75)
    for c in ctx.cues("adopt_cues"):
        # «اعتمد مجلس الأمن (بالإجماع) القرار 2719» and «القرار 2719 الذي اعتمده مجلس الأمن»
        body = next((m for m in ctx.of("Organization") if c < m.start <= c + 2 and not _armed(m)), None)
        if body is None:
            continue
        res = next((m for m in ctx.of("Resolution") if body.end <= m.start <= body.end + 3), None)
        if res is None and c >= 1 and r.word(c - 1, "relative_pronouns"):
            res = next((m for m in reversed(ctx.of("Resolution")) if 0 <= c - 1 - m.end <= 3), None)
        if res is not None:
            ctx.add(res.key, "ADOPTED_BY", body.key, "adopted.verb", 0.85)


@python_rule("cites.speech", priority=40)
def rule_cites(ctx: Ctx) -> None:
    """«وقال المندوب … إن القرار 2178 …»: what a speaker or a statement names while speaking, it cites."""
    if not (ctx.speaking and ctx.speaker):
        return
    speaker = ctx.cluster(ctx.speaker)
    if speaker is None or speaker.type not in ("Person", "Document"):
        return
    for m in ctx.of("Resolution", "Document"):
        if m.type == "Document" and m.via == "anaphor":
            continue
        ctx.add(ctx.speaker, "CITES", m.key, "cites.speech", 0.6)


@python_rule("member_of.cue", priority=50)
def rule_membership(ctx: Ctx) -> None:
    """«بلاده عضو في التحالف»، «انضمت تيمور الشرقية إلى رابطة آسيان»: the member is the state of the clause
    (``_clause_state``) or the state right after the verb."""
    r = ctx.r
    for c in ctx.cues("member_cues"):
        if c >= 1 and r.norms[c - 1] in ("الدول", "دول"):
            continue
        member = None
        subject = next((m for m in ctx.of("State") if m.start == c + 1 and m.via == "name"), None)
        if subject:  # «انضمت تيمور الشرقية إلى رابطة …»: the member follows the verb
            member, c = subject.key, subject.end - 1
        body = next((m for m in ctx.of("Organization") if c < m.start <= c + 3), None)
        if not body or _armed(body):
            continue
        member = member or _clause_state(ctx, c)
        ctx.add(member, "MEMBER_OF", body.key, "member_of.cue", 0.7)


def _with_kunyas(r: SentenceReader, names: list[NameSpan]) -> list[NameSpan]:
    """The recogniser's names, and the noms de guerre it misses: «أبو» and a name-like word that is no common
    word («أبو قتادة», «أبو همام»; not «أبو الطفل»). Their nisba is read with the name (``_name_end``)."""
    covered = {k for n in names for k in range(n.start, n.end)}
    extra = [NameSpan(k, k + 2, "PERS") for k in r.cues("kunya_markers")
             if k not in covered and k + 1 not in covered and r.name_like(k + 1, first=True)
             and r.norms[k + 1] not in r.gaz.common_words]
    return sorted(names + extra) if extra else names


def _first_word(r: SentenceReader) -> int:
    for k, t in enumerate(r.tokens):
        if t.is_word and r.norms[k] != "و":
            return k
    return 0


def _head(r: SentenceReader, m: Mention) -> str:
    for stem, _ in clitic_readings(r.norms[m.start]):
        bare = stem[2:] if stem.startswith("ال") else stem
        bare = bare[:-1] if bare.endswith("ا") and len(bare) > 4 else bare
        for role in ("meeting_triggers", "document_triggers", "organization_heads"):
            if bare in r.gaz.words(role):
                return bare
    return r.norms[m.start]


def _feminine(norm: str) -> bool:
    """A feminine nisba adjective: ة is folded to ه (التركية → التركيه)."""
    return norm.endswith("ه")


def _armed(m: Mention) -> bool:
    return bool(m.entry and m.entry.kind == "armed_group")


def _mention_at(sd: SentenceData, k: int, types: tuple[str, ...]) -> Mention | None:
    return next((m for m in sd.mentions if m.start == k and m.type in types and m.key), None)


def _nearest(mentions: list[Mention], k: int) -> str | None:
    if not mentions:
        return None
    return min(mentions, key=lambda m: abs(m.start - k)).key


def _dateline(r: SentenceReader, m: Mention) -> bool:
    """«الرياض – واس»، «عين اليوم – الرياض»، «عدن:»: a city or state next to a dash or a colon at the head
    of a sentence is where the story was filed."""
    if m.start > 12 or m.type not in ("Place", "State"):
        return False
    marks = {"-", "–", "—", ":"}
    return (m.end < len(r.tokens) and r.norms[m.end] in marks) or (m.start > 0 and r.norms[m.start - 1] in marks)


def _anchored(sd: SentenceData, m: Mention) -> bool:
    """Does a meeting phrase name who meets: a state, a body or a person inside it («اجتماع وزراء خارجية تونس
    والجزائر ومصر») or right after «مع» or «بين» («لقاء مع نظيره الأميركي جون كيري»)? A nisba adjective
    alone («قمة عربية») does not."""
    r = sd.reader
    after = m.end + 1 if r.word(m.end, "with_words") or r.word(m.end, "between_words") else -1
    return any((m.start < x.start < m.end or x.phrase_start == after) and x.via != "adj"
               and x.type in ("State", "Organization", "Person") for x in sd.mentions)


def _meeting_between(sd: SentenceData, a: int, b: int) -> bool:
    return any(m.type == "Meeting" and a < m.start < b for m in sd.mentions)


def _convener_position(r: SentenceReader, meeting: Mention, org: Mention) -> bool:
    """An organisation convenes a meeting when it follows the trigger as its complement: in idafa
    («اجتماع مجموعة العمل»), with ل («اجتماعا وزاريا للتحالف») or with في («جلسة في مجلس الأمن»),
    and before any topic marker («حول …»)."""
    for k in range(meeting.start + 1, org.start):
        if r.word(k, "topic_markers") or r.word(k, "discuss_cues") or r.norms[k] == "ضد":
            return False
    prev = r.norms[org.start - 1] if org.start > meeting.start else ""
    return (org.prefix > 0 or prev == "في" or org.start == meeting.start + 1
            or r.word(org.start - 1, "meeting_modifiers"))


def _adjective_stem(norm: str) -> str:
    """«الوزارية»، «الوزاري»، «وزاريا» are one adjective: without the article, the feminine and the accusative."""
    bare = norm[2:] if norm.startswith("ال") else norm
    return bare[:-1] if bare.endswith(("ه", "ا")) and len(bare) > 3 else bare


def _conflict(a: dict[str, str], b: dict[str, str]) -> bool:
    """Can two meeting descriptions not be the same meeting? Different conveners, hosts, places, ordinals,
    dates, or kinds («الاجتماع الثلاثي» is not «الاجتماع الوزاري»)."""
    if a.get("kind") and b.get("kind") and not set(a["kind"].split()) & set(b["kind"].split()):
        return True
    for k in ("convener", "host", "place", "ordinal"):
        if a.get(k) and b.get(k) and a[k] != b[k]:
            return True
    da, db = a.get("date", ""), b.get("date", "")
    n = min(len(da), len(db))
    if n and da[:n] != db[:n]:
        return True
    # a meeting hosted by a state is not the one held in a named city elsewhere
    return bool(a.get("host") and b.get("place") or b.get("host") and a.get("place"))


def _distinct(attrs: dict[str, str]) -> bool:
    return any(attrs.get(k) for k in ("convener", "host", "place", "date", "ordinal"))


def _intervening_verb(r: SentenceReader, a: int, b: int) -> bool:
    return any(r.word(k, "speech_verbs") or not r.tokens[k].is_word and r.norms[k] in ".:؛"
               for k in range(a + 1, b))


def _title_starts(r: SentenceReader, k: int) -> bool:
    k = r.skip_honorifics(k)
    m = r.matches.get(k)
    return bool(m and m.kind == "title")


def _next_verb(r: SentenceReader, c: int) -> int:
    for k in range(c + 1, len(r.tokens)):
        if any(r.word(k, role) for role in ("host_verbs", "open_verbs", "speech_verbs", "convene_verbs")):
            return k
    return len(r.tokens)


def _list_end(r: SentenceReader, c: int) -> int:
    """Where the list a participation cue opens ends: at a verb, a relative pronoun, or after eight
    tokens that no comma or و continues."""
    last_join = c
    for k in range(c + 1, len(r.tokens)):
        if any(r.word(k, role) for role in ("host_verbs", "open_verbs", "speech_verbs", "convene_verbs",
                                            "relative_pronouns")) or r.norms[k] in _LIST_STOPS:
            return k
        if r.norms[k] in ("،", ",") or r.norms[k].startswith("و"):
            last_join = k
        if k - last_join > 8:
            return k
    return len(r.tokens)


def _after(r: SentenceReader, m: Mention, word: str) -> bool:
    return m.start > 0 and r.norms[m.start - 1] == word


def _in_title_chain(ctx: Ctx, m: Mention) -> bool:
    """A state or body that only qualifies a title («رئيس جمهورية طاجيكستان») is not itself a participant."""
    if m.type == "Person":
        return False
    r = ctx.r
    for k in range(max(0, m.start - 4), m.start):
        chain = r.title_chain(k)
        if chain and chain.start < m.start < chain.end + 1:
            return True
    return False


def _at_meeting(r: SentenceReader, k: int) -> bool:
    """«خلال الجلسة»، «في كلمة خلال هذا الاجتماع»: the meeting at k is where the sentence places its speaker."""
    before = k - 1 if k >= 2 and r.word(k - 1, "demonstratives") else k
    return before > 0 and r.norms[before - 1] in _AT_MEETING


def _demonstrative_head(r: SentenceReader, k: int) -> bool:
    return k < len(r.tokens) and any(stem in r.gaz.words("demonstratives") for stem, _ in clitic_readings(r.norms[k]))


def _anaphoric_org(ctx: Ctx, k: int) -> Mention | None:
    """«لهذه المجموعة»: the working group or team this article last named with that head noun."""
    r = ctx.r
    if k + 1 >= len(r.tokens):
        return None
    head = _head(r, Mention("Organization", k + 1, k + 2, ""))
    candidates = [c for c in ctx.ex.clusters.values() if c.type == "Organization" and c.head == head]
    if not candidates:
        return None
    c = candidates[-1]
    return Mention("Organization", k, k + 2, c.name, key=c.key)


def _clause_state(ctx: Ctx, c: int) -> str | None:
    """The state a clause is about: «بلاده» (the speaker's state) or the last state named before the cue."""
    r = ctx.r
    for k in range(c - 1, -1, -1):
        if r.word(k, "speaker_state_anaphors"):
            speaker = ctx.cluster(ctx.speaker)
            if speaker and speaker.represents and speaker.represents.type == "State":
                return speaker.represents.id
            named = [m for m in ctx.of("State") if m.end <= k]  # «المندوب الياباني إن بلاده»
            if named:
                return named[-1].key
            return ctx.ex.home.id if ctx.ex.home else None
        m = next((m for m in ctx.of("State") if m.start == k and m.via == "name"), None)
        if m:
            return m.key
    return None


def _legal_basis_before(r: SentenceReader, res_start: int, e: int) -> bool:
    return any(r.word(k, "legal_basis") for k in range(e + 1, res_start + 1))


@dataclass(frozen=True)
class _Reverse:
    """Sorts a rule id backwards, so that on equal priority and confidence the smaller id ranks higher."""

    rule: str

    def __lt__(self, other: _Reverse) -> bool:
        return self.rule > other.rule

    def __gt__(self, other: _Reverse) -> bool:
        return self.rule < other.rule


def _triple_order(t: Triple) -> tuple:
    return (t.evidence.start, t.predicate, t.subject, t.object, t.properties)


def extract(article: Article, gaz: Gazetteer) -> Extraction:
    return ArticleExtractor(article, gaz).run()
