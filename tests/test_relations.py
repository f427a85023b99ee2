"""Every relation type and entity type of GUIDE.md on short snippets written for these tests.

The snippets are new sentences in the style of Arabic wire copy (KUNA, SPA, WAM, Xinhua, UN News),
about other people, states, bodies and meetings than the seed articles. Each one asserts a triple by
(predicate, subject name, object name). Names are compared after ``normalize_phrase`` (hamza/alef,
ة/ه, ى/ي, tatweel, diacritics and Arabic-Indic digits folded); a meeting or document, whose name is
a phrase, matches when every token of the expected key occurs in its name, as in the gold scorer.
"""

from __future__ import annotations

from functools import cache

import pytest

from kg.extract import extract
from kg.gazetteer import load_gazetteer
from kg.model import Article, Extraction, Span
from kg.text import normalize_phrase

DATE = "2023-05-10"
PHRASE_TYPES = ("Meeting", "Document")


@cache
def gaz():
    return load_gazetteer()


def run(text: str, date: str | None = DATE, furniture: tuple[Span, ...] = ()) -> Extraction:
    return extract(Article("t", text, date=date, furniture=furniture), gaz())


def names_match(entity, expected: str) -> bool:
    want = normalize_phrase(expected)
    forms = [normalize_phrase(n) for n in (entity.name, *entity.aliases)]
    if entity.type == "Resolution" and entity.attrs.get("number") in want:
        return True  # a resolution also matches on its number, as in the gold scorer
    if entity.type in PHRASE_TYPES:
        return any(set(want) <= set(f) for f in forms)
    return want in forms


def find(ex: Extraction, predicate: str, subject: str, obj: str):
    """The triples (predicate, subject, object) of an extraction, matched by name."""
    out = []
    for t in ex.triples:
        s, o = ex.entities.get(t.subject), ex.entities.get(t.object)
        if t.predicate == predicate and s and o and names_match(s, subject) and names_match(o, obj):
            out.append(t)
    return out


def listing(ex: Extraction) -> str:
    rows = []
    for t in ex.triples:
        s, o = ex.entities.get(t.subject), ex.entities.get(t.object)
        rows.append(f"{s.name if s else t.subject} {t.predicate} {o.name if o else t.object}")
    return "\n".join(rows) or "(no triples)"


def case(pid: str, text: str, predicate: str, subject: str, obj: str, xfail: str = ""):
    marks = [pytest.mark.xfail(strict=True, reason=xfail)] if xfail else []
    return pytest.param(text, predicate, subject, obj, id=pid, marks=marks)


