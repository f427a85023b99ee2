"""Gazetteers and the pattern lexicon, loaded from data files users can extend.

Every ``*.json`` under ``kg/data/gazetteers`` (plus any folder passed as an extra) is a list of
entity entries; ``titles.json`` is the lexicon of titles and roles. ``kg/data/patterns/lexicon.json``
holds the word lists the rules are keyed on. All of it is folded with the same normalisation as the
text, and indexed by normalised token sequences so matching is a dictionary walk.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import GazetteerError
from kg.ids import entity_id
from kg.model import ENTITY_TYPES
from kg.rules import Rule, load_rules
from kg.text import Token, clitic_readings, light, normalize, normalize_phrase

if TYPE_CHECKING:
    from kg.ner import NameTagger

TITLES_FILE = "titles.json"
WORDS_FILE = "words.json"
# The head nouns that start pattern mentions (meetings, documents, working groups). A word whose stem
# (see stem_forms) is one of them also plays the pseudo-role HEAD + role, memoised with its other roles.
HEAD_ROLES = ("meeting_triggers", "document_triggers", "organization_heads")
HEAD = "head:"
# The pseudo-role of a word that can start a gazetteer phrase: only there is the phrase index walked.
PHRASE_START = "phrase-start"
# Lexicon roles whose words never stand inside a personal name. Plain stopwords are checked
# separately, before alef folding (see Gazetteer.is_non_name).
NON_NAME_ROLES = (
    "speech_verbs", "statement_nouns", "meeting_triggers", "document_triggers", "organization_heads",
    "participation_cues", "host_verbs", "open_verbs", "convene_verbs", "chair_cues", "discuss_cues",
    "issue_cues", "present_cues", "establish_cues", "legal_basis", "adopt_cues", "negotiate_cues",
    "member_cues", "part_of_cues", "place_heads", "speaker_state_anaphors", "resolution_words",
    "demonstratives", "relative_pronouns", "group_anaphors", "work_nouns", "name_breakers", "day_words",
)


@dataclass(frozen=True)
class Entry:
    """A gazetteer entity: a state, organisation or place (or a well-known person)."""

    name: str
    type: str
    variants: tuple[str, ...] = ()
    adjectives: tuple[str, ...] = ()
    wikidata: str | None = None
    kind: str = ""
    parent: str | None = None
    located_in: str | None = None
    en: str = ""
    ambiguous: frozenset[str] = frozenset()  # normalised forms that are also common words (مالي، القاعدة)
    geonames: str | None = None  # GeoNames id of a city (places_geonames.json, curated places)
    represents: str | None = None  # persons: the state or body they hold their office for (persons.json)

    @property
    def id(self) -> str:
        return entity_id(self.type, self.name, self.wikidata)


@dataclass(frozen=True)
class Title:
    """A title or role. ``represents`` marks offices held for a state or body (GUIDE.md); ``body_named``, an
    office that ties its holder only to a body the text names with it («المسؤول بالأمم المتحدة»): alone
    («مسؤول أمريكي») it says too little to be an office of the article's state."""

    title: str
    kind: str
    represents: bool
    default_body: str | None = None  # e.g. UN-only titles such as وكيل الأمين العام
    honorific: bool = False  # also used as a courtesy before a name (السفير، المستشار)
    body_named: bool = False


@dataclass(frozen=True)
class Match:
    """A phrase found in a token sequence: tokens [start, end) and what it names."""

    start: int
    end: int
    kind: str  # "name", "adj", "title" or "honorific"
    payload: Entry | Title
    prefix: int = 0  # proclitic characters peeled off the first token


@dataclass
class PhraseIndex:
    """Longest-match lookup of normalised token sequences, with proclitics peeled off the first token."""

    by_first: dict[str, list[tuple[tuple[str, ...], str, Any]]] = field(default_factory=dict)
    # Per token form, the phrases it can start in the order match_at tries them (readings, then longest
    # first), each as (rest of the phrase, length, kind, payload, proclitic cut). Nearly every token starts
    # none, and memoising that spares the clitic readings and bucket walks on every occurrence (a hot path).
    _starts: dict[str, tuple[tuple[list[str], int, str, Any, int], ...]] = field(default_factory=dict, repr=False)

    def add(self, phrase: tuple[str, ...], kind: str, payload: Any) -> None:
        if not phrase:
            return
        bucket = self.by_first.setdefault(phrase[0], [])
        if not any(p == phrase and k == kind for p, k, _ in bucket):
            bucket.append((phrase, kind, payload))
            bucket.sort(key=lambda item: -len(item[0]))
            self._starts.clear()

    def starts(self, norm: str) -> tuple[tuple[list[str], int, str, Any, int], ...]:
        """The phrases a token of this form can start (memoised; usually none)."""
        found = self._starts.get(norm)
        if found is None:
            found = tuple((list(phrase[1:]), len(phrase), kind, payload, cut)
                          for stem, cut in clitic_readings(norm)
                          for phrase, kind, payload in self.by_first.get(stem, ()))
            if len(self._starts) < 500_000:
                self._starts[norm] = found
        return found

    def match_at(self, norms: list[str], i: int) -> Match | None:
        for rest, n, kind, payload, cut in self.starts(norms[i]):
            if n == 1 or norms[i + 1 : i + n] == rest:
                return Match(i, i + n, kind, payload, cut)
        return None


