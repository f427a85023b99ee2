"""Loaders: encodings, offsets, folders, JSON Lines, HTML, bad files and page furniture.

Every input is a short snippet written here, not corpus or seed text (except the seed-loading test,
which reads the repository's own seeds/ folder).
"""

from __future__ import annotations

import codecs
import gzip
import json
import random
from dataclasses import replace
from pathlib import Path

import pytest

from kg.errors import GazetteerError
from kg.model import Article, Skipped
from loaders import iter_articles
from loaders.encoding import detect_encoding
from loaders.furniture import find_furniture, in_furniture, load_patterns

REPO = Path(__file__).resolve().parents[1]

TITLE = "وزير الخارجية يلتقي نظيره في عمّان"
BODY = (
    "بحث الوزيران سبل تعزيز التعاون الثنائي، وأكدا أهمية التنسيق المشترك.\n"
    "وقال الوزير إن المحادثات كانت مثمرة."
)
SAMPLE = f"{TITLE}\n\n{BODY}\n"
WORD = "التنسيق"


def load(*paths, **kw) -> list[Article | Skipped]:
    return list(iter_articles(list(paths), **kw))


def only_article(items) -> Article:
    assert len(items) == 1 and isinstance(items[0], Article), items
    return items[0]


def only_skipped(items, path: Path) -> Skipped:
    assert len(items) == 1 and isinstance(items[0], Skipped), items
    skipped = items[0]
    assert str(path) in skipped.path
    assert skipped.reason and "\n" not in skipped.reason
    return skipped


# --- encodings ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        SAMPLE.encode("utf-8"),
        codecs.BOM_UTF8 + SAMPLE.encode("utf-8"),
        codecs.BOM_UTF16_LE + SAMPLE.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"),
        SAMPLE.encode("cp1256"),
    ],
    ids=["utf8", "utf8-bom", "utf16le", "utf16be", "cp1256"],
)
def test_txt_encodings_decode_exactly(tmp_path, raw):
    path = tmp_path / "news-1.txt"
    path.write_bytes(raw)
    art = only_article(load(path))
    assert art.text == SAMPLE
    assert not art.text.startswith("\ufeff")
    assert art.id == "news-1" and art.title == TITLE and art.date is None
    assert art.path == str(path)
    start = art.text.index(WORD)
    assert art.text[start : start + len(WORD)] == WORD
    assert start == SAMPLE.index(WORD)


def test_cp1256_is_detected_not_guessed():
    assert detect_encoding(SAMPLE.encode("cp1256")) == "cp1256"
    assert detect_encoding("كلمة".encode("cp1256")) == "cp1256"
    assert detect_encoding(SAMPLE.encode("utf-8")) == "utf-8"


def test_crlf_is_preserved_and_offsets_count_it(tmp_path):
    text = SAMPLE.replace("\n", "\r\n")
    path = tmp_path / "crlf.txt"
    path.write_bytes(text.encode("utf-8"))
    art = only_article(load(path))
    assert art.text == text and "\r\n" in art.text
    start = text.index(WORD)
    assert art.text[start : start + len(WORD)] == WORD
    assert art.title == TITLE


