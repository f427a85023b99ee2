"""Loading the graph into a real Neo4j 5.26 and querying it: idempotency, order, increments,
interruption, injection, wrong password, and every named query on the seeds' graph. No mocks."""

from __future__ import annotations

import json
import os
import re
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from neo4j.exceptions import ConstraintError

from kg.errors import Neo4jError
from kg.extract import extract
from kg.gazetteer import load_gazetteer
from kg.graph import KnowledgeGraph
from kg.model import Article, Entity, Evidence, Extraction, Triple
from kg.neo4j.bulk import import_graph
from kg.neo4j.cli import load_cmd, query_cmd
from kg.neo4j.queries import (
    QueryError,
    bind_params,
    format_result,
    list_queries,
    load_query,
    parse_param_pairs,
    run_query,
)
from kg.neo4j.server import ConnectionInfo, Neo4jServer, default_cache_dir, open_driver
from kg.neo4j.writer import (
    ARTICLES,
    ENTITIES,
    MENTIONS,
    RELATIONS,
    _nodes_tx,
    _relations_tx,
    apply_schema,
    load_graph,
    plan_batches,
    read_graph,
    schema_statements,
)

pytest_plugins = ["tests.neo4j_fixture"]
pytestmark = pytest.mark.neo4j

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
EVIL = "x'}) DETACH DELETE n //"


# --------------------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    paths = sorted(SEEDS.glob("*.txt"))
    assert len(paths) == 5
    return [Article(id=p.stem, text=p.read_text(encoding="utf-8")) for p in paths]


@pytest.fixture(scope="module")
def extractions(articles: list[Article]) -> dict[str, Extraction]:
    gaz = load_gazetteer()
    return {a.id: extract(a, gaz) for a in articles}


@pytest.fixture(scope="module")
def build(extractions: dict[str, Extraction]) -> Callable[..., KnowledgeGraph]:
    def _build(ids: list[str] | None = None) -> KnowledgeGraph:
        g = KnowledgeGraph()
        for aid in ids if ids is not None else sorted(extractions):
            g.add(extractions[aid])
        return g

    return _build


