"""The project's own name recogniser: a linear-chain CRF (python-crfsuite) over words and the gazetteer.

Why a CRF of our own: the rule-based extractor finds persons through titles and speech verbs, and misses the
names that come without them; a statistical tagger trained on ANERcorp (news, 2007) finds those. Its features
are the usual word-shape ones plus what the project already knows (gazetteer phrases, titles, honorifics and
lexicon roles of the token and its neighbours): "the previous token closes a title" is the person cue the
plain CRF lacks.

Speed is the constraint: the pipeline tags every sentence of every article. Features are strings cached per
word form, with pre-prefixed copies for each neighbour offset, so a position's features are five tuples
concatenated; only the gazetteer features depend on context, and they are computed once per sentence with the
phrase index. When tagging, a form's features are cut down to the attributes the model knows, which keeps the
cache small and spares crfsuite the look-ups of features it would ignore.

Labels follow ANERcorp's BIO scheme restricted to PERS, LOC and ORG (its MISC is folded to O).
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

import pycrfsuite
import regex

from kg.errors import InputError, KGError
from kg.gazetteer import Gazetteer
from kg.text import Token, clitic_readings, light, normalize

TYPES = ("PERS", "LOC", "ORG")
LABELS = ("O", *(f"{p}-{t}" for t in TYPES for p in "BI"))
MODEL_FILE = "names.crfsuite"
# The c1/c2 chosen by `kg ner cv` (see kg/data/ner/README.md); minfreq 2 drops features seen once, and the L1
# term (c1) zeroes most of the rest, which keeps the model to a few MB.
DEFAULT_PARAMS: dict[str, Any] = {
    "c1": 0.05,
    "c2": 0.05,
    "max_iterations": 250,
    "feature.possible_transitions": True,
    "feature.minfreq": 2,
}
# ANERcorp's MISC is a label of its own when training (names that are none of the three are then not taught as
# O); the tagger reads it as O. AQMAR's MISC classes are not ANERcorp's and are always O.
USE_MISC = True
USE_AQMAR = True  # its PERS/LOC/ORG raised ANERcorp's cross-validated PERS and micro F1: see kg/data/ner/README.md
# About 550 bytes a form (measured on the 119,235 forms of 4,000 corpus articles): at most ~220 MB per process,
# enough for every one of the 335,268 forms of the whole corpus (11.1 million tokens); with 60,000, one token in
# eight was a form computed again, a sixth of the extraction time. When full, new forms are computed and not kept:
# the frequent forms come early, so this costs little, and the labels never depend on the cache.
MAX_CACHED_FORMS = 400_000

_EDGES = regex.compile(r"^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$")
_DIGIT = regex.compile(r"\p{N}")
_LATIN = regex.compile(r"\p{Latin}")
# Lexicon roles worth a feature, as (role, feature). gaz.roles() already peels proclitics; the head: roles
# also match inflected forms of head nouns.
_ROLE_FEATURES = (
    ("speech_verbs", "r=speech"),
    ("statement_nouns", "r=stmt"),
    ("organization_heads", "r=orghead"),
    ("head:organization_heads", "r=orghead"),
    ("meeting_triggers", "r=meet"),
    ("head:meeting_triggers", "r=meet"),
    ("place_heads", "r=placehead"),
    ("location_prepositions", "r=locprep"),
    ("name_breakers", "r=breaker"),
    ("eponym_heads", "r=eponym"),
    ("day_words", "r=day"),
)
# What a neighbour one or two tokens away contributes: its word and roles, and next door also its shape.
_FAR_KEYS = ("n=", "st=", "r=", "PUNCT", "dig", "lat", "hon", "nonname", "gn", "pl", "kp")
_NEAR_KEYS = (*_FAR_KEYS, "p2=", "s2=", "s3=", "len=", "al")
# The prefixes of the copies a form's neighbours see, in _Form's field order, and the keys each copy is made of.
_NEIGHBOURS = ("-2:", "-1:", "+1:", "+2:")
_NEIGHBOUR_KEYS = {"-2:": _FAR_KEYS, "-1:": _NEAR_KEYS, "+1:": _NEAR_KEYS, "+2:": _FAR_KEYS}


class NameSpan(NamedTuple):
    """Tokens [start, end) tagged ``type`` (PERS, LOC or ORG); ``confidence`` is the lowest marginal of its
    labels (1.0 when not computed), a threshold the pipeline can apply."""

    start: int
    end: int
    type: str
    confidence: float = 1.0


class _Form(NamedTuple):
    """The cached view of one word form: its own features, the copies its neighbours see, and what the
    phrase index needs."""

    own: tuple[str, ...]
    m2: tuple[str, ...]  # seen from two tokens on: "-2:…"
    m1: tuple[str, ...]
    p1: tuple[str, ...]
    p2: tuple[str, ...]
    core: str  # normalised, edge punctuation stripped: what gazetteer phrases are matched on
    starts_phrase: bool


_BOS = _Form(("BOS",), ("-2:BOS",), ("-1:BOS",), (), (), "", False)
_EOS = _Form(("EOS",), (), (), ("+1:EOS",), ("+2:EOS",), "", False)
_NONE = _Form((), (), (), (), (), "", False)


# --------------------------------------------------------------------------- features


class Features:
    """Feature strings of token sequences.

    With ``known`` (a model's attributes) they are cut down to those and handed over as the model's own UTF-8
    bytes: crfsuite converts bytes half again as fast as str, and unknown features would only cost look-ups.
    """

    def __init__(self, gaz: Gazetteer, known: Iterable[str] | None = None,
                 persons: Iterable[str] | Mapping[str, str] | None = None) -> None:
        self.gaz = gaz
        # words seen inside a person's name in the training data: when tagging, words.json's «person_words»
        # (the whole training data); when training, what the other parts give (see training_features)
        if persons is None:
            mostly = gaz.learned.get("person_majority_words", frozenset())
            persons = {w: "plh" if w in mostly else "pl" for w in gaz.learned.get("person_words", ())}
        self.persons: Mapping[str, str] = persons if isinstance(persons, Mapping) else dict.fromkeys(persons, "pl")
        self.given = given_names()
        self.known_persons = known_person_words(gaz)
        self.known: dict[str, bytes] | None = None
        # bigram features keyed by the (left, right) pair of forms: a tuple hashes the forms' cached hashes,
        # where a joined string would be built and hashed anew for every token
        self._bigrams: tuple[dict[tuple[str, str], bytes], dict[tuple[str, str], bytes]] = ({}, {})
        # What one unprefixed key («n=…», «st=…») shows the neighbours at -2, -1, +1 and +2, as the model's
        # codes (None where the model does not know that copy): one look-up per key where building the four
        # prefixed strings and looking each up would cost eight operations, on every form the cache misses.
        self._neighbours: dict[str, list[bytes | None]] = {}
        if known is not None:
            self.known = {a: a.encode() for a in known}
            for attr, code in self.known.items():
                if attr.startswith(("b-=", "b+=")):
                    left, _, right = attr[3:].partition("|")
                    self._bigrams[attr[1] == "+"][left, right] = code
                elif attr[:3] in _NEIGHBOURS and attr[3:].startswith(_NEIGHBOUR_KEYS[attr[:3]]):
                    self._neighbours.setdefault(attr[3:], [None] * 4)[_NEIGHBOURS.index(attr[:3])] = code
        self._cache: dict[str, _Form] = {}

    def __call__(self, words: Sequence[str]) -> list[tuple[Any, ...]]:
        cache = self._cache
        forms = [cache.get(w) or self._form(w) for w in words]
        pad = [_NONE, _BOS, *forms, _EOS, _NONE]
        # own features, then what the neighbours at -1, -2, +1, +2 show (_Form fields by index: the hot loop)
        xs = [a[0] + b[2] + c[1] + d[3] + e[4]
              for c, b, a, d, e in zip(pad, pad[1:], pad[2:], pad[3:], pad[4:], strict=False)]
        # word bigrams with each neighbour («عبد الله», «قال الرئيس»); when tagging, only those the model knows
        cores = ["^", *(f.core or "." for f in forms), "$"]
        pairs = list(zip(cores, cores[1:], strict=False))
        if self.known is None:
            xs = [x + (f"b-={a}|{b}", f"b+={b}|{c}") for x, (a, b), (_, c) in zip(xs, pairs, pairs[1:], strict=False)]
        else:
            lefts, rights = map(self._bigrams[0].get, pairs[:-1]), map(self._bigrams[1].get, pairs[1:])
            for i, (left, right) in enumerate(zip(lefts, rights, strict=True)):
                if left or right:
                    xs[i] += (left, right) if left and right else (left or right,)
        if any(f.starts_phrase for f in forms):
            for i, extra in self._context(forms).items():
                xs[i] += extra
        return xs

    def _form(self, word: str) -> _Form:
        norm = normalize(word)
        core = _EDGES.sub("", norm)
        if not core:  # punctuation: ANERcorp keeps it in the sentence, and so does the pipeline
            own = ("w=" + word, "PUNCT")
            keys: list[str] = ["n=" + word, "PUNCT", "len=0"]
        else:
            own_list, keys = self._word_features(word, core)
            own = tuple(own_list)
        known = self.known
        if known is None:
            variants = [tuple(prefix + k for k in keys if k.startswith(_NEIGHBOUR_KEYS[prefix]))
                        for prefix in _NEIGHBOURS]
        else:
            own = tuple(filter(None, map(known.get, own)))
            seen = [codes for codes in map(self._neighbours.get, keys) if codes]
            # the copies slot by slot (-2, -1, +1, +2), each without the codes the model lacks
            variants = [tuple(filter(None, slot)) for slot in zip(*seen, strict=True)] if seen else [()] * 4
        form = _Form(own, *variants, core, bool(core) and bool(self.gaz.index.starts(core)))
        if len(self._cache) < MAX_CACHED_FORMS:
            self._cache[word] = form
        return form

    def _word_features(self, word: str, core: str) -> tuple[list[str], list[str]]:
        """(own features, the subset neighbours see, unprefixed) of a word form."""
        gaz = self.gaz
        size = len(core)
        feats = ["w=" + word, "n=" + core, "p1=" + core[:1], "p2=" + core[:2], "p3=" + core[:3], "p4=" + core[:4],
                 "s1=" + core[-1:], "s2=" + core[-2:], "s3=" + core[-3:], "s4=" + core[-4:],
                 "len=" + (str(size) if size < 6 else "6-7" if size < 8 else "8+")]
        # every reading with proclitics (و ف ب ل ك) and then ال peeled: بالكويت -> كويت
        stems = dict.fromkeys(s[2:] if s.startswith("ال") and len(s) > 4 else s for s, _ in clitic_readings(core))
        stems.pop(core, None)
        feats += ["st=" + s for s in stems]
        feats += ["sp3=" + s[:3] for s in stems] + ["ss3=" + s[-3:] for s in stems if s[-3:] != core[-3:]]
        if core.startswith("ال") or any(s != core and s.startswith("ال") for s, _ in clitic_readings(core)):
            feats.append("al")
        if _DIGIT.search(core):
            feats.append("dig")
        if _LATIN.search(core):
            feats.append("lat")
        readings = [s for s, _ in clitic_readings(core)]
        # person cues from name lists: a given name of the list, a word of a training person's name («pl», «plh»
        # when it is mostly one; «…s» when only a reading with proclitics peeled is), a well-known person's word
        if any(s in self.given for s in readings):
            feats.append("gn")
        pl = self.persons.get(core)
        if pl:
            feats.append(pl)
        else:
            pl = next((self.persons[s] for s in readings if s in self.persons), None)
            if pl:
                feats.append(pl + "s")
        if any(s in self.known_persons for s in readings):
            feats.append("kp")
        roles = gaz.roles(core)
        feats += list(dict.fromkeys(f for role, f in _ROLE_FEATURES if role in roles))
        if any(s in gaz.honorific_words for s, _ in clitic_readings(core)):
            feats.append("hon")
        # Gazetteer.is_non_name would also read words learned from the training labels: a leak in cross-validation
        if any(s in gaz.non_name for s, _ in clitic_readings(core)) or light(word) in gaz.stop_light:
            feats.append("nonname")
        keys = [f for f in feats if f.startswith(_NEAR_KEYS)]
        return feats, keys

    def _context(self, forms: list[_Form]) -> dict[int, tuple[str, ...]]:
        """Gazetteer features of the positions near a phrase of the index, longest match first, left to right.

        A phrase is a state, place or organisation name (its type), a nationality adjective (adj-type), a
        title or an honorific. The token right after a title chain (title, then adjectives or a state:
        «وزير الخارجية السعودي») gets "chain", the strongest person cue.
        """
        norms = [f.core for f in forms]
        n = len(forms)
        index = self.gaz.index
        matches = []
        i = 0
        while i < n:
            m = index.match_at(norms, i) if forms[i].starts_phrase else None
            if m is None:
                i += 1
                continue
            payload = m.payload
            kind = (m.kind if m.kind in ("title", "honorific")
                    else getattr(payload, "type", "") if m.kind == "name" else "adj-" + getattr(payload, "type", ""))
            matches.append((m.start, m.end, kind))
            i = m.end
        extra: dict[int, list[str]] = {}
        for start, end, kind in matches:
            for p in range(start, end):
                extra.setdefault(p, []).append(("g=B-" if p == start else "g=I-") + kind)
                for k, prefix in ((-2, "+2:g="), (-1, "+1:g="), (1, "-1:g="), (2, "-2:g=")):
                    if 0 <= p + k < n and not start <= p + k < end:
                        extra.setdefault(p + k, []).append(prefix + kind)
        ends = {start: (end, kind) for start, end, kind in matches}
        for _start, end, kind in matches:
            if kind not in ("title", "honorific"):
                continue
            p = end
            while p in ends and ends[p][1] in ("State", "adj-State", "Organization", "title"):
                p = ends[p][0]
            if p < n:
                extra.setdefault(p, []).append("chain")
            if p + 1 < n:
                extra.setdefault(p + 1, []).append("chain+1")
        known = self.known
        if known is None:
            return {p: tuple(dict.fromkeys(v)) for p, v in extra.items()}
        return {p: tuple(known[f] for f in dict.fromkeys(v) if f in known) for p, v in extra.items()}


_GIVEN_FILE = "given_names.txt"
_given: frozenset[str] | None = None


def given_names() -> frozenset[str]:
    """Arabic given names of an openly licensed list (kg/data/ner/given_names.txt, see its README), normalised."""
    global _given
    if _given is None:
        text = resources.files("kg.data").joinpath("ner", _GIVEN_FILE).read_text(encoding="utf-8")
        _given = frozenset(normalize(line.strip()) for line in text.splitlines()
                           if line.strip() and not line.startswith("#"))
    return _given


def known_person_words(gaz: Gazetteer) -> frozenset[str]:
    """The words of the gazetteer's well-known persons' names (kg/data/gazetteers/persons.json), but for short
    ones and those of the lexicon's roles."""
    words = {w for forms in gaz.persons.values() for phrase, _ in forms for w in phrase if len(w) > 2}
    return frozenset(w for w in words if not gaz.roles(w))


def person_lexicon(sentences: Iterable[Sentence]) -> dict[str, str]:
    """Every word seen inside a person's name, normalised as learned_words() does («person_words»), with its
    feature: «plh» when at least half its occurrences are inside one («person_majority_words»), else «pl»."""
    found: dict[str, int] = {}
    total: dict[str, int] = {}
    for words, labels in sentences:
        for word, label in zip(words, labels, strict=True):
            norm = _EDGES.sub("", normalize(word))
            if norm and not _DIGIT.search(norm):
                total[norm] = total.get(norm, 0) + 1
                if label.endswith("PERS"):
                    found[norm] = found.get(norm, 0) + 1
    return {w: "plh" if 2 * n >= total[w] else "pl" for w, n in found.items()}


JACKKNIFE_PARTS = 5


def training_features(sentences: Sequence[Sentence], gaz: Gazetteer, parts: int = JACKKNIFE_PARTS
                      ) -> list[list[tuple[str, ...]]]:
    """Features of training sentences. The person-word feature of each contiguous part is computed from the
    labels of the other parts only, so that its weight is learned at the coverage it will have on unseen text."""
    xs: list[list[tuple[str, ...]]] = []
    for held in folds(len(sentences), parts):
        others = person_lexicon(s for i, s in enumerate(sentences) if i not in held)
        features = Features(gaz, persons=others)
        xs += [features(sentences[i][0]) for i in held]
    return xs


# --------------------------------------------------------------------------- tagging


@dataclass
class NameTagger:
    """The CRF with its features. Picklable: the crfsuite model is opened lazily, once per process.

    >>> tagger = NameTagger.load(gaz)
    >>> tagger.tag(["قال", "محمد", "بن", "سلمان"])   # ['O', 'B-PERS', 'I-PERS', 'I-PERS']
    """

    gaz: Gazetteer
    model: str
    _features: Features | None = field(default=None, init=False, repr=False)
    _tagger: pycrfsuite.Tagger | None = field(default=None, init=False, repr=False)

    @classmethod
    def load(cls, gaz: Gazetteer, model: str | Path | None = None) -> NameTagger:
        """The tagger of ``model`` (default: the packaged one)."""
        path = Path(model) if model is not None else packaged_model()
        if not path.is_file():
            raise KGError(f"{path}: no name-recogniser model here (rebuild it with `kg ner train`)")
        return cls(gaz, str(path))

    def __getstate__(self) -> dict[str, Any]:
        return {"gaz": self.gaz, "model": self.model}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["gaz"], state["model"])  # type: ignore[misc]

    def _open(self) -> tuple[Features, pycrfsuite.Tagger]:
        if self._tagger is None or self._features is None:
            tagger = pycrfsuite.Tagger()
            try:
                tagger.open(self.model)
            except (OSError, ValueError) as err:
                raise KGError(f"{self.model}: not a crfsuite model ({err})") from err
            self._tagger, self._features = tagger, Features(self.gaz, tagger.info().attributes)
        return self._features, self._tagger

    def tag(self, words: Sequence[str]) -> list[str]:
        """BIO labels of the words (punctuation tokens included, as in ANERcorp)."""
        if not words:
            return []
        features, tagger = self._open()
        return repair_bio(drop_misc(tagger.tag(features(words))))

    def spans(self, tokens: Sequence[Token], confidence: bool = True) -> list[NameSpan]:
        """Names among a sentence's tokens. ``confidence`` costs one forward-backward pass per sentence with a
        name (the lowest label marginal of each span)."""
        labels = self.tag([t.text for t in tokens])
        found = chunks(labels)
        if not confidence or not found:
            return [NameSpan(s, e, t) for s, e, t in found]
        tagger = self._tagger
        assert tagger is not None
        return [NameSpan(s, e, t, min(tagger.marginal(labels[i], i) for i in range(s, e))) for s, e, t in found]

    def person_marginals(self, tokens: Sequence[Token]) -> list[float]:
        """How likely the model finds each token inside a person's name, where it marked one or not: the rules
        that read a name on past what the model marked (a title's lone word, a surname it left out) ask it.
        After «رئيس» or «مدير» comes a body («رئيس حزب»، «مدير قطاع») far more often than a lone surname, and
        after a name a verb («… زاوراليك سيجري») or an adjective far more often than a surname it missed."""
        self.tag([t.text for t in tokens])
        tagger = self._tagger
        assert tagger is not None
        return [tagger.marginal("B-PERS", i) + tagger.marginal("I-PERS", i) for i in range(len(tokens))]


