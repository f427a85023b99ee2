"""Benchmarks: extraction, memory, Neo4j load and Turtle export, for the first N articles of a corpus.

Each size runs in a fresh Python process, so its peak memory is its own and not the high-water mark
of an earlier, larger run. The figures:

* extraction: articles/s and MB/s of article text (UTF-8), end to end from reading the corpus to a
  written ``triples.jsonl`` (load, extract, merge, write);
* peak RSS of the building process and of the largest extraction worker (``VmHWM`` in ``/proc``);
* Neo4j: relationships/s of :func:`kg.neo4j.writer.load_graph` into an emptied database, twice:
  the first load, and the same load again into the emptied database. The second is the rate of a
  server that has run for a while: on a server just started, the JVM compiles Neo4j's write path
  during the first loads, and on two cores that compiling takes CPU from the writes;
* Turtle: triples/s of :func:`kg.export.rdf.write_turtle` (the triples are counted afterwards, untimed).

Neo4j is the server of ``NEO4J_URI``/``NEO4J_USER``/``NEO4J_PASSWORD`` when set (its database is
EMPTIED before each load: never point this at data you want to keep), else a private bundled server
in a temporary folder, started for the run and stopped after it.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from kg.errors import KGError, Neo4jError

ALL = 0  # a size of 0 means the whole corpus
DEFAULT_SIZES = (1000, 10000, ALL)


@dataclass
class BenchResult:
    """The figures of one size. Rates are 0 when the step was not run."""

    size: str
    articles: int
    skipped: int
    workers: int
    text_mb: float
    extract_s: float
    articles_per_s: float
    mb_per_s: float
    peak_rss_mb: float
    worker_peak_rss_mb: float
    entities: int
    relationships: int
    neo4j_relationships: int = 0
    neo4j_s: float = 0.0
    neo4j_rel_per_s: float = 0.0
    neo4j_warm_s: float = 0.0
    neo4j_warm_rel_per_s: float = 0.0
    turtle_triples: int = 0
    turtle_s: float = 0.0
    turtle_triples_per_s: float = 0.0


# --------------------------------------------------------------------------- memory


def _rss_peak_kb(pid: int | str) -> int:
    """Peak resident set (VmHWM) of a live process, in KiB; 0 if it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


class WorkerPeak:
    """Samples the peak RSS of this process's descendants (extraction workers) in a thread.

    Workers start from the forkserver, not from this process's memory, so their own peak is what
    counts; VmHWM only grows, so sampling twice a second misses at most the last half second.
    """

    def __init__(self, interval: float = 0.5) -> None:
        self.interval = interval
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.wait(self.interval):
            for pid in _descendants(me):
                self.peak_kb = max(self.peak_kb, _rss_peak_kb(pid))

    def __enter__(self) -> WorkerPeak:
        if Path("/proc/self/status").exists():
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()


# --------------------------------------------------------------------------- one size, in a child process


def _count_triples(graph: Any, base_iri: str, folder: Path) -> int:
    """Triples in the RDF export, counted on its N-Triples form (one triple a line): parsing the
    Turtle back would take longer than writing it."""
    from kg.export import rdf

    path = folder / "count.nt"
    rdf.write_rdf(graph, path, "nt", base_iri)
    with path.open("rb") as fh:
        n = sum(1 for line in fh if line.strip() and not line.startswith(b"#"))
    path.unlink()
    return n


