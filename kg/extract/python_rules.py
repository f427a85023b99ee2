"""Phase 5, rules: the relation rules that need discourse state no data rule can express. The data rules
(``kg/data/rules``) are run by ``kg.rules.run_rules``; these are registered with ``@python_rule`` and
run after them; ``ArticleExtractor.add`` keeps the best rule per triple, whichever ran first."""

from __future__ import annotations

from kg.extract.common import (
    CLAUSE_PUNCTUATION,
    STATE_OFFICES,
    armed,
    demonstrative_head,
    head_noun,
    in_title_chain,
    mention_at,
)
from kg.extract.discourse import Ctx
from kg.gazetteer import Entry, Title
from kg.mentions import (
    Mention,
    SentenceReader,
)
from kg.rules import python_rule


@python_rule("represents.title", priority=60)
def rule_represents(ctx: Ctx) -> None:
    """«نائب المندوب الدائم للكويت لدى الأمم المتحدة المستشار بدر المنيخ»: the title chain before a name ties
    the person to its body, as does one in apposition after it («ستيفن دوجاريك، المتحدث باسم الأمين العام
    للأمم المتحدة»، «عادل الجبير وزير الخارجية السعودي»); «الأمين العام للأمم المتحدة» to the title's own
    body; a title of the office a well-known person held (``persons.json``) to that person's state («جلالة
    الملك عبدالله الثاني»); «وزير الخارجية» with no state to the state the article is about. A minister
    holds office for a state: a body in the chain is the portfolio («وزير الشؤون المغاربية والاتحاد
    الأفريقي»)."""
    date = ctx.ex.date or ""
    for m in ctx.of("Person"):
        _represents_apposition(ctx, m, date)
        if m.via != "title":
            continue
        titles = [t for t in m.titles if _holds_office_for(t, m.body)]
        if not titles:
            continue
        if m.body and not m.body_implicit:
            ctx.add(m.key, "REPRESENTS", m.body.id, "represents.title", 0.9, role=m.role, date=date)
        titles = [t for t in titles if not t.body_named]
        for t in titles:
            default = ctx.ex.gaz.lookup(t.default_body) if t.default_body else None
            if default:
                ctx.add(m.key, "REPRESENTS", default.id, "represents.title_default_body", 0.75,
                        role=m.role, date=date)
        if m.body is None or m.body_implicit:
            _unnamed_body(ctx, m, titles, m.role, date)


def _unnamed_body(ctx: Ctx, m: Mention, titles: list[Title], role: str, date: str, *, home: bool = True) -> None:
    """An office named with no state or body: the one the gazetteer knows the person held («رئيس الجمهورية
    الباجي قائد السبسي»), or else, for an office of state and where ``home`` allows, the state the article is
    about («وزير الخارجية صباح الخالد»). A person the gazetteer knows as a state's office holder holds any
    office of state for that state («الأمير سلمان بن عبدالعزيز ولي العهد» before he was king)."""
    person = ctx.cluster(m.key)
    known = person.entry if person and person.entry and person.entry.represents else None
    body = ctx.ex.gaz.lookup(known.represents or "") if known else None
    if known and (any(t.kind == known.kind for t in titles)
                  or body and body.type == "State" and any(t.kind in STATE_OFFICES for t in titles)):
        ctx.add(m.key, "REPRESENTS", body.id if body else None, "represents.known_person", 0.8, role=role,
                date=date)
        return
    explicit = person is not None and person.represents is not None and person.represents != ctx.ex.home
    if home and ctx.ex.home and not explicit and not any(t.default_body for t in titles) \
            and any(t.kind in STATE_OFFICES for t in titles) and len(m.name.split()) >= 2:
        ctx.add(m.key, "REPRESENTS", ctx.ex.home.id, "represents.implicit_state", 0.6, role=role, date=date)


def _holds_office_for(title: Title, body: Entry | None) -> bool:
    """Does a title in a chain tie its holder to the chain's body? Not an honorific, and not a minister's
    portfolio that happens to name a body."""
    return title.represents and title.kind != "honorific" \
        and not (title.kind in STATE_OFFICES and body is not None and body.type != "State")