def packaged_model() -> Path:
    return Path(str(resources.files("kg.data").joinpath("ner", MODEL_FILE)))


def repair_bio(labels: Iterable[str]) -> list[str]:
    """An I- that does not continue a name of its type becomes B- (ANERcorp has 39 such, the CRF a few)."""
    out: list[str] = []
    prev = "O"
    for label in labels:
        if label.startswith("I-") and prev[2:] != label[2:]:
            label = "B-" + label[2:]
        out.append(label)
        prev = label
    return out


def drop_misc(labels: Iterable[str]) -> list[str]:
    """Labels of types other than PERS, LOC and ORG (a model trained with ANERcorp's MISC) become O."""
    return [label if label[2:] in TYPES else "O" for label in labels]


def chunks(labels: Sequence[str]) -> list[tuple[int, int, str]]:
    """Spans [start, end) of a BIO sequence, as conlleval reads them (an I- after another type starts one)."""
    found: list[tuple[int, int, str]] = []
    start, kind = -1, ""
    for i, label in enumerate([*labels, "O"]):
        tag, typ = label[:1], label[2:]
        if start >= 0 and (tag != "I" or typ != kind):
            found.append((start, i, kind))
            start = -1
        if tag == "B" or (tag == "I" and start < 0):
            start, kind = i, typ
    return found


