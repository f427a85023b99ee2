"""Every relation rule runs its own examples: a rule file is its specification and its test.

A positive example must yield exactly the listed triples of the rule's predicate (an unexpected extra triple
fails it), at least one of them fired by that rule (recorded, or outranked by another); a negative one must
not fire the rule at all. Loading checks the files: a bad rule is one error naming the file and the rule.
"""

from __future__ import annotations

import json
from functools import cache

import pytest

from kg.errors import GazetteerError
from kg.extract import ArticleExtractor
from kg.gazetteer import load_gazetteer
from kg.model import Article
from kg.rules import PYTHON_RULES, load_rules
from tests.test_relations import names_match

DATE = "2023-05-10"


@cache
def gaz():
    return load_gazetteer()


def run(text: str) -> ArticleExtractor:
    ex = ArticleExtractor(Article("t", text, date=DATE), gaz())
    ex.result = ex.run()
    return ex


def facts(ex: ArticleExtractor, predicate: str) -> list[tuple]:
    out = []
    for t in ex.result.triples:
        if t.predicate == predicate:
            out.append((ex.result.entities[t.subject], t.predicate, ex.result.entities[t.object], t.evidence.rule))
    return out


def fired_by(ex: ArticleExtractor, rule_id: str) -> list[tuple[str, str, str]]:
    return [key[:3] for key, match, _ in ex.fired if match.rule == rule_id]


RULES = gaz().rules
CASES = [(r.id, "positive", i) for r in RULES for i in range(len(r.examples["positive"]))]
CASES += [(r.id, "negative", i) for r in RULES for i in range(len(r.examples["negative"]))]


@pytest.mark.parametrize(("rule_id", "kind", "index"), CASES)
def test_rule_example(rule_id: str, kind: str, index: int) -> None:
    rule = next(r for r in RULES if r.id == rule_id)
    example = rule.examples[kind][index]
    if kind == "negative":
        ex = run(example)
        assert not fired_by(ex, rule_id), f"{rule_id} fired on its negative example {example!r}"
        return
    ex = run(example["text"])
    got = facts(ex, rule.predicate)
    fired = set(fired_by(ex, rule_id))
    listing = [(s.name, p, o.name, r) for s, p, o, r in got]
    by_rule = False
    for subject, predicate, obj in example["triples"]:
        hit = [(s, o) for s, p, o, _ in got if names_match(s, subject) and names_match(o, obj)]
        assert hit, f"{rule_id}: expected {subject} {predicate} {obj} in {listing}"
        by_rule = by_rule or any((s.id, rule.predicate, o.id) in fired for s, o in hit)
    assert by_rule, f"{rule_id} made none of its example's triples: {listing}"
    extra = [x for x in got if not any(names_match(x[0], s) and names_match(x[2], o)
                                       for s, _, o in example["triples"])]
    assert not extra, f"{rule_id}: unexpected {rule.predicate} triples {[(s.name, o.name, r) for s, _, o, r in extra]}"


def test_every_rule_has_examples_of_both_kinds() -> None:
    assert RULES
    for rule in RULES:
        assert rule.examples["positive"] and rule.examples["negative"], rule.id


def test_python_rules_are_registered_with_priorities_and_docstrings() -> None:
    assert PYTHON_RULES
    data_ids = {r.id for r in RULES}
    for rule in PYTHON_RULES.values():
        assert rule.run.__doc__, f"{rule.id} needs a docstring showing its Arabic pattern"
        assert rule.id not in data_ids


BAD = [
    ({"anchor": {"role": "no_such_role"}}, "unknown lexicon role 'no_such_role'"),
    ({"anchor": {"types": ["Planet"]}}, "unknown entity type 'Planet'"),
    ({"object": {"types": ["State"], "near": 2}}, "needs exactly one position"),
    ({"object": {"types": ["State"], "after": 1, "close_to": 1}}, "unknown operator or filter 'close_to'"),
    ({"object": {"types": ["Document"], "after": 1}}, "outside what LOCATED_IN allows"),
    ({"predicate": "LIVES_IN"}, "unknown predicate 'LIVES_IN'"),
    ({"examples": {"positive": [{"text": "x", "triples": []}]}}, "at least one \"positive\" and one \"negative\""),
]


