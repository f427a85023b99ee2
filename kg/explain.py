"""Why each fact of an article was made: the rule, its priority, and the words its anchor and slots matched.

A user who adds a rule runs ``kg explain ARTICLE`` to see whether it fired, and which rule outranked it.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.extract import ArticleExtractor
from kg.gazetteer import Gazetteer
from kg.model import Article
from kg.rules import Match


@dataclass(frozen=True)
class Explanation:
    subject: str
    predicate: str
    object: str
    kept: bool  # False: outranked by another rule, or the same fact read again in a later sentence
    match: Match
    sentence: int  # character offset of the sentence it fired in


def explain(article: Article, gaz: Gazetteer) -> list[Explanation]:
    ex = ArticleExtractor(article, gaz)
    result = ex.run()
    names = {key: c.name for key, c in ex.clusters.items()}
    kept = {(t.subject, t.predicate, t.object, t.properties): t for t in result.triples}
    out, seen = [], set()
    for key, match, start in ex.fired:
        if (key, match.rule, start) in seen:  # the same rule on the same fact in one sentence, from two anchors
            continue
        seen.add((key, match.rule, start))
        triple = kept.get(key)
        recorded = bool(triple and triple.evidence.rule == match.rule and triple.evidence.start == start)
        out.append(Explanation(names.get(key[0], key[0]), key[1], names.get(key[2], key[2]), recorded, match, start))
    return out


def format_explanations(items: list[Explanation]) -> str:
    lines = []
    for e in items:
        m = e.match
        mark = "+" if e.kept else "-"
        slots = f"anchor «{m.anchor}» subject «{m.subject}» object «{m.object}»" if m.anchor or m.subject else ""
        lines.append(f"{mark} @{e.sentence} {e.subject} {e.predicate} {e.object}"
                     f"  [{m.rule} p={m.priority} c={m.confidence:g}]"
                     + (f"  {slots}" if slots else ""))
    return "\n".join(lines) if lines else "(no facts)"
