"""Organisations beyond the bare gazetteer names: bodies named by a head noun and what follows it,
gazetteer gaps, Latin-script acronyms, and the heads that name no body of GUIDE.md.

The snippets are new sentences in the style of Arabic wire copy, run through the real extractor."""

from __future__ import annotations

import pytest

from kg.text import normalize_phrase
from tests.test_relations import run


def organizations(text: str) -> set[tuple[str, ...]]:
    ex = run(text)
    return {normalize_phrase(e.name) for e in ex.entities.values() if e.type == "Organization"}


def has(text: str, name: str) -> bool:
    return normalize_phrase(name) in organizations(text)


@pytest.mark.parametrize("text, name", [
    # a head and a gazetteer body in construct: a body of that body
    ("وقال رئيس مفوضية الاتحاد الأفريقي إن القمة ستعقد في أديس أبابا.", "مفوضية الاتحاد الأفريقي"),
    ("ورحبت بعثة الأمم المتحدة بالاتفاق الذي وقعه الطرفان أمس.", "بعثة الأمم المتحدة"),
    ("وزار وفد من بعثة مجلس التعاون الخليجي في اليمن مدينة عدن.", "بعثة مجلس التعاون الخليجي في اليمن"),
    ("وقالت هيئة الأمم المتحدة للمرأة في بيان إن العنف تراجع.", "هيئة الأمم المتحدة للمرأة"),
    # a definite head and the adjectives that make it intergovernmental
    ("وأدانت اللجنة الرباعية العربية المكونة من أربع دول التدخل في شؤون المنطقة.", "اللجنة الرباعية العربية"),
    ("وترأس الوزيران اجتماعات اللجنة العليا المشتركة الأردنية العراقية في عمان.",
     "اللجنة العليا المشتركة الأردنية العراقية"),
    ("ودعت المجموعة العربية في نيويورك إلى جلسة طارئة.", "المجموعة العربية"),
    # news agencies the gazetteer does not list
    ("ونقلت وكالة أنباء تسنيم عن مصدر عسكري أن الهجوم صد.", "وكالة أنباء تسنيم"),
    ("وذكرت وكالة مهر للأنباء أن الوفد وصل إلى طهران.", "وكالة مهر للأنباء"),
])
def test_named_bodies(text, name):
    assert has(text, name), organizations(text)


def test_name_ends_at_verb_and_preposition():
    found = organizations("وأعلنت اللجنة الرباعية العربية رفضها للتدخل في شؤون المنطقة.")
    assert normalize_phrase("اللجنة الرباعية العربية") in found
    assert not any("رفضها" in n for n in found)


@pytest.mark.parametrize("text, name", [
    ("وقالت منظمة يونسكو إن المدينة القديمة مدرجة على قائمة التراث.", "اليونسكو"),  # the gazetteer's body
    ("وأكدت منظمة الأمم المتحدة للمرأة أن المساواة أولوية.", "هيئة الأمم المتحدة للمرأة"),
    ("وسيطرت ميليشيات فجر ليبيا على مطار طرابلس.", "فجر ليبيا"),
    ("وقصفت مليشيات الحوثي أحياء سكنية في تعز.", "الحوثيون"),
    ("واشتبك مقاتلو الجيش الحر مع قوات النظام في ريف حلب.", "الجيش السوري الحر"),
    ("وقال الائتلاف الوطني لقوى الثورة والمعارضة السورية إن المفاوضات متعثرة.",
     "الائتلاف الوطني لقوى الثورة والمعارضة السورية"),
    ("وشنت طائرات تحالف دعم الشرعية في اليمن غارات على صنعاء.", "التحالف العربي"),
    ("وأكدت دول مجلس التعاون دعمها للحكومة الشرعية.", "مجلس التعاون لدول الخليج العربية"),
    ("واقترح الوزراء تشكيل القوة العربية المشتركة.", "القوة العربية المشتركة"),
    ("ونقلت وكالة أنباء دوجان عن شهود أن الانفجار وقع ليلا.", "وكالة أنباء دوجان"),
    ("وقالت خدمة العمل الخارجي للاتحاد الأوروبي إن الحوار سيستأنف.", "خدمة العمل الخارجي للاتحاد الأوروبي"),
    ("واجتمعت لجنة مبادرة السلام العربية في القاهرة.", "لجنة مبادرة السلام العربية"),
])
def test_gazetteer_gaps(text, name):
    assert has(text, name), organizations(text)


@pytest.mark.parametrize("text, name", [
    ("وقال متحدث باسم NATO إن المناورات ستبدأ الشهر المقبل.", "حلف شمال الأطلسي"),
    ("وأعلنت UNHCR أن عدد اللاجئين تضاعف.", "مفوضية الأمم المتحدة السامية لشؤون اللاجئين"),
    ("وتبنى تنظيم ISIS الهجوم على الحاجز.", "داعش"),
])
def test_latin_acronyms(text, name):
    assert has(text, name), organizations(text)


@pytest.mark.parametrize("text", [
    "ووافق مجلس الوزراء على مشروع النظام في جلسته أمس.",  # a national cabinet
    "وصوت مجلس النواب على الميزانية العامة للدولة.",  # a parliament
    "وقالت وزارة الخارجية في بيان إن السفير استدعي.",  # a ministry
    "وأعلنت اللجنة الأولمبية الدولية موعد الألعاب المقبلة.",  # sport
    "وعقدت اللجنة الفنية للاتحاد الآسيوي لكرة القدم اجتماعها.",  # a sports federation's committee
    "ووقعت شركة أرامكو السعودية عقدا مع شركة صينية.",  # a company
    "وفاز نادي الهلال على فريق النصر في المباراة.",  # clubs
    "وأكدت المنظمة الدولية أن المساعدات وصلت.",  # an anaphor, not a new body
    "وانتخب حزب العدالة والتنمية رئيسا جديدا له.",  # a party
])
def test_no_organization_outside_scope(text):
    assert not organizations(text), organizations(text)
