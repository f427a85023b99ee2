"""Stage 2a: find entity mentions in one sentence.

Gazetteer names and state adjectives come from the phrase index; persons are anchored by titles
(«وزير الخارجية الروسي سيرجي لافروف», «نوروف، الأمين العام لمنظمة …») and by speech verbs;
meetings, documents, resolutions and working groups are recognised from their head nouns and
what follows them. Everything here is per sentence; coreference across sentences is
``kg.extract``'s job.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import regex

from kg.gazetteer import HEAD, PHRASE_START, Entry, Gazetteer, Match, Title, stem_lookup
from kg.text import Sentence, Token, clitic_readings, normalize

MAX_NAME_TOKENS = 5
MAX_PHRASE_TOKENS = 12
_NUMBER = regex.compile(r"^[وب]?(\d{3,4})$")
_QUOTES = set("«»“”\"'()[]")
_S = frozenset({"S", "s", "\u017f"})  # the letters whose upper case is S, as in S/RES/2178
_AFFAIRS = {normalize("شؤون"), normalize("الشؤون")}


@dataclass
class Mention:
    """An entity mention: tokens [start, end) of a sentence and what it refers to."""

    type: str
    start: int
    end: int
    name: str
    entry: Entry | None = None
    via: str = "name"  # name | adj | title | pattern | speech | anaphor
    prefix: int = 0
    attrs: dict[str, str] = field(default_factory=dict)
    # persons: the title chain that anchors them and the body it ties them to
    titles: tuple[Title, ...] = ()
    role: str = ""
    body: Entry | None = None
    body_implicit: bool = False
    key: str = ""  # filled by coreference: the article-level cluster key
    lead: int = -1  # persons named after a title chain: where the chain starts («وزير الخارجية الروسي …»)

    @property
    def phrase_start(self) -> int:
        """Where the words that introduce the mention start: its title chain, else the mention itself."""
        return self.lead if 0 <= self.lead < self.start else self.start

    def char_span(self, tokens: tuple[Token, ...]) -> tuple[int, int] | None:
        """Character offsets of the mention's words in the original text, without the proclitics the name was
        peeled of: for «بالكويت» the span covers «الكويت», so a user sees the name as the article wrote it."""
        words = [t for t in tokens[self.start:self.end] if t.is_word]
        if not words:
            return None
        return words[0].start + _prefix_chars(words[0].text, self.prefix), words[-1].end


@dataclass
class TitleChain:
    """«نائب المندوب الدائم للكويت لدى الأمم المتحدة المستشار»: titles, the body, where it ends."""

    start: int
    end: int
    titles: list[Title]
    role_tokens: list[str]
    body: Entry | None = None
    body_implicit: bool = False
    home: bool = False  # the body is «البلاد»: the article's own state


TANWEEN = ("\u064b", "\u064c", "\u064d")  # the case endings of an indefinite noun or adjective


class SentenceReader:
    """Reads one sentence: its tokens, the gazetteer matches, and helpers the rules share."""

    def __init__(self, sentence: Sentence, gaz: Gazetteer) -> None:
        self.sentence = sentence
        self.gaz = gaz
        self.tokens: tuple[Token, ...] = sentence.tokens
        self.norms = [t.norm for t in self.tokens]
        self.matches: dict[int, Match] = {}
        self.covered: set[int] = set()  # tokens inside a gazetteer match
        self._cues: dict[str, list[int]] | None = None
        # the lexicon roles of every token, looked up once: rules ask word(i, role) many times per token
        self._roles = gaz.token_roles(self.tokens)
        end = 0  # longest match first, left to right; the phrase index is walked only where a phrase can start
        for i in [k for k, roles in enumerate(self._roles) if PHRASE_START in roles]:
            if i < end:
                continue
            m = gaz.index.match_at(self.norms, i)
            if m and self._accept(m):
                self.matches[i] = m
                self.covered |= set(range(i, m.end))
                end = m.end

    def _accept(self, m: Match) -> bool:
        """Ambiguous bare names (مالي «financial», القاعدة «the base») need a cue to count; a body named
        with a sport after it («الاتحاد الأفريقي لكرة القدم») is a sports federation, not the body."""
        if m.kind not in ("name", "adj"):
            return True
        entry: Entry = m.payload  # type: ignore[assignment]
        if m.kind == "name" and entry.type == "Organization" and self.word(m.end, "sport_domains"):
            return False
        # the form as the entry lists it: the proclitics of «وأمل»، «بمالي» peeled off
        first = next((stem for stem, cut in clitic_readings(self.norms[m.start]) if cut == m.prefix),
                     self.norms[m.start])
        if not self.gaz.is_ambiguous(entry, [first, *self.norms[m.start + 1:m.end]]):
            return True
        if m.kind == "adj":  # «الدعم المالي» is financial support; «وزير الخارجية المالي» is Malian
            return any(t.kind == "title" and 0 <= m.start - t.end <= 2 for t in self.matches.values())
        if entry.type == "State" and any(t.kind == "title" and t.end == m.start for t in self.matches.values()):
            return True  # «أمير قطر»، «رئيس مالي»: a title's state
        if entry.type == "Place":  # «حماة» protectors, «ليون» the club: a place only when the text says so,
            # with a place head right before it («مدينة سوسة»، «بمحافظة حماة»; also past the adjective of its
            # state: «العاصمة الليبية طرابلس»), or, after a name without the article, the definite feminine
            # adjective of its own state («سوسة التونسية»; not «الدولة الفلسطينية», «دولة عراقية», nor a
            # brand or paper: «رينو الفرنسية», «دايلي ميل البريطانية» name no French or British city)
            before = next((a for a in self.matches.values() if a.end == m.start and a.kind == "adj"), None)
            if m.prefix == 0 and self.word(before.start - 1 if before else m.start - 1, "place_heads") and (
                    before is None or before.payload.name == entry.located_in):  # type: ignore[union-attr]
                return True
            after = self.gaz.index.match_at(self.norms, m.end) if m.end < len(self.norms) else None
            return (after is not None and after.kind == "adj" and after.prefix == 0 and not first.startswith("ال")
                    and after.payload.type == "State" and after.payload.name == entry.located_in
                    and self.norms[after.start].startswith("ال") and self.norms[after.end - 1].endswith("ه"))
        cues = self.gaz.words("ambiguity_cues")
        return any(stem in cues for norm in self.norms for stem, _ in clitic_readings(norm))

    # -- small helpers --------------------------------------------------------------------------

    def surface(self, start: int, end: int, prefix: int = 0) -> str:
        """The words of tokens [start, end) as written, without punctuation or the peeled proclitics."""
        words = [t.text for t in self.tokens[start:end] if t.is_word]
        if words and prefix:
            words[0] = _drop_prefix(words[0], prefix)
        return " ".join(words)

    def is_punct(self, i: int) -> bool:
        return 0 <= i < len(self.tokens) and not self.tokens[i].is_word

    def word(self, i: int, role: str) -> bool:
        return 0 <= i < len(self._roles) and role in self._roles[i]

    def cues(self, role: str) -> Sequence[int]:
        """Positions of the tokens that play ``role`` in this sentence, in order (the index's own list: read it,
        never change it; every rule asks, and a copy per question cost more than the look-up)."""
        return self.cue_index.get(role, ())

    @property
    def cue_index(self) -> dict[str, list[int]]:
        """Every role the sentence's tokens play, with their positions: one pass indexes all roles at once (a hot
        path). Its keys tell the rule matcher which anchored rules can fire here at all."""
        if self._cues is None:
            self._cues = {}
            for k, roles in enumerate(self._roles):
                for found in roles:
                    self._cues.setdefault(found, []).append(k)
        return self._cues

    @cached_property
    def first_word(self) -> int:
        """The sentence's first word, a lone و aside."""
        return next((k for k, t in enumerate(self.tokens) if t.is_word and self.norms[k] != "و"), 0)

    @cached_property
    def person_probabilities(self) -> list[float]:
        """``NameTagger.person_marginals`` of the sentence, computed on first use: few sentences need them."""
        return self.gaz.names.person_marginals(self.tokens)

    def speech_verb(self, i: int) -> bool:
        """A speech verb; «بين» only where it opens the sentence: inside one it is "between" far more often than
        "he explained"."""
        return self.word(i, "speech_verbs") and (not self.word(i, "between_words") or i == self.first_word)

    def suffixed(self, k: int) -> bool:
        """Does the word carry an attached pronoun (لمستضيفيه، تصريحاته، قولها، اجتماعها)? Names rarely do."""
        raw = self.tokens[k].text
        return len(raw) > 4 and raw.endswith(tuple(self.gaz.words("pronoun_suffixes"))) \
            and not raw.endswith(tuple(self.gaz.words("name_endings")))

    def locative(self, start: int, prefix: int) -> bool:
        """«في الرياض»، «بالرياض»، «بمدينة الرياض»: is the name at ``start`` (with ``prefix`` proclitic letters
        peeled) named as where something is, rather than as who or what?"""
        k = start - 1 if self.word(start - 1, "place_heads") else start
        if k < start and self.norms[k].startswith("ب"):  # «بمدينة»
            return True
        return self.word(k - 1, "in_prepositions") or k == start and bool(prefix) and self.norms[start].startswith("ب")

    def heads(self, role: str) -> tuple[int, ...]:
        """Word tokens outside gazetteer matches whose stem is a head noun of ``role`` (one of HEAD_ROLES):
        only there can a meeting, document or working-group mention start. The gazetteer memoises which
        heads each word form is, with its other roles, so this reads the sentence's role index (a hot path)."""
        return tuple(k for k in self.cues(HEAD + role) if k not in self.covered)

    def name_like(self, i: int, first: bool) -> bool:
        """Could token i be part of a personal name? Function words, cue words and known names cannot."""
        if not (0 <= i < len(self.tokens)) or not self.tokens[i].is_word:
            return False
        norm = self.norms[i]
        if i in self.covered or norm.isdigit() or len(norm) < 2 or any(c.isdigit() for c in norm) or norm == "ال":
            return False
        if any(mark in self.tokens[i].text for mark in TANWEEN):
            return False  # «محمود الثاني صديقًا»، «سعود الفيصل مقالاً»: a noun in the accusative, never a name

        if norm.startswith("لل") and len(norm) > 3:  # ل + ال: «السيسي للاطمئنان» (but «للا مريم» is a name)
            return False
        if len(norm) >= 6 and norm.endswith(tuple(self.gaz.words("plural_endings"))):
            return False  # «سياسيين غربيين»، «صحافيون»: a plural of a nisba is a group, not a name
        # «علي» is a name when a name follows it, «على» never (nor «وعلى»)
        if self.tokens[i].text.endswith("ى") and any(stem == "علي" for stem, _ in clitic_readings(norm)):
            return False
        if self.gaz.is_non_name(norm, self.tokens[i].text) and (
                norm != "علي" or self.tokens[i].text.endswith("ى") or not self.name_like(i + 1, first=False)):
            return False
        # «وزيرة الطاقة والمناجم»: a portfolio, no name; «الرئيس البوليفي أولى مبارياته»: no name either
        return not (first and (norm.startswith(("ال", "وال")) or self.word(i, "non_name_starts")))

    # -- titles and persons ---------------------------------------------------------------------

    def title_chain(self, i: int) -> TitleChain | None:
        """Parse the title chain starting at token i, if a title starts there."""
        m = self.matches.get(i)
        if not m or m.kind != "title":
            return None
        chain = TitleChain(i, m.end, [m.payload], [self.surface(i, m.end, m.prefix)])  # type: ignore[list-item]
        j = m.end
        j = after_title = self._portfolio(chain, j)
        while j < len(self.tokens):
            m = self.matches.get(j)
            norm = self.norms[j]
            body_match = m and chain.body is None and (
                m.kind == "adj" or m.kind == "name" and m.payload.type in ("State", "Organization"))
            if body_match:
                chain.body, j = m.payload, m.end  # type: ignore[assignment]
            elif m and m.kind == "title" and (norm.startswith("و") or m.prefix == 0 and j == after_title):
                # «… والمدير التنفيذي»، and titles stacked one after another: «خادم الحرمين الشريفين الملك»
                chain.titles.append(m.payload)  # type: ignore[arg-type]
                chain.role_tokens.append(self.surface(j, m.end, m.prefix))
                j = after_title = self._portfolio(chain, m.end)
                chain.body = None if chain.body is None else chain.body
            elif norm in ("في", "لدي", "الي") and self.matches.get(j + 1) and self.matches[j + 1].kind == "name" \
                    and self.matches[j + 1].payload.type in ("State", "Organization"):
                if chain.body is None and norm == "في":
                    chain.body = self.matches[j + 1].payload  # type: ignore[assignment]
                j = self.matches[j + 1].end
            elif norm in _QUOTES and self.matches.get(j + 1) and self.matches[j + 1].kind in ("adj", "name"):
                j += 1  # «رئيس الحكومة "الإسرائيلية" بنيامين نتانياهو»: a quoted adjective is the chain's
            elif self.gaz.is_word(norm, "home_state_markers") and chain.body is None:
                chain.home, j = True, j + 1
            elif any(stem in _AFFAIRS for stem, _ in clitic_readings(norm)):
                j = self._domain(j + 1)
            elif norm in ("جمهوريه", "دوله", "مملكه", "امير", "سلطنه") and self.matches.get(j + 1):
                j += 1
            elif self.word(j, "organization_linkers") and norm.startswith("ل"):  # «لمكافحة الإرهاب»
                j = self._domain(j + 1)
            else:
                break
        while j < len(self.tokens) and self.norms[j] in _QUOTES and self.norms[j - 1] != self.norms[j] \
                and any(n in _QUOTES for n in self.norms[chain.start:j]):
            j += 1  # the quote closing «"الإسرائيلية"»
        chain.end = j
        return chain

    def _portfolio(self, chain: TitleChain, j: int) -> int:
        """A bare «وزير/وزيرة» takes its portfolio: «وزيرة العلاقات الدولية والتعاون»."""
        if chain.titles[-1].kind != "minister" or len(chain.role_tokens[-1].split()) > 1:
            return j
        k = j
        while k < len(self.tokens) and k - j < 5 and k not in self.matches and self.tokens[k].is_word:
            stem = self.norms[k][1:] if self.norms[k].startswith("و") else self.norms[k]
            if not stem.startswith("ال") or self.gaz.is_word(self.norms[k], "home_state_markers"):
                break
            k += 1
        if k > j:
            chain.role_tokens[-1] = self.surface(chain.start if len(chain.titles) == 1 else j - 1, k)
        return k

    def _domain(self, j: int) -> int:
        """Skip an idafa chain such as «مكافحة الإرهاب» or «التنمية والتعاون الدولي»."""
        k = j
        seen_definite = False
        while k < len(self.tokens) and self.tokens[k].is_word and k - j < 6 and k not in self.matches:
            norm = self.norms[k]
            definite = norm.startswith("ال") or norm.startswith("وال")
            if seen_definite and not definite:
                break
            seen_definite = seen_definite or definite
            k += 1
        return k

    def name_at(self, i: int, known: set[str] = frozenset(), until: int | None = None,  # type: ignore[assignment]
                common: bool = False) -> int:
        """End of a personal name starting at i (i itself when there is none). Honorifics before it are skipped
        by the caller. ``known`` holds normalised tokens of persons already named in the article, which may
        start with ال (المنيخ). ``until`` is the end of the name the recogniser marked there: the name may then
        be longer, and start with ال («الباجي قائد السبسي»), but it still ends where a name cannot go on. A
        common word ends it too («عبدالله الثاني فقد»), unless ``common`` («غادة والي»).
        """
        j = i
        limit = until if until is not None else min(len(self.tokens), i + MAX_NAME_TOKENS)
        while j < limit:
            norm = self.norms[j]
            if norm in known:
                j += 1
                continue
            if j > i and any(self.norms[j - 1].endswith(w) for w in self.gaz.words("compound_name_heads")) \
                    and self.tokens[j].is_word:
                j += 1  # «عبد الله البدري»، «عبد الملك»: what follows عبد is the name's, even a title word
                continue
            if self.word(j, "day_parts") and self.word(j + 1, "day_words"):
                break  # «عبد الكافي صباح اليوم»: a time of day, not the end of the name (but «صباح الأحمد»)
            if j - i >= 2 and norm.startswith("و"):
                break  # «بان كي مون وركزت»، «محمد زين العابدين وعدد»: past two words, و joins a new phrase
            if not self.name_like(j, first=(j == i and until is None)) or norm in self.gaz.common_words and not common:
                break  # a word never seen inside a name in the recogniser's training data ends one
            if j > i and len(norm) > 4 and norm[0] in "بل" and norm not in self.gaz.words("person_words") \
                    and (norm[1:].startswith("ال") or norm[1:] in self.gaz.common_words):
                break  # a preposition and a noun: «سمير مقبل بتمديد»، «… بالاجتماع» (but «عقل بلتاجي»)
            j += 1
        return j

    def skip_honorifics(self, i: int) -> int:
        while i < len(self.tokens):
            m = self.matches.get(i)
            if m and (m.kind == "honorific" or (m.kind == "title" and self.norms[i] in self.gaz.honorific_words)):
                i = m.end
            elif self.norms[i] in self.gaz.honorific_words:
                i += 1
            else:
                break
        return i

    def name_before(self, i: int, known: set[str]) -> tuple[int, int, int] | None:
        """A name ending right before token i («سيرجي ايفانوف، نائب …»), allowing one comma between.

        Returns (start, end, proclitic letters to drop). What precedes the name must be a boundary
        (sentence start, punctuation, a speech verb or a participation cue): «التي تمثل عقبات رئيسة»
        is an adjective after a clause, not a name before a title.
        """
        j = i - 1
        comma = self.is_punct(j) and self.norms[j] in {"،", ","}
        if comma:
            j -= 1
        end = j + 1
        while j >= 0 and end - j <= MAX_NAME_TOKENS:
            if not (self.norms[j] in known or self.name_like(j, first=False) or self._conj_name(j)):
                break
            if self._conj_name(j):
                j -= 1
                break
            j -= 1
        start = j + 1
        if start >= end or self.norms[start].startswith("ال") and self.norms[start] not in known:
            return None
        if j < 0 and end - start == 1 and not comma and self.norms[start] not in known:
            return None  # «توقعت المديرة العامة …»: one word opening the sentence before a title is its verb
        if not (j < 0 or not self.tokens[j].is_word or self.word(j, "speech_verbs")
                or self.word(j, "participation_cues") or self._conj_name(start)):
            return None
        return start, end, 1 if self._conj_name(start) else 0

    def _conj_name(self, k: int) -> bool:
        """«، وفلاديمير»: a name joined to a list by و, right after a comma."""
        if not (0 < k < len(self.tokens)) or not self.norms[k].startswith("و") or len(self.norms[k]) < 5:
            return False
        return self.is_punct(k - 1) and self.norms[k - 1] in {"،", ","} and not self.gaz.is_non_name(self.norms[k])


