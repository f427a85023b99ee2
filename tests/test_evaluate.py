"""`kg.evaluate` against the shared gold file, by hand and against the reference scorer.

The reference scorer is /work/shared/gold/score.py (`../shared` beside the repository root); it is
imported, not copied, and the tests are skipped when it is not there.
"""

from __future__ import annotations

import importlib.util
import json
import random
from pathlib import Path

import pytest

from kg.errors import EvaluationError
from kg.evaluate import EvaluationResult, evaluate, format_report, normalize_name

SHARED = Path(__file__).resolve().parents[2] / "shared"
GOLD = SHARED / "gold" / "seeds.json"
SCORER = SHARED / "gold" / "score.py"

pytestmark = pytest.mark.skipif(not (GOLD.is_file() and SCORER.is_file()), reason="../shared/gold not found")

A0 = "000_9b9411f3ce8c0aee"
A3 = "003_e1e820eec52d95b2"


def reference():
    spec = importlib.util.spec_from_file_location("reference_score", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def ref():
    return reference()


@pytest.fixture(scope="module")
def gold_data():
    return json.loads(GOLD.read_text(encoding="utf-8"))


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def ent(eid, etype, name, **extra):
    return {"id": eid, "type": etype, "name": name, **extra}


def triple(article, subject, predicate, obj):
    return {"article": article, "subject": subject, "predicate": predicate, "object": obj,
            "evidence": {"text": "...", "start": 0, "end": 3}}  # fmt: skip


MUNAIKH = ent("p1", "Person", "السفير بدر المنيخ")  # honorific dropped, then the gold name
KUWAIT = ent("s1", "State", "دولة الكويت")  # a gold alias
UNSC_SESSION = ent("m1", "Meeting", "جلسة مجلس الأمن")  # gold key ["جلسه"] after normalisation
R2379 = ent("r1", "Resolution", "قرار مجلس الأمن رقم ٢٣٧٩")  # by number, Arabic-Indic digits
UNSC = ent("o1", "Organization", "مجلس الأمن الدولي")
ISIS = ent("o2", "Organization", "تنظيم داعش")

HAND_MADE = [
    triple(A0, MUNAIKH, "REPRESENTS", KUWAIT),  # correct
    triple(A0, MUNAIKH, "PARTICIPATED_IN", UNSC_SESSION),  # correct
    triple(A0, R2379, "ADOPTED_BY", UNSC),  # correct
    triple(A0, ISIS, "OPERATES_IN", ent("s9", "State", "أفغانستان")),  # wrong: not a state of this article
    triple(A0, ent("s1", "State", "الكويت"), "PARTICIPATED_IN", UNSC_SESSION),  # optional: not scored
    triple(A0, ent("p1", "Person", "المنيخ"), "MENTIONED_IN", ent("a0", "Article", A0)),  # unknown predicate
    {"article": A0, "entity": ent("o9", "Organization", "كونا")},  # optional entity
    {"article": A0, "entity": ent("x1", "Person", "فلان الفلاني")},  # extra entity
    {"article": A0, "entity": ent("s1", "Organization", "الكويت")},  # right entity, wrong type: extra
    {"article": A3, "entity": ent("s2", "State", "الكويت")},  # correct, but a second id for Kuwait
    {"article": "not_in_gold", "entity": ent("z", "State", "الكويت")},  # ignored
]


def core_counts(gold_data):
    arts = gold_data["articles"].values()
    return sum(len(a["triples"]) for a in arts), sum(len(a["entities"]) for a in arts)


def test_hand_made_predictions(tmp_path, gold_data):
    result = evaluate(GOLD, write_jsonl(tmp_path / "pred.jsonl", HAND_MADE))
    n_triples, n_entities = core_counts(gold_data)
    t = result.triples
    assert (t.tp, t.fp, t.fn) == (3, 1, n_triples - 3)
    assert (t.tp, t.fp, t.fn) == (3, 1, 79)
    per = result.per_predicate
    assert (per["REPRESENTS"].tp, per["PARTICIPATED_IN"].tp, per["ADOPTED_BY"].tp) == (1, 1, 1)
    assert per["OPERATES_IN"].fp == 1 and per["OPERATES_IN"].tp == 0
    assert "MENTIONED_IN" not in per
    e = result.entities
    # seen: munaikh, kuwait, the UNSC session, r2379, unsc, isis (000) and kuwait (003);
    # extra: أفغانستان, the Article node of MENTIONED_IN, فلان الفلاني, kuwait as an Organization.
    assert (e.tp, e.fp, e.fn) == (7, 4, n_entities - 7)
    extras = {(x.article, x.item) for x in result.errors if x.kind == "extra entity"}
    assert (A0, ("kuwait", "Organization")) in extras and (A0, ("فلان الفلاني", "Person")) in extras
    errors = {(x.article, x.kind, x.item) for x in result.errors}
    assert (A0, "extra", ("isis", "OPERATES_IN", "أفغانستان")) in errors
    # unsc and isis came out under one id each; kuwait under two (s1, s2)
    assert (result.merge.entities_in_several_articles, result.merge.under_one_id) == (11, 2)
    assert t.precision == 0.75 and t.recall == pytest.approx(3 / 82)
    report = format_report(result, show_errors=True)
    assert "triples: P=0.750" in report and "merge: 2/11" in report and "missed entity" in report


def test_normalisation():
    assert normalize_name("السفير  بدرُ المنيـخ") == "بدر المنيخ"
    assert normalize_name("صاحب السمو الشيخ نواف") == "نواف"
    assert normalize_name("«إعلان الكويت»") == "اعلان الكويت"
    assert normalize_name("المدينة المنوّرة، مصطفى") == "المدينه المنوره مصطفي"
    assert normalize_name("القرار ٢١٧٨ (2014)") == "القرار 2178 2014"


def _compare(ref, result: EvaluationResult, pred_path: Path, gold_types: dict[str, str]) -> None:
    records = list(ref.iter_predictions(str(pred_path)))
    expected, expected_errors = ref.score(ref.Gold(str(GOLD)), records)
    assert result.as_dict() == expected
    ours = sorted(str((e.article, e.kind, e.item)) for e in result.errors)
    theirs = sorted(
        str((a, k, (x, gold_types[x]) if k == "missed entity" else tuple(x))) for a, k, x in expected_errors
    )
    assert ours == theirs


def test_agrees_with_reference_on_hand_made(tmp_path, ref, gold_data):
    path = write_jsonl(tmp_path / "pred.jsonl", HAND_MADE)
    types = {i: e["type"] for i, e in gold_data["entities"].items()}
    _compare(ref, evaluate(GOLD, path), path, types)


# --- randomly perturbed predictions ----------------------------------------------------------------

HONORIFIC_PREFIXES = ["", "", "", "السفير ", "الشيخ ", "الدكتور ", "صاحب السمو ", "السيدة "]
NOISE_NAMES = [
    "فلان الفلاني", "وزارة الداخلية", "جنيف", "مجلس التعاون", "القرار 1373", "اجتماع تشاوري",
    "بيان مشترك", "تقرير الأمين العام", "منظمة الصحة", "الأمم", "الكويتي", "2019", "قمة عمان",
]  # fmt: skip
TYPES = ["Person", "State", "Organization", "Meeting", "Resolution", "Document", "Place", "Article"]
PREDICATES = [
    "REPRESENTS", "PARTICIPATED_IN", "HOSTED_BY", "CONVENED_BY", "CHAIRED_BY", "HELD_IN",
    "ADOPTED_BY", "ESTABLISHES", "ISSUED", "DISCUSSED", "CITES", "MEMBER_OF", "MENTIONED_IN",
]  # fmt: skip


def _vary(rng: random.Random, name: str) -> str:
    """A surface variant of `name` that the normalisation may or may not undo."""
    r = rng.random()
    if r < 0.15:
        name = name.replace("ا", "أ", 1)
    elif r < 0.25:
        name = name.replace("ي", "ى").replace("ه", "ة")
    elif r < 0.35:
        name = "«" + name + "»"
    elif r < 0.42:
        name = name[: len(name) // 2]  # truncated: usually no longer matches
    elif r < 0.5:
        name = name.replace(" ", "ـ ", 1) + "ُ"
    return rng.choice(HONORIFIC_PREFIXES) + name


def _surface(rng: random.Random, gid: str, g: dict) -> str:
    if g["type"] in ("Meeting", "Document") and g.get("keys") and rng.random() < 0.5:
        key = rng.choice(g["keys"])
        return " ".join([rng.choice(["اجتماع", "وثيقة", ""]), *key]).strip()
    if g["type"] == "Resolution" and rng.random() < 0.5:
        return f"القرار رقم {g['number']}"
    return _vary(rng, rng.choice([g["name"], *g.get("aliases", [])]))


def _predicted(rng, gid, g, ids, article, gold):
    etype = g["type"] if rng.random() < 0.85 else rng.choice(TYPES)
    eid = ids[gid] if rng.random() < 0.9 else f"{gid}-{article[:3]}"
    record = {"id": eid, "type": etype, "name": _surface(rng, gid, g)}
    a = gold["articles"][article]
    pool = a["entities"] + a.get("optional_entities", [])
    if rng.random() < 0.2:
        record["aliases"] = [_surface(rng, gid, g) for _ in range(rng.randint(1, 2))]
    if rng.random() < 0.15:  # also carries a form of another entity of the article (core or optional)
        other = rng.choice(pool)
        record.setdefault("aliases", []).append(_surface(rng, other, gold["entities"][other]))
    keyed = [x for x in pool if gold["entities"][x]["type"] == g["type"] and gold["entities"][x].get("keys")]
    if g.get("keys") and keyed and rng.random() < 0.3:  # blends the keys of two meetings or documents
        other = gold["entities"][rng.choice(keyed)]
        record["name"] += " " + " ".join(rng.choice(other["keys"]))
    if rng.random() < 0.05:  # aliases but no name
        record["name"] = rng.choice(["", None])
        record.setdefault("aliases", [_surface(rng, gid, g)])
    if rng.random() < 0.03:
        record.pop("id")
    return record


def _noise(rng):
    return {"id": f"n{rng.randrange(50)}", "type": rng.choice(TYPES), "name": rng.choice(NOISE_NAMES)}


def perturbed(rng: random.Random, gold: dict) -> list[dict]:
    entities = gold["entities"]
    ids = {gid: gid if rng.random() < 0.7 else f"q{i}" for i, gid in enumerate(entities)}
    out: list[dict] = []
    keep, swap = rng.uniform(0.2, 1.0), rng.uniform(0.0, 0.4)
    for art, a in gold["articles"].items():
        pool = a["entities"] + a.get("optional_entities", [])
        others = [gid for gid in entities if gid not in pool]
        for s, p, o in a["triples"] + a.get("optional_triples", []):
            if rng.random() > keep:
                continue
            r = rng.random()
            if r < swap:
                o = rng.choice(pool if rng.random() < 0.7 else others)  # object swapped
            elif r < swap + 0.05:
                s, o = o, s  # direction reversed
            elif r < swap + 0.1:
                p = rng.choice(PREDICATES)
            subj = _predicted(rng, s, entities[s], ids, art, gold)
            obj = _predicted(rng, o, entities[o], ids, art, gold) if rng.random() < 0.95 else _noise(rng)
            out.append(triple(art, subj, p, obj))
            if rng.random() < 0.1:
                out.append(dict(out[-1]))  # duplicate
        for _ in range(rng.randint(0, 6)):  # noise entities and triples
            if rng.random() < 0.5:
                out.append({"article": art, "entity": _noise(rng)})
            else:
                out.append(triple(art, _noise(rng), rng.choice(PREDICATES), _noise(rng)))
        for gid in rng.sample(pool, k=min(len(pool), rng.randint(0, 5))):
            out.append({"article": art, "entity": _predicted(rng, gid, entities[gid], ids, art, gold)})
        if rng.random() < 0.1:
            out.append({"article": art, "entity": {"id": "e", "type": "Person", "name": ""}})
            out.append({"article": art, "predicate": "REPRESENTS", "object": _noise(rng)})  # no subject
    out.append({"article": "not_in_gold", "entity": _noise(rng)})
    rng.shuffle(out)
    return out


def test_agrees_with_reference_on_perturbed_predictions(tmp_path, ref, gold_data):
    rng = random.Random(20240917)
    types = {i: e["type"] for i, e in gold_data["entities"].items()}
    seen_scores = set()
    for n in range(300):
        path = write_jsonl(tmp_path / f"p{n}.jsonl", perturbed(rng, gold_data))
        result = evaluate(GOLD, path)
        _compare(ref, result, path, types)
        seen_scores.add((result.triples.tp, result.triples.fp, result.entities.fp, result.merge.under_one_id))
    # the samples really differ, so an agreement on one shape of input does not pass for all
    assert len(seen_scores) > 200


# --- malformed input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, message",
    [
        ("{not json", "not JSON"),
        ("[1, 2]", "JSON object"),
        ('{"article": "x", "predicate": "CITES", "subject": "a string"}', "subject must be an object"),
        ('{"article": "x", "entity": null}', "'entity' must be an object"),
        ('{"article": "x", "entity": {"name": ["a"]}}', "name must be a string"),
    ],
)
def test_malformed_predictions_name_file_and_line(tmp_path, line, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(HAND_MADE[0], ensure_ascii=False) + "\n\n" + line + "\n", encoding="utf-8")
    with pytest.raises(EvaluationError, match=message) as info:
        evaluate(GOLD, path)
    assert f"{path}:3:" in str(info.value) and "\n" not in str(info.value)


def test_malformed_gold_names_file_and_line(tmp_path):
    bad = tmp_path / "gold.json"
    bad.write_text('{"entities": {\n "a": {"type": "State", "name": "x"},\n "b": {"type": "State"}\n},'
                   ' "articles": {}}', encoding="utf-8")  # fmt: skip
    with pytest.raises(EvaluationError, match=r"gold\.json:3: gold entity 'b'"):
        evaluate(bad, tmp_path / "missing.jsonl")
    bad.write_text('{"entities": {}, "articles": {"art": {"entities": ["ghost"]}}}', encoding="utf-8")
    with pytest.raises(EvaluationError, match="unknown entity id 'ghost'"):
        evaluate(bad, tmp_path / "missing.jsonl")
    bad.write_text("{\n\n oops", encoding="utf-8")
    with pytest.raises(EvaluationError, match=r"gold\.json:3: not JSON"):
        evaluate(bad, tmp_path / "missing.jsonl")
    with pytest.raises(EvaluationError, match="missing.jsonl"):
        evaluate(GOLD, tmp_path / "missing.jsonl")