# --------------------------------------------------------------------------- data


Sentence = tuple[list[str], list[str]]


def read_conll(source: str | Path, keep: Sequence[str] = TYPES, labels: bool = True) -> list[Sentence]:
    """Sentences of a CoNLL-style file (or "-": stdin): a token per line, optionally a space and a label,
    blank lines between sentences. Labels outside ``keep`` become O, missing ones too; ``labels=False``
    ignores whatever follows the token (a gold label when tagging a benchmark)."""
    name = str(source)
    if name == "-":
        import sys

        data = sys.stdin.buffer.read()
        name = "<stdin>"
    else:
        try:
            data = Path(source).read_bytes()
        except OSError as err:
            raise InputError(name, f"cannot read: {err.strerror or err}") from err
    return parse_conll(_decode(data, name), name, keep, labels)


def _decode(data: bytes, name: str) -> str:
    from loaders.encoding import binary_reason

    data = data.removeprefix(b"\xef\xbb\xbf")
    reason = binary_reason(data)
    if reason:
        raise InputError(name, f"not a CoNLL text file ({reason})")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(name, f"not UTF-8 text (byte {err.start}): CoNLL input must be UTF-8") from err


def parse_conll(text: str, name: str = "<text>", keep: Sequence[str] = TYPES, labels: bool = True) -> list[Sentence]:
    sentences: list[Sentence] = []
    words: list[str] = []
    tags: list[str] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        parts = line.split()
        if not parts:
            if words:
                sentences.append((words, repair_bio(tags)))
                words, tags = [], []
            continue
        if not labels:
            parts = parts[:1]
        elif len(parts) > 2:
            raise InputError(name, f"line {lineno}: expected 'token' or 'token label', got {line[:60]!r}")
        label = parts[1] if len(parts) == 2 else "O"
        if label != "O" and (label[:2] not in ("B-", "I-") or not label[2:]):
            raise InputError(name, f"line {lineno}: {label!r} is not a BIO label")
        words.append(parts[0])
        tags.append(label if label[2:] in keep else "O")
    if words:
        sentences.append((words, repair_bio(tags)))
    return sentences