class Gazetteer:
    """All lookup data for extraction. Build once per process; it is read-only afterwards."""

    def __init__(self, entries: list[Entry], titles: list[Title], lexicon: dict[str, list[str]],
                 learned: dict[str, list[str]] | None = None) -> None:
        self.entries = entries
        self.rule_files: tuple[Path, ...] = ()  # the user's extra rule files or folders (``--rules``)
        # Word lists learned from the name recogniser's training data (kg ner train): «common_words», never
        # inside a name there, and «person_words», seen inside one. Tokens there keep their clitics, so these
        # are compared as written, never after peeling (كيري is not ك + يري).
        self.learned = {role: frozenset(normalize(w) for w in words) for role, words in (learned or {}).items()}
        self.stop_light = frozenset(light(w) for w in lexicon.get("stopwords", ()))
        self.titles = titles
        self.lexicon = {role: frozenset(normalize(w) for w in words) for role, words in lexicon.items()
                        if isinstance(words, list)}
        self._role_of: dict[str, set[str]] = {}
        for role, words in self.lexicon.items():
            for word in words:
                self._role_of.setdefault(word, set()).add(role)
        self._role_cache: dict[str, frozenset[str]] = {}
        self._head_words = tuple((HEAD + role, self.words(role)) for role in HEAD_ROLES)
        self.by_name: dict[str, Entry] = {}
        self.by_id: dict[str, Entry] = {}
        self.index = PhraseIndex()
        # well-known persons are not matched in the text (the name phases find persons); coreference looks
        # their names up (``persons_in``), so every form an article uses joins one node under one id
        self.persons: dict[str, list[tuple[tuple[str, ...], Entry]]] = {}
        for entry in entries:
            self.by_id.setdefault(entry.id, entry)
            if entry.type == "Person":
                for form in (entry.name, *entry.variants):
                    phrase = normalize_phrase(form)
                    if phrase:
                        self.persons.setdefault(phrase[0], []).append((phrase, entry))
                continue
            for form in (entry.name, *entry.variants):
                phrase = normalize_phrase(form)
                self.index.add(phrase, "name", entry)
                self.by_name.setdefault(" ".join(phrase), entry)
            for adj in entry.adjectives:
                phrase = normalize_phrase(adj)
                self.index.add(phrase, "adj", entry)
                if phrase and phrase[0].startswith("ال"):  # the indefinite form: تركية, روسي
                    self.index.add((phrase[0][2:], *phrase[1:]), "adj", entry)
        for title in titles:
            kind = "honorific" if title.kind == "honorific" else "title"
            self.index.add(normalize_phrase(title.title), kind, title)

    def words(self, role: str) -> frozenset[str]:
        """The words of a lexicon role. An unknown role is a mistake in code or in a rule file, never an empty
        list that silently matches nothing."""
        found = self.lexicon.get(role)
        if found is None:
            found = self.learned.get(role)
            if found is None:
                raise GazetteerError(f"unknown lexicon role {role!r} (kg/data/patterns/lexicon.json)")
        return found

    def has_role(self, role: str) -> bool:
        return role in self.lexicon or role in self.learned

    @cached_property
    def rules(self) -> tuple[Rule, ...]:
        """The relation rules (``kg/data/rules``, then the user's ``rule_files``), checked against this lexicon."""
        return load_rules(self, self.rule_files)

    def roles(self, norm: str) -> frozenset[str]:
        """Every lexicon role the token plays, with or without its proclitics, and HEAD + role for the
        head nouns it is a form of, and PHRASE_START when it can start a gazetteer phrase (memoised: hot path)."""
        found = self._role_cache.get(norm)
        if found is None:
            forms = [form for form, _, _ in stem_forms(norm)]
            found = frozenset({role for stem, _ in clitic_readings(norm) for role in self._role_of.get(stem, ())}
                              | {head for head, words in self._head_words if not words.isdisjoint(forms)}
                              | ({PHRASE_START} if self.index.starts(norm) else set()))
            if len(self._role_cache) < 500_000:
                self._role_cache[norm] = found
        return found

    def token_roles(self, tokens: Iterable[Token]) -> list[frozenset[str]]:
        """roles() of every token of a sentence (none for punctuation), reading the memo inline: this runs on
        every token of the corpus, where a method call per token costs more than the look-up itself."""
        get, compute, none = self._role_cache.get, self.roles, frozenset()
        return [none if not t.is_word else roles if (roles := get(t.norm)) is not None else compute(t.norm)
                for t in tokens]

    def is_word(self, norm: str, role: str) -> bool:
        """True when the token, with or without its proclitics, is in the lexicon role."""
        return role in self.roles(norm)

    def persons_in(self, norms: list[str]) -> list[tuple[int, int, Entry]]:
        """The well-known persons a sentence names in full, some spelling of theirs: (start, end, entry)."""
        found = []
        persons = self.persons  # nearly no token starts a listed name: test that first, with one look-up or two
        for i in [k for k, norm in enumerate(norms) if norm in persons or norm[:1] == "و" and norm[1:] in persons]:
            norm = norms[i]
            for cand in (norm, norm[1:] if norm.startswith("و") else ""):
                for phrase, entry in self.persons.get(cand, ()):
                    if tuple(norms[i + 1:i + len(phrase)]) == phrase[1:]:
                        found.append((i, i + len(phrase), entry))
        return found

    def lookup(self, name: str) -> Entry | None:
        return self.by_name.get(" ".join(normalize_phrase(name)))

    def is_ambiguous(self, entry: Entry, tokens: list[str]) -> bool:
        return " ".join(tokens) in entry.ambiguous

    def is_non_name(self, norm: str, raw: str | None = None) -> bool:
        """True for words that cannot be part of a personal name: function words and cue words.

        Stopwords are compared before alef folding, so that «إمام» is not read as «أمام».
        """
        if any(stem in self.non_name for stem, _ in clitic_readings(norm)):
            return True
        return (light(raw) if raw is not None else norm) in self.stop_light or (raw is None and norm in self.stop_norm)

    @cached_property
    def names(self) -> NameTagger:
        """The name recogniser that goes with these gazetteers (its features read them), opened on first use in
        each process: workers receive the gazetteer pickled, and the tagger with it, unopened."""
        from kg.ner import NameTagger

        return NameTagger.load(self)

    @cached_property
    def non_name(self) -> frozenset[str]:
        words = set().union(*(self.lexicon.get(r, frozenset()) for r in NON_NAME_ROLES))
        return frozenset(words | {normalize(t.title) for t in self.titles})

    def is_stopword(self, raw: str) -> bool:
        """A function word as written, proclitics and all («لا»، «بأنه»)."""
        return light(raw) in self.stop_light

    @cached_property
    def common_words(self) -> frozenset[str]:
        return self.learned.get("common_words", frozenset())

    @cached_property
    def stop_norm(self) -> frozenset[str]:
        return self.lexicon.get("stopwords", frozenset())

    @cached_property
    def title_heads(self) -> frozenset[str]:
        """The first words of titles («نائب», «ممثل», «وزيرة»): a name never ends in one."""
        return frozenset(normalize_phrase(t.title)[0] for t in self.titles if normalize_phrase(t.title))

    @cached_property
    def honorific_words(self) -> frozenset[str]:
        return frozenset(normalize(t.title) for t in self.titles if t.kind == "honorific" or t.honorific)