def _prefix_chars(word: str, prefix: int) -> int:
    """How many characters of a token as written its first ``prefix`` letters take (diacritics travel with
    letters); 0 when the token has fewer letters."""
    out, letters = 0, 0
    for out, ch in enumerate(word):  # noqa: B007
        if letters == prefix:
            break
        if "\u0621" <= ch <= "\u064a":
            letters += 1
    return out if letters == prefix else 0


def _drop_prefix(word: str, prefix: int) -> str:
    """Remove ``prefix`` letters of proclitics from a token as written."""
    rest = word[_prefix_chars(word, prefix):]
    if rest.startswith("ل") and word[:prefix + 1].endswith("لل"):  # لل + X: restore the dropped alef of ال
        rest = "ا" + rest
    return rest


def resolution_mentions(reader: SentenceReader) -> list[Mention]:
    """«القرار 2379 (2017)»، «قرار مجلس الأمن رقم 2396»، «S/RES/2178 (2014)»، «القرارين 2178 و2396»."""
    out: list[Mention] = []
    toks, norms = reader.tokens, reader.norms
    n = len(toks)
    symbols = [i for i, norm in enumerate(norms) if norm in _S] if not _S.isdisjoint(norms) else []
    for i in sorted({*reader.cues("resolution_words"), *symbols}):
        is_word_res = reader.word(i, "resolution_words")
        is_symbol = norms[i].upper() == "S" and i + 4 < n and norms[i + 2].upper() == "RES"
        if not (is_word_res or is_symbol):
            continue
        j = i + 1 if is_word_res else i + 4
        body: Entry | None = None
        while j < n and j - i < 8:
            m = reader.matches.get(j)
            if m and m.kind == "name" and m.payload.type == "Organization" and body is None:
                body, j = m.payload, m.end  # type: ignore[assignment]
            elif reader.word(j, "resolution_number_words") or norms[j] in {"/", "الدولي", "الامن"}:
                j += 1
            else:
                break
        while j < n:
            bracketed = norms[j] == "(" and j + 2 < n and norms[j + 2] == ")"  # «قرار مجلس الأمن رقم (2231)»
            num = _NUMBER.match(norms[j + 1] if bracketed else norms[j])
            if not num:
                break
            start_tok, j = j, j + (3 if bracketed else 1)
            year = ""
            if j + 2 < n and norms[j] == "(" and _NUMBER.match(norms[j + 1]) and norms[j + 2] == ")":
                year, j = norms[j + 1], j + 3
            elif j + 1 < n and norms[j] in ("لعام", "لسنه", "عام") and _NUMBER.match(norms[j + 1]):
                year, j = _NUMBER.match(norms[j + 1]).group(1), j + 2  # type: ignore[union-attr]
            number = num.group(1)
            name = f"القرار {number} ({year})" if year else f"القرار {number}"
            attrs = {"number": number}
            if year:
                attrs["year"] = year
            out.append(Mention("Resolution", i if not out or out[-1].start != i else start_tok, j, name,
                               attrs=attrs, via="pattern", body=body))
            if j < n and norms[j] in ("و", "،") and j + 1 < n and _NUMBER.match(norms[j + 1]):
                j += 1
            elif j < n and _NUMBER.match(norms[j]):
                continue
            else:
                break
    return out


