"""Phase 4, discourse: the sentences in order, with the state a reader keeps (who is speaking, which
meeting is current, whether a quotation is open), handed to the rules as a ``Ctx``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from kg.extract.common import (
    CLAUSE_PUNCTUATION,
    CLOSE_QUOTES,
    OPEN_QUOTES,
    Cluster,
    ExtractorState,
    SentenceData,
    in_title_chain,
    intervening_verb,
    mention_at,
    nearest_key,
    title_starts,
)
from kg.mentions import (
    Mention,
    SentenceReader,
)
from kg.rules import PYTHON_RULES, Match, run_rules

LEAD_SENTENCES = 3  # the title and the lead of a news story: what it reports

if TYPE_CHECKING:
    from kg.extract.extractor import ArticleExtractor


class Discourse(ExtractorState):
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
                # «ويشارك في هذه التظاهرة 300 عارض»: a sentence about a festival, a fair or a film that names
                # no meeting of its own speaks of that event, not of the meeting the article named before
                here_meeting = None if not here and r.cues("non_meeting_events") else current_meeting
                ctx = Ctx(self, sd, speaker, speaking or quote_open, here_meeting)
                run_rules(self.gaz.rules, ctx)
                for rule in PYTHON_RULES.values():
                    ctx.priority = rule.priority
                    rule.run(ctx)
            opens = sum(t.norm in OPEN_QUOTES for t in r.tokens)
            closes = sum(t.norm in CLOSE_QUOTES for t in r.tokens)
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
                            and m.start > v and not intervening_verb(r, v, m.start)
                            and title_starts(r, v + 1)), None)
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
            if v == r.first_word:
                return speaker, True
            if mention_at(sd, v + 1, ("State", "Organization")):
                return None, False
        return speaker, True

    def reported_meeting(self) -> str | None:
        """The meeting the article reports, to which its speakers are taken to speak: its first meeting, but
        only one the lead names (its first sentences), with its body, host, place or chair. A quoted speaker
        in a story that merely mentions «اجتماع» or «ندوة» (a minister on prices, a coach on the season)
        spoke to the press."""
        main = self.clusters.get(self.main_meeting) if self.main_meeting else None
        if main is None or main.sentence > LEAD_SENTENCES:
            return None  # a meeting first named deep in the story is not what the story reports
        placed = any(main.attrs.get(k) for k in ("convener", "host", "place")) or any(
            key[0] == main.key and key[1] in ("HELD_IN", "HOSTED_BY", "CONVENED_BY", "CHAIRED_BY")
            for key in self.triples)  # «رأس الملك الجلسة التي عقدها مجلس الوزراء في قصر اليمامة»
        return main.key if placed else None


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

    def cues(self, role: str) -> Sequence[int]:
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
            return nearest_key(self.of("Meeting"), k) or self.meeting
        if name == "reported_meeting":
            return self.ex.reported_meeting()
        return self.ex.home.id if self.ex.home else None

    def list_end(self, k: int) -> int:
        return list_end(self.r, k, self.mentions)

    def in_title_chain(self, m: Mention) -> bool:
        return in_title_chain(self.r, m)


def list_end(r: SentenceReader, c: int, mentions: Sequence[Mention] = ()) -> int:
    """Where the list a participation cue opens ends: at a verb, a relative pronoun, or after eight
    tokens that no comma or و continues. A member's own title chain counts as one token: «الأمين العام
    المساعد للشؤون الخارجية الدكتور عبدالعزيز العويشق، ورئيس …» is one member, then the next."""
    inside = {k for m in mentions for k in range(m.phrase_start + 1, m.end)}
    run = 0
    for k in range(c + 1, len(r.tokens)):
        if any(r.word(k, role) for role in ("host_verbs", "open_verbs", "speech_verbs", "convene_verbs",
                                            "relative_pronouns", "list_stops")) \
                or r.norms[k] in CLAUSE_PUNCTUATION:
            return k
        if r.norms[k] in ("،", ",") or r.norms[k].startswith("و"):
            run = 0
        elif k not in inside:
            run += 1
        if run > 8:
            return k
    return len(r.tokens)