def format_conll(sentences: Iterable[tuple[Sequence[str], Sequence[str]]]) -> Iterator[str]:
    """Lines of ``token label`` with a blank line after each sentence."""
    for words, labels in sentences:
        for word, label in zip(words, labels, strict=True):
            yield f"{word} {label}\n"
        yield "\n"


def training_data(ner_dir: str | Path, aqmar: bool = USE_AQMAR, misc: bool = USE_MISC
                  ) -> tuple[list[Sentence], list[Sentence]]:
    """(ANERcorp train, AQMAR or nothing); ANERcorp keeps its MISC with ``misc``. Only the train split of
    ANERcorp is ever read."""
    folder = Path(ner_dir)
    anercorp = read_conll(folder / "anercorp_train.txt", keep=(*TYPES, "MISC") if misc else TYPES)
    extra = read_conll(folder / "aqmar.txt") if aqmar else []
    return anercorp, extra


# --------------------------------------------------------------------------- training and scoring


def learned_words(ner_dir: str | Path) -> dict[str, list[str]]:
    """Word lists the extractor reads beside the model (``kg/data/ner/words.json``), from the same training
    files: «common_words», seen at least twice outside any name in ANERcorp and never inside one in either
    corpus (so «فقد», «نقل», «السلطة» end a name the model runs on with), and «person_words», every word seen
    inside a person's name (so «ومحمد» can be read as و + محمد), and «person_majority_words», those of them
    inside a person's name in at least half their occurrences (with person_words, what the model's person-word
    features read when tagging). Tokens keep their clitics, as ANERcorp writes them, and are normalised as the
    text is."""
    folder = Path(ner_dir)
    every = ("PERS", "LOC", "ORG", "MISC")
    anercorp = read_conll(folder / "anercorp_train.txt", keep=every)
    outside: dict[str, int] = {}
    inside: set[str] = set()
    persons: set[str] = set()
    for corpus in (anercorp, read_conll(folder / "aqmar.txt", keep=every)):
        for words, labels in corpus:
            for word, label in zip(words, labels, strict=True):
                norm = _EDGES.sub("", normalize(word))
                if not norm or _DIGIT.search(norm):
                    continue
                if label == "O":
                    if corpus is anercorp:
                        outside[norm] = outside.get(norm, 0) + 1
                else:
                    inside.add(norm)
                    if label.endswith("PERS"):
                        persons.add(norm)
    common = sorted(w for w, count in outside.items() if count >= 2 and w not in inside)
    # the model's person-word features, as training computed them from the whole of its data
    lexicon = person_lexicon([*anercorp, *read_conll(folder / "aqmar.txt")])
    return {"common_words": common, "person_words": sorted(persons),
            "person_majority_words": sorted(w for w, f in lexicon.items() if f == "plh")}


