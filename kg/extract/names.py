"""Phase 2, mentions of persons: title chains, the recogniser's names, speakers and surnames, with where
each name ends."""

from __future__ import annotations

from kg.extract.common import (
    CLOSE_QUOTES,
    OPEN_QUOTES,
    ExtractorState,
    SentenceData,
    family_end,
    listed_end,
)
from kg.gazetteer import PHRASE_START, Entry, stem_forms
from kg.mentions import (
    Mention,
    SentenceReader,
)
from kg.ner import NameSpan
from kg.text import clitic_readings, normalize_phrase

# The least probability (``NameTagger.person_marginals``) at which a title vouches for a word the model did not
# mark as a name, or a name runs on past where the model ended it. The surnames it misses score 0.02 to 0.7
# there («الرئيس هولاند»، «إبراهيم بن عبد العزيز العساف»، «عبد العزيز كاميلوف»); the bodies, adjectives and verbs
# a title or a name runs into mostly below («مدير [قطاع]»، «الخبير [الاقتصادي]»، «جورج فرناندز دياز [تدفق]»).
MIN_VOUCHED_PROBABILITY = 0.02
THING_HEADS = ("eponym_heads", "non_person_name_heads", "organization_heads")  # ``_names_a_thing``
OPENERS, CLOSERS = OPEN_QUOTES | {'"'}, CLOSE_QUOTES | {'"'}  # the ASCII quote both opens and closes