CASES = [
    # -- REPRESENTS ---------------------------------------------------------------------------------
    case("represents-minister-state-adjective",
         "أكد وزير الخارجية العماني بدر البوسعيدي أن بلاده تدعم الحل السياسي للأزمة.",
         "REPRESENTS", "بدر البوسعيدي", "عمان"),
    case("represents-permanent-rep-lam-proclitic-long-state-name",
         "قال المندوب الدائم لجمهورية مصر العربية لدى الأمم المتحدة أسامة عبد الخالق إن الوضع الإنساني يتدهور.",
         "REPRESENTS", "أسامة عبد الخالق", "مصر"),
    case("represents-name-comma-female-title",
         "وقالت ليندا توماس غرينفيلد، المندوبة الدائمة للولايات المتحدة لدى الأمم المتحدة، إن بلادها "
         "ستواصل دعم الجهود الإنسانية.",
         "REPRESENTS", "ليندا توماس غرينفيلد", "الولايات المتحدة"),
    case("represents-secretary-general-no-hamza-teh-marbuta-as-heh",
         "وحذر الامين العام لجامعة الدول العربيه احمد ابو الغيط من خطورة التصعيد.",
         "REPRESENTS", "أحمد أبو الغيط", "جامعة الدول العربية"),
    case("represents-tatweel-in-title",
         "وقال وزيـــر الخارجية القطري محمد بن عبدالرحمن آل ثاني إن الوساطة مستمرة.",
         "REPRESENTS", "محمد بن عبدالرحمن آل ثاني", "قطر"),
    case("represents-envoy-default-body-un",
         "واستمع المجلس إلى التقرير السنوي الذي قدمه المبعوث الخاص للأمين العام إلى اليمن هانس غروندبرغ.",
         "REPRESENTS", "هانس غروندبرغ", "الأمم المتحدة"),
    case("represents-title-after-name-no-comma",
         "وأعلن ذلك حمد العتيبي وزير الخارجية الكويتي في مؤتمر صحفي.",
         "REPRESENTS", "حمد العتيبي", "الكويت"),
    case("represents-title-after-name-office-known-from-gazetteer",
         "وصدر بيان بمناسبة زيارة الأمير محمد بن سلمان بن عبدالعزيز ولي ولي العهد النائب الثاني لرئيس مجلس "
         "الوزراء للأردن.",
         "REPRESENTS", "محمد بن سلمان بن عبدالعزيز آل سعود", "السعودية"),
    case("represents-official-of-a-named-body",
         "وقال كريم الحسيني، المسؤول بالأمم المتحدة، إن البرنامج سيتوسع.",
         "REPRESENTS", "كريم الحسيني", "الأمم المتحدة"),
    # -- PARTICIPATED_IN ----------------------------------------------------------------------------
    case("participated-verb-person",
         "شارك وزير الخارجية الأردني أيمن الصفدي في اجتماع وزاري لمنظمة التعاون الإسلامي في جدة.",
         "PARTICIPATED_IN", "أيمن الصفدي", "اجتماع وزاري"),
    case("participated-list-of-members-with-long-titles",
         "حضر الاجتماع الأمين العام المساعد للشؤون السياسية الدكتور خالد الهاشمي، ورئيس بعثة الجامعة العربية في "
         "الصومال السفير فهد الدوسري، والمستشار القانوني للأمين العام الدكتور ناصر العتيبي.",
         "PARTICIPATED_IN", "ناصر العتيبي", "الاجتماع"),
    case("participated-bimusharaka-state-list",
         "وعقدت القمة الخليجية بمشاركة السعودية وقطر والبحرين.",
         "PARTICIPATED_IN", "البحرين", "القمة الخليجية"),
    case("participated-bihudur-titled-person",
         "وعقدت جلسة اليوم بحضور الأمين العام للأمم المتحدة أنطونيو غوتيريش.",
         "PARTICIPATED_IN", "أنطونيو غوتيريش", "جلسة"),
    case("participated-organization-delegation",
         "وشارك في الندوة وفد من الإنتربول وممثلون عن منظمة الصحة العالمية.",
         "PARTICIPATED_IN", "منظمة الصحة العالمية", "الندوة"),
    # -- HOSTED_BY ----------------------------------------------------------------------------------
    case("hosted-vso-accusative-meeting",
         "استضافت قطر أمس مؤتمرا دوليا حول مكافحة الاتجار بالبشر.",
         "HOSTED_BY", "مؤتمرا", "قطر"),
    case("hosted-svo",
         "المغرب يستضيف الدورة العادية لمجلس وزراء الداخلية العرب.",
         "HOSTED_BY", "الدورة العادية", "المغرب"),
    case("hosted-opened-in-state",
         "انطلقت في السعودية اليوم أعمال المنتدى الدولي للأمن السيبراني.",
         "HOSTED_BY", "المنتدى الدولي", "السعودية"),
    case("hosted-relative-clause",
         "واختتمت اليوم أعمال القمة التي استضافتها الكويت بمشاركة قادة الدول الأعضاء.",
         "HOSTED_BY", "القمة", "الكويت"),
    # -- CONVENED_BY --------------------------------------------------------------------------------
    case("convened-vso-verb",
         "عقد مجلس الأمن الدولي جلسة طارئة بشأن الوضع في السودان.",
         "CONVENED_BY", "جلسة طارئة", "مجلس الأمن"),
    case("convened-lam-proclitic",
         "وألقى الوزير كلمة خلال اجتماع وزاري لجامعة الدول العربية في القاهرة.",
         "CONVENED_BY", "اجتماع وزاري", "جامعة الدول العربية"),
    case("convened-svo-qad-arabic-indic-date",
         "وكان مجلس الأمن قد عقد في ١٢ مارس جلسة مغلقة بشأن ميانمار.",
         "CONVENED_BY", "جلسة مغلقة", "مجلس الأمن"),
    case("convened-possessive-meeting-noun",
         "وعقدت مجموعة العمل المعنية بمكافحة تمويل داعش اجتماعها الخامس في روما.",
         "CONVENED_BY", "اجتماعها الخامس", "مجموعة مكافحة تمويل داعش"),
    # -- CHAIRED_BY ---------------------------------------------------------------------------------
    case("chaired-verb-person",
         "ترأس وزير الخارجية الإماراتي عبدالله بن زايد آل نهيان جلسة مجلس الأمن حول التسامح.",
         "CHAIRED_BY", "جلسة مجلس الأمن", "عبدالله بن زايد آل نهيان"),
    case("chaired-birieasa-female-minister",
         "وعقدت الجلسة برئاسة وزيرة الخارجية السويدية آن ليندي.",
         "CHAIRED_BY", "الجلسة", "آن ليندي"),
    case("chaired-organization-by-state",
         "وتتولى البرازيل رئاسة مجلس الأمن خلال الشهر الجاري.",
         "CHAIRED_BY", "مجلس الأمن", "البرازيل"),
    case("chaired-state-vso",
         "ترأست المملكة العربية السعودية الاجتماع الوزاري للتحالف الإسلامي العسكري.",
         "CHAIRED_BY", "الاجتماع الوزاري", "السعودية"),
    case("chaired-co-chairs",
         "وعقد الاجتماع برئاسة مشتركة من المغرب وهولندا.",
         "CHAIRED_BY", "الاجتماع", "هولندا"),
    # -- HELD_IN ------------------------------------------------------------------------------------
    case("held-in-closing-verb",
         "اختتمت في جنيف أعمال الدورة الخامسة والخمسين لمجلس حقوق الإنسان.",
         "HELD_IN", "الدورة الخامسة", "جنيف"),
    case("held-in-phrase",
         "وعقد المؤتمر الإقليمي لمكافحة التطرف في فيينا بمشاركة خبراء.",
         "HELD_IN", "المؤتمر الإقليمي", "فيينا"),
    case("held-in-city-hosts",
         "تستضيف الرياض يوم الأحد منتدى الاستثمار.",
         "HELD_IN", "منتدى الاستثمار", "الرياض"),
    case("held-in-ba-proclitic",
         "وتنطلق بالدوحة غدا أعمال المؤتمر الدولي للأمن الغذائي.",
         "HELD_IN", "المؤتمر الدولي", "الدوحة"),
    # -- ADOPTED_BY ---------------------------------------------------------------------------------
    case("adopted-construct-arabic-indic-number",
         "رحبت الكويت بقرار مجلس الأمن رقم ٢٧٢٨ الداعي إلى وقف إطلاق النار.",
         "ADOPTED_BY", "القرار 2728", "مجلس الأمن"),
    case("adopted-vso-verb",
         "واعتمد مجلس الأمن بالإجماع القرار 2719 (2023) بشأن تمويل عمليات السلام.",
         "ADOPTED_BY", "القرار 2719", "مجلس الأمن"),
    case("adopted-relative-clause",
         "وأشار الى القرار ٢٧١٢ الذي اعتمده مجلس الامن الدولي.",
         "ADOPTED_BY", "القرار 2712", "مجلس الأمن"),
    # -- ESTABLISHES --------------------------------------------------------------------------------
    case("establishes-body-by-verb",
         "أنشأ مجلس الأمن بموجب القرار 2100 بعثة الأمم المتحدة المتكاملة المتعددة الأبعاد لتحقيق "
         "الاستقرار في مالي.",
         "ESTABLISHES", "مجلس الأمن", "بعثة الأمم المتحدة المتكاملة المتعددة الأبعاد لتحقيق الاستقرار في مالي"),
    case("establishes-resolution-basis",
         "أنشأ مجلس الأمن بموجب القرار 2100 بعثة الأمم المتحدة المتكاملة المتعددة الأبعاد لتحقيق "
         "الاستقرار في مالي.",
         "ESTABLISHES", "القرار 2100", "بعثة الأمم المتحدة المتكاملة المتعددة الأبعاد لتحقيق الاستقرار في مالي"),
    case("establishes-relative-clause",
         "وأشاد بعمل فريق الخبراء الذي أنشأه مجلس الأمن لرصد العقوبات.",
         "ESTABLISHES", "مجلس الأمن", "فريق الخبراء"),
    # -- ISSUED -------------------------------------------------------------------------------------
    case("issued-vso-verb",
         "وأصدرت القمة العربية إعلان الجزائر في ختام أعمالها.",
         "ISSUED", "القمة العربية", "إعلان الجزائر"),
    case("issued-sadir-an",
         "وأكد إعلان بغداد الصادر عن مؤتمر دول الجوار أهمية احترام سيادة العراق.",
         "ISSUED", "مؤتمر", "إعلان بغداد"),
    case("issued-final-communique",
         "وأكد البيان الختامي الصادر عن القمة العربية في البحرين رفض التهجير.",
         "ISSUED", "القمة العربية", "البيان الختامي"),
    # -- DISCUSSED ----------------------------------------------------------------------------------
    case("discussed-report",
         "عقد مجلس الأمن جلسة لمناقشة تقرير الأمين العام بشأن ليبيا.",
         "DISCUSSED", "جلسة", "تقرير الأمين العام"),
    case("discussed-resolution",
         "وخصص الاجتماع لبحث القرار 2254 الخاص بسورية.",
         "DISCUSSED", "الاجتماع", "القرار 2254"),
    # -- PRESENTED_BY -------------------------------------------------------------------------------
    case("presented-relative-clause",
         "واستمع المجلس إلى التقرير السنوي الذي قدمه المبعوث الخاص للأمين العام إلى اليمن هانس غروندبرغ.",
         "PRESENTED_BY", "التقرير السنوي", "هانس غروندبرغ"),
    case("presented-vso-secretary-general",
         "وقدم الأمين العام للأمم المتحدة أنطونيو غوتيريش التقرير السنوي إلى الجمعية العامة.",
         "PRESENTED_BY", "التقرير السنوي", "أنطونيو غوتيريش"),
    case("presented-vso-title-chain",
         "وقدم المدير التنفيذي لمكتب الأمم المتحدة المعني بالمخدرات والجريمة غادة والي التقرير العالمي "
         "عن المخدرات.",
         "PRESENTED_BY", "التقرير العالمي", "غادة والي",
         xfail="the recogniser misses «غادة والي», and «والي» (governor) is a common word: only «غادة» is read"),
    # -- MEMBER_OF ----------------------------------------------------------------------------------
    case("member-speaker-state-anaphor",
         "وقال المندوب الياباني إن بلاده بصفتها عضوا في مجلس الأمن ستعمل على حماية المدنيين.",
         "MEMBER_OF", "اليابان", "مجلس الأمن"),
    case("member-joined-vso",
         "وانضمت تيمور الشرقية إلى رابطة دول جنوب شرق آسيا بوصفها عضوا جديدا.",
         "MEMBER_OF", "تيمور الشرقية", "رابطة دول جنوب شرق آسيا"),
    case("member-female-minister-biladuha",
         "وأكدت وزيرة الخارجية الكندية ميلاني جولي أن بلادها عضو في حلف شمال الأطلسي.",
         "MEMBER_OF", "كندا", "حلف شمال الأطلسي"),
    # -- PART_OF ------------------------------------------------------------------------------------
    case("part-of-munbathiq",
         "وأشاد بدور مجلس السلم والأمن المنبثق عن الاتحاد الأفريقي.",
         "PART_OF", "مجلس السلم والأمن", "الاتحاد الأفريقي"),
    case("part-of-tabi-lam-proclitic",
         "وزار مقر صندوق الأمم المتحدة للسكان التابع للأمم المتحدة.",
         "PART_OF", "صندوق الأمم المتحدة للسكان", "الأمم المتحدة"),
    # -- NEGOTIATED_BY ------------------------------------------------------------------------------
    case("negotiated-led-negotiations",
         "وقادت اليابان وسويسرا المفاوضات حول القرار 2720 بشأن غزة.",
         "NEGOTIATED_BY", "القرار 2720", "سويسرا"),
    case("negotiated-coordinated-first-state",
         "وقادت اليابان وسويسرا المفاوضات حول القرار 2720 بشأن غزة.",
         "NEGOTIATED_BY", "القرار 2720", "اليابان",
         xfail="only the state next to the cue is taken; a coordinated list of negotiators is not read"),
    case("negotiated-drafted-vso",
         "صاغت المملكة المتحدة القرار 2401 الخاص بالهدنة في الغوطة.",
         "NEGOTIATED_BY", "القرار 2401", "المملكة المتحدة"),
    case("negotiated-sponsored",
         "ورعت الولايات المتحدة القرار 2231 بشأن البرنامج النووي.",
         "NEGOTIATED_BY", "القرار 2231", "الولايات المتحدة"),
    # -- OPERATES_IN --------------------------------------------------------------------------------
    case("operates-state-list",
         "وتنشط حركة الشباب في الصومال وكينيا.",
         "OPERATES_IN", "حركة الشباب", "كينيا"),
    case("operates-attacks",
         "وشنت جماعة بوكو حرام هجمات متكررة في نيجيريا والنيجر وتشاد.",
         "OPERATES_IN", "بوكو حرام", "تشاد"),
    case("operates-region-lam-proclitic",
         "وتنشط الجماعات التابعة لتنظيم القاعدة في منطقة الساحل.",
         "OPERATES_IN", "القاعدة", "منطقة الساحل"),
    case("operates-governorate-head",
         "وقال المتحدث إن الحوثيين ينشطون في محافظة الحديدة.",
         "OPERATES_IN", "الحوثيون", "الحديدة"),
    # -- LOCATED_IN ---------------------------------------------------------------------------------
    case("located-adjective-after",
         "وتقع مدينة أربيل العراقية على بعد 80 كيلومترا من الموصل.",
         "LOCATED_IN", "أربيل", "العراق"),
    case("located-preposition",
         "وعقد الاجتماع في مدينة سمرقند في أوزبكستان.",
         "LOCATED_IN", "سمرقند", "أوزبكستان"),
    case("located-capital-adjective-before",
         "وتقيم الأمم المتحدة مكتبا في العاصمة الكينية نيروبي.",
         "LOCATED_IN", "نيروبي", "كينيا"),
    # -- CITES --------------------------------------------------------------------------------------
    case("cites-resolution-in-speech",
         "وقال المندوب الدائم لفرنسا لدى الأمم المتحدة نيكولا دي ريفيير إن القرار 2254 يبقى الأساس لأي حل.",
         "CITES", "نيكولا دي ريفيير", "القرار 2254"),
    case("cites-charter",
         "ودعا الممثل الدائم للصين لدى الأمم المتحدة تشانغ جيون إلى تطبيق ميثاق الأمم المتحدة.",
         "CITES", "تشانغ جيون", "ميثاق الأمم المتحدة"),
    case("cites-name-comma-title",
         "وقالت السفيرة باربرا وودوارد، المندوبة الدائمة للمملكة المتحدة، إن القرار 2254 يظل خارطة الطريق.",
         "CITES", "باربرا وودوارد", "القرار 2254"),
]


