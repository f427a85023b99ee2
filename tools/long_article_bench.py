"""How the cost of one long article grows with its length, and what one huge article costs end to end.

    python tools/long_article_bench.py [--source FILE ...] [--sizes 0.5,1,2,4] [--huge 50]

A long article is made by repeating the source articles (default: the repository's seeds) up to each
size in MB of UTF-8. For each size, the extractor runs on the whole text, past the loaders' cut, and the
CPU seconds per MB show whether extraction stays linear. Then ``kg build`` reads one ``--huge`` MB
article in a fresh process (one worker), and its wall time and peak memory are what the budget of the
README (60 s, 1 GiB) is checked against. Nothing but temporary files is written.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def long_text(sources: list[Path], megabytes: float) -> str:
    unit = "\n".join(p.read_text(encoding="utf-8") for p in sources) + "\n"
    target = int(megabytes * 1024 * 1024)
    return unit * (target // len(unit.encode("utf-8")) + 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, nargs="*", default=sorted((ROOT / "seeds").glob("*.txt")))
    parser.add_argument("--sizes", default="0.5,1,2,4", help="MB of text the extractor reads whole")
    parser.add_argument("--huge", type=float, default=50, help="MB of the one article kg build reads")
    args = parser.parse_args()

    from kg.extract import extract
    from kg.gazetteer import load_gazetteer
    from kg.model import Article
    from loaders.furniture import find_furniture

    gaz = load_gazetteer()
    extract(Article("warm-up", args.source[0].read_text(encoding="utf-8")), gaz)
    print(f"{'MB':>6} {'characters':>12} {'CPU s':>8} {'s per MB':>9} {'triples':>8}")
    for size in (float(s) for s in args.sizes.split(",")):
        text = long_text(args.source, size)
        started = time.process_time()
        triples = len(extract(Article("long", text, furniture=find_furniture(text)), gaz).triples)
        spent = time.process_time() - started
        print(f"{size:6.1f} {len(text):12,} {spent:8.2f} {spent / size:9.2f} {triples:8}", flush=True)

    with tempfile.TemporaryDirectory(prefix="kg-long-") as tmp:
        path = Path(tmp, "huge.txt")
        path.write_text(long_text(args.source, args.huge), encoding="utf-8")
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "kg.cli", "build", "--workers", "1", str(path),
                               "--out", str(Path(tmp, "out"))], capture_output=True, text=True, cwd=ROOT)
        wall = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"kg build of one {path.stat().st_size / 1e6:,.1f} MB article: exit {done.returncode}, "
              f"{wall:.1f} s, peak {peak:,.0f} MB")
        for line in done.stdout.splitlines() + done.stderr.splitlines()[-1:]:
            if line.startswith("articles:") or "characters, more than" in line or line.startswith("kg: "):
                print("  " + line.strip())


if __name__ == "__main__":
    main()
