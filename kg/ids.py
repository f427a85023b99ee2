"""Stable entity ids: the Wikidata QID when known, otherwise a readable deterministic key.

A key is the entity type plus the Buckwalter-safe transliteration (camel-tools) of the
normalised name, so the same name always yields the same id, in any article and any run.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from camel_tools.utils.charmap import CharMapper

from kg.text import normalize_phrase

_TRANSLIT = CharMapper.builtin_mapper("ar2safebw")
_UNSAFE = re.compile(r"[^A-Za-z0-9_.~-]+")
_MAX_KEY = 80


@lru_cache(maxsize=100_000)
def name_key(name: str) -> str:
    """The matching key of a name: normalised tokens, with عبد joined to what follows (عبد الله = عبدالله)."""
    tokens = list(normalize_phrase(name))
    joined: list[str] = []
    for tok in tokens:
        if joined and joined[-1] == "عبد":
            joined[-1] += tok
        else:
            joined.append(tok)
    return " ".join(joined)


def entity_id(entity_type: str, name: str, wikidata: str | None = None) -> str:
    if wikidata:
        return wikidata
    slug = _UNSAFE.sub("_", _TRANSLIT(name_key(name)).replace(" ", "_")).strip("_") or "x"
    if len(slug) > _MAX_KEY:
        slug = slug[:_MAX_KEY] + "-" + digest(slug)
    return f"{entity_type.lower()}:{slug}"


def digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:12]


def part_of_name(tokens: tuple[str, ...], full: tuple[str, ...], patronymics: frozenset[str]) -> bool:
    """Is ``tokens`` (a name's name_key tokens) a shorter form of the name ``full``: from its given name on
    («محمد بن نايف» of «محمد بن نايف بن عبدالعزيز»), or its surname («الجبير»)? A tail with a patronymic in it
    is another person's name («سلمان بن عبدالعزيز» in «محمد بن سلمان بن عبدالعزيز»)."""
    if not tokens or len(tokens) > len(full):
        return False
    if full[-len(tokens):] == tokens and patronymics.isdisjoint(tokens):
        return True
    if tokens[0] != full[0]:
        return False
    rest = iter(full)
    return all(tok in rest for tok in tokens)