@pytest.mark.parametrize(("text", "predicate", "subject", "obj"), CASES)
def test_relation(text, predicate, subject, obj):
    ex = run(text)
    assert find(ex, predicate, subject, obj), listing(ex)


def test_every_predicate_has_two_snippets():
    from kg.model import PREDICATES

    counts = {p: 0 for p in PREDICATES}
    for param in CASES:
        if not param.marks:
            counts[param.values[1]] += 1
    assert all(n >= 2 for n in counts.values()), counts


# -- entity types -----------------------------------------------------------------------------------

ENTITY_CASES = [
    ("Person", "بدر البوسعيدي", "أكد وزير الخارجية العماني بدر البوسعيدي أن بلاده تدعم الحل السياسي."),
    ("State", "عمان", "أكد وزير الخارجية العماني بدر البوسعيدي أن بلاده تدعم الحل السياسي."),
    ("Organization", "منظمة التعاون الإسلامي", "شارك الوزير في اجتماع وزاري لمنظمة التعاون الإسلامي."),
    ("Meeting", "اجتماع وزاري", "شارك الوزير في اجتماع وزاري لمنظمة التعاون الإسلامي."),
    ("Resolution", "القرار 2728", "رحبت الكويت بقرار مجلس الأمن رقم ٢٧٢٨."),
    ("Document", "إعلان الجزائر", "وأصدرت القمة العربية إعلان الجزائر في ختام أعمالها."),
    ("Place", "جنيف", "اختتمت في جنيف أعمال الدورة الخامسة والخمسين لمجلس حقوق الإنسان."),
    ("Organization", "فريق الخبراء", "وأشاد بعمل فريق الخبراء الذي أنشأه مجلس الأمن لرصد العقوبات."),
]


