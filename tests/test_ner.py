"""The packaged name recogniser: it loads, finds persons (with and without a title), places and organisations,
`kg ner tag` round-trips CoNLL, bad input is one line, training is deterministic, the cache changes nothing."""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

import pytest

from kg.cli import main
from kg.gazetteer import load_gazetteer
from kg.ner import LABELS, Features, NameTagger, chunks, drop_misc, packaged_model, parse_conll, repair_bio, train
from kg.text import tokenize
from tests.conftest import SHARED


@pytest.fixture(scope="module")
def tagger() -> NameTagger:
    return NameTagger.load(load_gazetteer())


def words(text: str) -> list[str]:
    return text.split()


def names(tagger: NameTagger, sentence: str) -> list[tuple[str, str]]:
    tokens = tokenize(sentence)
    return [(" ".join(t.text for t in tokens[s:e]), kind) for s, e, kind, _ in tagger.spans(tokens)]


def test_packaged_model_is_small_and_tags_a_titled_name(tagger: NameTagger) -> None:
    assert packaged_model().stat().st_size <= 5_000_000
    labels = tagger.tag(words("قال محمد بن سلمان إن"))
    assert labels[0] == "O" and labels[-1] == "O"
    assert labels[1] == "B-PERS" and labels[2:4] == ["I-PERS", "I-PERS"]


def test_foreign_name_without_title(tagger: NameTagger) -> None:
    found = names(tagger, "وأكد أنطونيو غوتيريش أن الحل السياسي هو الطريق الوحيد.")
    assert ("أنطونيو غوتيريش", "PERS") in found


def test_place_and_organisation(tagger: NameTagger) -> None:
    found = names(tagger, "وصل الوفد إلى العاصمة الفرنسية باريس اليوم.")
    assert ("باريس", "LOC") in found
    found = names(tagger, "أعلنت منظمة الصحة العالمية اليوم عن خطة جديدة.")
    assert any(kind == "ORG" and "الصحة" in text for text, kind in found), found


def test_spans_carry_a_confidence_and_the_tagger_pickles(tagger: NameTagger) -> None:
    tokens = tokenize("قال محمد بن سلمان إن")
    spans = tagger.spans(tokens)
    assert spans and all(0.0 < span.confidence <= 1.0 for span in spans)
    clone = pickle.loads(pickle.dumps(tagger))  # what a forkserver worker receives
    assert clone.spans(tokens) == spans


def test_feature_cache_changes_nothing(tagger: NameTagger) -> None:
    sentence = words("وقال وزير الخارجية السعودي عادل الجبير في الرياض إن المملكة تدعم الأمم المتحدة .")
    fresh = NameTagger.load(tagger.gaz)
    cold = fresh.tag(sentence)
    assert fresh.tag(sentence) == cold  # warm: every form now cached
    assert tagger.tag(sentence) == cold
    # the tagger's features are cut down to the model's attributes: the labels are those of the full set
    features, crf = fresh._open()
    assert repair_bio(drop_misc(crf.tag(Features(fresh.gaz)(sentence)))) == cold


def test_bio_repair_and_conlleval_chunks() -> None:
    assert repair_bio(["O", "I-PERS", "I-PERS", "I-LOC"]) == ["O", "B-PERS", "I-PERS", "B-LOC"]
    assert chunks(["B-PERS", "I-PERS", "O", "I-LOC", "B-LOC"]) == [(0, 2, "PERS"), (3, 4, "LOC"), (4, 5, "LOC")]
    _, labels = parse_conll("باريس B-LOC\nوصل B-MISC\n")[0]
    assert labels == ["B-LOC", "O"]


def test_kg_ner_tag_round_trips_conll(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    snippet = "قال O\nمحمد B-PERS\nبن I-PERS\nسلمان I-PERS\n\nوصل O\nإلى O\nباريس B-LOC\n.\n"
    path = tmp_path / "in.txt"
    path.write_text(snippet, encoding="utf-8")
    assert main(["ner", "tag", str(path)]) == 0
    out = capsys.readouterr().out
    blocks = out.split("\n\n")
    assert out.endswith("\n\n") and len([b for b in blocks if b.strip()]) == 2
    given = [[line.split()[0] for line in block.splitlines()] for block in snippet.split("\n\n")]
    got = [[line.split(" ") for line in block.splitlines()] for block in blocks if block.strip()]
    assert [[token for token, _ in sentence] for sentence in got] == given
    assert all(len(pair) == 2 and pair[1] in LABELS for sentence in got for pair in sentence)
    assert got[0][1][1] == "B-PERS"


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n\x00\x00binary", "قال O\n".encode("cp1256") + b"\xff\xfe\x81"])
def test_kg_ner_tag_rejects_binary_and_undecodable_input(data: bytes, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.conll"
    path.write_bytes(data)
    assert main(["ner", "tag", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("kg: error: ") and str(path) in err and err.count("\n") == 1


def test_training_is_deterministic(tmp_path: Path) -> None:
    text = ("قال O\nالرئيس O\nمحمد B-PERS\nعلي I-PERS\nفي O\nالقاهرة B-LOC\n\n"
            "وأعلنت O\nشركة O\nأرامكو B-ORG\nفي O\nالرياض B-LOC\n\n"
            "والتقى O\nأحمد B-PERS\nحسن I-PERS\nبوفد O\nمن O\nدمشق B-LOC\n\n") * 3
    sentences = parse_conll(text)
    gaz = load_gazetteer()
    digests = {hashlib.sha256(train(sentences, tmp_path / f"m{i}.crfsuite", gaz,
                                    {"feature.minfreq": 1, "max_iterations": 30}).read_bytes()).hexdigest()
               for i in range(2)}
    assert len(digests) == 1
    small = NameTagger.load(gaz, tmp_path / "m0.crfsuite")
    assert small.tag(words("قال الرئيس محمد علي"))[2] == "B-PERS"


@pytest.mark.skipif(not (SHARED / "ner" / "anercorp_train.txt").exists(), reason="../shared/ner is not beside the repository")
def test_packaged_word_lists_are_what_training_gives():
    """kg/data/ner/words.json is rebuilt by `kg ner train`; a hand edit or a stale file fails here."""
    import json

    from kg.gazetteer import WORDS_FILE
    from kg.ner import learned_words, packaged_model

    shipped = json.loads(packaged_model().with_name(WORDS_FILE).read_text(encoding="utf-8"))
    assert shipped == learned_words(SHARED / "ner")
    assert "فقد" in shipped["common_words"] and "محمد" in shipped["person_words"]
    # what the model's person-word features read when tagging is what training computed from the whole data
    from kg.ner import person_lexicon, training_data

    anercorp, aqmar = training_data(SHARED / "ner", aqmar=True)
    assert Features(load_gazetteer()).persons == person_lexicon([*anercorp, *aqmar])