def _stem_in(reader: SentenceReader, i: int, role: str) -> tuple[bool, bool, int]:
    """Is token i a word of ``role`` once proclitics, ال and accusative ا are peeled off?

    Returns (hit, definite, proclitic letters peeled).
    """
    return stem_lookup(reader.norms[i], reader.gaz.words(role))


def _phrase_end(reader: SentenceReader, i: int, limit: int, stop_roles: tuple[str, ...]) -> int:
    """End of the noun phrase that a head at i governs: it stops at punctuation, function words
    (other than في and the ل/ب proclitics, which introduce its complements) and cue words."""
    j = i
    n = len(reader.tokens)
    last_match = -1
    while j < n and j - i < limit:
        tok = reader.tokens[j]
        if not tok.is_word:
            if tok.norm in _QUOTES:
                j += 1
                continue
            break
        if j == i and reader.norms[i - 1].startswith(("ال", "وال")) and j in reader.matches \
                and reader.matches[j].kind in ("title", "honorific") and not reader.matches[j].prefix:
            break  # «حضر الاجتماع الأمين العام المساعد …»، «الاجتماع الدكتور …»: a title starts a new phrase
        if j in reader.matches:
            m = reader.matches[j]
            if j > i and m.kind in ("title", "honorific") and not m.prefix and reader.matches.get(last_match) \
                    and reader.matches[last_match].kind == "name" and reader.matches[last_match].end == j:
                break  # «منتدى جدة وزير العمل»: a title right after a name starts the next phrase
            last_match = j
            j = m.end
            continue
        norm = reader.norms[j]
        if j > i and _indefinite_after_definite(reader.norms[j - 1], norm):
            break  # «الاجتماع التحضيري دعمهم …»، «القمة مركزية القضية»: a new phrase begins
        if j > i and reader.norms[j - 1].isdigit() and not norm.startswith(("ال", "و")) and not _complement(norm) \
                and not norm.isdigit():
            break  # «الجلسات 23 ورقة علمية»: a number and the noun it counts; not «الجلسة 7500 لمجلس الأمن»
        if norm in ("في", "علي") and j + 1 < n and (reader.matches.get(j + 1) or reader.norms[j + 1] == "المستوي"):
            j += 1
            continue
        if norm in reader.gaz.words("phrase_stops") or any(reader.word(j, r) for r in stop_roles):
            break
        if reader.gaz.is_non_name(norm) and (not _complement(norm) or reader.gaz.is_stopword(reader.tokens[j].text)):
            break  # a complement goes on («للأمين العام»، «لأمن الحدود»); «لا»، «بأنه» end the phrase
        j += 1
    while j > i and not reader.tokens[j - 1].is_word:
        j -= 1
    return j