@pytest.mark.parametrize(("type_", "name", "text"), ENTITY_CASES,
                         ids=[f"{t.lower()}-{i}" for i, (t, _, _) in enumerate(ENTITY_CASES)])
def test_entity_type(type_, name, text):
    ex = run(text)
    assert any(e.type == type_ and names_match(e, name) for e in ex.entities.values()), \
        [(e.type, e.name) for e in ex.entities.values()]


def test_resolution_year_attribute():
    ex = run("واعتمد مجلس الأمن بالإجماع القرار 2719 (2023) بشأن تمويل عمليات السلام.")
    res = [e for e in ex.entities.values() if e.type == "Resolution"]
    assert [(e.attrs.get("number"), e.attrs.get("year")) for e in res] == [("2719", "2023")]


# -- REPRESENTS properties, dates -------------------------------------------------------------------


def props(triple) -> dict[str, str]:
    return dict(triple.properties)


def test_represents_role_and_article_date():
    ex = run("أكد وزير الخارجية العماني بدر البوسعيدي أن بلاده تدعم الحل السياسي للأزمة.")
    [t] = find(ex, "REPRESENTS", "بدر البوسعيدي", "عمان")
    assert normalize_phrase(props(t)["role"]) == normalize_phrase("وزير الخارجية")
    assert props(t)["date"] == DATE


