"""Arabic preprocessing: normalisation, tokens with offsets into the original text, and sentences.

Matching happens on normalised tokens, but every token keeps the span it covers in the text as
read, so evidence offsets always point into the original article. The character-level folding
(dediacritisation, alef/yeh/teh-marbuta unification) is camel-tools'; only its data-free
utilities are used, so no model download and no torch.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import regex

from kg.errors import DependencyError
from kg.model import Span

try:
    from camel_tools.utils.dediac import dediac_ar
    from camel_tools.utils.normalize import (
        normalize_alef_ar,
        normalize_alef_maksura_ar,
        normalize_teh_marbuta_ar,
        normalize_unicode,
    )
except ImportError as err:  # pragma: no cover - exercised only on a broken install
    raise DependencyError(
        "camel-tools is missing: install it with `pip install --no-deps camel-tools` (see README)"
    ) from err

TATWEEL = "\u0640"
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)
# Persian letters that Arabic web text borrows for the same sounds.
_PERSIAN = str.maketrans({"ی": "ي", "ک": "ك", "ۀ": "ه"})
_TOKEN = regex.compile(r"[\p{L}\p{M}\p{N}\u0640]+|[^\s\p{L}\p{M}\p{N}]")
_SENTENCE_END = regex.compile(r"[.!?؟]+(?=[\s\"'»”“)\]]|$)|\n+|•|●|▪")
# The longest sentence in 41,000 wire stories has 3,745 characters. Rules look at every mention of a
# sentence for every other, so a text with no sentence ends (a scraped page run into one line) is cut
# into pieces of this size at spaces, which keeps extraction linear in the length of the text.
MAX_SENTENCE_CHARS = 5_000
# Proclitics that attach to a noun: conjunction (و/ف), then a preposition (ب/ل/ك).
_CONJ = ("و", "ف")
_PREP = ("ب", "ل", "ك")


@lru_cache(maxsize=200_000)
def normalize(text: str) -> str:
    """Fold a string to the form that gazetteers and patterns are matched on.

    Diacritics and tatweel go, alef variants become ا, ى becomes ي, ة becomes ه, and
    Arabic-Indic digits become ASCII: the same folding the gold scorer applies.
    """
    text = normalize_unicode(text).translate(_DIGITS).translate(_PERSIAN).replace(TATWEEL, "")
    text = dediac_ar(text)
    text = normalize_alef_ar(text)
    text = normalize_alef_maksura_ar(text)
    return normalize_teh_marbuta_ar(text)


@lru_cache(maxsize=200_000)
def light(text: str) -> str:
    """Dediacritised only: keeps hamza on alef, where إمام (a name) and أمام (a preposition) differ."""
    return dediac_ar(text.replace(TATWEEL, "")).translate(_DIGITS)


def normalize_phrase(text: str) -> tuple[str, ...]:
    """A phrase as the tuple of its normalised word tokens (punctuation dropped)."""
    return tuple(tok.norm for tok in tokenize(text) if tok.is_word)


@lru_cache(maxsize=200_000)
def clitic_readings(norm: str) -> tuple[tuple[str, int], ...]:
    """The ways a normalised token can be read once its proclitics are peeled off.

    Returns (stem, prefix_length) pairs, the unstripped token first. للكويت yields الكويت (ل + ال
    whose alef is dropped in writing), بالكويت yields الكويت, وللمنظمة yields المنظمة.
    """
    readings = [(norm, 0)]
    bases = [(norm, 0)]
    if len(norm) > 3 and norm[0] in _CONJ:
        bases.append((norm[1:], 1))
    for base, cut in bases:
        if cut:
            readings.append((base, cut))
        if len(base) <= 3 or base[0] not in _PREP:
            continue
        if base.startswith("لل") and len(base) > 4:
            readings.append(("ال" + base[2:], cut + 1))
        readings.append((base[1:], cut + 1))
    seen: dict[str, int] = {}
    for stem, cut in readings:
        seen.setdefault(stem, cut)
    return tuple(seen.items())


class Token(NamedTuple):
    """One token. A named tuple, not a frozen dataclass: millions are made per corpus, and a tuple is
    built several times faster than a frozen dataclass, which assigns each field through a hook."""

    text: str  # as written
    norm: str
    start: int  # offsets into the article's original text
    end: int
    is_word: bool


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str
    tokens: tuple[Token, ...]


# (normalised form, is a word) of each token as written, memoised as news vocabulary repeats: a plain dict read
# inline, as an lru_cache hit costs several times a dict look-up and every token of the corpus is looked up.
# 400,000 holds every form of the whole benchmark corpus (335,268); past that, forms are computed, not kept.
_KINDS: dict[str, tuple[str, bool]] = {}
MAX_KINDS = 400_000


def _token_kind(raw: str) -> tuple[str, bool]:
    word = raw[0].isalnum() or len(raw) > 1 or raw == TATWEEL
    kind = (normalize(raw) if word else raw), word
    if len(_KINDS) < MAX_KINDS:
        _KINDS[raw] = kind
    return kind


def tokenize(text: str, offset: int = 0) -> list[Token]:
    # Every token of the corpus passes here. findall makes no match object per token, and a token's offset is
    # where it next occurs: only whitespace lies between two tokens, and no token starts with whitespace.
    # tuple.__new__ builds the named tuple without the Python-level __new__ of Token(...); the loop reads
    # only locals.
    tokens: list[Token] = []
    append, kinds, new, find = tokens.append, _KINDS, tuple.__new__, text.find
    end = 0
    for raw in _TOKEN.findall(text):
        start = find(raw, end)
        end = start + len(raw)
        norm, word = kinds.get(raw) or _token_kind(raw)
        if word and not norm:  # a lone tatweel or diacritic
            continue
        append(new(Token, (raw, norm, offset + start, offset + end, word)))
    return tokens


def split_sentences(text: str, furniture: tuple[Span, ...] = ()) -> list[Sentence]:
    """Sentences with their offsets; those inside page furniture are dropped.

    A sentence ends at . ! ? ؟, at a line break, or at a bullet: Arabic news often runs
    headlines and bullet points without final punctuation.
    """
    sentences: list[Sentence] = []
    start = 0
    ends = [f.end for f in furniture]
    for end in _sentence_ends(text):
        chunk = text[start:end]
        lead = len(chunk) - len(chunk.lstrip())
        s, e = start + lead, start + len(chunk.rstrip())
        start = end
        if e <= s or _in_furniture(s, e, furniture, ends):
            continue
        tokens = tuple(tokenize(text[s:e], s))
        if any(t.is_word for t in tokens):
            sentences.append(Sentence(len(sentences), s, e, text[s:e], tokens))
    return sentences


def _sentence_ends(text: str) -> Iterator[int]:
    """Where each sentence ends: at a sentence end of ``_SENTENCE_END``, or at a space before a sentence
    would grow past MAX_SENTENCE_CHARS."""
    start = 0
    for end in [m.end() for m in _SENTENCE_END.finditer(text)] + [len(text)]:
        while end - start > MAX_SENTENCE_CHARS:
            space = text.rfind(" ", start + MAX_SENTENCE_CHARS // 2, start + MAX_SENTENCE_CHARS)
            start = space + 1 if space >= 0 else start + MAX_SENTENCE_CHARS
            yield start
        yield end
        start = end


def _in_furniture(start: int, end: int, furniture: tuple[Span, ...], ends: list[int]) -> bool:
    """True when most of [start, end) is covered by furniture spans (sorted and disjoint, as `find_furniture`
    gives them; ``ends`` are their ends, so that only the spans that reach into the sentence are read)."""
    covered, i = 0, bisect_right(ends, start)
    while i < len(furniture) and furniture[i].start < end:
        covered += min(end, furniture[i].end) - max(start, furniture[i].start)
        i += 1
    return covered * 2 >= end - start