def _indefinite_after_definite(prev: str, norm: str) -> bool:
    """An adjective or genitive after a word with the article has the article too; a bare noun after one starts
    a new phrase. «لل…» is not read as definite: «للجنة مبادرة السلام» is ل + a construct."""
    return prev.startswith(("ال", "وال")) and not norm.startswith(("ال", "وال", "لل", "بال", "و")) \
        and not norm.isdigit() and len(norm) > 2 and not _complement(norm)


def _complement(norm: str) -> bool:
    """A word that can continue a noun phrase: with the article or the ل/ب of a complement («للأمين»، «لأمن»)."""
    return norm.startswith("ال") or len(norm) > 3 and norm.startswith(("ل", "ب"))


def meeting_mentions(reader: SentenceReader) -> list[Mention]:
    out = []
    for i in reader.heads("meeting_triggers"):
        hit, definite, prefix = _stem_in(reader, i, "meeting_triggers")
        if not hit or _pronoun_reading(reader, i, definite):
            continue
        end = i + 1 if definite and _new_phrase_after(reader, i + 1) else \
            _phrase_end(reader, i + 1, MAX_PHRASE_TOKENS,
                        ("speech_verbs", "participation_cues", "host_verbs", "meeting_triggers",
                         "open_verbs", "chair_cues", "issue_cues", "auspices_words", "phrase_verbs"))
        # «مؤتمر صحفي»، «الدورة الرابعة لمهرجان …»، «الدورة 15 من المعرض»: a press conference, the edition
        # of a festival, fair or tournament, a match: none is a meeting of the guide
        if any(reader.word(k, "non_meeting_words") or reader.word(k, "sport_domains")
               for k in range(i + 1, min(len(reader.tokens), max(end, i + 4)))):
            continue
        weak = _stem_in(reader, i, "weak_meeting_triggers")[0] and not _meeting_anchor(reader, i + 1, end)
        out.append(Mention("Meeting", i, end, reader.surface(i, end, prefix), via="pattern", prefix=prefix,
                           attrs={"definite": "1" if definite else "", "weak": "1" if weak else ""}))
    return out