def test_represents_role_has_no_tatweel():
    ex = run("وقال وزيـــر الخارجية القطري محمد بن عبدالرحمن آل ثاني إن الوساطة مستمرة.")
    [t] = find(ex, "REPRESENTS", "محمد بن عبدالرحمن آل ثاني", "قطر")
    assert props(t)["role"] == "وزير الخارجية"


def test_represents_date_from_dateline_when_article_has_none():
    text = "الرياض ١٢ مارس ٢٠٢٤ (واس) - قال وزير الخارجية الأمريكي أنتوني بلينكن إن بلاده ملتزمة بأمن المنطقة."
    ex = run(text, date=None)
    [t] = find(ex, "REPRESENTS", "أنتوني بلينكن", "الولايات المتحدة")
    assert props(t)["date"] == "2024-03-12"


@pytest.mark.parametrize(("word", "expected"), [("أمس", "2023-05-09"), ("اليوم", "2023-05-10")],
                         ids=["ams-yesterday", "alyawm-today"])
def test_relative_day_resolved_against_article_date(word, expected):
    ex = run(f"عقد مجلس الأمن {word} جلسة طارئة بشأن الوضع في هايتي.")
    [meeting] = [e for e in ex.entities.values() if e.type == "Meeting"]
    assert meeting.attrs.get("date") == expected
    assert find(ex, "CONVENED_BY", "جلسة طارئة", "مجلس الأمن")


def test_implicit_state_of_the_article():
    text = ("أكد وزير الخارجية عبداللطيف الزياني أن مملكة البحرين ماضية في دعم الأمن الإقليمي.\n"
            "وأشاد الزياني بالعلاقات بين البحرين والولايات المتحدة.")
    ex = run(text)
    [t] = find(ex, "REPRESENTS", "عبداللطيف الزياني", "البحرين")
    assert normalize_phrase(props(t)["role"]) == normalize_phrase("وزير الخارجية")
    assert not find(ex, "REPRESENTS", "عبداللطيف الزياني", "الولايات المتحدة")


def test_longer_forms_of_a_document_are_one_document_under_the_shortest_name():
    ex = run("ودعا الوزير إلى تطبيق الاتفاق السياسي الليبي. وأكد أن الاتفاق السياسي يبقى المرجع.")
    [doc] = [e for e in ex.entities.values() if e.type == "Document"]
    assert doc.id == run("وأكد أن الاتفاق السياسي يبقى المرجع.").entities[doc.id].id


def test_meeting_phrase_ends_before_an_honorific():
    ex = run("حضر الاجتماع الدكتور خالد الهاشمي والسفير سعد العريفي.")
    [meeting] = [e for e in ex.entities.values() if e.type == "Meeting"]
    assert meeting.name == "الاجتماع"
    assert find(ex, "PARTICIPATED_IN", "سعد العريفي", "الاجتماع"), listing(ex)


def test_title_that_leads_the_next_name_is_not_the_first_ones():
    ex = run("والتقى سامح شكري وزير الخارجية الأردني أيمن الصفدي.")
    assert find(ex, "REPRESENTS", "أيمن الصفدي", "الأردن"), listing(ex)
    assert not find(ex, "REPRESENTS", "سامح شكري", "الأردن"), listing(ex)


def test_person_named_after_speech_verb_with_title_after_comma():
    ex = run("وأكد جاسم محمد البديوي، الأمين العام لمجلس التعاون لدول الخليج العربية، أن المجلس يدعم "
             "جهود التهدئة.")
    persons = [e.name for e in ex.entities.values() if e.type == "Person"]
    assert persons == ["جاسم محمد البديوي"]
    [t] = find(ex, "REPRESENTS", "جاسم محمد البديوي", "مجلس التعاون لدول الخليج العربية")
    assert normalize_phrase(props(t)["role"]) == normalize_phrase("الأمين العام")


# -- evidence and furniture -------------------------------------------------------------------------

ARTICLE = (
    "نيويورك ٨ مايو (كونا) -- عقد مجلس الأمن الدولي اليوم جلسة مفتوحة بشأن الوضع في السودان.\n\n"
    "وقال المندوب الدائم لفرنسا لدى الأمم المتحدة نيكولا دي ريفيير إن القرار 2254 يبقى الأساس.\n"
    "وترأس الجلسة وزير الخارجية الإكوادوري غوستافو مانريكي."
)


def test_evidence_offsets_slice_the_sentence():
    ex = run(ARTICLE)
    assert ex.triples
    for t in ex.triples:
        ev = t.evidence
        assert ARTICLE[ev.start:ev.end] == ev.sentence
        assert "\n" not in ev.sentence
    [rep] = find(ex, "REPRESENTS", "نيكولا دي ريفيير", "فرنسا")
    assert rep.evidence.sentence.startswith("وقال المندوب الدائم لفرنسا")
    assert find(ex, "CHAIRED_BY", "جلسة مفتوحة", "غوستافو مانريكي")