def _canon(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def dump(driver: Any) -> tuple[list[str], list[str]]:
    """Every node (labels, properties) and relationship (type, endpoints, properties), sorted."""
    nodes, _, _ = driver.execute_query("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props")
    rels, _, _ = driver.execute_query(
        "MATCH (s)-[r]->(o) RETURN type(r) AS type, s.id AS s, o.id AS o, properties(r) AS props"
    )
    node_dump = sorted(_canon([sorted(r["labels"]), r["props"]]) for r in nodes)
    rel_dump = sorted(_canon([r["type"], r["s"], r["o"], r["props"]]) for r in rels)
    return node_dump, rel_dump


def clear(driver: Any) -> None:
    driver.execute_query("MATCH (n) DETACH DELETE n")


def counts(driver: Any) -> tuple[int, int]:
    n = driver.execute_query("MATCH (n) RETURN count(n) AS c").records[0]["c"]
    r = driver.execute_query("MATCH ()-[r]->() RETURN count(r) AS c").records[0]["c"]
    return n, r


def _nx_edges(g: KnowledgeGraph) -> list:
    return sorted(
        (s, o, k, _canon({**d, "evidence": [list(vars(e).values()) for e in d["evidence"]]}))
        for s, o, k, d in g.g.edges(keys=True, data=True)
    )


def _nx_nodes(g: KnowledgeGraph) -> list:
    """Nodes as Neo4j keeps them: without the mention offsets, which only triples.jsonl carries."""
    return sorted((n, _canon({k: v for k, v in d.items() if k != "mentions"})) for n, d in g.g.nodes(data=True))


# --------------------------------------------------------------------------- loading


def test_schema_file_has_a_unique_id_per_label() -> None:
    stmts = schema_statements()
    for label in ("Person", "State", "Organization", "Meeting", "Resolution", "Document", "Place", "Article"):
        assert any(f"FOR (n:{label}) REQUIRE n.id IS UNIQUE" in s and "IF NOT EXISTS" in s for s in stmts), label
    assert any("INDEX" in s and "n.name" in s for s in stmts)


def test_seed_graph_loads_with_equal_counts_and_reads_back(
    neo4j_driver: Any, neo4j_server: ConnectionInfo, build: Callable[..., KnowledgeGraph]
) -> None:
    g = build()
    stats = load_graph(g, neo4j_server, batch_size=25)
    assert counts(neo4j_driver) == (g.g.number_of_nodes(), g.g.number_of_edges())
    assert (stats.db_nodes, stats.db_relationships) == (g.g.number_of_nodes(), g.g.number_of_edges())
    assert stats.nodes == g.g.number_of_nodes() and stats.relationships == g.g.number_of_edges()
    assert stats.batches > 10  # small batches really were used
    back = read_graph(neo4j_server)
    assert _nx_nodes(back) == _nx_nodes(g)
    assert _nx_edges(back) == _nx_edges(g)
    # constraints exist
    names = {r["name"] for r in neo4j_driver.execute_query("SHOW CONSTRAINTS YIELD name").records}
    assert {"person_id", "state_id", "article_id", "entity_id"} <= names


def test_schema_creates_only_what_is_missing(neo4j_driver: Any) -> None:
    apply_schema(neo4j_driver)
    assert apply_schema(neo4j_driver) == 0  # everything present: no statement runs
    neo4j_driver.execute_query("DROP INDEX entity_name")
    neo4j_driver.execute_query("DROP CONSTRAINT place_id")
    assert apply_schema(neo4j_driver) == 2
    indexes = {r["name"] for r in neo4j_driver.execute_query("SHOW INDEXES YIELD name").records}
    constraints = {r["name"] for r in neo4j_driver.execute_query("SHOW CONSTRAINTS YIELD name").records}
    assert "entity_name" in indexes and "place_id" in constraints
    assert apply_schema(neo4j_driver) == 0


def test_provenance_is_kept_and_merged(
    neo4j_driver: Any, neo4j_server: ConnectionInfo, build: Callable[..., KnowledgeGraph]
) -> None:
    load_graph(build(), neo4j_server)
    rec = neo4j_driver.execute_query(
        "MATCH (:Entity {name: 'داعش'})-[r:OPERATES_IN]->(:Entity {name: 'العراق'}) RETURN r"
    ).records[0]["r"]
    assert len(rec["articles"]) == 2 and len(set(rec["articles"])) == 2  # two articles state one fact
    n = len(rec["articles"])
    assert all(len(rec[k]) == n for k in ("sentences", "starts", "ends", "rules", "confidences"))
    assert all(s < e for s, e in zip(rec["starts"], rec["ends"], strict=True))
    mentions = neo4j_driver.execute_query(
        "MATCH (:Entity {id: 'Q817'})-[:MENTIONED_IN]->(a:Article) RETURN a.id AS id ORDER BY id"
    ).records
    assert [m["id"] for m in mentions] == ["000_9b9411f3ce8c0aee", "003_e1e820eec52d95b2", "004_f87deceac6bf3a27"]


def test_loading_twice_changes_nothing(
    neo4j_driver: Any, neo4j_server: ConnectionInfo, build: Callable[..., KnowledgeGraph]
) -> None:
    g = build()
    load_graph(g, neo4j_server)
    first = dump(neo4j_driver)
    load_graph(g, neo4j_server, batch_size=7)
    assert dump(neo4j_driver) == first


def test_reverse_order_gives_the_same_graph(
    neo4j_driver: Any,
    neo4j_server: ConnectionInfo,
    build: Callable[..., KnowledgeGraph],
    extractions: dict[str, Extraction],
) -> None:
    load_graph(build(), neo4j_server)
    forward = dump(neo4j_driver)
    clear(neo4j_driver)
    ids = sorted(extractions, reverse=True)
    for aid in ids:  # one article at a time, newest first
        load_graph(build([aid]), neo4j_server)
    assert dump(neo4j_driver) == forward
    clear(neo4j_driver)
    load_graph(build(ids), neo4j_server)
    assert dump(neo4j_driver) == forward


def test_incremental_load_merges_into_existing_entities(
    neo4j_driver: Any,
    neo4j_server: ConnectionInfo,
    build: Callable[..., KnowledgeGraph],
    extractions: dict[str, Extraction],
) -> None:
    ids = sorted(extractions)
    load_graph(build(), neo4j_server)
    full = dump(neo4j_driver)
    clear(neo4j_driver)
    load_graph(build(ids[:3]), neo4j_server)
    kuwait = neo4j_driver.execute_query("MATCH (n {id: 'Q817'}) RETURN n.articles AS a").records[0]["a"]
    assert kuwait == ["000_9b9411f3ce8c0aee"]
    load_graph(build(ids[3:]), neo4j_server)
    assert dump(neo4j_driver) == full


def test_create_fast_path_and_merge_path_give_the_same_graph(
    neo4j_driver: Any, neo4j_server: ConnectionInfo, build: Callable[..., KnowledgeGraph]
) -> None:
    """A first load CREATEs every relationship (all endpoints new); after some nodes vanish, a reload
    mixes CREATE (relationships of the re-created nodes) and MERGE (the rest); a retried transaction
    MERGEs everything. All three end in the graph of a plain load, without a duplicate."""
    g = build()
    load_graph(g, neo4j_server)  # empty database: the CREATE path only
    full = dump(neo4j_driver)
    assert counts(neo4j_driver) == (g.g.number_of_nodes(), g.g.number_of_edges())
    neo4j_driver.execute_query("MATCH (n) WHERE n.id IN ['Q817', '000_9b9411f3ce8c0aee'] DETACH DELETE n")
    load_graph(g, neo4j_server, batch_size=7)  # both paths in one load
    assert dump(neo4j_driver) == full
    for kind in (MENTIONS, RELATIONS):
        rows = [r for k, chunk in plan_batches(g) if k == kind for r in chunk]
        entities = {r[0] for r in rows} if kind == MENTIONS else {r["s"] for r in rows}
        work = _relations_tx(kind, rows, entities, set())
        with neo4j_driver.session() as session:
            with pytest.raises(Neo4jError, match="rolled back"), session.begin_transaction() as tx:
                work(tx)  # first attempt: CREATE (would duplicate every relationship), then it fails
                raise Neo4jError("rolled back on purpose")
            n = sum(len(r[2]) for r in rows) if kind == MENTIONS else len(rows)
            assert session.execute_write(work) == n  # the retry: MERGE, no duplicate
        assert dump(neo4j_driver) == full
    for kind in (ENTITIES, ARTICLES):  # nodes "into an empty database": CREATE first, MERGE on retry
        rows = [r for k, chunk in plan_batches(g) if k == kind for r in chunk]
        node_work = _nodes_tx(kind, rows, into_empty=True)
        with neo4j_driver.session() as session:
            with pytest.raises(ConstraintError), session.begin_transaction() as tx:
                node_work(tx, set())  # the nodes exist: CREATE breaks the uniqueness constraint
            created: set[str] = set()
            assert session.execute_write(node_work, created) == len(rows) and not created
        assert dump(neo4j_driver) == full


def test_batch_count_mismatch_fails_loudly(
    neo4j_driver: Any, neo4j_server: ConnectionInfo, build: Callable[..., KnowledgeGraph]
) -> None:
    g = build()

    def sabotage(stats: Any) -> None:  # after the nodes, an endpoint vanishes behind the writer's back
        if stats.relationships == 0 and stats.nodes == g.g.number_of_nodes():
            neo4j_driver.execute_query("MATCH (n {id: 'Q817'}) DETACH DELETE n")

    with pytest.raises(Neo4jError, match=r"wrote \d+ of \d+ \w+ relationships"):
        load_graph(g, neo4j_server, on_batch=sabotage)
    load_graph(g, neo4j_server)  # a second run repairs it
    assert counts(neo4j_driver) == (g.g.number_of_nodes(), g.g.number_of_edges())


def test_injection_is_stored_as_data(
    neo4j_driver: Any, neo4j_server: ConnectionInfo, build: Callable[..., KnowledgeGraph]
) -> None:
    load_graph(build(), neo4j_server)
    n_nodes, n_rels = counts(neo4j_driver)
    sentence = "He said \"it's over\" — `x` \\ '}) MATCH (m) DETACH DELETE m //"
    article = Article(id="inj'1", text=sentence + " " + EVIL)
    evil_id = "person:" + EVIL
    entities = {
        evil_id: Entity(evil_id, "Person", EVIL, aliases={'"quoted" alias'}, attrs={"role": EVIL}),
        "Q817": Entity("Q817", "State", "الكويت", wikidata="Q817"),
    }
    triple = Triple(
        evil_id, "REPRESENTS", "Q817", Evidence(article.id, sentence, 0, len(sentence), "test", 0.5), (("role", EVIL),)
    )
    g = KnowledgeGraph()
    g.add(Extraction(article, entities, [triple]))
    load_graph(g, neo4j_server)
    assert counts(neo4j_driver) == (n_nodes + 2, n_rels + 3)  # person + article; REPRESENTS + 2 mentions
    rec = neo4j_driver.execute_query(
        "MATCH (p:Person {id: $id})-[r:REPRESENTS]->(s:State) RETURN p, r, s.name AS state", id=evil_id
    ).records[0]
    assert rec["p"]["name"] == EVIL and rec["p"]["role"] == EVIL
    assert rec["p"]["aliases"] == ['"quoted" alias']
    assert rec["r"]["role"] == EVIL and rec["r"]["sentences"] == [sentence]
    assert rec["state"] == "الكويت"
    result = run_query("represents_state", neo4j_server, {"state": "الكويت"})
    assert EVIL in [r["person"] for r in result.rows]
    assert "بدر المنيخ" in [r["person"] for r in result.rows]


@pytest.mark.parametrize("field", ["type", "predicate"])
def test_a_type_off_the_whitelist_stops_the_load_before_any_write(
    neo4j_driver: Any, neo4j_server: ConnectionInfo, build: Callable[..., KnowledgeGraph], field: str
) -> None:
    """Labels and relationship types reach Cypher as $(row.type); the batches are built in a
    background thread, and its error must reach the caller before the first batch is written."""
    clear(neo4j_driver)
    g = build()
    if field == "type":
        g.g.nodes["Q817"]["type"] = EVIL
    else:
        s, o, key, data = next((s, o, k, d) for s, o, k, d in g.g.edges(keys=True, data=True)
                               if d["predicate"] != "MENTIONED_IN")
        g.g.edges[s, o, key]["predicate"] = EVIL
    what = "entity type" if field == "type" else "relationship type"
    with pytest.raises(Neo4jError, match=f"cannot write {what} .*DETACH DELETE"):
        load_graph(g, neo4j_server)
    assert counts(neo4j_driver) == (0, 0)


def test_wrong_password_is_a_clear_error(neo4j_server: ConnectionInfo, build: Callable[..., KnowledgeGraph]) -> None:
    wrong = ConnectionInfo(neo4j_server.uri, neo4j_server.user, "not-the-password")
    with pytest.raises(Neo4jError, match="authentication failed for neo4j at bolt://"):
        load_graph(build(), wrong)
    with pytest.raises(Neo4jError, match="authentication failed"):
        run_query("most_connected", wrong)


def test_interrupted_load_then_rerun_equals_clean_load(tmp_path: Path, build: Callable[..., KnowledgeGraph]) -> None:
    """A private server (the session one keeps running): killed mid-load, restarted, reloaded."""
    server = Neo4jServer(tmp_path / "home", cache_dir=default_cache_dir())
    with pytest.MonkeyPatch.context() as mp:
        for name in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "KG_NEO4J_HOME"):
            mp.delenv(name, raising=False)
        info = server.start()
        try:
            g = build()
            load_graph(g, info, batch_size=10)
            driver = open_driver(info)
            try:
                clean = dump(driver)
                clear(driver)
            finally:
                driver.close()
            plan = plan_batches(g, 10)
            killed_at = [kind for kind, _ in plan].index(RELATIONS) + 3  # 3 relationship batches in
            killed: list[int] = []

            def kill(stats: Any) -> None:
                if stats.batches == killed_at:
                    pid = server.status().pid
                    assert pid
                    os.killpg(pid, signal.SIGKILL)
                    killed.append(pid)

            with pytest.raises(Neo4jError, match="lost the connection|cannot reach|rejected"):
                load_graph(g, info, batch_size=10, on_batch=kill, max_retry_time=2.0)
            assert killed and not server.status().running
            info = server.start()  # recovers from its transaction log
            driver = open_driver(info)
            try:
                partial = counts(driver)
                assert partial[0] == g.g.number_of_nodes() and 0 < partial[1] < g.g.number_of_edges()
                load_graph(g, info, batch_size=10)
                assert dump(driver) == clean
            finally:
                driver.close()
        finally:
            server.stop()