def train(sentences: Sequence[Sentence], out: str | Path, gaz: Gazetteer,
          params: Mapping[str, Any] | None = None) -> Path:
    """Train a model on the sentences and write it to ``out`` (atomically). Same input, same bytes."""
    xs = training_features(sentences, gaz)
    return _train([(x, y) for x, (_, y) in zip(xs, sentences, strict=True)], out, params)


def _train(data: Iterable[tuple[list[tuple[str, ...]], list[str]]], out: str | Path,
           params: Mapping[str, Any] | None = None) -> Path:
    trainer = pycrfsuite.Trainer(verbose=False)
    trainer.select("lbfgs", "crf1d")
    trainer.set_params({**DEFAULT_PARAMS, **(params or {})})
    for xseq, yseq in data:
        trainer.append(xseq, yseq)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".crfsuite", dir=out.parent)
    os.close(fd)
    try:
        trainer.train(tmp)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a packaged file is world-readable
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return out


@dataclass
class Scores:
    """Strict (exact span and type) counts per type."""

    tp: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TYPES, 0))
    fp: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TYPES, 0))
    fn: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TYPES, 0))

    def add(self, gold: Sequence[str], predicted: Sequence[str]) -> None:
        g, p = set(chunks(gold)), set(chunks(predicted))
        for _, _, t in g & p:
            self.tp[t] += 1
        for _, _, t in p - g:
            self.fp[t] += 1
        for _, _, t in g - p:
            self.fn[t] += 1

    def merge(self, other: Scores) -> None:
        for mine, theirs in ((self.tp, other.tp), (self.fp, other.fp), (self.fn, other.fn)):
            for t in TYPES:
                mine[t] += theirs[t]

    def prf(self, types: Sequence[str]) -> tuple[float, float, float]:
        tp = sum(self.tp[t] for t in types)
        p = tp / (tp + sum(self.fp[t] for t in types) or 1)
        r = tp / (tp + sum(self.fn[t] for t in types) or 1)
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def table(self) -> str:
        rows = ["type    precision  recall  F1      gold"]
        for name, types in [*((t, (t,)) for t in TYPES), ("micro", TYPES)]:
            p, r, f = self.prf(types)
            gold = sum(self.tp[t] + self.fn[t] for t in types)
            rows.append(f"{name:<7} {p:9.3f}  {r:6.3f}  {f:6.3f}  {gold:5d}")
        return "\n".join(rows)


