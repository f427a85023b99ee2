"""Phase 3, coreference: every mention joins an article-level cluster: a surname its full name, «الجلسة»
the session last named, «الإعلان» the declaration, «التنظيم» the armed group."""

from __future__ import annotations

from kg.extract.common import (
    CLAUSE_PUNCTUATION,
    UNSC_QID,
    Cluster,
    ExtractorState,
    SentenceData,
    armed,
    demonstrative_head,
    head_noun,
    listed_end,
    mention_at,
)
from kg.gazetteer import Entry
from kg.ids import digest, entity_id, name_key, part_of_name
from kg.mentions import (
    Mention,
    SentenceReader,
)
from kg.text import normalize_phrase

MAX_DOCUMENT_QUALIFIERS = 2  # «الاتفاق السياسي» + «الليبي الموقع»
# How many of the latest meetings a meeting phrase may refer back to. A news story names a handful; an
# unbounded search made one long text quadratic (every phrase against every meeting before it).
MEETING_ANTECEDENTS = 64


class Coreference(ExtractorState):
    def _cluster(self, sd: SentenceData) -> None:
        r = sd.reader
        for m in sd.mentions:
            if m.entry:
                m.key = m.entry.id
                c = self._get(m.key, m.entry.type, entry=m.entry, sentence=sd.sentence.index)
                c.names.append(m.name)
                c.head = c.head or head_noun(r, m)
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
            named = [m for m in sd.mentions if armed(m) and m.key]
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
        head = head_noun(r, Mention("Organization", k, k + 1, ""))
        return demonstrative_head(r, k - 1) or any(
            c.type == "Organization" and c.head == head and not (c.entry and c.entry.kind == "armed_group")
            for c in self.clusters.values())

    def _organization_key(self, m: Mention, r: SentenceReader, sd: SentenceData) -> None:
        """«المجموعة المعنية بمنع …» is «مجموعة العمل المعنية بمنع …»: what a group is concerned with
        identifies it, whatever its head is called."""
        head = head_noun(r, m)
        tail = self._org_tail(m.name)
        named = bool(m.attrs.get("named"))  # a body the text names («مفوضية الاتحاد الأفريقي») stands on its own
        for c in self.clusters.values():
            if c.type == "Organization" and tail and tail in self._org_tails(c):
                m.key = c.key
                c.names.append(m.name)
                c.weak = c.weak and not named
                return
        m.key = entity_id("Organization", f"{head} {' '.join(tail)}" if tail else m.name)
        fresh = m.key not in self.clusters
        c = self._get(m.key, "Organization", sentence=sd.sentence.index)
        c.names.append(m.name)
        c.head, c.weak = head, (fresh or c.weak) and not named

    def _org_tails(self, c: Cluster) -> set[tuple[str, ...]]:
        """The tails of an organisation's names, read once per name: a long text names a body thousands of
        times, and reading all its names again for every mention made the search quadratic."""
        read, tails = self.tails.setdefault(c.key, (0, set()))
        tails.update(self._org_tail(n) for n in c.names[read:])  # names are only ever appended
        self.tails[c.key] = (len(c.names), tails)
        return tails

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
            if type_ == "Meeting":
                self.meetings.append(self.clusters[key])
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
        # a well-known person the article names in full («الباجي قائد السبسي») is one node under the gazetteer's
        # id, which every shorter form joins, even when a title word split the name («الباجي»، «قائد السبسي»)
        listed: dict[tuple[tuple[str, ...], str], Cluster] = {}  # each form once: a long text repeats them
        for sd in data:
            for start, end, entry in sd.listed:
                end = listed_end(sd.reader, end)
                if end is None:
                    continue
                form = tuple(name_key(" ".join(sd.reader.norms[start:end]).removeprefix("و")).split())
                cluster = self._get(entry.id, "Person", entry=entry, sentence=sd.sentence.index)
                listed.setdefault((form, cluster.key), cluster)
        people = sorted(((form, c) for (form, _), c in listed.items()), key=lambda p: -len(p[0]))
        patronymics = self.gaz.words("patronymics")
        # a name's person, once found, stays the first match: `people` only grows at its end
        chosen: dict[tuple[str, ...], Cluster] = {}
        for index, m in found:
            tokens = tuple(name_key(m.name).split())
            cluster = chosen.get(tokens) or next(
                (c for full, c in people if part_of_name(tokens, full, patronymics)), None)
            if cluster is None:
                cluster = self._get(entity_id("Person", self._person_signature(tokens)), "Person", sentence=index)
                people.append((tokens, cluster))
            chosen[tokens] = cluster
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
        head = head_noun(r, m)
        if m.via == "anaphor":
            docs = [c for c in self.clusters.values() if c.type == "Document" and c.head == head]
            if docs or not m.attrs.get("released"):
                m.key = docs[-1].key if docs else ""
                return
        m.key = entity_id("Document", m.name)
        c = self._get(m.key, "Document", sentence=sd.sentence.index)
        c.names.append(m.name)
        c.head = head

    def _merge_documents(self, data: list[SentenceData]) -> None:
        """«الاتفاق السياسي»، «الاتفاق السياسي الليبي»، «الاتفاق السياسي الموقع …»: one document, which the
        article names at more or less length. A name that starts with the whole of a shorter one of the same
        head (two words at least) is that document, under the shorter name's id: the same id whichever
        form an article happens to use first, so the document merges across articles too. Beyond a few
        words more, the longer «name» is a phrase that ran on into the sentence, not a qualifier."""
        tokens = {c.key: normalize_phrase(min(c.names, key=len))
                  for c in self.clusters.values() if c.type == "Document" and c.names}
        docs = sorted(tokens, key=lambda key: (len(tokens[key]), key))  # the shortest name first
        into: dict[str, str] = {}
        for i, short in enumerate(docs):
            base = tokens[short]
            if len(base) < 2 or short in into:
                continue
            for long in docs[i + 1:]:
                if long not in into and self.clusters[long].head == self.clusters[short].head \
                        and tokens[long][:len(base)] == base \
                        and 0 < len(tokens[long]) - len(base) <= MAX_DOCUMENT_QUALIFIERS:
                    into[long] = short
                    self.clusters[short].names += self.clusters[long].names
        if not into:
            return
        for key in into:
            del self.clusters[key]
        for sd in data:
            for m in sd.mentions:
                m.key = into.get(m.key, m.key)

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
        # «المؤتمر»، in construct with a definite noun («مؤتمر الحوار الوطني»، «جلسة مجلس الوزراء»), and with a
        # possessive pronoun («اجتماعها»)
        definite = bool(m.attrs.get("definite")) or r.suffixed(m.start) \
            or any(r.norms[k].startswith("ال") for k in range(m.start + 1, m.end))
        # «قمة كامب ديفيد»: a meeting named after a place or a name no gazetteer knows
        named = m.end - m.start > 1 and r.name_like(m.start + 1, first=True) \
            and r.norms[m.start + 1] not in self.gaz.common_words
        # «دورة»، «لقاء» with no state, body or host of their own: a definite one may refer back to a meeting
        # already named, but never starts one (it is as often a tournament, a match or an interview); the
        # parties after «بين» or «مع» make it one («المفاوضات النووية بين إيران والدول الست»)
        anchored = _anchored(sd, m)
        weak = m.attrs.get("weak") and not (attrs.get("convener") or attrs.get("host")) and not anchored
        if weak and not definite:
            return
        # «وعقد جلالته اجتماعاً مع سموه»، «الصادر عن مؤتمر …»: a meeting that was held, hosted, opened or
        # issued something is a particular one
        held = any(r.word(k, role) for k in range(max(0, m.start - 3), m.start)
                   for role in ("convene_verbs", "open_verbs", "host_verbs", "issue_cues"))
        counted = m.start > 0 and r.norms[m.start - 1].isdigit()  # «عقد القادة العرب 33 قمة»: how many, not which
        specific = _distinct(attrs) or anchored or named or held and not counted
        if not definite and not specific:
            return
        head = head_noun(r, m)
        bare = m.end - m.start == 1
        modifiers = {_adjective_stem(r.norms[k]) for k in range(m.start + 1, m.end) if r.word(k, "meeting_modifiers")}
        attrs_kind = {"kind": " ".join(sorted(modifiers))} if modifiers else {}
        earlier = [c for c in reversed(self.meetings[-MEETING_ANTECEDENTS:])
                   if not _conflict(c.attrs, attrs) and not _conflict(c.attrs, attrs_kind)]
        same_body = [c for c in earlier
                     if any(attrs.get(k) and c.attrs.get(k) == attrs[k] for k in ("convener", "host"))]
        same_head = [c for c in earlier if c.head == head]
        # «وعقد جلالته اجتماعاً مع سموه … كما تم عقد مباحثات ثنائية»: a second indefinite noun of the same
        # sentence that states nothing of its own describes the same meeting
        same_sentence = [c for c in earlier if c.sentence == sd.sentence.index] if not _distinct(attrs) else []
        # a bare «الاجتماع» with no antecedent of its head refers to the meeting last reported as happening
        # (a verb of meeting, a place or a convener), before one merely named in passing
        happened = [c for c in earlier if c.event or _distinct(c.attrs)]
        fallback = happened + [c for c in earlier if not (c.event or _distinct(c.attrs))] if bare else []
        if m.attrs.get("weak"):  # «الحوار» is the summit's no more than any dialogue; «اللقاء» a verb's meeting
            fallback = [c for c in fallback if c.event]
        target = next(iter([c for c in same_body if c in same_head or not definite]
                           + (same_head + fallback if definite else same_sentence)), None)
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
        def party(x: Mention) -> bool:  # a body the gazetteer knows; «لجنة المقابلات» meets no one of the guide
            return x.type in ("Person", "State") and x.via != "adj" or x.type == "Organization" and x.entry is not None

        after = any(party(x) and x.key and m.end <= x.phrase_start <= m.end + 1 for x in sd.mentions)
        before = any(party(x) and x.key and 0 <= m.start - x.end <= 1 for x in sd.mentions)
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
                    and not armed(x) and (x.entry is not None or x.attrs.get("named") or any(
                        r.word(k, "organization_linkers") for k in range(x.start + 1, x.end))):  # not «بلجنة التخطيط»
                attrs["convener"] = x.key
            elif x.type == "Place" and (r.word(x.start - 1, "in_prepositions") or r.locative(x.start, x.prefix)):
                attrs.setdefault("place", x.key)  # «في الرياض»، «بالرياض»; not «وجدة» after و
        if "place" not in attrs:  # «اللقاء الثلاثي بين بوغدانوف وظريف والمعلم في طهران»: past its parties
            attrs.update(self._trailing_place(m, sd))
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
                org = mention_at(sd, v + 1, ("Organization",))
                if org is None and not _meeting_between(sd, v, m.start):  # «وكان مجلس الأمن قد عقد …»
                    back = v - 1 if v >= 1 and r.word(v - 1, "verb_particles") else v
                    org = next((x for x in sd.mentions if x.type == "Organization" and x.key and x.end == back),
                               None)
                if org and "convener" not in attrs:
                    attrs["convener"] = org.key
            if r.word(v, "host_verbs"):
                host = self._host_for(sd, v)
                city = mention_at(sd, v + 1, ("Place",)) or next(
                    (x for x in sd.mentions if x.type == "Place" and x.key and x.end == v), None)
                if host is None and city and v < m.start and not _meeting_between(sd, v, m.start):
                    attrs.setdefault("place", city.key)  # «تستضيف الرياض …»: a city hosts, so it is held there
                if host and ((v < m.start and not _meeting_between(sd, v, m.start)) or
                             (v > m.end and not _meeting_between(sd, m.end, v))):
                    attrs.setdefault("host", host.key)
        return attrs

    def _trailing_place(self, m: Mention, sd: SentenceData) -> dict[str, str]:
        """The city after a meeting's parties, in its clause, before any topic, verb or other meeting."""
        r = sd.reader
        stops = ("topic_markers", "discuss_cues", "relative_pronouns", "meeting_triggers", "meeting_purposes")
        for k in range(m.end, min(len(r.tokens), m.end + 10)):
            if r.norms[k] in CLAUSE_PUNCTUATION or any(r.word(k, role) for role in stops):
                return {}
            place = mention_at(sd, k, ("Place",))
            if place and r.locative(k, place.prefix):
                return {"place": place.key}
        return {}

    def _host_for(self, sd: SentenceData, v: int) -> Mention | None:
        """«استضافت الكويت …» (after the verb), «الكويت تستضيف …» or «… انها استضافت» (the last state before)."""
        after = mention_at(sd, v + 1, ("State", "Organization"))
        if after:
            return after
        before = [x for x in sd.mentions if x.end <= v and x.type == "State" and x.via == "name"]
        return before[-1] if before else None

    def salient_group(self) -> str | None:
        """The armed group an article is about, which «التنظيم» refers back to."""
        groups = [c for c in self.clusters.values() if c.entry and c.entry.kind == "armed_group"]
        return max(groups, key=lambda c: (len(c.names), -c.sentence)).key if groups else None