def _hostile_extraction() -> Extraction:
    """Quotes, commas, newlines, the CSV array delimiter, a lone surrogate and an empty alias list."""
    sentence = 'He said "it\'s over", twice;\nthen\x1fleft \ud800 — ' + EVIL
    article = Article(id='inj",1', text=sentence)
    evil_id = "person:" + EVIL
    entities = {
        evil_id: Entity(evil_id, "Person", EVIL + "\n,", aliases={'"quoted", alias', "a\x1fb"}, attrs={"role": EVIL}),
        "Q817": Entity("Q817", "State", "الكويت", wikidata="Q817"),
        "body:x": Entity("body:x", "Organization", "هيئة"),
    }
    triples = [
        Triple(evil_id, "REPRESENTS", "Q817", Evidence(article.id, sentence, 0, 7, "test", 0.5), (("role", EVIL),)),
        Triple(evil_id, "MEMBER_OF", "body:x", Evidence(article.id, sentence, 3, 9, "test", 0.25), ()),
    ]
    return Extraction(article, entities, triples)


def test_bulk_import_gives_the_database_a_load_gives(
    tmp_path: Path, neo4j_driver: Any, neo4j_server: ConnectionInfo, build: Callable[..., KnowledgeGraph]
) -> None:
    """neo4j-admin import of the CSV equals load_graph of the same graph, node for node and property
    for property; the import refuses a running server and a database with data unless told."""
    g = build()
    g.add(_hostile_extraction())
    assert any(not data.get("aliases") for _, data in g.entities())  # an empty list to restore
    clear(neo4j_driver)
    load_graph(g, neo4j_server)
    loaded = dump(neo4j_driver)
    server = Neo4jServer(tmp_path / "home", cache_dir=default_cache_dir())
    with pytest.MonkeyPatch.context() as mp:
        for name in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "KG_NEO4J_HOME"):
            mp.delenv(name, raising=False)
        try:
            stats = import_graph(g, server, csv_dir=tmp_path / "csv")
            assert (stats.nodes, stats.relationships) == (g.g.number_of_nodes(), g.g.number_of_edges())
            assert sorted(p.name for p in (tmp_path / "csv").glob("*.csv"))  # kept where asked
            driver = open_driver(server.connection_info())
            try:
                imported = dump(driver)
                for got, want in zip(imported, loaded, strict=True):  # the differing rows, if any
                    assert sorted(set(got) ^ set(want)) == []
                assert imported == loaded
                names = {r["name"] for r in driver.execute_query("SHOW CONSTRAINTS YIELD name").records}
                assert set(names) >= {"entity_id", "article_id"}
            finally:
                driver.close()
            with pytest.raises(Neo4jError, match="is running: stop it first"):
                import_graph(g, server)
            server.stop()
            with pytest.raises(Neo4jError, match="neo4j-admin database import failed: .*overwrite"):
                import_graph(g, server)
            import_graph(build(["000_9b9411f3ce8c0aee"]), server, overwrite=True)
            driver = open_driver(server.connection_info())
            try:
                assert counts(driver)[0] < g.g.number_of_nodes()
            finally:
                driver.close()
        finally:
            server.stop()