def _represents_apposition(ctx: Ctx, m: Mention, date: str) -> None:
    """A title chain right after a name, or after its comma, is that person's office («ستيفن دوجاريك، المتحدث
    باسم الأمين العام للأمم المتحدة»، «عادل الجبير وزير الخارجية السعودي»), unless it leads the next name
    («التقى لافروف وزير الخارجية الأمريكي جون كيري»). A title of a title speaks for the body of the second."""
    r = ctx.r
    comma = m.end + 1 < len(r.tokens) and r.norms[m.end] in ("،", ",")
    k = r.skip_honorifics(m.end + comma)
    if k >= len(r.tokens) or k in r.matches and r.matches[k].prefix:  # not «، ورئيس»
        return
    chain = r.title_chain(k)
    if not chain or any(p.lead == k for p in ctx.of("Person")):
        return
    inner = r.title_chain(chain.end) if chain.body is None else None
    body = chain.body or (inner and (inner.body or next(
        (ctx.ex.gaz.lookup(t.default_body) for t in inner.titles if t.default_body), None)))
    titles = [t for t in chain.titles if _holds_office_for(t, body)]
    role = " و".join(chain.role_tokens).replace("\u0640", "").strip()
    if body and titles:
        ctx.add(m.key, "REPRESENTS", body.id, "represents.apposition", 0.8, role=role, date=date)
    elif not body and not chain.home and not m.titles:
        # after a name, a title with no state is as often a former or foreign office («وزير الآثار الأسبق»)
        _unnamed_body(ctx, m, [t for t in titles if not t.body_named], role, date, home=False)


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
        while j < len(r.tokens) and j - v < 4 and not r.word(j, "in_prepositions"):
            j += 1
        # «انعقد في الرياض …»، «انطلقت ظهر اليوم بالعاصمة الموريتانية نواكشوط …»، «الذي عقد بمقر الوزارة
        # بالقاهرة»; not «بدأت إجراءات استقدام العمالة من جيبوتي»: a place after في, ب or a place head with ب
        headed = [m for m in ctx.of("State", "Place") for k in range(v + 1, j) if r.word(k, "place_heads")
                  and r.norms[k].startswith("ب") and k < m.start <= k + 2]  # the state's adjective, the city
        reached = mention_at(ctx.sd, j + 1, ("State", "Place"))
        by_ba = reached is not None and reached.prefix > 0 \
            and r.tokens[reached.start].norm[reached.prefix - 1:reached.prefix] == "ب"  # «… بالقاهرة»
        where = reached if r.word(j, "in_prepositions") or by_ba and not headed else (headed[-1] if headed else None)
        if not where:  # «تنطلق بالدوحة غدا أعمال …»: the place carries the preposition
            where = next((m for m in ctx.of("State", "Place") if v < m.start <= v + 2 and m.prefix
                          and r.tokens[m.start].norm[m.prefix - 1:m.prefix] == "ب"), None)
        if not where:
            where = mention_at(ctx.sd, j, ("State", "Place")) if j < len(r.tokens) else None
            if not where or not where.prefix:
                continue
        after = [m for m in ctx.of("Meeting") if m.start > where.end]
        before = [m for m in ctx.of("Meeting") if m.end <= v]
        meeting = after[0] if after and not before else (before[-1] if before else None)
        if meeting is None:
            continue
        for place in headed if where in headed else [where]:
            if place.type == "State":
                ctx.add(meeting.key, "HOSTED_BY", place.key, "hosted.opened_in", 0.7)
            else:
                ctx.add(meeting.key, "HELD_IN", place.key, "held_in.verb", 0.8)


