"""Are the persons the extractor finds real names with the right boundaries? A seeded sample to judge by hand.

    python tools/person_sample.py [PATH] [--articles 2000] [--sample 50] [--seed 12]

Default PATH: ``../shared/corpus/saudinewsnet.jsonl.gz``. Builds the graph of the first ``--articles``
articles in this one process, draws ``--sample`` Person entities with a fixed seed and prints, for each,
its name, aliases, fact count and the sentence of its first mention with the name marked «[...]», for a
human to judge: is it a person's name, and does the span hold the whole name and nothing more? The counts
it prints first (persons, persons without any fact) track junk across changes. Nothing is written to disk.
"""

from __future__ import annotations

import argparse
import random
import sys
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.model import Article  # noqa: E402
from kg.pipeline import build_graph  # noqa: E402
from loaders import iter_articles  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "corpus" / "saudinewsnet.jsonl.gz"


def context(text: str, start: int, end: int, width: int = 70) -> str:
    left = text[max(0, start - width):start].rsplit("\n", 1)[-1]
    right = text[end:end + width].split("\n", 1)[0]
    return f"{left}[{text[start:end]}]{right}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default=str(DEFAULT))
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--sample", type=int, default=50)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args(argv)

    graph, report = build_graph([args.path], limit=args.articles)
    persons = [(node, data) for node, data in graph.entities() if data["type"] == "Person"]
    bare = sum(1 for node, _ in persons if not graph.facts(node))
    print(f"{report.articles} articles, {len(persons)} persons, {bare} of them without any fact")
    sample = random.Random(args.seed).sample(persons, min(args.sample, len(persons)))
    wanted = {min(data["mentions"]) for _, data in sample if data["mentions"]}
    texts = {item.id: item.text for item in islice(iter_articles([args.path]), args.articles)
             if isinstance(item, Article) and item.id in wanted}
    for n, (node, data) in enumerate(sample, 1):
        article = min(data["mentions"]) if data["mentions"] else ""
        first = data["mentions"][article][0] if article else None
        where = context(texts[article], first[0], first[1]) if first and article in texts else "(no mention)"
        aliases = "، ".join(data["aliases"][:4])
        print(f"{n:2}. {data['name']}  |  aliases: {aliases or '-'}  |  facts: {graph.facts(node)}")
        print(f"    {article}: {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