def encounter_mentions(reader: SentenceReader) -> list[Mention]:
    """«التقى دي ميستورا وزير الخارجية وليد المعلم»، «يجتمع الأمين العام مع …»: a verb of meeting is a
    meeting, named after who met once the rules have found them. Coreference keeps only those with a person,
    state or body beside the verb (``ArticleExtractor._meeting_key``)."""
    return [Mention("Meeting", k, k + 1, reader.surface(k, k + 1), via="event", attrs={"event": "1"})
            for k in reader.cues("encounter_verbs")
            # «التقى الجزيري باللاعب البريطاني»، «اجتمع المدرب بلاعبي الفريق»: a match, a team talk; «تستقبل
            # شركة … الراغبين»: a company receiving applicants
            if not any(reader.word(j, "non_meeting_words") for j in range(k + 1, min(len(reader.tokens), k + 5)))
            and not reader.word(k + 1, "party_heads")]


def _pronoun_reading(reader: SentenceReader, i: int, definite: bool) -> bool:
    """«بدوره»، «دوره في …»: a bare trigger written with a final ه where the word ends in ة is another word with
    an attached pronoun («دوره»: his role), not «دورة» (ة and ه are one letter once normalised). No meeting
    trigger ends in ه as written."""
    triggers = reader.gaz.words("meeting_triggers")
    return not definite and reader.tokens[i].text.endswith("ه") \
        and any(stem in triggers and stem.endswith("ه") for stem, _ in clitic_readings(reader.norms[i]))