def test_folder_recursion_and_order(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "z").mkdir(parents=True)
    (tmp_path / ".hidden").mkdir()
    for rel in ["b/2.txt", "a/z/1.txt", "a/3.txt", "0.txt", ".hidden/x.txt", ".notes.txt"]:
        (tmp_path / rel).write_text(f"{TITLE} {rel}\n{BODY}", encoding="utf-8")
    (tmp_path / "a" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")  # obviously not an article: ignored
    (tmp_path / "README.md").write_text("notes", encoding="utf-8")
    items = load(tmp_path)
    expected = ["0.txt", "a/3.txt", "a/z/1.txt", "b/2.txt"]
    assert [a.path for a in items] == [str(tmp_path / p) for p in expected]
    assert all(isinstance(a, Article) for a in items)
    assert [a.id for a in items] == ["0", "3", "1", "2"]


def test_unknown_suffix_is_skipped_explicitly_and_in_folders(tmp_path):
    doc = tmp_path / "report.docx"
    doc.write_bytes(b"PK\x03\x04 not really")
    only_skipped(load(doc), doc)
    good = tmp_path / "ok.txt"
    good.write_text(SAMPLE, encoding="utf-8")
    items = load(tmp_path)
    assert [type(i).__name__ for i in items] == ["Article", "Skipped"]
    missing = tmp_path / "nope.txt"
    only_skipped(load(missing), missing)


def test_single_path_string_is_accepted(tmp_path):
    path = tmp_path / "one.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    assert only_article(list(iter_articles(str(path)))).id == "one"


# --- bad files -----------------------------------------------------------------------------------


def _bad_files(tmp_path: Path) -> dict[str, Path]:
    rng = random.Random(7)
    files = {
        "empty": b"",
        "binary": b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(2000)),
        "nul": "نص".encode() + b"\x00\x00\x01\x02" * 50,
        "undecodable": b"abc " + bytes(range(0x80, 0x100)) * 4,
        "broken_utf8": SAMPLE.encode("utf-8")[:-20] + b"\xff\xfe\xfa" + SAMPLE.encode("utf-8"),
    }
    paths = {}
    for name, raw in files.items():
        paths[name] = tmp_path / f"{name}.txt"
        paths[name].write_bytes(raw)
    return paths


@pytest.mark.parametrize("kind", ["empty", "binary", "nul", "undecodable", "broken_utf8"])
def test_bad_file_gives_one_skipped(tmp_path, kind):
    path = _bad_files(tmp_path)[kind]
    only_skipped(load(path), path)


def test_bad_files_do_not_stop_the_run(tmp_path):
    paths = _bad_files(tmp_path)
    (tmp_path / "zz_good.txt").write_text(SAMPLE, encoding="utf-8")
    items = load(tmp_path)
    skipped = [i for i in items if isinstance(i, Skipped)]
    assert sorted(s.path for s in skipped) == sorted(str(p) for p in paths.values())
    assert all(s.reason and "\n" not in s.reason for s in skipped)
    assert [i.id for i in items if isinstance(i, Article)] == ["zz_good"]
    reasons = {Path(s.path).stem: s.reason for s in skipped}
    assert "empty" in reasons["empty"] and "PNG" in reasons["binary"] and "NUL" in reasons["nul"]
    assert "UTF-8" in reasons["broken_utf8"]