@python_rule("chaired.cue", priority=55)
def rule_chaired(ctx: Ctx) -> None:
    """«برئاسة وزير الخارجية …»، «ترأس الوزير الاجتماع»، «ترأست السعودية الاجتماع»، «برئاسة مشتركة من
    المغرب وهولندا»: the chair of the meeting or body near the cue."""
    r = ctx.r
    for c in ctx.cues("chair_cues"):
        if any(r.word(k, "candidacy_words") for k in range(max(0, c - 2), c)):
            continue  # «ترشحه لرئاسة الاتحاد»، «انتخابات رئاسة …»: running for the chair is not chairing
        if r.word(c + 1, "presidency_bodies"):
            continue  # «سيسلمه إلى رئاسة الجمهورية»، «رئاسة الحكومة»: the presidency, an office, chairs nothing
        norm = r.norms[c]
        chair = next((m for m in ctx.of("Person", "State") if c < m.start <= c + 6
                      and not in_title_chain(r, m)), None)
        pronoun = norm.endswith(("ها", "ه")) and not norm.endswith("رئاسه")
        obj = next((m for m in ctx.of("Organization", "Meeting") if c < m.start <= c + 4), None)
        if obj is None and demonstrative_head(r, c + 1):
            obj = _anaphoric_org(ctx, c + 1)
        if chair and chair.type == "Person" and (pronoun or obj is None or obj.type == "Meeting"):
            meeting = obj.key if obj and obj.type == "Meeting" else ctx.meeting
            if obj is not None or not _heads_delegation(ctx, c):
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
            while (m := mention_at(ctx.sd, k, ("State",))) and m.via == "name":
                ctx.add(ctx.meeting, "CHAIRED_BY", m.key, "chaired.states", 0.6)
                k = m.end + (1 if m.end < len(r.tokens) and r.norms[m.end] in ("،", ",", "و") else 0)


def _heads_delegation(ctx: Ctx, c: int) -> bool:
    """«يحل وفد صيني … بتونس برئاسة هونغ هونغ»، «وفد تجاري … برئاسة رئيس المجلس»: «برئاسة» after a delegation
    (before any meeting or full stop back from it) names who leads the delegation, not who chairs the meeting."""
    r = ctx.r
    starts = {m.end - 1 for m in ctx.of("Meeting")}
    for k in range(c - 1, max(-1, c - 16), -1):
        if k in starts or r.norms[k] in CLAUSE_PUNCTUATION:
            return False
        if r.word(k, "delegation_words"):
            return True
    return False


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
        creator = next((m for m in ctx.of("Organization", "State") if e < m.start <= e + 3 and not armed(m)), None)
        created = None
        if e >= 1 and (r.word(e - 1, "relative_pronouns") or r.norms[e].startswith(("ال", "و"))):
            created = next((m for m in reversed(ctx.of("Organization")) if 0 <= e - m.end <= 2), None)
        if created is None and creator:
            created = next((m for m in ctx.of("Organization") if creator.end <= m.start <= creator.end + 8), None)
        basis = next((res for res in ctx.of("Resolution")
                      if e < res.start <= e + 8 and _legal_basis_before(r, res.start, e)), None)
        if basis is None:
            basis = next((res for res in reversed(ctx.of("Resolution")) if 0 <= e - res.end <= 2), None)
        if created is None or armed(created):
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
        body = next((m for m in ctx.of("Organization") if c < m.start <= c + 2 and not armed(m)), None)
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
        if r.word(c - 1, "state_plurals"):
            continue
        member = None
        subject = next((m for m in ctx.of("State") if m.start == c + 1 and m.via == "name"), None)
        if subject:  # «انضمت تيمور الشرقية إلى رابطة …»: the member follows the verb
            member, c = subject.key, subject.end - 1
        body = next((m for m in ctx.of("Organization") if c < m.start <= c + 3), None)
        if not body or armed(body):
            continue
        member = member or _clause_state(ctx, c)
        ctx.add(member, "MEMBER_OF", body.key, "member_of.cue", 0.7)



def _at_meeting(r: SentenceReader, k: int) -> bool:
    """«خلال الجلسة»، «في كلمة خلال هذا الاجتماع»: the meeting at k is where the sentence places its speaker."""
    before = k - 1 if k >= 2 and r.word(k - 1, "demonstratives") else k
    return before > 0 and r.word(before - 1, "at_meeting_words")


def _anaphoric_org(ctx: Ctx, k: int) -> Mention | None:
    """«لهذه المجموعة»: the working group or team this article last named with that head noun."""
    r = ctx.r
    if k + 1 >= len(r.tokens):
        return None
    head = head_noun(r, Mention("Organization", k + 1, k + 2, ""))
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