def _new_phrase_after(reader: SentenceReader, j: int) -> bool:
    """Does a new phrase start right after a definite meeting head («للندوة نائب رئيس البرلمان»، «خلال الندوة
    تقديم عدد من المشاريع»، «أن القمة يحتاج …»)? A definite noun's adjectives and genitives are definite too,
    so a bare word after it is the next phrase: the subject, the object or a verb; so is a title, which no
    definite meeting takes in construct."""
    if j >= len(reader.tokens) or not reader.tokens[j].is_word:
        return False
    m = reader.matches.get(j)
    if m is not None:  # «للمؤتمر الرئيس عبدالفتاح السيسي»: a title, with or without the article, is its subject
        return m.kind in ("title", "honorific") and not m.prefix
    return _indefinite_after_definite("ال", reader.norms[j])


def _meeting_anchor(reader: SentenceReader, start: int, end: int) -> bool:
    """Does the phrase of «دورة»، «لقاء»، «حوار» make it a meeting of states or bodies? These words are as
    often a tournament, a match, a cycle or an interview: a state or body named, a title or a meeting
    modifier («الدورة العادية لمجلس الجامعة»، «لقاء وزير الخارجية») says which. A nisba adjective does not:
    in «دورته الجديدة للمخرج التونسي» it qualifies a person."""
    for k in range(start, end):
        m = reader.matches.get(k)
        if m and reader.locative(k, m.prefix):
            continue  # «الحوار الشامل … في ليبيا»، «دورته العشرون بتونس»: where, or what about, not who
        if m and (m.kind == "title" or m.kind == "name" and m.payload.type in ("State", "Organization")):
            return True
        if reader.word(k, "meeting_modifiers"):
            return True
    return False


def document_mentions(reader: SentenceReader) -> list[Mention]:
    out = []
    n = len(reader.tokens)
    for i in reader.heads("document_triggers"):
        hit, definite, prefix = _stem_in(reader, i, "document_triggers")
        if not hit:
            continue
        j = i + 1
        while j < n and reader.tokens[j].norm in _QUOTES:
            j += 1
        nxt = reader.matches.get(j)
        named = False
        if nxt and nxt.kind in ("name", "title") and nxt.prefix == 0:
            named = True  # construct state: «إعلان الكويت»، «تقرير الأمين العام»
        elif j < n and definite and (reader.word(j, "ordinals") or reader.word(j, "document_adjectives")
                                     or nxt and nxt.kind == "adj"):
            # «التقرير السابع»، «البيان الختامي»، «الاتفاق النووي الإيراني»: named by its adjectives, and a
            # complement of its author («التقرير السابع للأمين العام»); a verb or a clause ends it
            # («الاتفاق النووي سيكون …», «… بأنه متوازن»)
            end = _adjectives_end(reader, nxt.end if nxt and nxt.kind == "adj" else j + 1)
            if end < n and reader.norms[end].startswith("لل") and not reader.word(end, HEAD + "meeting_triggers"):
                end = _phrase_end(reader, end, 8, _DOCUMENT_STOPS)  # not «البيان الختامي للاجتماع …»: a meeting
            out.append(Mention("Document", i, end, reader.surface(i, end, prefix), via="pattern", prefix=prefix))
            continue
        elif j < n and _stem_in(reader, i, "strong_document_triggers")[0] and not definite \
                and reader.norms[j].startswith("ال") and not reader.gaz.is_non_name(reader.norms[j]):
            named = True  # «ميثاق المستقبل»
        if named:
            end = _phrase_end(reader, j, 10, _DOCUMENT_STOPS)
            end = max(end, nxt.end if nxt else j + 1)
            out.append(Mention("Document", i, end, reader.surface(i, end, prefix), via="pattern", prefix=prefix))
        elif reader.word(i, "released_documents") and reader.word(i - 1, "release_markers"):
            # «قالت الوزارة في بيان»، «وفق ذات البيان»: a statement that the article cites as a source is a
            # document even unnamed; it stands for the last statement named, if the article named one
            out.append(Mention("Document", i, i + 1, reader.surface(i, i + 1, prefix), via="anaphor",
                               prefix=prefix, attrs={"released": "1"}))
        elif definite and (j >= n or not reader.tokens[j].is_word or reader.gaz.is_non_name(reader.norms[j])
                           or reader.word(j, "present_cues") or reader.word(j, "issue_cues")):
            out.append(Mention("Document", i, i + 1, reader.surface(i, i + 1, prefix), via="anaphor",
                               prefix=prefix))
    return out