def test_oversize_file(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text(SAMPLE * 20, encoding="utf-8")
    small = tmp_path / "small.txt"
    small.write_text(SAMPLE, encoding="utf-8")
    items = load(big, small, max_bytes=1000)
    assert isinstance(items[0], Skipped) and items[0].path == str(big) and "too large" in items[0].reason
    assert isinstance(items[1], Article) and items[1].id == "small"
    assert len(items) == 2


# --- JSON Lines ----------------------------------------------------------------------------------


def _records(n: int) -> list[dict]:
    return [
        {"id": f"r{i}", "title": f"{TITLE} {i}", "text": f"{BODY} {i}", "date": "2019-09-25",
         "url": f"https://example.org/{i}", "source": "مثال"}
        for i in range(n)
    ]  # fmt: skip


def _jsonl_lines(bad: str) -> list[str]:
    lines = [json.dumps(r, ensure_ascii=False) for r in _records(4)]
    return [*lines[:2], bad, *lines[2:]]


BAD_LINES = ['{"id": "x", "title": "t"', '{"id": "x", "text": ""}', "[1, 2]", '{"id": "x"}', "\x00\x01"]


@pytest.mark.parametrize("bad", BAD_LINES)
@pytest.mark.parametrize("gz", [False, True], ids=["jsonl", "jsonl.gz"])
def test_jsonl_bad_line_in_the_middle(tmp_path, bad, gz):
    data = "\n".join(_jsonl_lines(bad)).encode("utf-8") + b"\n"
    path = tmp_path / ("corpus.jsonl.gz" if gz else "corpus.jsonl")
    path.write_bytes(gzip.compress(data) if gz else data)
    items = load(path)
    assert [type(i).__name__ for i in items] == ["Article", "Article", "Skipped", "Article", "Article"]
    assert items[2].path == f"{path}:3" and "\n" not in items[2].reason
    arts = [i for i in items if isinstance(i, Article)]
    assert [a.id for a in arts] == ["r0", "r1", "r2", "r3"]
    first = arts[0]
    assert first.text == f"{BODY} 0" and first.title == f"{TITLE} 0"
    assert first.date == "2019-09-25" and first.url == "https://example.org/0" and first.source == "مثال"


def test_jsonl_cp1256_and_utf16(tmp_path):
    text = "\n".join(json.dumps(r, ensure_ascii=False) for r in _records(3)) + "\n"
    legacy = tmp_path / "a.jsonl"
    legacy.write_bytes(text.encode("cp1256"))
    wide = tmp_path / "b.jsonl"
    wide.write_bytes(codecs.BOM_UTF16_LE + text.replace("\n", "\r\n").encode("utf-16-le"))
    items = load(legacy, wide)
    assert [i.id for i in items] == ["r0", "r1", "r2"] * 2
    assert all(isinstance(i, Article) and i.text.startswith(BODY) for i in items)


def test_truncated_gzip_keeps_what_was_read(tmp_path):
    lines = [json.dumps(r, ensure_ascii=False) for r in _records(300)]
    blob = gzip.compress(("\n".join(lines) + "\n").encode("utf-8"))
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(blob[: len(blob) * 2 // 3])
    after = tmp_path / "next.txt"
    after.write_text(SAMPLE, encoding="utf-8")
    items = load(path, after)
    arts = [i for i in items[:-1] if isinstance(i, Article)]
    skipped = [i for i in items if isinstance(i, Skipped)]
    assert 0 < len(arts) < 300
    assert [a.id for a in arts] == [f"r{i}" for i in range(len(arts))]
    assert len(skipped) == 1 and skipped[0].path == str(path)
    assert "truncated gzip" in skipped[0].reason and "\n" not in skipped[0].reason
    assert isinstance(items[-1], Article) and items[-1].id == "next"


def test_not_gzip_and_empty_jsonl(tmp_path):
    fake = tmp_path / "fake.jsonl.gz"
    fake.write_bytes(b"plain text, not gzip\n")
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    items = load(fake, empty)
    assert [type(i).__name__ for i in items] == ["Skipped", "Skipped"]
    assert items[0].path == str(fake) and "gzip" in items[0].reason
    assert items[1].path == str(empty) and "empty" in items[1].reason


# --- HTML ----------------------------------------------------------------------------------------

HTML = """<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="{charset}">
<title>{title}</title>
<meta property="article:published_time" content="2021-03-14T09:00:00+03:00">
</head><body>
<nav><ul><li><a href="/">الرئيسية</a></li><li><a href="/sport">رياضة</a></li>
<li><a href="/eco">قائمة التصفح العلوية</a></li></ul></nav>
<article><h1>{title}</h1>
<p>{p1}</p>
<p>{p2}</p>
<p>{p3}</p>
</article>
<footer><p>جميع الحقوق محفوظة لموقع المثال الإخباري</p><a href="/privacy">روابط التذييل</a></footer>
</body></html>"""

P1 = (
    "عقد وزراء خارجية الدول الأعضاء اجتماعا تشاوريا في العاصمة لبحث المستجدات الإقليمية"
    " ومتابعة تنفيذ الاتفاقات السابقة."
)
P2 = (
    "وأكد البيان الختامي ضرورة تعزيز العمل المشترك لمواجهة التحديات الأمنية والاقتصادية"
    " في المنطقة خلال المرحلة المقبلة."
)
P3 = "واتفق المجتمعون على عقد الاجتماع القادم في موعد يحدد لاحقا بالتنسيق بين الأمانة العامة والدول الأعضاء."


@pytest.mark.parametrize("encoding", ["utf-8", "cp1256"])
def test_html_main_text_via_trafilatura(tmp_path, encoding):
    charset = "windows-1256" if encoding == "cp1256" else "utf-8"
    page = HTML.format(charset=charset, title=TITLE, p1=P1, p2=P2, p3=P3)
    path = tmp_path / "page-7.html"
    path.write_bytes(page.encode(encoding))
    art = only_article(load(path))
    assert art.id == "page-7"
    assert P1 in art.text and P2 in art.text and P3 in art.text
    assert "قائمة التصفح العلوية" not in art.text and "روابط التذييل" not in art.text
    assert "جميع الحقوق محفوظة" not in art.text
    assert art.title == TITLE
    assert art.date == "2021-03-14"


def test_html_without_text_is_skipped(tmp_path):
    path = tmp_path / "blank.htm"
    path.write_text("<html><head><title>عنوان</title></head><body><div></div></body></html>", "utf-8")
    only_skipped(load(path), path)


# --- page furniture ------------------------------------------------------------------------------

FURNITURE_TEXT = (
    "رئيس التحرير\n\nمحمود عبد الكريم السالم\n"
    "1 يناير 1970 07:12 ص\n"
    "عقد المجلس اجتماعه الدوري في 1 يناير 2019 برئاسة وزير الخارجية.\n"
    "نشر في 5 مارس 2021 | آخر تحديث 1970-01-01 00:00\n"
    "يستخدم هذا الموقع ملفات تعريف الارتباط لتحسين تجربتك، وباستمرارك في التصفح فإنك توافق على ذلك.\n"
    "أوافق\n"
    "لاتوجد تعليقات\n"
    "أضف تعليقك\n"
    "اعداد: قسم الأخبار 0 تعليق\n"
    "تاريخ النشر: 1970-01-01\n"
)


def _covered(text: str, phrase: str, spans) -> bool:
    start = text.index(phrase)
    return in_furniture(spans, start, start + len(phrase))


def test_furniture_spans():
    spans = find_furniture(FURNITURE_TEXT)
    t = FURNITURE_TEXT
    for phrase in [
        "رئيس التحرير",
        "محمود عبد الكريم السالم",
        "1 يناير 1970 07:12 ص",
        "يستخدم هذا الموقع ملفات تعريف الارتباط لتحسين تجربتك، وباستمرارك في التصفح فإنك توافق على ذلك.",
        "أوافق",
        "لاتوجد تعليقات",
        "أضف تعليقك",
        "اعداد: قسم الأخبار 0 تعليق",
        "1970-01-01",
    ]:
        assert _covered(t, phrase, spans), phrase
    sentence = "عقد المجلس اجتماعه الدوري في 1 يناير 2019 برئاسة وزير الخارجية."
    start = t.index(sentence)
    assert not any(s.start < start + len(sentence) and start < s.end for s in spans)
    assert not _covered(t, "5 مارس 2021", spans)
    assert all(0 <= s.start < s.end <= len(t) for s in spans)
    assert list(spans) == sorted(spans, key=lambda s: s.start)


def test_furniture_offsets_survive_crlf_and_loading(tmp_path):
    text = FURNITURE_TEXT.replace("\n", "\r\n")
    path = tmp_path / "f.txt"
    path.write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    art = only_article(load(path))
    assert art.text == text
    assert _covered(art.text, "محمود عبد الكريم السالم", art.furniture)
    assert not any("\r" in art.text[s.start : s.end] for s in art.furniture)
    # the title skips furniture lines and the placeholder-date line
    assert art.title == "عقد المجلس اجتماعه الدوري في 1 يناير 2019 برئاسة وزير الخارجية."


def test_editor_next_line_is_not_a_paragraph():
    text = "رئيس التحرير\n" + "عقد وزراء الخارجية اجتماعا موسعا لبحث التطورات " * 3 + "\n"
    spans = find_furniture(text)
    assert [text[s.start : s.end] for s in spans] == ["رئيس التحرير"]


def test_bad_pattern_file_names_itself(tmp_path):
    bad = tmp_path / "furniture.json"
    bad.write_text('{"patterns": [{"name": "x", "regex": "(", "scope": "line"}]}', encoding="utf-8")
    with pytest.raises(GazetteerError, match="furniture.json"):
        load_patterns(bad)


FURNITURE_EXAMPLES = [
    "We use cookies to improve this site", "Cookie Policy", "سياسة الخصوصية", "Privacy Statement", "OK",
    "اوافق", "رفض", "Accept", "لا توجد تعليقات", "شارك برأيك", "إلغاء الرد", "التعليقات (3)", "12 تعليقات",
    "رئيسة التحرير", "المحرر المسؤول", "رئيس مجلس الادارة", "نائب رئيس التحرير: فلان", "بقلم: فلان",
    "ترجمة: فلان", "شارك الخبر | طباعة | أرسل لصديق", "تابعونا على فيس بوك", "Share | Tweet | E-mail",
    "واتس اب", "إنستغرام", "X", "اشتركوا الآن في النشرة", "Subscribe now", "Newsletter",
    "١ كانون الثاني ١٩٧٠", "1/1/1970 12:00 AM", "1970-01-01T00:00:00Z",
]


@pytest.mark.parametrize("example", FURNITURE_EXAMPLES)
def test_furniture_requires_lets_every_match_through(example):
    """The `requires` pre-check only saves time: with it, every pattern finds what it finds without it."""
    patterns = load_patterns()
    bare = tuple(replace(p, requires=()) for p in patterns)
    text = f"عقد المجلس اجتماعه.\n{example}\nوقال الوزير إن الاجتماع ناجح.\n"
    spans = find_furniture(text, bare)
    assert spans, f"no packaged pattern matches {example!r}"
    assert find_furniture(text, patterns) == spans


def test_furniture_requires_skips_texts_without_them(tmp_path):
    path = tmp_path / "furniture.json"
    path.write_text('{"patterns": [{"name": "x", "regex": "foo", "scope": "match", "flags": ["IGNORECASE"], '
                    '"requires": ["BAR"]}]}', encoding="utf-8")
    patterns = load_patterns(path)
    assert find_furniture("foo", patterns) == ()
    assert [s.label for s in find_furniture("FOO bar", patterns)] == ["x"]
    path.write_text('{"patterns": [{"name": "x", "regex": "foo", "scope": "match", "requires": "bar"}]}',
                    encoding="utf-8")
    with pytest.raises(GazetteerError, match="requires"):
        load_patterns(path)


# --- the repository's seeds ----------------------------------------------------------------------


def test_real_seeds_load_exactly():
    seeds = REPO / "seeds"
    files = sorted(seeds.glob("*.txt"))
    items = load(seeds)
    assert len(files) == 5 and len(items) == 5
    assert all(isinstance(a, Article) for a in items)
    assert [a.id for a in items] == [f.stem for f in files]
    for art, f in zip(items, files, strict=True):
        assert art.text == f.read_bytes().decode("utf-8")
        assert art.title and art.path == str(f)
        for span in art.furniture:
            assert 0 <= span.start < span.end <= len(art.text)


# -- hostile archives (issue 14) ------------------------------------------------------------------------


def test_a_huge_integer_skips_its_line_only(tmp_path):
    """Python will not read an integer of more than 4,300 digits; the line is skipped, the rest is read."""
    huge = '{"id": "x", "text": "نص", "n": ' + "9" * 5000 + "}"
    data = "\n".join(_jsonl_lines(huge)) + "\n"
    path = tmp_path / "corpus.jsonl"
    path.write_text(data, encoding="utf-8")
    items = load(path)
    assert [type(i).__name__ for i in items] == ["Article", "Article", "Skipped", "Article", "Article"]
    assert "4,300 digits" in items[2].reason


def test_json_error_message_says_at_once(tmp_path):
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(_jsonl_lines('{"id": "x", "text": "a\x01b"}')) + "\n", encoding="utf-8")
    item = load(path)[2]
    assert isinstance(item, Skipped) and "at at" not in item.reason and "character at column" in item.reason


def test_a_named_pipe_in_a_folder_is_reported_not_read(tmp_path):
    import os

    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    os.mkfifo(tmp_path / "x.txt")  # reading it would block forever
    items = load(tmp_path)
    assert [type(i).__name__ for i in items] == ["Article", "Skipped"]
    assert items[1].path.endswith("x.txt") and "not a regular file" in items[1].reason


def test_an_unreadable_folder_is_reported(tmp_path):
    import os

    if os.geteuid() == 0:
        pytest.skip("root reads every folder")
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "b.txt").write_text(BODY, encoding="utf-8")
    locked.chmod(0)
    try:
        items = load(tmp_path)
    finally:
        locked.chmod(0o755)
    assert any(isinstance(i, Skipped) and i.path == str(locked) and "cannot list" in i.reason for i in items)


@pytest.mark.parametrize("name", ["bad\nname.txt", "esc\x1b[31m.txt", "rtl\u202etxt.exe.txt"])
def test_file_names_in_messages_are_escaped(tmp_path, name):
    """A newline splits no message line; ESC and bidi controls reach no terminal raw."""
    path = tmp_path / name
    path.write_bytes(b"")
    (item,) = load(path)
    line = str(item)
    assert isinstance(item, Skipped) and "\n" not in line and "\x1b" not in line and "\u202e" not in line
    assert "\\n" in line or "\\x1b" in line or "\\u202e" in line


@pytest.mark.parametrize("rid", ['"a\\ud800b"', '"' + "x" * 20_000 + '"', "9" * 4000], ids=["surrogate", "long", "long int"])
def test_an_unusable_id_keeps_the_article_under_its_line_id(tmp_path, rid):
    path = tmp_path / "corpus.jsonl"
    body = json.dumps(BODY, ensure_ascii=False)
    path.write_text('{"id": ' + rid + ', "text": ' + body + "}\n", encoding="utf-8")
    (item,) = load(path)
    assert isinstance(item, Article) and item.id == "corpus:1"


def test_url_and_source_are_bounded(tmp_path):
    from kg.model import MAX_TITLE_CHARS

    path = tmp_path / "corpus.jsonl"
    rec = {"id": "a", "text": BODY, "url": "https://example.org/" + "x" * 20_000, "source": "مصدر " * 1000}
    path.write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    art = only_article(load(path))
    assert art.url is None and len(art.source) <= MAX_TITLE_CHARS + 1 and art.source.endswith("…")


def test_a_title_is_bounded(tmp_path):
    """A .txt file whose first line is 500,000 characters long: the title is cut (the text, and its offsets, are not)."""
    from kg.model import MAX_TITLE_CHARS

    path = tmp_path / "long.txt"
    line = "كلمة " * 100_000
    path.write_text(line + "\n" + BODY, encoding="utf-8")
    art = only_article(load(path))
    assert len(art.title) <= MAX_TITLE_CHARS + 1 and art.title.endswith("…") and art.text.startswith(line)


@pytest.mark.parametrize("field", ["text", "title"])
def test_a_surrogate_message_names_the_field(tmp_path, field):
    rec = {"id": "x", "title": "عنوان", "text": BODY}
    line = json.dumps(rec, ensure_ascii=False).replace(rec[field][:3], rec[field][:3] + "\\ud800", 1)
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(_jsonl_lines(line)) + "\n", encoding="utf-8")
    item = load(path)[2]
    assert isinstance(item, Skipped) and f"'{field}'" in item.reason