class PersonMentions(ExtractorState):
    model_words: set[str]  # every word of the article inside a person's name the model marked
    doubtful: list[tuple[SentenceData, Mention]]  # persons only a title vouched for (``_drop_doubtful``)
    surnames: set[str]  # the last word of every name the article has read

    def _persons(self, data: list[SentenceData]) -> None:
        """Persons, in two passes over the article.

        Title chains first, as they carry the role and the body («وزير الخارجية الروسي سيرجي لافروف»). Then, in
        each sentence, the names the recogniser found with no title («أنطونيو غوتيريش»), the subjects of speech
        verbs, and the surnames of persons already named («قال لافروف»). Wherever the recogniser marked a name,
        its span says where the name is; the rules say where it must end, and add names only where a title or
        a speech verb vouches for them (``_vouched_name``).
        """
        known: set[str] = set()
        self.model_words = {norm for sd in data for n in sd.names if n.type == "PERS"
                            for norm in sd.reader.norms[n.start:n.end]}
        self.doubtful = []
        self.surnames = set()
        for sd in data:
            r = sd.reader
            # honorifics and title chains start only at gazetteer matches: reading jumps from one to the next
            starts = list(r.matches)  # in sentence order: the reader adds them left to right
            i = 0
            while (i := next((k for k in starts if k >= i), len(r.tokens))) < len(r.tokens):
                honorific = r.matches.get(i)
                if honorific and honorific.kind == "honorific" and not r.title_chain(r.skip_honorifics(i)) \
                        and not (i > 0 and r.word(i - 1, "eponym_heads")):
                    i = self._honored_name(sd, i, known)  # «بالعقيد الراحل معمر القذافي»، «الدكتور ماجد القصبي»
                    continue
                chain = r.title_chain(i)
                if chain and [t.kind for t in chain.titles] == ["emir"] and not (chain.body or chain.home):
                    i = self._given_name(sd, i, known)  # «سلطان» with no state: «سلطان البلوي»
                    continue
                if not chain or all(t.kind == "editor" for t in chain.titles) \
                        or i > 0 and _compound_head(r, i - 1):  # «عبد الملك» is a name, not a king
                    i += 1
                    continue
                if r.word(i - 1, "eponym_heads"):  # «جامعة الملك سعود»، «كأس ولي العهد»: a name, not an office
                    i = max(chain.end, r.name_at(r.skip_honorifics(chain.end)))
                    continue
                if r.word(chain.start - 1, "office_words"):  # «لمنصب الأمين العام للأمم المتحدة»: the post
                    i = chain.end
                    continue
                start = r.skip_honorifics(chain.end)
                start += start < len(r.tokens) and r.norms[start] in OPENERS  # «الرئيس الأسبق «جيمي كارتر»»
                end = self._name_end(sd, start, known, anchored="title")
                if end > start and _thing_head(r, start):
                    end = start  # «رئيس [بنك مورجان ستانلي]»: the title's body, not a name
                doubtful = end > start and not self._name_evidence(sd, start, end)
                listed = any(s0 == start for s0, _, _ in sd.listed)
                span = (start, end, int(listed and r.norms[start] not in self.gaz.persons)) if end > start \
                    else self._name_before(sd, chain.start, known)  # «وزير الخارجية وسعود الفيصل»: و
                body, implicit = self._chain_body(chain)
                if span:
                    person = Mention("Person", span[0], span[1], r.surface(*span), via="title", prefix=span[2],
                                     titles=tuple(chain.titles),
                                     role=" و".join(chain.role_tokens).replace("\u0640", "").strip(),
                                     body=body, body_implicit=implicit, lead=chain.start)
                    sd.mentions.append(person)
                    if doubtful:
                        self.doubtful.append((sd, person))
                    else:
                        self._learn(known, person.name)
                i = max(chain.end, span[1] if span else chain.end)
        for sd in data:
            r = sd.reader
            taken = {k for m in sd.mentions for k in range(m.start, m.end)}
            for name in sd.names:
                if name.type != "PERS" or name.start in taken:
                    continue
                start = r.skip_honorifics(name.start)
                # a well-known person inside the span starts where the gazetteer says: «فقيدنا [الكبير سعود الفيصل]»
                start = next((s0 for s0, _, _ in sd.listed if start < s0 < name.end), start)
                if r.word(start, "patronymics") and start > 0 and start - 1 not in taken \
                        and r.name_like(start - 1, first=True) and r.norms[start - 1] not in self.gaz.common_words:
                    start -= 1  # «تركي» «بن فهد المشيقح»: a name never starts with بن
                elif (self._stray_conjunction(r, start, known) or self._common_lead(r, start)) \
                        and start + 1 < name.end:
                    start += 1  # «ودرس» «كارفالهو»: a verb with و, not a name; «بلسان» «عادل الجبير»
                end = self._name_end(sd, start, known)
                if any(_dual(r, k) for k in range(start, end)):
                    continue  # «خبيران أوروبيان»: two of something, not a name
                if _names_a_thing(r, start, end) or _group(r, start, end) or r.word(start, "non_name_starts"):
                    continue  # «بني حسن»، «أحد الحضور»: a tribe, a place or a quantity, no person
                if end - start == 1 and r.norms[start] not in known:
                    continue  # one word alone, with no title to vouch for it, is a name the article knows: a given
                    # name alone is as often a word («إيمان»، «بدر»، «أمل»)
                nisbas = [m for m in sd.mentions if m.via == "adj" and start <= m.start < end]
                clash = taken.intersection(range(start, end)) - {k for m in nisbas for k in range(m.start, m.end)}
                if end > start and not clash:
                    sd.mentions = [m for m in sd.mentions if m not in nisbas]  # «أبو قتادة التونسي» is no Tunisia
                    prefix = self._conjunction(sd, start, known)
                    sd.mentions.append(Mention("Person", start, end, r.surface(start, end, prefix), via="model",
                                               prefix=prefix))
                    taken |= set(range(start, end))
                    self._learn(known, sd.mentions[-1].name)
            for s0, e0, _ in sd.listed:  # a well-known person named in full needs no title nor the model
                end = listed_end(r, e0)
                if end is not None and taken.isdisjoint(range(s0, end)):
                    prefix = int(r.norms[s0] not in self.gaz.persons)  # «وسعود الفيصل»
                    sd.mentions.append(Mention("Person", s0, end, r.surface(s0, end, prefix), via="name",
                                               prefix=prefix))
                    taken |= set(range(s0, end))
                    self._learn(known, sd.mentions[-1].name)
            verbs = r.cues("speech_verbs")  # speech_verb(v) only where the index says so: this runs on every token
            for v in range(len(r.tokens)):
                if v in taken:
                    continue
                if v in verbs and r.speech_verb(v):
                    sd.speech_verbs.append(v)
                    start = r.skip_honorifics(v + 1 + r.word(v + 1, "speech_objects"))  # «فقال لي …»
                    start += start + 1 < len(r.tokens) and self._profession(r, start) \
                        and r.name_like(start + 1, first=True)  # «وقال» «الصحافي» «ساميودين نيلو»
                    if start in taken:
                        continue
                    end = self._name_end(sd, start, known, anchored="speech")
                    if end > start and self._plausible_name(r, start, end, known) and not _group(r, start, end):
                        sd.mentions.append(Mention("Person", start, end, r.surface(start, end), via="speech"))
                        taken |= set(range(start, end))
                elif r.tokens[v].is_word and (r.norms[v] in known or r.norms[v].startswith("و")
                                              and r.norms[v][1:] in known) \
                        and not self.gaz.is_non_name(r.norms[v], r.tokens[v].text) \
                        and not r.word(v - 1, "patronymics") \
                        and not r.word(v, "speech_objects"):  # «عمر عجلة بن [زكي]»: another man's father; «بالنسبة لي»
                    prefix = 0 if r.norms[v] in known else 1  # «بين لافروف وكيري والجبير»: names already read
                    end = self._name_end(sd, v, known) if not prefix else v + 1
                    if end > v and self._reads_on(r, v, end, known):
                        sd.mentions.append(Mention("Person", v, end, r.surface(v, end, prefix), via="name",
                                                   prefix=prefix))
                        taken |= set(range(v, end))
            sd.mentions.sort(key=lambda m: (m.start, -m.end))
        self._drop_doubtful(data)

    def _learn(self, known: set[str], name: str) -> None:
        words = normalize_phrase(name)
        known.update(words)
        if words and not (len(words) > 1 and words[-2] in self.gaz.words("compound_name_heads")):
            self.surnames.add(words[-1])  # not «الله» of «عبد الله»

    def _reads_on(self, r: SentenceReader, v: int, end: int, known: set[str]) -> bool:
        """Is a word of a name the article has read, met again at token v, that person? A surname alone is
        («قال لافروف»), and so is a given name the rest of the name follows; a given name alone or a middle
        word is as often a common word («مبادئ حسن الجوار» in an article on «حسن روحاني»)."""
        norm = r.norms[v]
        stem = norm if norm in known else norm[1:]
        return stem in self.surnames or end - v >= 2

    def _drop_doubtful(self, data: list[SentenceData]) -> None:
        """A word a title vouched for on its own stays a person only if the article names it as one elsewhere
        («والتزم الفريق حفتر» before «وقال خليفة حفتر»): what the later passes found decides."""
        if not self.doubtful:
            return
        weak = {id(m) for _, m in self.doubtful}
        named = {w for sd in data for m in sd.mentions if m.type == "Person" and id(m) not in weak
                 for w in normalize_phrase(m.name)}
        for sd, m in self.doubtful:
            if named.isdisjoint(normalize_phrase(m.name)):
                sd.mentions.remove(m)

    def _given_name(self, sd: SentenceData, i: int, known: set[str]) -> int:
        """A title of a state or body («سلطان»، «أمير») named with none is the given name it also is, when a
        surname follows that more than its place vouches for («سلطان البلوي»، «سلطان اللويحق»). Returns where
        reading goes on."""
        r = sd.reader
        k = i + 1
        if k >= len(r.tokens):
            return k
        until = min(len(r.tokens), k + 1 + _compound_head(r, k))  # «أمير عبد اللهيان»
        end = r.name_at(k, known, until=until) if r.name_like(k, first=False) else i
        prefix = r.matches[i].prefix  # «وسلطان الجميح»
        given = r.norms[i][prefix:] in self.gaz.words("person_words")
        if end > k and not r.suffixed(end - 1) and not _names_a_thing(r, i, end) \
                and (given or self._name_evidence(sd, i, end)):
            sd.mentions.append(Mention("Person", i, end, r.surface(i, end, prefix), via="name", prefix=prefix))
            self._learn(known, sd.mentions[-1].name)
            return end
        return i + 1

    def _honored_name(self, sd: SentenceData, i: int, known: set[str]) -> int:
        """An honorific with no title after it vouches for the name it precedes as a title does: «العقيد» and
        «الدكتور» are said of persons only. Returns where reading goes on."""
        r = sd.reader
        start = r.skip_honorifics(i)
        end = self._name_end(sd, start, known, anchored="title")
        if end > start:
            sd.mentions.append(Mention("Person", start, end, r.surface(start, end), via="title", lead=i))
            if self._name_evidence(sd, start, end):
                self._learn(known, sd.mentions[-1].name)
            else:
                self.doubtful.append((sd, sd.mentions[-1]))
        return max(end, start, i + 1)

    def _name_end(self, sd: SentenceData, start: int, known: set[str], anchored: str = "") -> int:
        """Where a personal name starting at token ``start`` ends (``start`` when none starts there).

        A name is what the recogniser marked, cut at the first word that cannot be part of one: it may run on
        into a word with an attached pronoun («ميركل قولها»), a common word or a cue word. Where it marked
        nothing, the names of persons the article has already named, and after a title or a speech verb what
        ``_vouched_name`` allows: words that merely look like a name are as often «قال مصدر عسكري».
        """
        # a well-known person's name as the gazetteer spells it («بنيامين نتانياهو»: no proclitic ب) ends there,
        # or with the family name a variant left out: «محمد بن سلمان» «تميز» is no longer name
        listed = max((e for s0, e, _ in sd.listed if s0 == start), default=0)
        end = listed_end(sd.reader, listed) if listed else None
        return end if end is not None else self._read_name_end(sd, start, known, anchored)

    def _read_name_end(self, sd: SentenceData, start: int, known: set[str], anchored: str) -> int:
        r = sd.reader
        model = self._model_name(sd, start, anchored)
        if model is None:
            end = start
            while end < len(r.tokens) and r.norms[end] in known and r.tokens[end].is_word:
                end += 1
            return self._vouched_name(r, start, known, anchored) if end == start and anchored else end
        end = next((k for k in range(start + 1, model.end) if r.suffixed(k)), model.end)
        end = r.name_at(start, known, until=end)
        if end == model.end and end < len(r.tokens) and _compound_head(r, end - 1) and r.tokens[end].is_word:
            end += 1  # «عبد اللطيف بن عبد» «الملك»: عبد is never the last word of a name
        family = next((k for k in (end - 1, end) if start < k and r.word(k, "family_markers")), None)
        if family is not None and family + 1 < len(r.tokens) and r.tokens[family + 1].is_word \
                and not r.gaz.is_stopword(r.tokens[family + 1].text):  # «آل الشيخ» too
            end = family + 2  # «سلمان بن عبدالعزيز آل سعود»: the recogniser often stops before the family name
        elif end == model.end and end - start >= 3 and r.word(end - 2, "patronymics") and self._surname(r, end):
            end += 1  # «محمد بن عبدالله بن علي الشبلان»: a patronymic chain ends in the family name
        elif anchored and end == model.end and r.name_at(start, known) > end and self._surname(r, end) \
                and r.person_probabilities[end] >= MIN_VOUCHED_PROBABILITY:
            end += 1  # «عبد العزيز كاميلوف»: a title or speech verb vouches for the foreign surname left out
        nisba = r.matches.get(end)
        if end > start and r.word(start, "kunya_markers") and nisba and nisba.kind == "adj" and not nisba.prefix:
            end = nisba.end  # «أبو قتادة التونسي»: a nom de guerre ends in its nisba
        while start < end < len(r.tokens) and r.word(end - 1, "patronymics") and r.tokens[end].is_word \
                and not r.gaz.is_stopword(r.tokens[end].text):
            end = family_end(r, max(end + 1, r.name_at(end + 1, known)))  # «إسماعيل ولد الشيخ أحمد»: the
            # father's name, any word, and the family name after it
        links = ("patronymics", "kunya_markers", "family_markers")
        while end - 1 > start and any(r.word(end - 1, role) for role in links):
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
            return start + 1 if r.name_like(start, first=False) and not r.suffixed(start) \
                and not r.tokens[start].text.endswith("ة") and self.gaz.roles(norm) <= {PHRASE_START} else start
        if not r.name_like(start, first=True):
            return start
        if norm in self.gaz.words("person_words"):
            end = r.name_at(start, known, common=True)
            if end - start >= 2 and not any(r.suffixed(k) or r.norms[k].startswith("و")
                                            for k in range(start + 1, end)):
                return end
        if r.suffixed(start) or any(stem != norm for stem, _ in clitic_readings(norm)) \
                or r.tokens[start].text.endswith("ة"):
            return start  # «خبيرة [أكاديمية]»: a feminine noun or adjective, not a name the model missed
        end = start + 1  # and the words after it that can only be a name («الممثلة العليا … فيديريكا موغيريني»)
        while end < min(len(r.tokens), start + 3) and not r.norms[end].startswith("ال") and self._surname(r, end) \
                and r.person_probabilities[end] >= MIN_VOUCHED_PROBABILITY:
            end += 1
        return end

    def _name_evidence(self, sd: SentenceData, start: int, end: int) -> bool:
        """Does more than the title before ``start`` say that the words after it are a name? The model marked
        them, or the gazetteer lists them; they are a known name's words; what follows a speaker follows a
        surname («وقال وزير الخارجية الجبير إن»; not an adjective: «ويرى الخبير الاقتصادي أن»، «مصدر إعلامي إن»);
        or the model finds a name there likely enough, though it marked none. Without, the article must name
        them as a name elsewhere (``_drop_doubtful``)."""
        r = sd.reader
        if self._model_name(sd, start, "title") or any(s0 == start for s0, _, _ in sd.listed):
            return True
        if any(n in self.model_words or n in self.gaz.words("person_words") for n in r.norms[start:end]):
            return True
        if _speaker_follows(r, end) and r.norms[end - 1].startswith("ال") \
                and not r.tokens[end - 1].text.endswith(("ي", "ة")) and not r.suffixed(end - 1):
            return True
        return r.person_probabilities[start] >= MIN_VOUCHED_PROBABILITY

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
        جواد ظريف») or a preposition ل/ب on a name the article or the recogniser knows («لبشار الأسد»):
        ANERcorp, which the recogniser learned from, keeps them inside the name. A word that is a
        name as written («وليد») keeps its و unless it follows a name, a comma or another و."""
        r = sd.reader
        norm = r.norms[k]
        names = self.gaz.words("person_words")
        if len(norm) >= 5 and norm.startswith(("ل", "ب")) and norm not in names and not norm[1:].startswith("ال") \
                and (norm[1:] in names or norm[1:] in known) \
                or norm.startswith(("ل", "ب")) and any(norm[1:] in self.gaz.words(role)
                                                      for role in ("compound_name_heads", "patronymics")):
            return 1  # «لبشار الأسد»، «بأوباما»، «لعبد الناصر»، «لابن تيمية»: a preposition on a name
        if len(norm) < 4 or not norm.startswith("و"):
            return 0
        stem = norm[1:]
        prev = k - 1
        after_name = prev >= 0 and (r.norms[prev] in known or r.norms[prev] in ("،", ",")
                                    or any(n.type == "PERS" and n.start <= prev < n.end for n in sd.names))
        if stem in known or stem in names:  # ANERcorp keeps «وأحمد» as a name; a stem of three letters or more
            # is the name itself («ودييغو أرزمنيدي»، «وحسن»), a shorter one rarely is («ولي» is no «لي»)
            return 1 if norm not in names or norm.startswith("وو") or stem in known or after_name \
                or len(stem) >= 3 else 0
        return 1 if after_name and norm not in names else 0  # «… وروبرت ردفورد وكلينت إيستوود»

    def _stray_conjunction(self, r: SentenceReader, k: int, known: set[str]) -> bool:
        """Is token k a word with the conjunction و that neither it nor its stem is known as a name?"""
        norm, names = r.norms[k], self.gaz.words("person_words")
        return norm.startswith("و") and norm not in names and norm[1:] not in names and norm[1:] not in known

    def _common_lead(self, r: SentenceReader, k: int) -> bool:
        """A common word the recogniser put at the head of a name («بلسان عادل الجبير»), or a profession: never
        a given name."""
        norm = r.norms[k]
        return norm in self.gaz.common_words and norm not in self.gaz.words("person_words") or self._profession(r, k)

    def _profession(self, r: SentenceReader, k: int) -> bool:
        """A definite nisba before a name («الصحافي ساميودين نيلو»، «المحامي …»، «الفاشي بنيتو موسوليني»): a
        profession or an origin, unless the recogniser learned it as a name («الباجي»)."""
        norm = r.norms[k]
        return norm.startswith("ال") and norm.endswith("ي") and len(norm) > 4 \
            and norm not in self.gaz.words("person_words")

    def _surname(self, r: SentenceReader, k: int) -> bool:
        """Could token k end a name the recogniser cut short («عبد العزيز كاميلوف», «حمد سليمان المشعان»)? A
        name-like word that is no common word, with no pronoun suffix or proclitic, not in ة, and not the first
        word of a title («نائب»)."""
        norm = r.norms[k] if k < len(r.tokens) else ""
        if not r.name_like(k, first=False) or r.suffixed(k) or r.tokens[k].text.endswith("ة") \
                or norm in self.gaz.common_words \
                or norm.startswith(("و", "ب", "ل")) and norm not in self.gaz.words("person_words"):
            return False  # a word in ة is an adjective or a noun far more often than a foreign surname
        return not any(form in self.gaz.title_heads for form, _, _ in stem_forms(r.norms[k]))

    def _plausible_name(self, r: SentenceReader, start: int, end: int, known: set[str]) -> bool:
        """A speech-verb subject with no title is a name when the article knows it, or when it is followed by
        what follows a speaker (إن، أن، a comma, a colon, a quote); one word only by «إن» or a colon."""
        if any(r.norms[k] in known for k in range(start, end)):
            return True
        if any(_dual(r, k) for k in range(start, end)):
            return False  # «قال الجانبان»، «اعتبر خبيران أوروبيان»: two of something, not a name
        nxt = r.norms[end] if end < len(r.tokens) else "."
        return (end - start >= 2 or _speaker_follows(r, end)) \
            and (nxt in {"ان", "انه", "،", ",", ":", "«", "“", '"', "الي", "علي"}
                                      or not r.tokens[end].is_word if end < len(r.tokens) else True)

    def _chain_body(self, chain) -> tuple[Entry | None, bool]:
        if chain.body:
            return chain.body, False
        if chain.home:
            return self.home, True
        return None, True


def _thing_head(r: SentenceReader, k: int) -> bool:
    """«بنك مورجان ستانلي»، «جامعة زايد»، «البنك»: the head noun of a company's, a work's or a place's name."""
    if any(r.word(k, role) for role in THING_HEADS):
        return True
    bare = [stem[2:] for stem, _ in clitic_readings(r.norms[k]) if stem.startswith("ال")] if 0 <= k < len(r.norms) \
        else []
    return any(b in r.gaz.words(role) for b in bare for role in THING_HEADS)