_ADJECTIVE_STOPS = ("relative_pronouns", "demonstratives", "speech_verbs", "issue_cues", "present_cues")
_DOCUMENT_STOPS = ("speech_verbs", "meeting_triggers", "document_triggers", "issue_cues", "present_cues",
                   "topic_markers")


def _adjectives_end(reader: SentenceReader, j: int) -> int:
    """End of the run of adjectives that goes on at token j: words with the article (no proclitic), state
    adjectives; a relative pronoun or a cue word ends it («البيان الختامي الصادر عن …»)."""
    n = len(reader.tokens)
    while j < n:
        m = reader.matches.get(j)
        if m and m.kind == "adj":
            j = m.end
        elif j not in reader.matches and reader.tokens[j].is_word and reader.norms[j].startswith("ال") \
                and not reader.gaz.is_stopword(reader.tokens[j].text) \
                and not any(reader.word(j, role) for role in _ADJECTIVE_STOPS):
            j += 1
        else:
            break
    return j


def cue_place_mentions(reader: SentenceReader) -> list[Mention]:
    """Places the gazetteer does not list, named after a head that says what they are: «مدينة الصخيرات
    المغربية»، «بلدة سروج»، «ناحية الصقلاوية»، and facilities, whose head is part of the name: «قصر قرطاج»،
    «مطار عدن»، «قاعدة انجرليك». The head is in construct (no ال: «المدينة المنورة» is a name the gazetteer
    holds), and the word after it is no common word, title, direction or digit. An indefinite word in ة after
    an indefinite head is an adjective («منطقة آمنة»، «قاعدة عسكرية») unless a state's adjective confirms
    the place («مدينة سوسة التونسية»). With no head, nothing says a word is a place: «في البطولة الفرنسية»."""
    out = []
    gaz = reader.gaz
    for role, facility in (("place_heads", False), ("facility_heads", True)):
        for k in reader.cues(role):
            hit, definite, prefix = stem_lookup(reader.norms[k], gaz.words(role))
            j = k + 1
            if not hit or definite or k in reader.covered or j >= len(reader.tokens) or j in reader.matches \
                    or not reader.tokens[j].is_word or reader.suffixed(j):
                continue
            norm = reader.norms[j]  # a place name may end like a plural («الصخيرات»): no ``name_like`` here
            if len(norm) < 3 or any(c.isdigit() for c in norm) or norm in gaz.common_words or norm.startswith("و") \
                    or gaz.is_non_name(norm, reader.tokens[j].text) \
                    or any(_stem_in(reader, j, r)[0] for r in ("direction_words", "place_heads", "polity_heads",
                                                              "not_place_names", "facility_heads")):
                continue
            end = j + 2 if reader.word(j, "compound_place_heads") and reader.name_like(j + 1, first=False) else j + 1
            state = reader.matches.get(end)
            confirmed = state is not None and state.kind == "adj" and state.payload.type == "State"
            if norm.endswith("ه") and not norm.startswith("ال") and not confirmed:
                continue
            start = k if facility else j
            name = reader.surface(start, end, prefix if facility else 0)
            entry = Entry(name=name, type="Place", kind="facility" if facility else "city",
                          located_in=state.payload.name if confirmed else None)  # type: ignore[union-attr]
            out.append(Mention("Place", start, end, name, entry=entry, prefix=prefix if facility else 0))
    return out