# -- caps that bound the cost (issue 14, item 3) -------------------------------------------------------


def test_a_gzip_of_newlines_stops_at_the_blank_line_cap(tmp_path):
    """5 GiB of newlines in a 5 MB .gz (80 gzip members of 64 MiB each) once read for 75 minutes."""
    from loaders.jsonl import MAX_BLANK_RUN

    member = gzip.compress(b"\n" * (64 << 20), compresslevel=9)
    path = tmp_path / "bomb.jsonl.gz"
    with path.open("wb") as fh:
        fh.write(gzip.compress(("\n".join(_jsonl_lines("")[:2]) + "\n").encode("utf-8")))
        for _ in range(80):
            fh.write(member)
    assert path.stat().st_size < 6 << 20
    items = load(path)
    assert [type(i).__name__ for i in items] == ["Article", "Article", "Skipped"]
    assert items[2].path == str(path)
    assert f"{MAX_BLANK_RUN:,} blank lines in a row after line 2" in items[2].reason


def test_blank_lines_between_records_are_fine(tmp_path):
    path = tmp_path / "airy.jsonl"
    path.write_text("\n\n\n".join(_jsonl_lines("")[:3]) + "\n" * 50, encoding="utf-8")
    assert [type(i).__name__ for i in load(path)] == ["Article", "Article"]