@pytest.mark.parametrize(("change", "message"), BAD)
def test_bad_rule_file_is_one_error_naming_file_and_rule(tmp_path, change, message) -> None:
    rule = {"id": "my.rule", "priority": 10, "predicate": "LOCATED_IN", "confidence": 0.5,
            "anchor": {"types": ["Place"]}, "subject": {"anchor": True},
            "object": {"types": ["State"], "after": 1},
            "examples": {"positive": [{"text": "x", "triples": []}], "negative": ["y"]}}
    rule.update(change)
    path = tmp_path / "mine.json"
    path.write_text(json.dumps({"rules": [rule]}), encoding="utf-8")
    with pytest.raises(GazetteerError) as err:
        load_rules(gaz(), [path])
    assert str(path) in str(err.value) and "my.rule" in str(err.value) and message in str(err.value)


def test_a_user_rule_file_adds_a_relation(tmp_path) -> None:
    """A user's rule, loaded like a gazetteer, makes a fact the shipped rules do not."""
    text = "وصل الوفد إلى مدينة سرت من ليبيا أمس."
    assert not facts(run(text), "LOCATED_IN")
    rule = {"id": "user.located_in.min", "priority": 10, "predicate": "LOCATED_IN", "confidence": 0.5,
            "anchor": {"types": ["Place"]}, "subject": {"anchor": True},
            "object": {"types": ["State"], "after": 1, "via": ["name"]},
            "examples": {"positive": [{"text": text, "triples": [["سرت", "LOCATED_IN", "ليبيا"]]}],
                         "negative": ["ليبيا وسرت"]}}
    (tmp_path / "mine.json").write_text(json.dumps({"rules": [rule]}), encoding="utf-8")
    mine = load_gazetteer(rule_files=[tmp_path])
    ex = ArticleExtractor(Article("t", text, date=DATE), mine)
    result = ex.run()
    rules = {t.evidence.rule for t in result.triples if t.predicate == "LOCATED_IN"}
    assert rules == {"user.located_in.min"}


def test_duplicate_rule_id_names_both_files(tmp_path) -> None:
    shipped = RULES[0]
    rule = {"id": shipped.id, "priority": 1, "predicate": "LOCATED_IN", "confidence": 0.5,
            "anchor": {"types": ["Place"]}, "subject": {"anchor": True}, "object": {"types": ["State"], "after": 1},
            "examples": {"positive": [{"text": "x", "triples": []}], "negative": ["y"]}}
    (tmp_path / "dup.json").write_text(json.dumps({"rules": [rule]}), encoding="utf-8")
    with pytest.raises(GazetteerError, match="already defined in kg/data/rules/"):
        load_rules(gaz(), [tmp_path])


def test_kg_explain_prints_rule_and_matched_words(tmp_path, capsys) -> None:
    from kg.cli import main

    article = tmp_path / "a1.txt"
    article.write_text("عقد الاجتماع في مدينة الدوحة بدولة قطر أمس.", encoding="utf-8")
    assert main(["explain", str(article)]) == 0
    out = capsys.readouterr().out
    assert "== a1" in out
    line = next(x for x in out.splitlines() if "LOCATED_IN" in x)
    assert line.startswith("+ ") and "[located_in.bi_state p=50 c=0.7]" in line and "«الدوحة»" in line


def test_kg_build_rules_option_and_bad_rule_file_is_one_line(tmp_path, capsys) -> None:
    from kg.cli import main

    article = tmp_path / "a1.txt"
    article.write_text("وصل الوفد إلى مدينة سرت من ليبيا أمس.", encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"rules": [{"id": "x.y", "predicate": "LOCATED_IN"}]}), encoding="utf-8")
    assert main(["-q", "build", str(article), "--out", str(tmp_path / "out"), "--rules", str(bad)]) != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(bad) in err[0] and "x.y" in err[0]