# --------------------------------------------------------------------------- queries


@pytest.fixture
def seeded(neo4j_driver: Any, neo4j_server: ConnectionInfo, build: Callable[..., KnowledgeGraph]) -> ConnectionInfo:
    load_graph(build(), neo4j_server)
    return neo4j_server


def _col(rows: list[dict[str, Any]], name: str) -> list[Any]:
    return [r[name] for r in rows]


def _check_represents(rows: list[dict]) -> None:
    assert {"بدر المنيخ", "حمد سليمان المشعان", "عبدالله اليحيا"} <= set(_col(rows, "person"))
    badr = next(r for r in rows if r["person"] == "بدر المنيخ")
    assert badr["role"] == "نائب المندوب الدائم" and badr["articles"] == ["000_9b9411f3ce8c0aee"]
    assert any(r["dates"] == ["2024-11-13"] for r in rows)


def _check_hosted(rows: list[dict]) -> None:
    assert len(rows) >= 2 and set(_col(rows, "host")) == {"الكويت"}
    assert any("حمد سليمان المشعان" in r["participants"] for r in rows)
    assert any(r["date"] == "2018-02-13" for r in rows)


def _check_established(rows: list[dict]) -> None:
    assert any(
        r["resolution"] == "القرار 2379 (2017)"
        and r["body"] == "فريق التحقيق"
        and r["adopted_by"] == ["مجلس الأمن"]
        and r["number"] == "2379"
        for r in rows
    )