def test_a_gzip_that_inflates_past_its_cap_is_reported(tmp_path, monkeypatch):
    """A line of spaces with no newline inflates without end; the cap (here lowered to 1 MiB) stops it."""
    from loaders import jsonl

    monkeypatch.setattr(jsonl, "MIN_INFLATED_CAP", 1 << 20)
    path = tmp_path / "spaces.jsonl.gz"
    good = "\n".join(_jsonl_lines("")[:2]) + "\n"
    path.write_bytes(gzip.compress(good.encode("utf-8") + b" " * (3 << 20)))
    items = load(path)
    assert [type(i).__name__ for i in items] == ["Article", "Article", "Skipped"]
    assert "inflates to more than 1,048,576 bytes" in items[2].reason and "gzip bomb" in items[2].reason


@pytest.mark.parametrize("suffix", [".txt", ".jsonl"])
def test_a_long_article_is_cut_at_a_line_break(tmp_path, suffix):
    from kg.model import MAX_TEXT_CHARS

    text = (BODY + "\n") * (MAX_TEXT_CHARS // len(BODY) + 100)
    path = tmp_path / f"long{suffix}"
    if suffix == ".txt":
        path.write_text(text, encoding="utf-8")
    else:
        path.write_text(json.dumps({"id": "long", "text": text}, ensure_ascii=False) + "\n", encoding="utf-8")
    art = only_article(load(path))
    assert art.cut_from == len(text) and MAX_TEXT_CHARS * 0.9 <= len(art.text) <= MAX_TEXT_CHARS
    assert text.startswith(art.text) and art.text.endswith("\n")  # offsets still point into the file's text
    assert all(span.end <= len(art.text) for span in art.furniture)


def test_an_article_within_the_cap_is_whole(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    assert only_article(load(path)).cut_from == 0


def test_a_text_with_no_sentence_end_is_read_in_bounded_pieces():
    """A page run into one 60,000-character line: cut at spaces, so that rules never face one huge sentence."""
    from kg.text import MAX_SENTENCE_CHARS, split_sentences

    text = ("وقال الوزير إن المحادثات كانت مثمرة وأكد أهمية التنسيق المشترك " * 1000).strip()
    sentences = split_sentences(text)
    assert len(sentences) > len(text) // MAX_SENTENCE_CHARS
    assert all(len(s.text) <= MAX_SENTENCE_CHARS and text[s.start:s.end] == s.text for s in sentences)
    assert " ".join(s.text for s in sentences) == text  # cut at spaces: no word is lost or split