def folds(n: int, k: int) -> list[range]:
    """k contiguous blocks of sentence indices: ANERcorp repeats articles, so shuffled folds would leak."""
    bounds = [n * i // k for i in range(k + 1)]
    return [range(bounds[i], bounds[i + 1]) for i in range(k)]


def cross_validate(sentences: Sequence[Sentence], gaz: Gazetteer, k: int = 5, extra: Sequence[Sentence] = (),
                   params: Mapping[str, Any] | None = None, workers: int = 1) -> Scores:
    """Strict scores of k contiguous folds of ``sentences``; ``extra`` only ever joins the training side.
    What is learned from labels (the person words) comes from each fold's training side alone."""
    jobs = []
    for held in folds(len(sentences), k):
        train_sentences = [s for i, s in enumerate(sentences) if i not in held] + list(extra)
        xs = training_features(train_sentences, gaz)
        features = Features(gaz, persons=person_lexicon(train_sentences))
        train_data = [(x, y) for x, (_, y) in zip(xs, train_sentences, strict=True)]
        test_data = [(features(sentences[i][0]), drop_misc(sentences[i][1])) for i in held]
        jobs.append((train_data, test_data, dict(params or {})))
    total = Scores()
    if workers > 1:
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(min(workers, k)) as pool:
            results = pool.map(_fold, jobs)
    else:
        results = map(_fold, jobs)
    for scores in results:
        total.merge(scores)
    return total


def _fold(job: tuple[list[Any], list[Any], dict[str, Any]]) -> Scores:
    train_data, test_data, params = job
    scores = Scores()
    with tempfile.TemporaryDirectory() as tmp:
        model = _train(train_data, Path(tmp) / "fold.crfsuite", params)
        tagger = pycrfsuite.Tagger()
        tagger.open(str(model))
        for xseq, gold in test_data:
            scores.add(gold, repair_bio(drop_misc(tagger.tag(xseq))))
        tagger.close()
    return scores


# --------------------------------------------------------------------------- speed


@dataclass
class BenchResult:
    articles: int
    sentences: int
    tokens: int
    cold: tuple[float, float]  # (wall, CPU) seconds of the first pass, while the per-form cache fills
    warm: tuple[float, float]  # the same for a second pass over the same sentences

    def __str__(self) -> str:
        lines = [f"{self.articles} articles, {self.sentences} sentences, {self.tokens} tokens "
                 "(features + tagging, one core)"]
        for name, (wall, cpu) in (("cold", self.cold), ("warm", self.warm)):
            lines.append(f"{name}: {self.tokens / wall:,.0f} tokens/s, {1000 * wall / max(self.articles, 1):.2f} "
                         f"ms/article; on CPU time {self.tokens / cpu:,.0f} tokens/s, "
                         f"{1000 * cpu / max(self.articles, 1):.2f} ms/article")
        return "\n".join(lines)


def bench(paths: Sequence[str | Path], gaz: Gazetteer, limit: int = 2000, model: str | Path | None = None
          ) -> BenchResult:
    """Time features and tagging alone on the sentences of the first ``limit`` articles of ``paths``.

    CPU time is reported beside wall time: on a shared machine it is the figure that says what a core costs.
    """
    from kg.model import Skipped
    from kg.text import split_sentences
    from loaders import iter_articles

    sentences: list[list[str]] = []
    articles = 0
    for item in iter_articles(paths):
        if isinstance(item, Skipped):
            continue
        sentences += [[t.text for t in s.tokens] for s in split_sentences(item.text, item.furniture)]
        articles += 1
        if articles >= limit:
            break
    tagger = NameTagger.load(gaz, model)
    tagger.tag(["تجربة"])  # opens the model outside the timing
    times = []
    for _ in range(2):
        wall, cpu = time.perf_counter(), time.process_time()
        for words in sentences:
            tagger.tag(words)
        times.append((time.perf_counter() - wall, time.process_time() - cpu))
    return BenchResult(articles, len(sentences), sum(map(len, sentences)), times[0], times[1])