def _names_a_thing(r: SentenceReader, start: int, end: int) -> bool:
    """Is the name the recogniser found at [start, end) a company's, a work's or a place's? It follows or
    starts with such a head noun («شركة "ديكو يو كيه"»، «متحف بن علي»، «جامعة زايد»، «من نوع (لاند كروزر)»،
    «ملعب الأمير عبدالرحمن بن سعود»), or it opens or ends a quotation («فيلم «وست سايد ستوري»»، «تقرير
    «ليو جلوبل»»، «تلفزيون «بول تي في»»): news quotes titles and brands, and writes persons bare, but for a
    nom de guerre («أبو محمد العدناني»)."""
    before = start - 1 if start > 0 and r.norms[start - 1] in OPENERS | {"("} else start
    # the head may come before the honorifics too: «ملعب الأمير عبدالرحمن بن سعود»
    leads = [before, *(j for j in range(max(0, start - 4), start) if r.skip_honorifics(j) == start)]
    if any(_thing_head(r, lead - 1) for lead in leads) or _thing_head(r, start):
        return True
    if r.word(start, "kunya_markers"):
        return False
    closer = next((k for k in range(end, min(len(r.tokens), end + 3)) if not r.tokens[k].is_word), None)
    if closer is None or r.norms[closer] not in CLOSERS:
        return False
    opener = next((k for k in range(start - 1, max(-1, start - 4), -1) if not r.tokens[k].is_word), None)
    return opener is not None and r.norms[opener] in OPENERS and (opener == start - 1 or closer == end)