def _check_facts(rows: list[dict]) -> None:
    preds = set(_col(rows, "predicate"))
    assert {"REPRESENTS", "PARTICIPATED_IN", "CITES"} <= preds
    assert all(r["article"] == "000_9b9411f3ce8c0aee" and r["sentence"] for r in rows)
    assert any(r["other"] == "القرار 2379 (2017)" for r in rows)


def _check_co(rows: list[dict]) -> None:
    pairs = {frozenset((r["actor_a"], r["actor_b"])) for r in rows}
    # the seed writes «سيرجى لافروف»; the gazetteer of office holders names him «سيرغي لافروف» everywhere
    assert frozenset(("سيرغي لافروف", "وانغ يي")) in pairs
    assert all(r["n_meetings"] >= 1 for r in rows)


def _check_timeline(rows: list[dict]) -> None:
    dated = [r["date"] for r in rows if r["date"]]
    assert dated == sorted(dated) and "2018-02-13" in dated and "2024-11-05" in dated
    assert rows[-1]["date"] == "" or all(r["date"] for r in rows)


def _check_by_article(rows: list[dict]) -> None:
    assert {"بدر المنيخ", "الكويت", "القرار 2379 (2017)"} <= set(_col(rows, "entity"))
    assert set(_col(rows, "article")) == {"000_9b9411f3ce8c0aee"}


