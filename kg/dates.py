"""Dates in Arabic news: both month-name families, Maghrebi month names, and relative days.

Month names are data (``kg/data/patterns/dates.json``). Relative expressions (اليوم، أمس،
أول من أمس، يوم الأربعاء، الشهر الجاري) are resolved against the article's date when it is known.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from kg.text import Token, normalize

_PLACEHOLDER_YEARS = {1970}
_PROCLITICS = "وبفل"  # one-letter proclitics a month name or year can carry: «وفبراير»، «بيونيو»
_MONTH_RELATIVE = {"الجاري", "الماضي", "المنصرم"}


@dataclass(frozen=True)
class DateMention:
    start: int  # token indices in the sentence
    end: int
    value: str  # ISO date, or YYYY-MM / YYYY when that is all the text says


@cache
def _tables() -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    data = json.loads(resources.files("kg.data").joinpath("patterns/dates.json").read_text("utf-8"))
    months = {normalize(name): number for number, names in enumerate(data["months"], 1) for name in names}
    weekdays = {normalize(name): number for number, names in enumerate(data["weekdays"]) for name in names}
    relative = {normalize(k): v for k, v in data["relative_days"].items()}
    return months, weekdays, relative


@cache
def _triggers() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The first words of month names, the words a relative day can start with, and every token form
    at which a date can start (either, the month also after a one-letter proclitic).

    find_dates runs on every token of every sentence; one set look-up per token finds the few where a
    date can start (nearly none), and only those see the string building of _month and _relative.
    """
    months, _, relative = _tables()
    firsts = frozenset(name.split(" ", 1)[0] for name in months)
    relative_starts = frozenset({"اول", "يوم", "اليوم", *relative})
    return firsts, relative_starts, firsts | relative_starts | {p + f for p in _PROCLITICS for f in firsts}


def _may_start_month(norm: str) -> bool:
    """False when _month cannot match at a token of this form, with or without its one-letter proclitic."""
    firsts = _triggers()[0]
    return norm in firsts or (norm[:1] in _PROCLITICS and norm[1:] in firsts)


def _month(tokens: tuple[Token, ...], i: int) -> tuple[int, int] | None:
    """(month number, tokens it spans): كانون الثاني and تشرين الأول take two tokens."""
    months = _tables()[0]
    norm = tokens[i].norm
    for cand in (norm, norm[1:] if norm[:1] in _PROCLITICS else norm):
        if i + 1 < len(tokens) and f"{cand} {tokens[i + 1].norm}" in months:
            return months[f"{cand} {tokens[i + 1].norm}"], 2
        if cand in months:
            return months[cand], 1
    return None


def _year(tok: Token | None) -> int | None:
    if tok is None:
        return None
    digits = tok.norm.lstrip(_PROCLITICS)
    if digits.isdigit() and len(digits) == 4 and 1900 <= int(digits) <= 2100:
        return int(digits)
    return None


def find_dates(tokens: tuple[Token, ...], article_date: str | None) -> list[DateMention]:
    """Explicit dates (13 فبراير 2018، 4 - 5 نوفمبر الجاري، يونيو 2026) and relative days."""
    found: list[DateMention] = []
    ref = _parse_iso(article_date)
    n = len(tokens)
    _, relative_starts, date_starts = _triggers()
    end = 0  # tokens before end belong to the last date found
    for i in [k for k, tok in enumerate(tokens) if tok.norm in date_starts]:
        if i < end:
            continue
        tok = tokens[i]
        found_month = _month(tokens, i) if tok.is_word and _may_start_month(tok.norm) else None
        if found_month:
            month, width = found_month
            start, end = i, i + width
            day = None
            j = i - 1
            if j >= 0 and tokens[j].norm.isdigit() and 1 <= int(tokens[j].norm) <= 31:
                day, start = int(tokens[j].norm), j
            nxt = end + 1 if end < n and tokens[end].norm in {"،", ","} else end
            year = _year(tokens[nxt]) if nxt < n else None
            if year:
                end = nxt + 1
            elif nxt < n and tokens[nxt].norm in _MONTH_RELATIVE and ref:
                year, end = ref.year, nxt + 1  # نوفمبر الجاري, أكتوبر الماضي
                if month > ref.month:
                    year -= 1
            elif ref and day:
                year = ref.year if month <= ref.month else ref.year - 1
            if year and year not in _PLACEHOLDER_YEARS:
                found.append(DateMention(start, end, _iso(year, month, day)))
            continue
        rel = _relative(tokens, i, ref) if ref and tok.norm in relative_starts else None
        if rel and ref:
            offset, width = rel
            try:
                day_named = ref + dt.timedelta(days=offset)
            except OverflowError:  # «غدا» in an article dated 9999-12-31: no such day, the article stays
                continue
            found.append(DateMention(i, i + width, day_named.isoformat()))
            end = i + width
    return found


def _relative(tokens: tuple[Token, ...], i: int, ref: dt.date) -> tuple[int, int] | None:
    """(days relative to the article date, tokens consumed) for اليوم، أمس، أول من أمس، يوم الأربعاء.

    A weekday means the last such day on or before the article's date.
    """
    _, weekdays, relative = _tables()
    norm = tokens[i].norm
    if norm == "اول" and i + 2 < len(tokens) and tokens[i + 1].norm == "من" and tokens[i + 2].norm == "امس":
        return -2, 3
    if norm in ("يوم", "اليوم") and i + 1 < len(tokens) and tokens[i + 1].norm in weekdays:
        target = weekdays[tokens[i + 1].norm]
        return -((ref.weekday() - target) % 7), 2
    if norm in relative and norm not in _MONTH_RELATIVE:
        return relative[norm], 1
    return None


def _parse_iso(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _iso(year: int, month: int, day: int | None) -> str:
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return f"{year:04d}-{month:02d}"


def dateline(tokens: tuple[Token, ...]) -> str | None:
    """The first full explicit date in an article's opening, used when the loader knew none."""
    for d in find_dates(tokens, None):
        if len(d.value) == 10:
            return d.value
    return None