def organization_mentions(reader: SentenceReader) -> list[Mention]:
    """Bodies named by a head noun and what follows it: what a working group is «concerned with»
    («الفريق المعني بـ …»), a body in construct («مفوضية الاتحاد الأفريقي»), adjectives that make it an
    intergovernmental body («اللجنة الرباعية العربية»), a news agency's name («وكالة أنباء …»).

    Only the first kind is left weak (kept when a relation needs it); the others are named, and stand on
    their own. The name ends where its words end: at a verb, a preposition that starts a new phrase,
    punctuation or a date."""
    out = []
    n = len(reader.tokens)
    i = 0
    heads = reader.heads("organization_heads")
    while i < n:
        if i not in heads:
            i += 1
            continue
        hit, definite, prefix = _stem_in(reader, i, "organization_heads")
        if not hit:
            i += 1
            continue
        named = _named_organization_end(reader, i, definite)
        if named:
            out.append(Mention("Organization", i, named, reader.surface(i, named, prefix), via="pattern",
                               prefix=prefix, attrs={"named": "1"}))
            i = named
            continue
        j = i + 1
        scoped = _stem_in(reader, i, "organization_scoped_heads")[0]  # «مجلس الوزراء»: not a body of the guide
        if j < n and reader.norms[j].startswith("ال") and j not in reader.matches \
                and not reader.word(j, "organization_linkers") and not reader.gaz.is_non_name(reader.norms[j]) \
                and not (scoped and not reader.word(j + 1, "organization_linkers")):
            j += 1  # «مجموعة العمل»، «فريق التحقيق»
        if j < n and reader.word(j, "organization_linkers"):
            j = _phrase_end(reader, j + 1, 8, _ORG_STOPS)
        elif j == i + 1 or definite:
            i += 1
            continue
        out.append(Mention("Organization", i, j, reader.surface(i, j, prefix), via="pattern", prefix=prefix))
        i = j
    return out


_ORG_STOPS = ("speech_verbs", "participation_cues", "part_of_cues", "meeting_triggers", "host_verbs", "chair_cues")


def _named_organization_end(reader: SentenceReader, i: int, definite: bool) -> int:
    """End of a body that the head at i names, or 0. The head's scope is read from lexicon roles, so a
    ministry, a parliament, a club or a company («مجلس النواب»، «اللجنة الأولمبية») is never one:

    * a head of ``organization_named_heads`` (not one of ``organization_type_heads``, which only say what
      kind of body the name after them is: «منظمة يونسكو»، «حركة حماس» are the gazetteer's bodies) and a
      gazetteer organisation in construct: «مفوضية الاتحاد الأفريقي»، «بعثة مجلس التعاون في اليمن»;
    * a definite head and its adjectives, one of which is an ``organization_scope_modifiers`` word that is
      not merely ``organization_generic_modifiers`` when it stands alone («المنظمة الدولية» is an anaphor):
      «اللجنة الرباعية العربية»، «اللجنة العليا المشتركة اللبنانية الأردنية»;
    * «وكالة أنباء X»، «وكالة X للأنباء»، «وكالة الأنباء» + a state adjective (``news_agency_words``).
    """
    n = len(reader.tokens)
    j = i + 1
    if j >= n or not _stem_in(reader, i, "organization_named_heads")[0]:
        return 0
    if _stem_in(reader, i, "news_agency_heads")[0]:
        return _news_agency_end(reader, i)
    m = reader.matches.get(j)
    if not definite and m and m.kind == "name" and m.prefix == 0 and m.payload.type == "Organization":
        if _stem_in(reader, i, "organization_type_heads")[0] or reader.norms[j] == reader.norms[i]:
            return 0  # «منظمة يونسكو» is the gazetteer's body; «مجلس مجلس الأمن» a typo
        j = m.end
        if j + 1 < n and reader.norms[j] == "في" and (place := reader.matches.get(j + 1)) \
                and place.kind == "name" and place.payload.type in ("State", "Place"):
            j = place.end  # «بعثة مجلس التعاون في اليمن»
        return _linked_end(reader, j)
    if not definite:
        return 0
    adjectives, scope, specific = 0, False, False
    while j < n:
        m = reader.matches.get(j)
        if m and m.kind == "adj" and m.prefix == 0 and m.payload.type == "State":
            j, adjectives = m.end, adjectives + 1  # «اللجنة المشتركة اللبنانية الأردنية»
            continue
        if j in reader.matches or not reader.tokens[j].is_word:
            break
        if reader.word(j, "organization_scope_modifiers"):
            scope = True
            specific = specific or not reader.word(j, "organization_generic_modifiers")
        elif not reader.word(j, "organization_adjectives"):
            break
        j, adjectives = j + 1, adjectives + 1
    if not scope or not (specific or adjectives > 1):
        return 0
    if reader.word(j, "sport_domains"):
        return 0
    return _linked_end(reader, j)


def _linked_end(reader: SentenceReader, j: int) -> int:
    """A name followed by what the body is concerned with («… المعنية بمكافحة الإرهاب») runs on."""
    if j < len(reader.tokens) and reader.word(j, "organization_linkers"):
        return _phrase_end(reader, j + 1, 8, _ORG_STOPS)
    return j


def _news_agency_end(reader: SentenceReader, i: int) -> int:
    """«وكالة أنباء دوجان»، «وكالة مهر للأنباء»، «وكالة الأنباء الإيرانية»: a news agency the gazetteer
    does not know, or 0."""
    n = len(reader.tokens)
    j = i + 1
    if j < n and reader.word(j, "news_agency_words"):
        k = j + 1
        if reader.norms[j].startswith("ال"):
            m = reader.matches.get(k)
            ok = m and m.kind == "adj" and m.prefix == 0 and m.payload.type == "State"
            return m.end if ok else 0  # type: ignore[union-attr]
        while k < n and k - j <= 2 and reader.name_like(k, first=k == j + 1):
            k += 1
        return k if k > j + 1 else 0
    k = j
    while k < n and k - j < 2 and reader.name_like(k, first=k == j):
        k += 1
    if k > j and k < n and reader.word(k, "news_agency_words") and reader.norms[k].startswith("لل"):
        return k + 1
    return 0
