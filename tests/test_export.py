"""The three writers (JSON Lines, RDF, HTML) over a small hand-built graph with hostile strings."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kg.export.html import PHYSICS_LIMIT, SHORT_LABEL_CHARS, short_label, write_html
from kg.export.jsonl import write_jsonl
from kg.graph import KnowledgeGraph
from kg.model import Article, Entity, Evidence, Extraction, Triple
from kg.viz import Limits

HOSTILE_NAME = "x'}) DETACH DELETE n //"
HOSTILE_ALIAS = "<img src=x onerror=alert(1)>"
HOSTILE_SENTENCE = 'وقال المتحدث """ إن\nالقرار > <script>alert(1)</script> \u200fنافذ 😀 \ud800 انتهى.'
CLEAN_SENTENCE = HOSTILE_SENTENCE.replace("\ud800", "\ufffd")
ROLE = "المندوب الدائم"
ROLE_HOSTILE = "<b>سفير</b> & مبعوث"

TEXT_1 = ("نيويورك - أكد المندوب الدائم لدولة الكويت لدى الأمم المتحدة منصور العتيبي أمس دعم بلاده. "
          "وكان مجلس الأمن قد اعتمد القرار 2401 (2018) بالإجماع.")
TEXT_2 = "أعلن العتيبي بصفته المندوب الدائم للكويت موقف بلاده. " + HOSTILE_SENTENCE


def _ev(article: Article, sentence: str, rule: str, confidence: float) -> Evidence:
    start = article.text.index(sentence)
    return Evidence(article.id, sentence, start, start + len(sentence), rule, confidence)


def _entities() -> dict[str, Entity]:
    return {
        "person:منصور_العتيبي": Entity("person:منصور_العتيبي", "Person", "منصور العتيبي", {"العتيبي"}),
        "Q817": Entity("Q817", "State", "الكويت", {"دولة الكويت"}, wikidata="Q817"),
        "Q1065": Entity("Q1065", "Organization", "الأمم المتحدة", wikidata="Q1065"),
        "Q37470": Entity("Q37470", "Organization", "مجلس الأمن", wikidata="Q37470"),
        "resolution:2401": Entity("resolution:2401", "Resolution", "القرار 2401 (2018)",
                                  attrs={"number": "2401", "year": "2018"}),
        HOSTILE_NAME: Entity(HOSTILE_NAME, "Organization", HOSTILE_NAME, {HOSTILE_ALIAS}),
    }


def extractions() -> list[Extraction]:
    ents = _entities()
    a1 = Article("001_test", TEXT_1, title='عنوان "مقتبس"', date="2024-03-05",
                 url="https://example.org/a?x=1&y=<2>", source="كونا")
    a2 = Article("002_test", TEXT_2, title="", date=None, url="https://example.org/news/2", source=None)
    s1, s2 = TEXT_1.split(". ")
    s1 += "."
    first = TEXT_2.split(". ")[0] + "."
    x1 = Extraction(a1, {k: ents[k] for k in ("person:منصور_العتيبي", "Q817", "Q1065", "Q37470",
                                               "resolution:2401")}, [
        Triple("person:منصور_العتيبي", "REPRESENTS", "Q817", _ev(a1, s1, "title-of-state", 0.9),
               (("date", "2024-03-05"), ("role", ROLE))),  # as the extractor dates REPRESENTS
        Triple("resolution:2401", "ADOPTED_BY", "Q37470", _ev(a1, s2, "adopted", 0.85)),
    ])
    x2 = Extraction(a2, {k: ents[k] for k in ("person:منصور_العتيبي", "Q817", "Q1065", HOSTILE_NAME)}, [
        Triple("person:منصور_العتيبي", "REPRESENTS", "Q817", _ev(a2, first, "title-of-state", 0.8),
               (("role", ROLE),)),
        Triple("person:منصور_العتيبي", "REPRESENTS", "Q817", _ev(a2, first, "title-of-state", 0.7),
               (("role", ROLE_HOSTILE),)),
        Triple(HOSTILE_NAME, "MEMBER_OF", "Q1065", _ev(a2, HOSTILE_SENTENCE, "member", 0.5)),
    ])
    return [x1, x2]