def _group(r: SentenceReader, start: int, end: int) -> bool:
    """«قال مراقبون»، «احتفل الشيعة»، «أشار سكان آخرون»: a community or a group of speakers (``group_nouns``),
    not a person."""
    return r.word(start, "group_nouns")


def _speaker_follows(r: SentenceReader, end: int) -> bool:
    """«… الجبير إن»، «… الجبير:»: what follows the name of one who speaks."""
    return r.word(end, "speaker_followers") or end < len(r.tokens) and r.norms[end] == ":"


def _compound_head(r: SentenceReader, k: int) -> bool:
    """«عبد»، «وعبد»: the first half of a compound name («عبد الملك»، «عبد الله»), whatever follows it."""
    return any(r.norms[k].endswith(w) for w in r.gaz.words("compound_name_heads"))


def _dual(r: SentenceReader, k: int) -> bool:
    """A dual noun: ends in ان where the oblique form in ين is a common word (الجانبان)، or a dual adjective
    in يان agrees with it («خبيران أوروبيان»، «مسؤولان أمريكيان»); «عثمان» is not."""
    norm = r.norms[k]
    if len(norm) <= 4 or not norm.endswith("ان"):
        return False
    after = r.norms[k + 1] if k + 1 < len(r.norms) else ""
    return norm[:-2] + "ين" in r.gaz.common_words or len(after) > 4 and after.endswith("يان")
