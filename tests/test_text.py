"""The tokenizer's offsets: every token points at itself in the text as read, however the text repeats
itself or spaces its words (the tokenizer finds each token where it next occurs, see kg.text.tokenize)."""

from __future__ import annotations

import pytest

from kg.text import _TOKEN, tokenize

TEXTS = [
    "قال قال  قال\tقال\nقال",  # one word again and again, behind every kind of space
    "«الكويت»،الكويت.الكويت",  # punctuation glued to words that repeat
    "ـــ الرياض ـ واس ـالرياض",  # tatweel alone is no token, and a word may start with one
    "وَالكويت \u064e الكويت",  # a lone diacritic is no token either
    "\ud800 x\udfff x",  # lone surrogates, which a JSON line may carry
    "٢٠١٥ 2015 S/RES/2178 (2014)",
    "\u00a0\u2003الرياض\u200f الرياض",  # no-break and em spaces, a right-to-left mark
]


@pytest.mark.parametrize("text", TEXTS)
def test_tokens_point_at_themselves(text: str) -> None:
    tokens = tokenize(text, offset=7)
    assert tokens
    for t in tokens:
        assert text[t.start - 7:t.end - 7] == t.text
    # each is one of the token pattern's own matches, in order: none is found again further on
    spans = {(m.start() + 7, m.end() + 7) for m in _TOKEN.finditer(text)}
    assert {(t.start, t.end) for t in tokens} <= spans
    assert [t.start for t in tokens] == sorted({t.start for t in tokens})


def test_dropped_tokens_do_not_shift_the_next() -> None:
    text = "ـ قال ـ قال"
    assert [(t.text, t.start, t.end) for t in tokenize(text)] == [("قال", 2, 5), ("قال", 8, 11)]