def build(reverse: bool = False) -> KnowledgeGraph:
    kg = KnowledgeGraph()
    xs = extractions()
    kg.extend(reversed(xs) if reverse else xs)
    return kg


N_EVIDENCE = 5  # REPRESENTS|ROLE x2, REPRESENTS|ROLE_HOSTILE, ADOPTED_BY, MEMBER_OF
N_MENTIONS = 5 + 4


@pytest.fixture()
def kg() -> KnowledgeGraph:
    return build()


# -- JSON Lines ---------------------------------------------------------------------------------


def test_jsonl_lines_parse_and_round_trip(kg: KnowledgeGraph, tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    write_jsonl(kg, path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == N_EVIDENCE + N_MENTIONS + 2
    records = [json.loads(line) for line in lines]
    triples = [r for r in records if "predicate" in r]
    mentions = [r for r in records if "entity" in r]
    assert len(triples) == N_EVIDENCE and len(mentions) == N_MENTIONS
    assert [r for r in records if "meta" in r] == [
        {"article": "001_test", "meta": {"title": 'عنوان "مقتبس"', "date": "2024-03-05",
                                         "url": "https://example.org/a?x=1&y=<2>", "source": "كونا"}},
        {"article": "002_test", "meta": {"title": "", "date": "", "url": "https://example.org/news/2", "source": ""}}]
    fields = {"article", "subject", "predicate", "object", "properties", "evidence"}
    assert all(set(r) - {"edge_properties"} == fields for r in triples)
    assert not any(r["predicate"] == "MENTIONED_IN" for r in triples)

    reps = [r for r in triples if r["predicate"] == "REPRESENTS"]
    assert {(r["article"], r["properties"].get("role"), r["properties"].get("date")) for r in reps} == {
        ("001_test", ROLE, "2024-03-05"), ("002_test", ROLE, None), ("002_test", ROLE_HOSTILE, None)}
    rep = next(r for r in reps if r["article"] == "001_test")
    assert rep["subject"] == {"id": "person:منصور_العتيبي", "type": "Person", "name": "منصور العتيبي",
                              "aliases": ["العتيبي"]}
    assert rep["object"]["aliases"] == ["دولة الكويت"]
    assert TEXT_1[rep["evidence"]["start"]:rep["evidence"]["end"]] == rep["evidence"]["text"]
    assert rep["evidence"]["rule"] == "title-of-state" and rep["evidence"]["confidence"] == 0.9

    member = next(r for r in triples if r["predicate"] == "MEMBER_OF")
    assert member["subject"]["name"] == HOSTILE_NAME
    assert member["subject"]["aliases"] == [HOSTILE_ALIAS]
    assert member["evidence"]["text"] == CLEAN_SENTENCE  # lone surrogate -> U+FFFD, same length
    assert member["evidence"]["end"] - member["evidence"]["start"] == len(CLEAN_SENTENCE)

    assert {(r["article"], r["entity"]["id"]) for r in mentions} == {
        *(("001_test", e) for e in ("person:منصور_العتيبي", "Q817", "Q1065", "Q37470", "resolution:2401")),
        *(("002_test", e) for e in ("person:منصور_العتيبي", "Q817", "Q1065", HOSTILE_NAME))}
    assert all(set(r["entity"]) - {"wikidata", "attrs"} == {"id", "type", "name", "aliases", "facts"}
               for r in mentions)
    resolution = next(r["entity"] for r in mentions if r["entity"]["id"] == "resolution:2401")
    assert resolution["attrs"] == {"number": "2401", "year": "2018"} and "wikidata" not in resolution
    facts = {r["entity"]["id"]: r["entity"]["facts"] for r in mentions}
    assert facts == {"person:منصور_العتيبي": 2, "Q817": 2, "Q1065": 1, "Q37470": 1, "resolution:2401": 1,
                     HOSTILE_NAME: 1}


def test_jsonl_is_byte_identical(tmp_path: Path) -> None:
    write_jsonl(build(), tmp_path / "a.jsonl")
    write_jsonl(build(), tmp_path / "b.jsonl")
    write_jsonl(build(reverse=True), tmp_path / "c.jsonl")
    a = (tmp_path / "a.jsonl").read_bytes()
    assert a == (tmp_path / "b.jsonl").read_bytes() == (tmp_path / "c.jsonl").read_bytes()
    assert "منصور".encode() in a  # ensure_ascii=False
    assert all(line == json.dumps(json.loads(line), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
               for line in a.decode("utf-8").splitlines())


# -- HTML ---------------------------------------------------------------------------------------

EXTERNAL_REF = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)


def test_html_is_offline_and_escaped(kg: KnowledgeGraph, tmp_path: Path) -> None:
    path = tmp_path / "graph.html"
    write_html(kg, path, title="<script>alert('t')</script>")
    page = path.read_text(encoding="utf-8")
    assert not EXTERNAL_REF.search(page)
    assert not re.search(r"<script[^>]*\ssrc\s*=", page, re.IGNORECASE)
    assert not re.search(r"<link\b", page, re.IGNORECASE)
    assert "vis.Network" in page  # vis-network is inlined
    for raw in ("<script>alert(1)</script>", HOSTILE_ALIAS, "<script>alert('t')</script>", "<b>سفير</b>"):
        assert raw not in page
    assert "&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt;" in page  # the title, escaped
    # Data strings are html-escaped, then JSON-escaped so no '<' or '&' survives in the script.
    assert "\\u0026lt;script\\u0026gt;alert(1)\\u0026lt;/script\\u0026gt;" in page
    assert "\\u0026lt;img src=x onerror=alert(1)\\u0026gt;" in page
    assert "\ud800" not in page and "\ufffd" in page
    n_entities = len(list(kg.entities()))
    n_relations = len(list(kg.relations()))
    assert f'data-node-count="{n_entities}"' in page
    assert f'data-edge-count="{n_relations}"' in page
    assert f'"counts":{{"edges":{n_relations},"nodes":{n_entities}}}' in page
    for entity_type in ("Person", "State", "Organization", "Resolution"):
        assert f'data-type="{entity_type}"' in page
    assert '"physics":true' in page and "stabilizationIterationsDone" in page
    facts = sorted(int(k) for k in re.findall(r'"kgFacts":(\d+)', page))
    assert facts == sorted(kg.facts(node) for node, _ in kg.entities())  # the page can leave out bare names
    second = tmp_path / "again.html"
    write_html(build(reverse=True), second, title="<script>alert('t')</script>")
    assert second.read_bytes() == path.read_bytes()


def test_html_large_graph_uses_fixed_layout(tmp_path: Path) -> None:
    article = Article("big", "نص")
    ents = {f"e{i}": Entity(f"e{i}", "Place", f"مكان {i}") for i in range(PHYSICS_LIMIT + 1)}
    ev = Evidence("big", "نص", 0, 2, "r", 1.0)
    triples = [Triple(f"e{i}", "LOCATED_IN", f"e{i + 1}", ev) for i in range(PHYSICS_LIMIT)]
    kg = KnowledgeGraph()
    kg.add(Extraction(article, ents, triples))
    path = tmp_path / "big.html"
    write_html(kg, path, limits=Limits(max_nodes=0))
    page = path.read_text(encoding="utf-8")
    data = json.loads(re.search(r"var DATA = (\{.*?\});\n", page).group(1))
    assert data["physics"] is False and data["options"]["physics"]["enabled"] is False
    assert len(data["nodes"]) == PHYSICS_LIMIT + 1 and len(data["edges"]) == PHYSICS_LIMIT
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) and n["physics"] is False
               for n in data["nodes"])


def test_short_labels_cut_at_a_word() -> None:
    assert short_label("الكويت") == "الكويت"
    long = "الاجتماع الوزاري الخليجي الأمريكي المشترك لمكافحة الإرهاب"
    cut = short_label(long)
    assert cut.endswith("…") and len(cut) <= SHORT_LABEL_CHARS + 1 and long.startswith(cut[:-1])
    assert cut == "الاجتماع الوزاري الخليجي…"  # cut at a word, keeping the last word that fits whole
    assert short_label("x" * 40) == "x" * SHORT_LABEL_CHARS + "…"  # one long word is cut inside it
