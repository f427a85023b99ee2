"""Which rule made each fact of the seed articles.

``tests/data/seed_rules.json`` lists, per seed article, every fact as «subject PREDICATE object <- rule».
A change to a rule's priority or reach that changes which rule records a seed fact, or adds or drops one,
fails here, so it is a decision a reviewer sees in the diff of that file (rebuild it with the snippet in
the README, Adding a rule), never a side effect of the order rules run in.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.extract import extract
from kg.gazetteer import load_gazetteer
from loaders import iter_articles

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
EXPECTED = json.loads((Path(__file__).parent / "data" / "seed_rules.json").read_text(encoding="utf-8"))


def rows(article) -> list[str]:
    ex = extract(article, load_gazetteer())
    return sorted({f"{ex.entities[t.subject].name} {t.predicate} {ex.entities[t.object].name} <- {t.evidence.rule}"
                   for t in ex.triples})


@pytest.mark.parametrize("article", list(iter_articles([SEEDS])), ids=lambda a: a.id)
def test_seed_fact_rules(article) -> None:
    assert rows(article) == EXPECTED[article.id]