@lru_cache(maxsize=500_000)
def stem_forms(norm: str) -> tuple[tuple[str, bool, int], ...]:
    """The forms a head noun may take in the token: (candidate, definite, proclitic letters peeled), once
    proclitics, ال, an accusative ا or a possessive suffix are peeled off; memoised per token form."""
    forms: list[tuple[str, bool, int]] = []
    for stem, cut in clitic_readings(norm):
        definite = stem.startswith("ال")
        bare = stem[2:] if definite else stem
        # the accusative tanween of «اجتماعاً» is dropped; «دورها» (its role) is not «دورة»
        accusative = bare[:-1] if bare.endswith("ا") and not bare.endswith("ها") else bare
        # a possessive suffix: «اجتماعها»، «جلسته» (ة is written ت before it)
        owned = ""
        if not definite and len(bare) >= 4:
            owned = bare[:-2] if bare.endswith("ها") and len(bare) >= 5 else bare[:-1] if bare.endswith("ه") else ""
        if owned.endswith("ت"):
            owned = owned[:-1] + "ه"
        forms += [(cand, definite, cut) for cand in (bare, accusative, owned) if cand]
    return tuple(forms)


def stem_lookup(norm: str, words: frozenset[str]) -> tuple[bool, bool, int]:
    """Is the token a form of a word of ``words`` (see stem_forms)? (hit, definite, proclitic letters peeled)."""
    for cand, definite, cut in stem_forms(norm):
        if cand in words:
            return True, definite, cut
    return False, False, 0


