"""Phase 1, annotate: each sentence read once: gazetteer names, documents, resolutions, meetings,
organisations by head noun, dates and the name recogniser's spans; and the state the article is about."""

from __future__ import annotations

from collections import Counter

from kg.dates import find_dates
from kg.extract.common import (
    ExtractorState,
    SentenceData,
)
from kg.gazetteer import Entry
from kg.mentions import (
    Mention,
    SentenceReader,
    cue_place_mentions,
    document_mentions,
    encounter_mentions,
    meeting_mentions,
    organization_mentions,
    resolution_mentions,
)
from kg.ner import NameSpan
from kg.text import Sentence, clitic_readings, normalize

# a story about sport, a festival or a fair: such words in this many sentences, and in 1/SHARE of them at least
EVENT_STORY_SENTENCES = 2
EVENT_STORY_SHARE = 5


class Annotate(ExtractorState):
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
        mentions += docs + resolution_mentions(reader) + cue_place_mentions(reader)
        mentions += [o for o in organization_mentions(reader) if o.start not in inside_docs]
        mentions.sort(key=lambda m: (m.start, -m.end))
        return SentenceData(sentence, reader, mentions, find_dates(sentence.tokens, self.date),
                            _with_kunyas(reader, self.gaz.names.spans(sentence.tokens, confidence=False)),
                            self.gaz.persons_in(reader.norms))

    def _drop_event_meetings(self, data: list[SentenceData]) -> None:
        """A story about a match, a tournament, a festival or a fair («الدورة الأخيرة التي احتضنتها الغابون»،
        «اللقاء»، «القمة» of two clubs, «ندوة» of a book fair) names no meeting of the guide unless a body of the
        gazetteer holds it («القمة الـ28 للاتحاد الأفريقي»). Such a story is one where sport or such an event is
        named in at least two sentences and in a fifth of them: a diplomatic story names one in passing."""
        if not data:
            return
        for role in ("sport_context", "non_meeting_events"):
            hits = sum(1 for sd in data if sd.reader.cues(role))
            if hits >= EVENT_STORY_SENTENCES and hits * EVENT_STORY_SHARE >= len(data):
                break
        else:
            return
        for sd in data:
            sd.mentions = [m for m in sd.mentions if m.type != "Meeting" or any(
                x.type == "Organization" and x.entry is not None and m.start < x.start < m.end for x in sd.mentions)]

    def _repeat_cue_places(self, data: list[SentenceData]) -> None:
        """A place the article introduced by its head («في مدينة الصخيرات المغربية») is that place where the
        article names it again bare («الاتفاق الموقع في الصخيرات»): the gazetteer cannot find it there."""
        named = {normalize(m.name): m.entry for sd in data for m in sd.mentions
                 if m.type == "Place" and m.entry and m.entry.kind == "city" and m.entry.id not in self.gaz.by_id
                 and " " not in m.name}
        if not named:
            return
        for sd in data:
            r = sd.reader
            covered = {k for m in sd.mentions for k in range(m.start, m.end)} | r.covered
            for k, norm in enumerate(r.norms):
                if k in covered:
                    continue
                stem, cut = next(((s, c) for s, c in clitic_readings(norm) if s in named), ("", 0))
                if stem:
                    sd.mentions.append(Mention("Place", k, k + 1, r.surface(k, k + 1, cut), entry=named[stem],
                                               prefix=cut))
            sd.mentions.sort(key=lambda m: (m.start, -m.end))

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


def _with_kunyas(r: SentenceReader, names: list[NameSpan]) -> list[NameSpan]:
    """The recogniser's names, and the noms de guerre it misses: «أبو» and a name-like word that is no common
    word («أبو قتادة», «أبو همام»; not «أبو الطفل»). Their nisba is read with the name (``_name_end``)."""
    covered = {k for n in names for k in range(n.start, n.end)}
    extra = [NameSpan(k, k + 2, "PERS") for k in r.cues("kunya_markers")
             if k not in covered and k + 1 not in covered and r.name_like(k + 1, first=True)
             and r.norms[k + 1] not in r.gaz.common_words]
    return sorted(names + extra) if extra else names


def _dateline(r: SentenceReader, m: Mention) -> bool:
    """«الرياض – واس»، «عين اليوم – الرياض»، «عدن:»: a city or state next to a dash or a colon at the head
    of a sentence is where the story was filed."""
    if m.start > 12 or m.type not in ("Place", "State"):
        return False
    marks = {"-", "–", "—", ":"}
    return (m.end < len(r.tokens) and r.norms[m.end] in marks) or (m.start > 0 and r.norms[m.start - 1] in marks)