def measure(paths: list[str], size: int, workers: int, out_dir: str, neo4j: dict[str, str] | None,
            turtle: bool, batch_size: int) -> BenchResult:
    """Build, write and load the first ``size`` articles (0: all) in this process; the figures."""
    from kg.export.jsonl import write_jsonl
    from kg.export.rdf import DEFAULT_BASE, write_turtle
    from kg.pipeline import build_graph

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with WorkerPeak() as peak:
        graph, report = build_graph(paths, workers=workers, limit=size or None)
    write_jsonl(graph, out / "triples.jsonl")
    extract_s = time.perf_counter() - started
    edges = graph.g.number_of_edges()
    result = BenchResult(
        size=str(size or "all"), articles=report.articles, skipped=len(report.skipped), workers=workers,
        text_mb=report.text_bytes / 1e6, extract_s=extract_s, articles_per_s=report.articles / extract_s,
        mb_per_s=report.text_bytes / 1e6 / extract_s, peak_rss_mb=0.0, worker_peak_rss_mb=peak.peak_kb / 1024,
        entities=sum(report.entities_by_type.values()), relationships=edges,
    )
    if turtle:
        t0 = time.perf_counter()
        write_turtle(graph, out / "graph.ttl", base_iri=DEFAULT_BASE)
        result.turtle_s = time.perf_counter() - t0
        result.turtle_triples = _count_triples(graph, DEFAULT_BASE, out)
        result.turtle_triples_per_s = result.turtle_triples / result.turtle_s
    if neo4j is not None:
        from kg.neo4j.server import ConnectionInfo
        from kg.neo4j.writer import load_graph

        info = ConnectionInfo(neo4j["uri"], neo4j["user"], neo4j["password"])
        loads = []
        for _ in range(2):
            empty_database(info)
            loads.append(load_graph(graph, info, batch_size=batch_size))
        first, warm = loads
        result.neo4j_relationships, result.neo4j_s = first.relationships, first.seconds
        result.neo4j_warm_s = warm.seconds
        result.neo4j_rel_per_s = first.relationships / first.seconds if first.seconds else 0.0
        result.neo4j_warm_rel_per_s = warm.relationships / warm.seconds if warm.seconds else 0.0
    result.peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def empty_database(info: Any) -> None:  # info: ConnectionInfo
    """Delete every node and relationship, in batches so a large graph fits the transaction memory."""
    from neo4j import exceptions as nx

    from kg.neo4j.server import open_driver

    driver = open_driver(info)
    try:
        with driver.session() as session:  # CALL … IN TRANSACTIONS needs an auto-commit transaction
            # Relationships first: DETACH DELETE of 10,000 nodes at once would also take every relationship
            # of hub entities (tens of thousands of MENTIONED_IN) into one transaction.
            session.run("MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS").consume()
            session.run("MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
    except (nx.Neo4jError, nx.DriverError) as exc:
        raise Neo4jError(f"cannot empty the database at {info.uri}: {getattr(exc, 'message', None) or exc}") from exc
    finally:
        driver.close()


def _child() -> None:
    """``python -m kg.bench`` with one JSON job on stdin: measure it, print the result as JSON."""
    job = json.loads(sys.stdin.read())
    try:
        result = measure(**job)
    except KGError as err:
        print(json.dumps({"error": str(err)}))
        return
    print(json.dumps(asdict(result)))


# --------------------------------------------------------------------------- driver


def run_bench(paths: list[str | Path], sizes: tuple[int, ...] = DEFAULT_SIZES, *, workers: int = 1,
              neo4j: bool = True, turtle: bool = True, batch_size: int | None = None,
              on_result: Any = None) -> list[BenchResult]:
    """Measure every size (0: the whole corpus), each in a fresh process; ``on_result`` sees each result."""
    from kg.neo4j.writer import DEFAULT_BATCH_SIZE

    if not sizes:
        raise KGError("no sizes to measure")
    for p in paths:
        if not Path(p).exists():
            raise KGError(f"{p}: no such corpus file or folder")
    results: list[BenchResult] = []
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp, _neo4j(neo4j, Path(tmp)) as info:
        for size in sizes:
            job = {"paths": [str(p) for p in paths], "size": size, "workers": workers,
                   "out_dir": str(Path(tmp) / f"out-{size or 'all'}"), "neo4j": info, "turtle": turtle,
                   "batch_size": batch_size or DEFAULT_BATCH_SIZE}
            proc = subprocess.run([sys.executable, "-m", "kg.bench"], input=json.dumps(job), capture_output=True,
                                  text=True, check=False)
            lines = proc.stdout.strip().splitlines()
            if proc.returncode != 0 or not lines:
                tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
                raise KGError(f"the benchmark of size {size or 'all'} failed: {tail}")
            data = json.loads(lines[-1])
            if "error" in data:
                raise KGError(data["error"])
            result = BenchResult(**data)
            results.append(result)
            if on_result is not None:
                on_result(result)
    return results


class _neo4j:
    """The Neo4j to load into, as a dict for the child process, or None when not wanted."""

    def __init__(self, wanted: bool, tmp: Path) -> None:
        self.wanted, self.server, self.home = wanted, None, tmp / "neo4j-home"

    def __enter__(self) -> dict[str, str] | None:
        if not self.wanted:
            return None
        from kg.neo4j.server import Neo4jServer, connection_from_env_or_server, default_cache_dir

        if os.environ.get("NEO4J_URI"):
            info = connection_from_env_or_server()
        else:
            self.server = Neo4jServer(self.home, cache_dir=default_cache_dir())
            started = self.server.start()
            info = type(started)(started.uri, started.user, self.server.read_password() or started.password)
        return {"uri": info.uri, "user": info.user, "password": info.password}

    def __exit__(self, *exc: object) -> None:
        if self.server is not None:
            self.server.stop()


# --------------------------------------------------------------------------- output

COLUMNS = (
    ("size", "size", "{}"), ("articles", "articles", "{:,}"), ("workers", "workers", "{}"),
    ("text_mb", "text MB", "{:.1f}"), ("extract_s", "extract s", "{:.1f}"), ("articles_per_s", "articles/s", "{:.0f}"),
    ("mb_per_s", "MB/s", "{:.2f}"), ("peak_rss_mb", "peak RSS MB", "{:.0f}"),
    ("worker_peak_rss_mb", "worker RSS MB", "{:.0f}"), ("relationships", "edges", "{:,}"),
    ("neo4j_rel_per_s", "neo4j rel/s", "{:,.0f}"), ("neo4j_s", "neo4j s", "{:.1f}"),
    ("neo4j_warm_rel_per_s", "again rel/s", "{:,.0f}"),
    ("turtle_triples", "ttl triples", "{:,}"), ("turtle_triples_per_s", "ttl triples/s", "{:,.0f}"),
)


def format_table(results: list[BenchResult]) -> str:
    """The results as an aligned text table, one row per size."""
    known = {f.name for f in fields(BenchResult)}
    cols = [(key, head, fmt) for key, head, fmt in COLUMNS if key in known]
    rows = [[head for _, head, _ in cols]]
    rows += [[fmt.format(getattr(r, key)) for key, _, fmt in cols] for r in results]
    widths = [max(len(row[i]) for row in rows) for i in range(len(cols))]
    lines = ["  ".join(cell.rjust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(lines)


def format_json(results: list[BenchResult]) -> str:
    return json.dumps([asdict(r) for r in results], indent=1)


if __name__ == "__main__":
    _child()