def _check_path(rows: list[dict]) -> None:
    assert rows[0]["from"] == "بدر المنيخ" and rows[-1]["to"] == "نيكي هايلي"
    assert _col(rows, "step") == list(range(1, len(rows) + 1))
    for a, b in zip(rows, rows[1:], strict=False):
        assert a["to"] == b["from"]


def _check_cited(rows: list[dict]) -> None:
    by_number = {r["number"]: r for r in rows}
    assert by_number["2379"]["cited_by"] == ["بدر المنيخ"]
    assert by_number["2396"]["cited_by"] == ["نيكي هايلي"]
    assert by_number["2178"]["adopted_by"] == ["مجلس الأمن"]


def _check_connected(rows: list[dict]) -> None:
    assert len(rows) == 5
    degrees = _col(rows, "degree")
    assert degrees == sorted(degrees, reverse=True)
    assert {"الكويت", "داعش"} <= set(_col(rows, "entity"))


def _check_meetings_of(rows: list[dict]) -> None:
    assert len(rows) == 2 and set(_col(rows, "actor")) == {"فلاديمير فورونكوف"}
    assert any(r["hosted_by"] == ["الكويت"] for r in rows)


def _check_operates(rows: list[dict]) -> None:
    areas = set(_col(rows, "area"))
    assert {"العراق", "سورية", "سيناء"} <= areas
    iraq = next(r for r in rows if r["area"] == "العراق")
    assert iraq["n_sources"] == 2


def _check_documents(rows: list[dict]) -> None:
    kuwait = next(r for r in rows if r["document"] == "إعلان الكويت")
    assert "ميثاق المستقبل" in kuwait["cites"]
    assert "البيان الختامي" in _col(rows, "document")


def _check_summary(rows: list[dict]) -> None:
    assert len(rows) == 5 and all(r["n_entities"] > 0 and r["n_facts"] > 0 for r in rows)


def _check_roles(rows: list[dict]) -> None:
    assert {r["role"] for r in rows} == {"مساعد الأمين العام", "وكيل الأمين العام"}
    assert set(_col(rows, "for_entity")) == {"الأمم المتحدة"}


EXPECTED: dict[str, tuple[dict[str, Any], Callable[[list[dict]], None]]] = {
    "represents_state": ({"state": "الكويت"}, _check_represents),
    "meetings_hosted": ({"host": "الكويت"}, _check_hosted),
    "resolutions_established": ({}, _check_established),
    "entity_facts": ({"entity": "المنيخ"}, _check_facts),  # found by alias
    "co_participation": ({}, _check_co),
    "meetings_timeline": ({}, _check_timeline),
    "entities_by_article": ({"article": "000_9b9411f3ce8c0aee"}, _check_by_article),
    "shortest_path": ({"source": "بدر المنيخ", "target": "نيكي هايلي"}, _check_path),
    "resolutions_cited": ({}, _check_cited),
    "most_connected": ({"limit": 5}, _check_connected),
    "meetings_of_actor": ({"actor": "فورونكوف"}, _check_meetings_of),
    "operates_in": ({"organization": "داعش"}, _check_operates),
    "documents_issued": ({}, _check_documents),
    "article_summary": ({}, _check_summary),
    "person_roles": ({"person": "فورونكوف"}, _check_roles),
}


def test_every_query_file_has_a_header_and_an_expectation() -> None:
    queries = list_queries()
    assert len(queries) >= 12
    assert {q.name for q in queries} == set(EXPECTED)
    for q in queries:
        assert q.question.endswith("?") or q.question.endswith(".")
        assert "ORDER BY" in q.text


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_query_returns_expected_rows(seeded: ConnectionInfo, name: str) -> None:
    params, check = EXPECTED[name]
    result = run_query(name, seeded, params)
    assert result.rows, f"{name} returned no rows"
    assert list(result.rows[0]) == result.columns
    check(result.rows)
    again = run_query(name, seeded, params)
    assert again.rows == result.rows  # deterministic order
    for fmt in ("table", "json", "csv"):
        assert format_result(result, fmt)