def test_furniture_yields_nothing():
    body = "قال وزير الخارجية الفرنسي جان نويل بارو إن بلاده تدعم الحل السياسي."
    assert run(body).triples  # the same sentence outside furniture does yield facts
    ex = run(body, furniture=(Span(0, len(body), "test"),))
    assert ex.triples == [] and ex.entities == {}


def test_furniture_patterns_yield_nothing():
    from loaders.furniture import find_furniture

    text = ("نستخدم ملفات تعريف الارتباط لتحسين تجربتك على موقع وزارة الخارجية القطرية.\n"
            "بيان الخصوصية\n"
            "أوافق\n"
            "وقال وزير الخارجية القطري محمد بن عبدالرحمن آل ثاني إن الوساطة مستمرة.\n")
    ex = run(text, furniture=find_furniture(text))
    body_start = text.index("وقال")
    assert ex.triples
    assert all(t.evidence.start >= body_start for t in ex.triples), listing(ex)
    assert not [e for e in ex.entities.values() if e.type == "Document"]


# -- negatives: no diplomatic triple ----------------------------------------------------------------

NEGATIVES = [
    pytest.param("عقد نادي الهلال اجتماعا مع مدرب الفريق لمناقشة خطة الموسم المقبل.", id="football-club-meeting"),
    pytest.param("وقال ممثل شركة أرامكو السعودية إن الأرباح ارتفعت خلال الربع الأول.", id="company-representative"),
    pytest.param("وقال مدرب المنتخب خلال مؤتمر صحفي عقده أمس إن اللاعبين جاهزون للمباراة.",
                 id="sports-press-conference"),
    pytest.param("وقال المدير الفني للنادي الأهلي مارسيل كولر في المؤتمر الصحفي إن الفريق سيقاتل.",
                 id="coach-press-conference"),
    pytest.param("وأعلن ممثل الشركة المنظمة للبطولة، محمد الخالدي، أن التذاكر نفدت.", id="company-rep-named"),
    pytest.param("وأكد الوزير أهمية الدعم المالي للدول النامية وتعزيز الاستقرار المالي.", id="financial-not-mali"),
    # a match is no meeting, and a quoted coach does not speak at one
    pytest.param("ويخوض الفريق اللقاء أمام النجم يوم السبت. وقال نبيل الكوكي، إن اللاعبين جاهزون.", id="match-liqaa"),
    pytest.param("وجمع لقاء ودي الفريقين مساء أمس. وقال نبيل الكوكي، إن الأداء كان جيدا.", id="friendly-match"),
    # the edition of a festival or fair is no meeting: its guests do not take part in a meeting
    pytest.param("وتنطلق الدورة العاشرة لمهرجان المسرح العربي بمشاركة فرق من مصر والمغرب ولبنان.",
                 id="festival-edition"),
    pytest.param("وشاركت فرق من الجزائر والأردن في الدورة الخامسة من المعرض الدولي للكتاب.", id="book-fair-edition"),
    pytest.param("وأوضح الخبير سامي العلي أن الدورة الاقتصادية تمر بمرحلة ركود.", id="economic-cycle"),
    # a sports federation is not the body whose name it shares
    pytest.param("وأكد رئيس الاتحاد الأفريقي لكرة القدم محمد الأمين أن التحكيم سيتطور.", id="sports-federation"),
    # a club named after its city takes a masculine adjective: the club's country, not the city's
    pytest.param("وفاز ريال مدريد الإسباني على بايرن ميونخ الألماني بهدفين دون رد.", id="club-nationality"),
    pytest.param("ويهدف المشروع إلى حماية النظم البيئية البحرية الهشة للساحل التونسي.", id="coast-not-sahel"),
    # a title inside the name of a cup, a park or a university is no office holder
    pytest.param("وتأهل الفريق إلى نهائي كأس ولي العهد سلمان بن عبدالعزيز بعد فوزه. وقال المدرب إن السعودية تستحق."
                 " وأضاف أن السعودية بلد رياضي.", id="eponym-cup"),
    # a quoted minister does not speak at a meeting the article merely mentions (no body, host or place)
    pytest.param("وأشار وزير التجارة محمد العلي إلى أن الأسعار ستستقر. وكانت الوزارة قد عقدت اجتماعا مع التجار"
                 " الأسبوع الماضي.", id="speaker-not-at-unanchored-meeting"),
    # running for the chair is not chairing
    pytest.param("وأعلنت مدغشقر ترشحها لرئاسة الاتحاد الأفريقي.", id="candidacy-not-chair"),
    pytest.param("وتنافست مدغشقر في انتخابات رئاسة الاتحاد الأفريقي أمس.", id="election-not-chair"),
    # an official of no named body is no office of the article's state
    pytest.param("وقال المسؤول حسام الخطيب إن الأسعار ستستقر.", id="official-without-body"),
    # a minister's portfolio may name a body: he still holds no office for it
    pytest.param("واتصل عبد القادر مساهل، وزير الشؤون المغاربية والاتحاد الأفريقي، بنظيره.", id="portfolio-body"),
    # the verb that opens a sentence is not a name before a title
    pytest.param("توقعت المديرة العامة لصندوق النقد الدولي، كريستين لاغارد، تحسن النمو.", id="initial-verb-not-name"),
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_no_diplomatic_triple(text):
    ex = run(text)
    assert ex.triples == [], listing(ex)
    assert not any(e.type in ("State", "Person") and e.name == "مالي" for e in ex.entities.values())


@pytest.mark.parametrize(("text", "persons"), [
    pytest.param("وقال وزير الثقافة محمد خالد يرحمه الله كان رائدا في المسرح.", ["محمد خالد"], id="formula-ends-name"),
    pytest.param("واتصل الرئيس المصري عبد الفتاح السيسي للاطمئنان على صحة الفنان.", ["عبد الفتاح السيسي"],
                 id="li-al-word-ends-name"),
    pytest.param("وأشارت تقارير صحفية إلى أن اللاعب سيغادر النادي.", [], id="press-reports-not-a-person"),
    pytest.param("وأشار الأمين العام لأوبك عبد الله البدري أمس إلى أن الإنتاج مستقر.", ["عبد الله البدري"],
                 id="abd-allah-is-one-name"),
    pytest.param("وزار الوفد لبنان مع الأمين العام للأمم المتحدة بان كي مون وركزت الزيارة على اللاجئين.",
                 ["بان كي مون"], id="wa-clause-ends-name"),
    pytest.param("وقالت وزيرة الطاقة والمناجم والطاقات المتجددة إن الأسعار مستقرة.", [], id="portfolio-not-a-name"),
    pytest.param("وأقيم الحفل في جامعة الملك سعود بحضور عدد من الطلاب.", [], id="eponym-university"),
    pytest.param("التقى وزير التنمية محمد الفاضل عبد الكافي صباح اليوم الجمعة سفير ألمانيا.",
                 ["محمد الفاضل عبد الكافي"], id="time-of-day-ends-name"),
    pytest.param("واستقبل أمير الكويت الشيخ صباح الأحمد الجابر الصباح وزير الخارجية.",
                 ["صباح الأحمد الجابر الصباح"], id="sabah-is-still-a-name"),
    pytest.param("وقال وزير الخارجية سامح شكري الخميس إن المحادثات بناءة.", ["سامح شكري"],
                 id="weekday-ends-name"),
    pytest.param("ومن المتوقع أن يخوض الرئيس البوليفي أولى مبارياته مع الفريق في أغسطس.", [],
                 id="ordinal-is-not-a-name"),
    pytest.param("وتزامن ذلك مع اختيار أنطونيو غوتيريش لمنصب الأمين العام للأمم المتحدة وسط مطالبات باختيار امرأة.",
                 ["أنطونيو غوتيريش"], id="title-of-a-post-has-no-holder"),
    pytest.param("واعتبر خبيران أوروبيان أن البيان المشترك يشكل خارطة طريق.", [], id="dual-noun-and-adjective"),
])
def test_person_name_boundaries(text, persons):
    ex = run(text)
    assert sorted(e.name for e in ex.entities.values() if e.type == "Person") == persons, listing(ex)


def test_feminine_adjective_still_places_a_city():
    ex = run("ووصل الوفد إلى مدينة ميلانو الإيطالية مساء أمس.")
    assert find(ex, "LOCATED_IN", "ميلانو", "إيطاليا"), listing(ex)


def test_session_anchored_by_its_body_keeps_its_speakers():
    ex = run("وعقد مجلس الجامعة العربية دورته العادية في القاهرة. وقال وزير الخارجية المصري سامح شكري إن الدورة ناجحة.")
    assert find(ex, "PARTICIPATED_IN", "سامح شكري", "دورته العادية"), listing(ex)


def test_speaker_placed_at_a_meeting_takes_part_in_it():
    ex = run("وعقد الحزب اجتماعا عاما يوم السبت. واعتبر زهير حمدي، في كلمة خلال هذا الاجتماع، أن الوضع صعب.")
    assert find(ex, "PARTICIPATED_IN", "زهير حمدي", "اجتماعا"), listing(ex)


def test_mali_with_a_cue_is_still_the_state():
    ex = run("وقال وزير الخارجية المالي عبدالله ديوب إن بلاده تواجه تهديدات إرهابية.")
    assert find(ex, "REPRESENTS", "عبدالله ديوب", "مالي"), listing(ex)


def test_tomorrow_of_the_last_day_keeps_the_article() -> None:
    """«غدا» in an article dated 9999-12-31 names no day; the article is extracted all the same."""
    ex = run("ويعقد مجلس الأمن غدا جلسة طارئة في نيويورك بمشاركة مصر.", date="9999-12-31")
    assert find(ex, "PARTICIPATED_IN", "مصر", "جلسة"), listing(ex)


# -- meetings in culture, sport and economy news: what is no meeting, and where a meeting's name ends --------

NOT_MEETINGS = [
    # a sentence about a festival or a fair speaks of that event, not of the meeting named before it
    pytest.param("وعقدت الوزارة أمس ندوة علمية حول التراث بمدينة سوسة. ويشارك في هذه التظاهرة فنانون من الجزائر"
                 " والمغرب.", "PARTICIPATED_IN", "الجزائر", "ندوة", id="festival-sentence-takes-no-earlier-meeting"),
    # «برئاسة» after a delegation names who leads it, not who chairs the meeting
    pytest.param("ويصل إلى الرباط غدا وفد اقتصادي ياباني برئاسة وزير التجارة كينجي مورا للمشاركة في أشغال المنتدى"
                 " الدولي للاستثمار.", "CHAIRED_BY", "المنتدى", "كينجي مورا", id="delegation-head-chairs-nothing"),
    # a committee read from its head alone («لجنة الفلاحة») is no body of the guide
    pytest.param("وقالت وزيرة التجارة خلال جلسة مع لجنة الفلاحة والتجارة إن الأسعار ستنخفض.", "PARTICIPATED_IN",
                 "لجنة الفلاحة", "جلسة", id="committee-by-head-is-no-participant"),
    # a state inside a party's name takes no part in the party's meeting
    pytest.param("وتحدث القيادي على هامش انعقاد الدورة العادية للمجلس الوطني لحزب الوفاق تونس عن الانتخابات.",
                 "PARTICIPATED_IN", "تونس", "الدورة", id="state-in-party-name"),
    # «رئاسة الجمهورية» is the presidency, an office: it chairs nothing
    pytest.param("واستقبل الوزير سامي الحداد رئيس الوفد الليبي الذي سلمه رسالة سيرفعها إلى رئاسة الجمهورية فيما قدم"
                 " للوزير محمد العلي هدية.", "CHAIRED_BY", "لقاء", "محمد العلي", id="presidency-chairs-nothing"),
    # an opening verb's place is after في or a place head; a country further on is no host
    pytest.param("وانطلقت أشغال المؤتمر الوزاري للمنظمة بجنيف، وبدأت إجراءات استقدام العمال من النيجر منذ ماي.",
                 "HOSTED_BY", "المؤتمر", "النيجر", id="begun-procedures-host-nothing"),
]


@pytest.mark.parametrize(("text", "predicate", "subject", "obj"), NOT_MEETINGS)
def test_not_a_fact_of_a_meeting(text, predicate, subject, obj):
    ex = run(text)
    assert not find(ex, predicate, subject, obj), listing(ex)


@pytest.mark.parametrize("text", [
    pytest.param("وقال وزير المالية سليم الحداد في حوار لوكالة الأنباء الرسمية إن العجز سيتراجع.", id="interview"),
    pytest.param("وأجلت المحكمة جلسة النطق بالحكم في قضية الفساد إلى الشهر المقبل بالعاصمة تونس.", id="court-hearing"),
    pytest.param("وخضع المهاجم لجلسة علاجية في مقر الإقامة بمدينة جدة قبل السفر.", id="therapy-session"),
    pytest.param("ويقيم المنتدى الثقافي بمدينة الدمام أمسية للشاعر سعيد الغامدي.", id="cultural-club"),
    pytest.param("وسارع الضابط بدوره بإبلاغ قائد الدورية سامي الحداد بما جرى.", id="his-role-is-no-session"),
    pytest.param("ويلتقي عزيز دوقاز باللاعب الفرنسي غايل مونفيس في الدور الثاني.", id="players-meet-in-a-match"),
    # a story about sport: its «القمة» and «الدورة» are a match and a tournament
    pytest.param("وخسر المنتخب مباراته الأولى أمس. ولم يتجاوز الفريق الدور الأول منذ الدورة الأخيرة التي احتضنتها"
                 " الغابون. ويستعد المدرب للمباراة المقبلة أمام الكاميرون.", id="sport-story-tournament"),
    pytest.param("ويترقب الجمهور مباراة الترجي والنجم. وتقام القمة مساء الأحد برئاسة الحكم مصطفى غربال. وقال مدرب"
                 " الترجي إن اللاعبين جاهزون.", id="sport-story-derby"),
])
def test_no_meeting(text):
    ex = run(text)
    meetings = [e.name for e in ex.entities.values() if e.type == "Meeting"]
    assert meetings == [], listing(ex)


@pytest.mark.parametrize(("text", "name"), [
    # a definite head ends before a bare word or a title: that is the next phrase
    pytest.param("وترأس الجلسة الافتتاحية للمؤتمر رئيس الوزراء الأردني بشر الخصاونة.", None, id="title-after-head"),
    pytest.param("وسيتم خلال المنتدى توقيع اتفاقيات جديدة بحضور وزير الاستثمار المغربي.", "المنتدى",
                 id="verbal-noun-after-head"),
    # auspices and a verb of gathering end it too
    pytest.param("وعقد في الرباط مؤتمر دولي للطاقة برعاية الأمم المتحدة.", "مؤتمر دولي للطاقة", id="auspices"),
    pytest.param("وأكد الوزير خلال لقاء جمعه مع وزير الخارجية الفرنسي جان إيف لودريان أن التعاون متواصل.", "لقاء",
                 id="gathering-verb"),
    # a number and the noun it counts: «الجلسات 12 محاضرة»
    pytest.param("وانطلقت أعمال المؤتمر بالرياض، ويقدم المشاركون خلال الجلسات 12 محاضرة علمية.", "الجلسات 12",
                 id="counted-noun-after-number"),
    # a title right after a name starts the next phrase
    pytest.param("وافتتح أمس منتدى مراكش وزير المالية المغربي محمد بنشعبون.", "منتدى مراكش",
                 id="title-after-name"),
])
def test_meeting_name_ends_at_the_next_phrase(text, name):
    ex = run(text)
    names = [e.name for e in ex.entities.values() if e.type == "Meeting"]
    if name is None:
        assert not any("الرئيس" in n or "رئيس" in n.split()[1:] for n in names), listing(ex)
    else:
        assert name in names, listing(ex)


@pytest.mark.parametrize(("text", "verbs"), [
    pytest.param("وتستقبل شركة محمد عبدالله العتيبي للنقل طلبات المتقدمين.", [], id="company-receives-applicants"),
    pytest.param("واجتمع المدرب بلاعبي الفريق قبل السفر.", [], id="coach-meets-players"),
    pytest.param("واستقبل وزير الخارجية نظيره المغربي في الرباط.", ["استقبل"], id="minister-receives"),
])
def test_verbs_of_meeting(text, verbs):
    """A verb of meeting before a company or a team's players reports no meeting (``encounter_mentions``)."""
    from kg.mentions import SentenceReader, encounter_mentions
    from kg.text import split_sentences
    reader = SentenceReader(split_sentences(text, ())[0], gaz())
    assert [m.name.removeprefix("و") for m in encounter_mentions(reader)] == verbs