def _anchored(sd: SentenceData, m: Mention) -> bool:
    """Does a meeting phrase name who meets: a state, a body or a person inside it («اجتماع وزراء خارجية تونس
    والجزائر ومصر») or right after «مع» or «بين» («لقاء مع نظيره الأميركي جون كيري»)? A nisba adjective
    alone («قمة عربية») does not."""
    r = sd.reader
    k = m.end + 1 if r.word(m.end, "phrase_verbs") else m.end  # «لقاء جمعه مع رئيس الحكومة»
    after = k + 1 if r.word(k, "with_words") or r.word(k, "between_words") else -1
    return any((m.start < x.start < m.end and not r.locative(x.start, x.prefix) or x.phrase_start == after)
               and x.via != "adj" and x.type in ("State", "Organization", "Person") for x in sd.mentions)


def _meeting_between(sd: SentenceData, a: int, b: int) -> bool:
    return any(m.type == "Meeting" and a < m.start < b for m in sd.mentions)


def _convener_position(r: SentenceReader, meeting: Mention, org: Mention) -> bool:
    """An organisation convenes a meeting when it follows the trigger as its complement: in idafa
    («اجتماع مجموعة العمل»), with ل («اجتماعا وزاريا للتحالف») or with في («جلسة في مجلس الأمن»),
    and before any topic marker («حول …»)."""
    for k in range(meeting.start + 1, org.start):
        if r.word(k, "topic_markers") or r.word(k, "discuss_cues") or r.word(k, "against_words"):
            return False
    return (org.prefix > 0 or r.word(org.start - 1, "in_prepositions") or org.start == meeting.start + 1
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