def test_query_parameters_are_checked() -> None:
    q = load_query("most_connected")
    assert bind_params(q, {}) == {"limit": 10}
    assert bind_params(q, parse_param_pairs(["limit=3"])) == {"limit": 3}
    assert bind_params(load_query("represents_state"), {"state": 817}) == {"state": "817", "state_key": "817"}
    with pytest.raises(QueryError, match="needs --param state"):
        bind_params(load_query("represents_state"), {})
    with pytest.raises(QueryError, match="takes no parameter bogus"):
        bind_params(q, {"bogus": 1})
    with pytest.raises(QueryError, match="not an int"):
        bind_params(q, {"limit": "many"})
    with pytest.raises(QueryError, match="no cypher query named"):
        load_query("nope")
    with pytest.raises(QueryError, match="expected key=value"):
        parse_param_pairs(["novalue"])


def test_cli_query_prints_table_json_csv(seeded: ConnectionInfo) -> None:
    runner = CliRunner()
    env = {"NEO4J_URI": seeded.uri, "NEO4J_USER": seeded.user, "NEO4J_PASSWORD": seeded.password}
    res = runner.invoke(query_cmd, ["represents_state", "--param", "state=الكويت"], env=env)
    assert res.exit_code == 0, res.output
    assert "بدر المنيخ" in res.output and "person" in res.output.splitlines()[0]
    res = runner.invoke(query_cmd, ["resolutions_established", "--format", "json"], env=env)
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    assert any(r["body"] == "فريق التحقيق" for r in rows)
    res = runner.invoke(query_cmd, ["most_connected", "--param", "limit=2", "--format", "csv"], env=env)
    assert res.exit_code == 0, res.output
    assert res.output.splitlines()[0].startswith("\ufeffentity,entity_id,type,degree")  # the BOM of spreadsheets
    assert len(res.output.splitlines()) == 3
    res = runner.invoke(query_cmd, ["--list"], env=env)
    assert res.exit_code == 0 and "represents_state" in res.output


def test_cli_load_builds_and_loads_idempotently(neo4j_driver: Any, neo4j_server: ConnectionInfo) -> None:
    runner = CliRunner()
    env = {"NEO4J_URI": neo4j_server.uri, "NEO4J_USER": neo4j_server.user, "NEO4J_PASSWORD": neo4j_server.password}
    res = runner.invoke(load_cmd, [str(SEEDS)], env=env)
    assert res.exit_code == 0, res.output
    assert "loaded 5 articles" in res.output
    first = dump(neo4j_driver)
    assert len(first[0]) > 50
    res = runner.invoke(load_cmd, [str(SEEDS), "--batch-size", "5", "-q"], env=env)
    assert res.exit_code == 0, res.output
    assert dump(neo4j_driver) == first
    res = runner.invoke(load_cmd, [str(SEEDS), "--neo4j-password", "wrong"], env=env)
    assert isinstance(res.exception, Neo4jError) and "authentication failed" in str(res.exception)


