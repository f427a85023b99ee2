"""Benchmark `load_graph`: build the graph of PATHS, empty the database, time one full load.

    python tools/bench_neo4j.py [PATHS ...] [--batch-size N]

Default PATHS: the seeds. Connects to NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD when set; otherwise uses the
bundled server, starting it if needed and stopping it again at the end if this script started it.
The database is EMPTIED first: never point this at a Neo4j holding data you want to keep.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.errors import KGError, Neo4jError  # noqa: E402
from kg.neo4j.server import connection_from_env_or_server, open_driver, server_status, start_server, stop_server  # noqa: E402
from kg.neo4j.writer import DEFAULT_BATCH_SIZE, MENTIONED_IN, load_graph  # noqa: E402
from kg.pipeline import build_graph  # noqa: E402


def empty_database(info) -> None:  # info: ConnectionInfo
    """Delete every node and relationship, in batches so a large graph fits the transaction memory."""
    from neo4j import exceptions as nx

    driver = open_driver(info)
    try:
        with driver.session() as session:  # CALL … IN TRANSACTIONS needs an implicit (auto-commit) transaction
            # Relationships first: DETACH DELETE of 10,000 nodes at once would also take every relationship
            # of hub entities (tens of thousands of MENTIONED_IN) into one transaction and exceed the memory pool.
            session.run("MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS").consume()
            session.run("MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
    except (nx.Neo4jError, nx.DriverError) as exc:
        raise Neo4jError(f"cannot empty the database at {info.uri}: {getattr(exc, 'message', None) or exc}") from exc
    finally:
        driver.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, default=[ROOT / "seeds"], help="articles (default: seeds)")
    parser.add_argument("--runs", type=int, default=1, help="empty-and-load this many times (first run is cold)")
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE, help="rows per write transaction")
    args = parser.parse_args(argv)

    started_here = False
    try:
        if not os.environ.get("NEO4J_URI") and not server_status().running:
            start_server()
            started_here = True
        info = connection_from_env_or_server()
        print(f"neo4j: {info.uri}" + (" (started for this run)" if started_here else ""))

        t0 = time.monotonic()
        graph, report = build_graph(args.paths)
        build_s = time.monotonic() - t0
        mentions = sum(1 for *_, d in graph.relations(include_mentions=True) if d["predicate"] == MENTIONED_IN)
        print(f"paths: {' '.join(str(p) for p in args.paths)}")
        print(f"build: {report.articles} articles ({len(report.skipped)} skipped) in {build_s:.1f} s")
        print(
            f"graph: {graph.g.number_of_nodes()} nodes, {graph.g.number_of_edges()} relationships "
            f"(of which {mentions} MENTIONED_IN)"
        )

        for run in range(1, max(args.runs, 1) + 1):
            empty_database(info)
            stats = load_graph(graph, info, batch_size=args.batch_size)
            rate = stats.relationships / stats.seconds if stats.seconds else float("inf")
            by_type = ", ".join(f"{k} {v}" for k, v in sorted(stats.relationships_by_type.items()))
            mentioned = stats.relationships_by_type.get(MENTIONED_IN, 0)
            print(f"--- load run {run}/{args.runs}: batch size {args.batch_size}, {stats.batches} batches")
            print(f"nodes: {stats.nodes}")
            print(f"relationships: {stats.relationships} (MENTIONED_IN {mentioned})")
            print(f"  by type: {by_type}")
            print(f"database after load: {stats.db_nodes} nodes, {stats.db_relationships} relationships")
            print(f"seconds: {stats.seconds:.2f}")
            print(f"relationships/second: {rate:.0f}")
    except KGError as err:
        print(f"bench_neo4j: error: {err}", file=sys.stderr)
        return 1
    finally:
        if started_here:
            stop_server()
            print("neo4j: stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