def _data_dir(sub: str) -> Path:
    return Path(str(resources.files("kg.data").joinpath(sub)))


def load_gazetteer(extra_dirs: Iterable[str | Path] = (), rule_files: Iterable[str | Path] = ()) -> Gazetteer:
    """The packaged gazetteers plus any user folders of extra ``*.json`` files, and the relation rules plus any
    user rule files; a malformed file of either kind fails here, before any article is read."""
    entries: list[Entry] = []
    titles: list[Title] = []
    for path in _gazetteer_files([_data_dir("gazetteers"), *map(Path, extra_dirs)]):
        records = _read_json_list(path)
        if path.name == TITLES_FILE:
            titles += [_title(path, r) for r in records]
            for r in records:
                titles += [_title(path, {**r, "title": f}) for f in r.get("female", [])]
        else:
            entries += [_entry(path, r) for r in records]
    lexicon = json.loads(_data_dir("patterns").joinpath("lexicon.json").read_text(encoding="utf-8"))
    path = _data_dir("ner").joinpath(WORDS_FILE)
    learned = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    gaz = Gazetteer(entries, titles, lexicon, learned)
    gaz.rule_files = tuple(map(Path, rule_files))
    gaz.rules  # noqa: B018 - validated now, so a bad rule file stops the run before any article
    return gaz


def english_names(extra_dirs: Iterable[str | Path] = ()) -> dict[str, tuple[str, ...]]:
    """Entity id (and Wikidata QID) -> English names, for the page's tooltips and search.

    A gazetteer entry's ``en`` comes first; a state's CLDR name for its ``iso`` code (babel ships CLDR)
    follows when it differs: «Turkey» and «Türkiye», «Palestine» and «Palestinian Territories» both
    find the entity. Read from the files alone, without building the matching index (a second or two).
    """
    from babel import Locale

    cldr = Locale("en").territories
    names: dict[str, tuple[str, ...]] = {}
    for path in _gazetteer_files([_data_dir("gazetteers"), *map(Path, extra_dirs)]):
        if path.name == TITLES_FILE:
            continue
        for record in _read_json_list(path):
            entry = _entry(path, record)
            found = [entry.en, cldr.get(record.get("iso") or "", "")]
            english = tuple(dict.fromkeys(n for n in found if isinstance(n, str) and n))
            if english:
                for key in {entry.id, entry.wikidata} - {None}:
                    names.setdefault(key, english)
    return names


def _gazetteer_files(dirs: list[Path]) -> Iterator[Path]:
    for folder in dirs:
        if not folder.is_dir():
            raise GazetteerError(f"{folder}: not a folder of gazetteer files")
        yield from sorted(folder.glob("*.json"))


def _read_json_list(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise GazetteerError(f"{path}: cannot read gazetteer: {err}") from err
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise GazetteerError(f"{path}: a gazetteer file must hold a JSON list of objects")
    return data


def _entry(path: Path, r: dict[str, Any]) -> Entry:
    if not isinstance(r.get("name"), str) or r.get("type") not in ENTITY_TYPES:
        raise GazetteerError(f"{path}: entry {r.get('name')!r} needs a name and a type among {ENTITY_TYPES}")
    return Entry(name=r["name"], type=r["type"], variants=tuple(r.get("variants", ())),
                 adjectives=tuple(r.get("adjectives", ())), wikidata=r.get("wikidata"),
                 kind=r.get("kind", ""), parent=r.get("parent"), located_in=r.get("located_in"),
                 en=r.get("en", ""), geonames=r.get("geonames"), represents=r.get("represents"),
                 ambiguous=frozenset(" ".join(normalize_phrase(f)) for f in r.get("ambiguous", ())))


def _title(path: Path, r: dict[str, Any]) -> Title:
    if not isinstance(r.get("title"), str) or not isinstance(r.get("kind"), str):
        raise GazetteerError(f"{path}: title entry {r!r} needs 'title' and 'kind'")
    represents = r.get("represents", False)
    if represents not in (True, False, "with_body"):
        raise GazetteerError(f"{path}: title {r['title']!r}: 'represents' is true, false or \"with_body\"")
    return Title(title=r["title"], kind=r["kind"], represents=bool(represents),
                 default_body=r.get("default_body"), honorific=bool(r.get("honorific")),
                 body_named=represents == "with_body")