def test_cli_neo4j_import_then_query(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`kg neo4j import` on a fresh home: the seeds imported, the server left running and queryable,
    and a second import refused while it runs, as one plain line."""
    from kg.cli import main

    monkeypatch.setenv("KG_NEO4J_HOME", str(tmp_path / "home"))
    for name in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    try:
        assert main(["neo4j", "import", str(SEEDS), "--workers", "1"]) == 0
        out = capsys.readouterr().out
        assert "imported 5 articles" in out and "running at bolt://" in out
        assert main(["query", "represents_state", "--param", "state=الكويت"]) == 0
        assert "بدر المنيخ" in capsys.readouterr().out
        assert main(["neo4j", "import", str(SEEDS)]) == 1
        err = capsys.readouterr().err
        assert re.fullmatch(r"kg: error: the Neo4j server of .* is running: stop it first .*\n", err)
    finally:
        Neo4jServer(tmp_path / "home").stop()


# --------------------------------------------------------------------------- concurrent loads (issue 14, item 7)


def _drop_schema(driver: Any) -> None:
    """A new database: no constraint, no index of ours."""
    clear(driver)
    for kind in ("CONSTRAINT", "INDEX"):
        for rec in driver.execute_query(f"SHOW {kind}ES YIELD name, type" if kind == "INDEX"
                                        else "SHOW CONSTRAINTS YIELD name, type").records:
            if kind == "INDEX" and rec["type"] == "LOOKUP":
                continue  # Neo4j's own token lookup indexes
            driver.execute_query(f"DROP {kind} {rec['name']} IF EXISTS")


def _in_thread(target: Callable[[], Any], errors: list[BaseException]) -> Any:
    import threading

    def run() -> None:
        try:
            target()
        except BaseException as exc:  # noqa: BLE001 - reported by the caller's assertion
            errors.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_two_loads_at_once_into_a_new_database_both_succeed(
    neo4j_driver: Any, neo4j_server: ConnectionInfo, build: Callable[..., KnowledgeGraph]
) -> None:
    """Both create the schema at once (one may meet the other's index: «An equivalent index already
    exists»), both succeed, and nothing is duplicated."""
    import threading

    g = build()
    load_graph(g, neo4j_server)
    alone = dump(neo4j_driver)
    for _ in range(3):  # a race: run it a few times
        _drop_schema(neo4j_driver)
        start = threading.Barrier(2)
        errors: list[BaseException] = []
        def together(barrier: threading.Barrier = start) -> None:
            barrier.wait()
            load_graph(g, neo4j_server, batch_size=10)

        threads = [_in_thread(together, errors) for _ in range(2)]
        for t in threads:
            t.join(timeout=300)
        assert errors == [] and dump(neo4j_driver) == alone
    names = {r["name"] for r in neo4j_driver.execute_query("SHOW CONSTRAINTS YIELD name").records}
    assert {"entity_id", "article_id", "kg_load_lock"} <= names


def test_a_load_that_starts_while_another_writes_waits_its_turn(
    neo4j_driver: Any, neo4j_server: ConnectionInfo, build: Callable[..., KnowledgeGraph]
) -> None:
    """The second load starts once the first, slowed down, has committed its first batch into the empty
    database. Had it not waited, it would overtake the first, whose CREATEs would then meet its nodes
    («Node(0) already exists»), and a relationship could be written twice. Both succeed, and the database
    holds the graph once."""
    import time

    g = build()
    load_graph(g, neo4j_server)
    alone = dump(neo4j_driver)
    clear(neo4j_driver)
    errors: list[BaseException] = []
    second: list[Any] = []

    def start_the_second_then_dawdle(stats: Any) -> None:
        if stats.batches == 1:
            second.append(_in_thread(lambda: load_graph(g, neo4j_server, batch_size=10), errors))
        time.sleep(0.2)

    try:
        load_graph(g, neo4j_server, batch_size=10, on_batch=start_the_second_then_dawdle)
    finally:
        second[0].join(timeout=300)
    assert errors == []
    assert dump(neo4j_driver) == alone
    assert neo4j_driver.execute_query("MATCH (n:KgLoadLock) RETURN count(n) AS c").records[0]["c"] == 0


def test_a_create_that_meets_a_node_made_meanwhile_merges(
    neo4j_driver: Any, neo4j_server: ConnectionInfo, build: Callable[..., KnowledgeGraph]
) -> None:
    """Another writer (not a kg load, which would wait its turn) creates a node of a later batch while a
    load into the empty database runs: that batch's CREATE breaks the uniqueness constraint and is
    written again as a MERGE."""
    g = build()
    load_graph(g, neo4j_server)
    alone = dump(neo4j_driver)
    clear(neo4j_driver)
    last = [rows for kind, rows in plan_batches(g, 5) if kind == ENTITIES][-1]

    def meanwhile(stats: Any) -> None:
        if stats.batches == 1:
            neo4j_driver.execute_query("UNWIND $rows AS row CREATE (n:Entity) SET n = row, n:$(row.type)",
                                       rows=last[:1])

    stats = load_graph(g, neo4j_server, batch_size=5, on_batch=meanwhile)
    assert stats.nodes == g.g.number_of_nodes()
    assert dump(neo4j_driver) == alone


def test_a_refused_schema_is_not_called_a_rejected_batch(neo4j_server: ConnectionInfo,
                                                         build: Callable[..., KnowledgeGraph]) -> None:
    """A load that fails before any batch says what it was doing, not «rejected a batch after 0 batches»."""
    with pytest.raises(Neo4jError) as err:
        load_graph(build(), neo4j_server, database="no-such-database")
    assert "after 0 batches" not in str(err.value) and "rejected a batch" not in str(err.value)
    assert "while creating the schema" in str(err.value)
