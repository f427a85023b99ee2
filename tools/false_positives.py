"""How many facts the extractor invents in news that is not about diplomacy: facts per 1,000 articles.

    python tools/false_positives.py [PATHS ...] [--sections sport,culture,economy | --all]
                                    [--sample 50 --seed 1]

Default PATHS: the two corpora of ``../shared/corpus``. The section of an article is read from its id
(Jawhara FM: «JA-sport-…») or its URL (SaudiNewsNet: «3alyoum.com/sports/…», «alwatan.com.sa/Economy/…»,
and the sports dailies arreyadi and arriyadiyah); articles whose section cannot be told are left out,
unless ``--all`` asks for every article (then they count as «unknown»). Sport, culture and economy
news should yield almost no diplomatic facts, so whatever is extracted there is very likely a false
positive: the per-1,000 figures track that rate, and ``--sample`` prints a seeded random sample of the
facts (subject, predicate, object, rule, sentence) for a human to judge. Nothing is written to disk.
Extraction runs in this one process, so the articles/s figure is comparable between runs.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.extract import extract  # noqa: E402
from kg.gazetteer import load_gazetteer  # noqa: E402
from kg.model import PREDICATES, Article  # noqa: E402
from loaders import iter_articles  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
DEFAULT_PATHS = [CORPUS / "jawharafm.jsonl.gz", CORPUS / "saudinewsnet.jsonl.gz"]
OFF_TOPIC = ("sport", "culture", "economy")
# The outlets' own section names, folded onto one vocabulary.
SECTION_NAMES = {
    "sport": "sport", "sports": "sport", "culture": "culture", "economy": "economy", "finance": "economy",
    "technology": "technology", "politic": "politics", "politics": "politics", "pol": "politics",
    "internationalnews": "international", "golobal": "international", "nation": "national",
    "localnews": "local", "local": "local", "society": "society", "diverse": "diverse",
    "opinion": "opinion", "articles": "opinion",
}
SPORTS_OUTLETS = {"arreyadi", "arriyadiyah"}


def section_of(article: Article) -> str | None:
    """The article's section, or None when neither its id nor its URL says."""
    parts = article.id.split("-")
    if article.id.startswith("JA-") and len(parts) > 2:
        return SECTION_NAMES.get(parts[1].lower(), parts[1].lower())
    if article.source in SPORTS_OUTLETS:
        return "sport"
    if not article.url:
        return None
    segments = [s.lower() for s in unquote(urlsplit(article.url).path).split("/") if s]
    host = urlsplit(article.url).netloc
    if "3alyoum.com" in host and segments:
        # «/news/pol/a/…» names a subsection after «news»; «/sports/a/…» only the section
        name = segments[1] if segments[0] == "news" and len(segments) > 2 and segments[1] != "a" else segments[0]
        return SECTION_NAMES.get(name)
    if "alwatan.com.sa" in host and segments:
        return SECTION_NAMES.get(segments[0])
    return None


@dataclass(frozen=True)
class Fact:
    article: str
    section: str
    subject: str
    predicate: str
    object: str
    rule: str
    sentence: str


def run(paths: Iterable[Path], sections: set[str] | None) -> tuple[Counter, Counter, list[Fact], float, set]:
    """Extract the chosen articles: articles per section, facts per (section, predicate), the facts,
    seconds spent extracting, and the distinct (subject, predicate, object) edges."""
    gaz = load_gazetteer()
    articles: Counter[str] = Counter()
    facts: Counter[tuple[str, str]] = Counter()
    found: list[Fact] = []
    edges: set[tuple[str, str, str]] = set()
    seconds = 0.0
    for item in iter_articles(paths):
        if not isinstance(item, Article):
            print(f"skipped: {item}", file=sys.stderr)
            continue
        section = section_of(item) or ("unknown" if sections is None else None)
        if section is None or (sections is not None and section not in sections):
            continue
        t0 = time.perf_counter()
        ex = extract(item, gaz)
        seconds += time.perf_counter() - t0
        articles[section] += 1
        for t in ex.triples:
            facts[section, t.predicate] += 1
            edges.add((t.subject, t.predicate, t.object))
            s, o = ex.entities.get(t.subject), ex.entities.get(t.object)
            found.append(Fact(item.id, section, s.name if s else t.subject, t.predicate, o.name if o else t.object,
                              t.evidence.rule, t.evidence.sentence.strip()))
    return articles, facts, found, seconds, edges


def report(articles: Counter, facts: Counter, seconds: float, edges: set, rules: Counter) -> None:
    sections = sorted(articles, key=lambda s: (-articles[s], s))
    predicates = [p for p in PREDICATES if any(facts[s, p] for s in sections)]
    total = sum(articles.values())
    print(f"{total:,} articles extracted in {seconds:.1f} s ({total / seconds if seconds else 0:.0f} articles/s)")
    print(f"{sum(facts.values()):,} facts, {len(edges):,} distinct (subject, predicate, object) edges\n")
    print("facts per 1,000 articles")
    print(f"{'predicate':<16}" + "".join(f"{s:>14}" for s in sections) + f"{'all':>14}")
    for p in predicates + ["all"]:
        row = [sum(facts[s, q] for q in predicates) if p == "all" else facts[s, p] for s in sections]
        per = [1000 * n / articles[s] for n, s in zip(row, sections, strict=True)]
        print(f"{p:<16}" + "".join(f"{x:>14.1f}" for x in per) + f"{1000 * sum(row) / total:>14.1f}")
    print(f"{'(articles)':<16}" + "".join(f"{articles[s]:>14,}" for s in sections) + f"{total:>14,}")
    print("\nfacts per 1,000 articles, by rule (all sections)")
    for rule, n in rules.most_common():
        print(f"{rule:<32}{1000 * n / total:>8.1f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, default=DEFAULT_PATHS, help="corpus files (default: both)")
    parser.add_argument("--sections", default=",".join(OFF_TOPIC), help="comma-separated sections to extract")
    parser.add_argument("--all", action="store_true", help="every article, whatever its section")
    parser.add_argument("--sample", type=int, default=0, help="print this many facts, chosen at random")
    parser.add_argument("--seed", type=int, default=1, help="seed of the random sample")
    args = parser.parse_args(argv)

    chosen = None if args.all else {s.strip() for s in args.sections.split(",") if s.strip()}
    articles, facts, found, seconds, edges = run(args.paths, chosen)
    if not articles:
        print("no article of the chosen sections", file=sys.stderr)
        return 1
    report(articles, facts, seconds, edges, Counter(f.rule for f in found))
    if args.sample:
        sample = random.Random(args.seed).sample(found, min(args.sample, len(found)))
        print(f"\nsample of {len(sample)} facts (seed {args.seed})")
        for n, f in enumerate(sample, 1):
            print(f"\n{n}. [{f.article}] {f.subject} {f.predicate} {f.object}  ({f.rule})\n   {f.sentence}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
