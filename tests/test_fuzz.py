"""Fuzzing the loaders and the extractor with generated JSON Lines, text and HTML files (hypothesis).

Each example is a folder of generated files, read by the loaders and built into a graph, and the three
properties hold: nothing raises; every file, and every non-blank JSON line, is read or reported (and every
item the loaders yield is merged or skipped by the build); the outputs parse in rdflib and Oxigraph.
Derandomized, so a run is reproducible and CI sees the same examples; bounded by ``max_examples`` so that
the whole module runs in well under 2 minutes.
"""

from __future__ import annotations

import codecs
import json
import tempfile
from pathlib import Path

import pyoxigraph as ox
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph

from kg.gazetteer import load_gazetteer
from kg.model import Article, Skipped
from kg.pipeline import build_graph, write_outputs
from loaders import iter_articles

FUZZ = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# words the extractor acts on (titles, names, states, bodies, meeting nouns), so that generated text reaches
# its rules, mixed with any characters at all
WORDS = ["قال", "وزير", "الخارجية", "القطري", "محمد", "بن", "عبدالرحمن", "الأمين", "العام", "للأمم", "المتحدة",
         "أنطونيو", "غوتيريش", "مجلس", "الأمن", "القرار", "2254", "لعام", "2015", "اجتماع", "القمة", "في", "الرياض",
         "داعش", "تنظيم", "الإرهابي", "استقبل", "الرئيس", "التونسي", "وفدا", "من", "جامعة", "الدول", "العربية", "غدا",
         "أمس", "«", "»", ".", "،", "\n", "؟", ":", "-", "<", ">", "&", '"', "\\", "'", "\x00", "\x1b", "\u202e", "\ufeff"]
ANY_CHAR = st.characters(blacklist_categories=())  # surrogates and controls included
TEXT = st.lists(st.one_of(st.sampled_from(WORDS), st.text(ANY_CHAR, max_size=6)), max_size=60).map(" ".join)
JSON_VALUE = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
                          lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
                          max_leaves=6)
RECORD = st.fixed_dictionaries({"text": TEXT | JSON_VALUE},
                               optional={"id": TEXT | st.integers() | JSON_VALUE, "title": TEXT | JSON_VALUE,
                                         "date": st.sampled_from(["2020-01-02", "9999-12-31", "0000-00-00", "x"])
                                         | JSON_VALUE, "url": TEXT, "source": TEXT})
CODECS = st.sampled_from(["utf-8", "utf-8-sig", "cp1256", "utf-16", "utf-16-le"])


def _encode(text: str, codec: str) -> bytes:
    return text.encode(codec, errors="surrogatepass" if codec.startswith("utf") else "replace")


JSONL_LINE = st.one_of(RECORD.map(lambda r: json.dumps(r, ensure_ascii=False).encode("utf-8", "surrogatepass")),
                       RECORD.map(lambda r: json.dumps(r).encode("ascii")), st.binary(max_size=40),
                       TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")), st.just(b""))
JSONL_FILE = st.lists(JSONL_LINE, max_size=8).map(b"\n".join)
TXT_FILE = st.one_of(st.tuples(TEXT, CODECS).map(lambda p: _encode(*p)), st.binary(max_size=200))
HTML_FILE = st.tuples(TEXT, TEXT, CODECS).map(lambda p: _encode(
    f"<html><head><title>{p[0]}</title></head><body><article><p>{p[1]}</p><p>{p[0]}</p></article></body></html>",
    p[2]))

GAZ = load_gazetteer()


def _items_of(path: Path, items: list[Article | Skipped]) -> list[Article | Skipped]:
    name = str(path)
    return [i for i in items if i.path == name or i.path.startswith(name + ":")]


def _check(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory(prefix="kg-fuzz-") as tmp:
        folder = Path(tmp, "in")
        folder.mkdir()
        for name, data in files.items():
            (folder / name).write_bytes(data)
        items = list(iter_articles([folder]))  # raises nothing
        for name, data in files.items():
            mine = _items_of(folder / name, items)
            assert mine, f"{name} was neither read nor reported"
            if name.endswith(".jsonl") and not any(i.path == str(folder / name) for i in mine):
                lines = [raw for raw in data.removeprefix(codecs.BOM_UTF8).split(b"\n")
                         if raw.decode("utf-8", "replace").strip()]
                assert len(mine) == len(lines), (name, mine, lines)
        graph, report = build_graph([folder], GAZ)
        assert report.articles + len(report.skipped) == len(items)
        outputs = write_outputs(graph, Path(tmp, "out"))
        for line in outputs["triples"].read_text(encoding="utf-8").splitlines():
            json.loads(line)
        rdflib_count = len(Graph().parse(outputs["turtle"], format="turtle"))
        store = ox.Store()
        store.bulk_load(path=str(outputs["turtle"]), format=ox.RdfFormat.TURTLE)
        assert len(store) == rdflib_count


@FUZZ
@given(st.lists(JSONL_FILE, min_size=1, max_size=3))
def test_fuzz_jsonl(contents: list[bytes]) -> None:
    _check({f"f{i}.jsonl": data for i, data in enumerate(contents)})


@FUZZ
@given(st.lists(TXT_FILE, min_size=1, max_size=3))
def test_fuzz_text(contents: list[bytes]) -> None:
    _check({f"f{i}.txt": data for i, data in enumerate(contents)})


@FUZZ
@given(st.lists(HTML_FILE, min_size=1, max_size=2))
def test_fuzz_html(contents: list[bytes]) -> None:
    _check({f"f{i}.html": data for i, data in enumerate(contents)})
