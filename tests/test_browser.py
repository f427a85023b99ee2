"""graph.html in a real headless Chromium: offline, complete, drawn, inert to hostile text, usable at 2,000 nodes,
and the default page of 2,000 real articles (SaudiNewsNet) timed: load, click, search, filters.

The browser is Debian's chromium (``make test`` installs it with apt when it is missing), driven
by Playwright from the test extra; ``playwright install`` is never run. Every request the page
makes is routed through the test: only the file:// page itself may load, anything else is
recorded and aborted, so a CDN reference or an injected ``<img src=x>`` fails the test.
"""

from __future__ import annotations

import gzip
import itertools
import struct
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from kg.export.html import PHYSICS_LIMIT, STYLE, write_html
from kg.graph import KnowledgeGraph
from kg.model import Article, Entity, Evidence, Extraction, Triple
from kg.text import normalize
from kg.viz import Limits, focus
from tests.conftest import ROOT, SHARED

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LOAD_TIMEOUT_MS = 30_000  # a ceiling against hangs, not a speed claim
ARTIFACTS = ROOT / "test-artifacts" / "browser"  # git-ignored; kept after the run for a human to look at

SCRIPT_PAYLOAD = "<script>window.__pwned=1;alert(1)</script>"
IMG_PAYLOAD = "<img src=x onerror=window.__pwned=1;alert(1)>"
HOSTILE_SENTENCE = f"قال المندوب {SCRIPT_PAYLOAD} إن القرار {IMG_PAYLOAD} نافذ."


@dataclass
class PageRun:
    """A page opened in the shared browser, with everything it tried to do recorded."""

    page: Any
    url: str
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def pwned(self) -> Any:
        return self.page.evaluate("() => window.__pwned")


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Debian's chromium with a fresh profile; fails (not skips) when it is missing, so CI cannot pass without it."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            tmp_path_factory.mktemp("chromium-profile"), executable_path=str(CHROMIUM), headless=True,
            args=CHROMIUM_ARGS, viewport={"width": 1280, "height": 800}, service_workers="block")
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def open_page(browser_context: Any) -> Iterator[Any]:
    """Opens a local page with every request, console error, page error and dialog recorded."""
    runs: list[PageRun] = []

    def _open(path: Path) -> PageRun:
        url = path.resolve().as_uri()
        page = browser_context.new_page()
        run = PageRun(page, url)

        def route(r: Any) -> None:
            if r.request.url == url:
                r.continue_()
            else:
                run.blocked.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.on("request", lambda req: run.requests.append(req.url))
        page.on("console", lambda msg: run.errors.append(msg.text) if msg.type in ("error", "warning") else None)
        page.on("pageerror", lambda exc: run.errors.append(str(exc)))
        page.on("dialog", lambda d: (run.dialogs.append(d.message), d.dismiss()))
        page.goto(url)
        page.wait_for_selector("body[data-stabilized=true]", timeout=LOAD_TIMEOUT_MS)
        runs.append(run)
        return run

    yield _open
    for run in runs:
        run.page.close()


def assert_clean(run: PageRun) -> None:
    assert run.requests == [run.url], f"the page requested more than itself: {run.requests}"
    assert run.blocked == [] and run.errors == [] and run.dialogs == []


# -- screenshots ---------------------------------------------------------------------------------


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Decode an 8-bit, non-interlaced RGB or RGBA PNG (what Chromium writes) to rows of RGB(A) bytes.

    Pure Python so the pixel check needs no imaging library.
    """
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks = 8, []
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0
        elif kind == b"IDAT":
            chunks.append(body)
    bpp = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(b"".join(chunks)), width * bpp
    prev, rows = bytearray(stride), []
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride) if kind else ():
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + ((a + b) >> 1)) & 255
            else:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, bpp, rows


def colour_histogram(png: bytes) -> dict[str, int]:
    """``#rrggbb`` -> number of pixels."""
    width, bpp, rows = png_pixels(png)
    counts: dict[bytes, int] = {}
    for row in rows:
        for i in range(0, width * bpp, bpp):
            rgb = row[i:i + 3]
            counts[rgb] = counts.get(rgb, 0) + 1
    return {"#" + rgb.hex(): n for rgb, n in counts.items()}


def screenshot_canvas(run: PageRun, artifact: Path) -> dict[str, int]:
    """Screenshot the drawing (not the legend, which holds every colour anyway), keep it, return its colours."""
    artifact.parent.mkdir(parents=True, exist_ok=True)
    png = run.page.locator("#mynetwork canvas").screenshot(path=str(artifact))
    print(f"screenshot: {artifact}")
    return colour_histogram(png)


def assert_drawn(histogram: dict[str, int], colours: set[str]) -> None:
    total = sum(histogram.values())
    background = histogram.get("#ffffff", 0)
    assert total - background > total // 200, "the canvas is (almost) all background"
    assert len(histogram) > 20, "too few distinct colours for a drawn graph"
    for colour in colours:
        assert histogram.get(colour, 0) > 20, f"no node drawn in {colour}"


# -- the seeds' page -----------------------------------------------------------------------------


def test_seeds_page_offline_counts_and_drawing(seeds_build, open_page) -> None:
    graph, _, out = seeds_build
    run = open_page(out / "graph.html")
    view = focus(graph)  # the default page: the entities that carry facts
    n_nodes, n_edges = len(view.degree), len(list(view.graph.relations()))
    counts = run.page.evaluate("""() => ({
        nodes: KG.nodes.length, edges: KG.edges.length,
        drawn: Object.keys(KG.network.getPositions()).length,
        body: [document.body.dataset.nodeCount, document.body.dataset.edgeCount].map(Number),
        physics: KG.network.physics.options.enabled, total: KG.total,
        note: document.getElementById("kg-note").textContent})""")
    assert counts == {"nodes": n_nodes, "edges": n_edges, "drawn": n_nodes, "body": [n_nodes, n_edges],
                      "physics": False,  # switched off once the layout has settled
                      "total": len(list(graph.entities())), "note": view.summary()}
    types = {data["type"] for _, data in view.graph.entities()}
    histogram = screenshot_canvas(run, ARTIFACTS / "seeds.png")
    assert_drawn(histogram, {STYLE[t][0] for t in types if t in STYLE})
    # Filters: unticking a type hides exactly its nodes, and ticking it again brings them and their edges back.
    shown = "() => KG.nodeView.get().map(n => n.kgType)"
    drawn_edges = "() => Object.values(KG.network.body.edges).filter(e => e.connected).length"
    before = run.page.evaluate("() => KG.network.getPositions()")
    run.page.locator('#kg-legend input[data-type="Person"]').uncheck()
    persons = sum(1 for n in view.degree if graph.g.nodes[n]["type"] == "Person")
    assert persons and sorted(run.page.evaluate(shown)) == sorted(
        graph.g.nodes[n]["type"] for n in view.degree if graph.g.nodes[n]["type"] != "Person")
    assert run.page.evaluate(drawn_edges) == sum(
        1 for s, o, _, _ in view.graph.relations() if "Person" not in (graph.g.nodes[s]["type"], graph.g.nodes[o]["type"]))
    run.page.locator('#kg-legend input[data-type="Person"]').check()
    assert len(run.page.evaluate(shown)) == n_nodes and run.page.evaluate(drawn_edges) == n_edges
    assert run.page.evaluate("() => KG.network.getPositions()") == before  # back in their places
    assert_clean(run)


def test_date_filter_keeps_what_articles_of_the_range_state(seeds_build, open_page) -> None:
    graph, _, out = seeds_build
    view = focus(graph)
    dates = {a: d["date"] for a, d in graph.articles()}
    day = sorted(set(dates.values()))[len(set(dates.values())) // 2]
    run = open_page(out / "graph.html")
    run.page.fill("#kg-from", day)
    run.page.fill("#kg-to", day)
    run.page.locator("#kg-to").dispatch_event("change")
    names = run.page.evaluate("() => KG.nodeView.get().map(n => n.kgNames[0])")
    assert sorted(names) == sorted(graph.g.nodes[n]["name"] for n in view.degree
                                   if any(dates[a] == day for a in graph.g.nodes[n]["articles"]))
    assert 0 < len(names) < len(view.degree)
    stated = run.page.evaluate("() => KG.edgeView.get().map(e => e.label)")
    assert sorted(stated) == sorted(d["predicate"] for _, _, _, d in view.graph.relations()
                                    if any(dates[ev.article] == day for ev in d["evidence"]))
    run.page.click("#kg-reset")
    assert run.page.evaluate("() => [KG.nodeView.length, KG.edgeView.length]") == \
        [len(view.degree), len(list(view.graph.relations()))]
    assert_clean(run)


def test_layout_is_the_same_each_time_the_page_opens(seeds_build, open_page) -> None:
    _, _, out = seeds_build
    first, second = (open_page(out / "graph.html").page.evaluate("() => KG.network.getPositions()") for _ in range(2))
    assert first == second and len(first) > 1
    assert len({(round(p["x"]), round(p["y"])) for p in first.values()}) == len(first)  # laid out, not stacked


# Strings the page's search folds; each must fold as kg.text.normalize folds it (--around's matching).
NORMALISE_CASES = [
    "", "  ", "الكويت", "الأمم المتحدة", "الامم المتحده", "إيران", "آسيا", "ٱلله", "مؤتمر", "رئيس", "سوريّة",
    "مُحَمَّدٌ", "الرحمٰن", "مصطفى", "ســـلام", "١٢٣٤", "۱۲۳۴", "القرار ٢٢٥٤", "کردستان", "یمن", "خانۀ",
    "ﻻ", "ﷲ", "\ufdfc", "\ufdfd", "ﬁnance", "Ｑ８１７", "United Nations", "Türkiye", "Côte d’Ivoire", "Q817",
    "state:x", "e\u0301", "ﺍﻟﻜﻮﻳﺖ", "<script>alert(1)</script>",
]


def test_search_folds_arabic_exactly_as_python(seeds_build, open_page) -> None:
    _, _, out = seeds_build
    run = open_page(out / "graph.html")
    folded = run.page.evaluate("cases => cases.map(KG.normalize)", NORMALISE_CASES)
    assert dict(zip(NORMALISE_CASES, folded, strict=True)) == {c: normalize(c) for c in NORMALISE_CASES}
    # found by an English name (any case), a QID, an id, and a name typed without hamza or with ه for ة
    kuwait = run.page.evaluate("() => KG.nodes.get().find(n => n.kgNames[0] === 'الكويت').id")
    un = run.page.evaluate("() => KG.nodes.get().find(n => n.kgNames.includes('Q1065')).id")
    for query, expected in (("kuwait", kuwait), ("Q817", kuwait), ("q1065", un), ("الامم المتحده", un)):
        assert run.page.evaluate("q => KG.search(q)", query) == expected, query
        assert run.page.evaluate("() => KG.network.getSelectedNodes()") == [expected]
    # a miss clears the old match
    assert run.page.evaluate("() => KG.search('لا يوجد كيان بهذا الاسم')") is None
    assert run.page.evaluate("() => [KG.network.getSelectedNodes(), KG.highlighted()]") == [[], None]
    assert run.page.locator("#kg-search-status").inner_text() != ""
    # a match of a type filtered out shows that type again
    run.page.locator('#kg-legend input[data-type="State"]').uncheck()
    assert run.page.evaluate("() => KG.search('Kuwait')") == kuwait
    assert run.page.locator('#kg-legend input[data-type="State"]').is_checked()
    assert run.page.evaluate(f"() => KG.nodeView.get({kuwait}) !== null && KG.network.getSelectedNodes()") == [kuwait]
    assert_clean(run)


# -- hostile text --------------------------------------------------------------------------------


def hostile_graph() -> KnowledgeGraph:
    """An article whose names, aliases, roles, title and sentences carry script and img payloads."""
    text = "أكد المندوب الدائم لدولة الكويت منصور العتيبي دعم بلاده. " + HOSTILE_SENTENCE
    article = Article("hostile_1", text, title=SCRIPT_PAYLOAD, date="2024-03-05", url="https://example.org/?a=<b>")
    start = text.index(HOSTILE_SENTENCE)
    ev = Evidence(article.id, HOSTILE_SENTENCE, start, start + len(HOSTILE_SENTENCE), IMG_PAYLOAD, 0.5)
    ents = {
        "person:x": Entity("person:x", "Person", SCRIPT_PAYLOAD, {IMG_PAYLOAD}),
        "Q817": Entity("Q817", "State", "الكويت", {"دولة الكويت"}, wikidata="Q817"),
        "org:x": Entity("org:x", "Organization", IMG_PAYLOAD, attrs={"kind": SCRIPT_PAYLOAD}),
    }
    triples = [Triple("person:x", "REPRESENTS", "Q817", ev, (("role", IMG_PAYLOAD),)),
               Triple("org:x", "MEMBER_OF", "Q817", ev)]
    graph = KnowledgeGraph()
    graph.add(Extraction(article, ents, triples))
    return graph


def _on_screen(run: PageRun, point_js: str) -> tuple[float, float]:
    """The page coordinates of a canvas point given in network coordinates (a JavaScript expression)."""
    point = run.page.evaluate(f"() => KG.network.canvasToDOM({point_js})")
    box = run.page.locator("#mynetwork canvas").bounding_box()
    return box["x"] + point["x"], box["y"] + point["y"]


def _hover(run: PageRun, point_js: str) -> str:
    """Move the mouse onto a canvas point (given in network coordinates) and return the tooltip's text."""
    run.page.mouse.move(0, 0)
    run.page.wait_for_timeout(50)
    run.page.mouse.move(*_on_screen(run, point_js))
    tooltip = run.page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible", timeout=5_000)
    return tooltip.inner_text()


def test_hostile_text_runs_no_script(open_page, tmp_path: Path) -> None:
    path = tmp_path / "hostile.html"
    write_html(hostile_graph(), path, title=IMG_PAYLOAD, limits=Limits(min_degree=0))
    run = open_page(path)
    ids = run.page.evaluate("() => Object.fromEntries(KG.nodes.get().map(n => [n.kgNames[0], n.id]))")
    assert SCRIPT_PAYLOAD in ids and IMG_PAYLOAD in ids  # names are text
    labels = run.page.evaluate("() => KG.nodes.get().map(n => n.label)")
    assert SCRIPT_PAYLOAD[:20] in "".join(labels)  # labels, cut short, show the text as text
    run.page.evaluate("() => KG.network.moveTo({scale: 1})")
    run.page.wait_for_timeout(100)

    node_tip = _hover(run, f"KG.network.getPositions([{ids[SCRIPT_PAYLOAD]}])[{ids[SCRIPT_PAYLOAD]}]")
    assert SCRIPT_PAYLOAD in node_tip and IMG_PAYLOAD in node_tip  # name and alias, shown literally
    edge = run.page.evaluate("() => KG.edges.get().find(e => e.label === 'REPRESENTS').id")
    edge_tip = _hover(run, f"KG.network.body.edges[{edge}].edgeType.getPoint(0.5)")
    assert HOSTILE_SENTENCE in edge_tip and IMG_PAYLOAD in edge_tip and "2024-03-05" in edge_tip
    markup = run.page.evaluate("""() => Array.from(document.querySelectorAll(
        'div.vis-tooltip *, header *, #kg-names *')).map(e => e.tagName.toLowerCase())""")
    assert not {"script", "img", "iframe", "svg"} & set(markup)

    run.page.fill("#kg-search", IMG_PAYLOAD)
    run.page.press("#kg-search", "Enter")
    assert run.page.evaluate("() => KG.network.getSelectedNodes()") == [ids[IMG_PAYLOAD]]
    assert run.page.evaluate(f"() => KG.search({SCRIPT_PAYLOAD!r})") == ids[SCRIPT_PAYLOAD]
    assert run.page.title() == IMG_PAYLOAD
    run.page.wait_for_timeout(300)  # time for any injected onerror to fire
    assert run.pwned() is None
    assert_clean(run)


# -- right-to-left tooltips -----------------------------------------------------------------------

RTL_SUBJECT, RTL_OBJECT, RTL_ARTICLE = "إمام علي رحمان", "طاجيكستان", "004_f87deceac6bf3a27"


def test_tooltips_isolate_directional_runs(open_page, tmp_path: Path) -> None:
    """«REPRESENTS: إمام علي رحمان → طاجيكستان» points from the subject to the object, and the source
    reference «[004_f87deceac6bf3a27 561-999]» renders left to right, whole."""
    sentence = f"وقال الرئيس {RTL_SUBJECT} إن {RTL_OBJECT} تدعم القرار."
    article = Article(RTL_ARTICLE, sentence, date="2016-04-02")
    ev = Evidence(RTL_ARTICLE, sentence, 561, 999, "r", 1.0)
    ents = {"person:r": Entity("person:r", "Person", RTL_SUBJECT),
            "Q863": Entity("Q863", "State", RTL_OBJECT, wikidata="Q863")}
    graph = KnowledgeGraph()
    graph.add(Extraction(article, ents, [Triple("person:r", "REPRESENTS", "Q863", ev, (("role", "الرئيس"),))]))
    path = tmp_path / "rtl.html"
    write_html(graph, path)
    run = open_page(path)
    run.page.evaluate("() => KG.network.moveTo({scale: 1})")
    edge = run.page.evaluate("() => KG.edges.get()[0].id")
    _hover(run, f"KG.network.body.edges[{edge}].edgeType.getPoint(0.5)")
    boxes = run.page.evaluate("""([subject, object, ref]) => {
        const tip = document.querySelector("div.vis-tooltip");
        const box = el => el.getBoundingClientRect();
        const bdis = Array.from(tip.querySelectorAll("bdi"));
        const find = text => bdis.find(b => b.textContent === text);
        const head = tip.querySelector("div[dir]"), refEl = find(ref);
        const node = refEl.firstChild, xs = [];
        for (let i = 0; i < node.length; i++) {
            const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
            xs.push(r.getBoundingClientRect().left);
        }
        const arrow = document.createRange(), text = Array.from(head.childNodes).find(n => n.textContent.includes("→"));
        arrow.setStart(text, text.textContent.indexOf("→")); arrow.setEnd(text, text.textContent.indexOf("→") + 1);
        return {subject: box(find(subject)), object: box(find(object)), arrow: arrow.getBoundingClientRect(),
                head: head.innerText, refXs: xs};
    }""", [RTL_SUBJECT, RTL_OBJECT, f"[{RTL_ARTICLE} 561-999]"])
    # left to right: subject, arrow, object; the arrow (→) thus points from the subject to the object
    assert boxes["subject"]["right"] <= boxes["arrow"]["left"] + 1
    assert boxes["arrow"]["right"] <= boxes["object"]["left"] + 1
    assert boxes["head"] == f"REPRESENTS: {RTL_SUBJECT} → {RTL_OBJECT}"
    # every character of the reference lies right of the one before: rendered in reading order, intact
    xs = boxes["refXs"]
    assert len(xs) == len(f"[{RTL_ARTICLE} 561-999]") and all(b > a for a, b in zip(xs, xs[1:], strict=False)), xs
    assert_clean(run)


# -- 2,000 nodes ---------------------------------------------------------------------------------


def large_graph(n: int = 2000) -> KnowledgeGraph:
    """A connected graph of ``n`` entities of every type: a chain plus a deterministic sprinkling of links."""
    article = Article("big", "نص")
    ev = Evidence("big", "نص", 0, 2, "r", 1.0)
    types = sorted(STYLE)
    ents = {f"e{i:04d}": Entity(f"e{i:04d}", types[i % len(types)], f"كيان رقم {i}") for i in range(n)}
    triples = [Triple(f"e{i:04d}", "PART_OF", f"e{i + 1:04d}", ev) for i in range(n - 1)]
    triples += [Triple(f"e{i:04d}", "CITES", f"e{(i * 7919) % n:04d}", ev) for i in range(0, n, 3) if (i * 7919) % n != i]
    graph = KnowledgeGraph()
    graph.add(Extraction(article, ents, triples))
    return graph


def test_two_thousand_nodes_fixed_layout_and_responsive(open_page, tmp_path: Path) -> None:
    graph = large_graph()
    path = tmp_path / "big.html"
    write_html(graph, path, limits=Limits(max_nodes=0))
    n_nodes, n_edges = len(list(graph.entities())), len(list(graph.relations()))
    assert n_nodes > PHYSICS_LIMIT
    run = open_page(path)
    state = run.page.evaluate("""() => ({nodes: KG.nodes.length, edges: KG.edges.length,
        physics: KG.network.physics.options.enabled, stabilized: document.body.dataset.stabilized})""")
    assert state == {"nodes": n_nodes, "edges": n_edges, "physics": False, "stabilized": "true"}
    # Responsive: round trips come back and the search finds and selects a node.
    for _ in range(3):
        assert run.page.evaluate("() => 1 + 1") == 2
    run.page.fill("#kg-search", "كيان رقم 1234")
    run.page.press("#kg-search", "Enter")
    assert run.page.evaluate("() => KG.network.getSelectedNodes()") == [1234]
    run.page.wait_for_timeout(600)  # the focus animation
    assert run.page.evaluate("() => KG.network.getScale()") == pytest.approx(1.5, rel=0.05)
    histogram = screenshot_canvas(run, ARTIFACTS / "big.png")
    assert_drawn(histogram, set())
    # a type filter is one view refresh: untick the type with most nodes, then tick it again
    biggest = max(STYLE, key=lambda t: sum(1 for _, d in graph.entities() if d["type"] == t))
    box = f"#kg-legend input[data-type={biggest}]"
    untick_ms = _timed(run, f"() => document.querySelector('{box}').click()")
    assert run.page.evaluate("() => KG.nodeView.length") == n_nodes - sum(
        1 for _, d in graph.entities() if d["type"] == biggest)
    tick_ms = _timed(run, f"() => document.querySelector('{box}').click()")
    assert run.page.evaluate("() => KG.nodeView.length") == n_nodes
    print(f"{n_nodes}-node page: untick {biggest} {untick_ms:.0f} ms, tick again {tick_ms:.0f} ms")
    assert_clean(run)


# -- the default page of 2,000 real articles ------------------------------------------------------

SAUDINEWSNET = SHARED / "corpus" / "saudinewsnet.jsonl.gz"
REAL_ARTICLES = 2000


@pytest.fixture(scope="session")
def saudinewsnet_page(tmp_path_factory: pytest.TempPathFactory) -> tuple[KnowledgeGraph, Path]:
    """`kg build`'s page of the first 2,000 SaudiNewsNet articles, built once per session (about a minute on
    two workers); the articles are copied into the session's tmp folder, never into the repository."""
    if not SAUDINEWSNET.is_file():
        pytest.skip(f"{SAUDINEWSNET} is absent: the 2,000-article page needs ../shared/corpus")
    from kg.pipeline import build

    folder = tmp_path_factory.mktemp("saudinewsnet")
    articles = folder / "first-2000.jsonl"
    with gzip.open(SAUDINEWSNET, "rt", encoding="utf-8") as corpus, articles.open("w", encoding="utf-8") as sample:
        sample.writelines(itertools.islice(corpus, REAL_ARTICLES))
    started = time.perf_counter()
    graph, report = build([articles], folder / "out", workers=2)
    print(f"built {report.articles} articles in {time.perf_counter() - started:.1f} s")
    assert report.articles == REAL_ARTICLES
    return graph, report.outputs["html"]


def _click_node(run: PageRun, node_id: int) -> None:
    run.page.mouse.click(*_on_screen(run, f"KG.network.getPositions([{node_id}])[{node_id}]"))


def _timed(run: PageRun, action: str, arg: Any = None) -> float:
    """Milliseconds the page spends on ``action`` up to its next painted frame."""
    return run.page.evaluate("""async ([action, arg]) => {
        const t = performance.now();
        (0, eval)(action)(arg);
        await new Promise(r => requestAnimationFrame(() => setTimeout(r)));
        return performance.now() - t; }""", [action, arg])


@pytest.mark.slow
def test_real_archive_page_loads_clicks_searches_and_filters(saudinewsnet_page, open_page) -> None:
    graph, path = saudinewsnet_page
    view = focus(graph)
    assert len(view.degree) == Limits().max_nodes < len(list(graph.entities()))
    started = time.perf_counter()
    run = open_page(path)
    interactive = time.perf_counter() - started
    size = path.stat().st_size
    n_nodes = run.page.evaluate("() => KG.nodeView.length")
    assert n_nodes == len(view.degree)
    assert run.page.locator("#kg-note").inner_text() == view.summary()
    # the JavaScript folding agrees with Python's on every name and alias of the page
    names = sorted({name for n in view.degree for name in (graph.g.nodes[n]["name"], *graph.g.nodes[n]["aliases"])})
    assert run.page.evaluate("names => names.map(KG.normalize)", names) == [normalize(n) for n in names]

    hub = max(view.degree, key=lambda n: (view.degree[n], n))  # the most connected entity
    hub_id = run.page.evaluate("q => KG.nodes.get().find(n => n.kgNames.includes(q)).id", hub)
    saudi_id = run.page.evaluate("q => KG.nodes.get().find(n => n.kgNames.includes(q)).id", "السعودية")
    run.page.evaluate("() => KG.network.fit()")
    _click_node(run, hub_id)
    assert run.page.evaluate("() => KG.highlighted()") == hub_id
    neighbours = {o if s == hub else s for s, o, _, _ in view.graph.relations() if hub in (s, o)}
    faded = run.page.evaluate("() => KG.nodes.get().filter(n => n.color !== n.kgColour).length")
    assert faded == n_nodes - len(neighbours - {hub}) - 1
    click_ms = _timed(run, "id => KG.highlight(id)", hub_id)

    search_ms = _timed(run, "q => KG.search(q)", "saudi arabia")
    assert run.page.evaluate("() => KG.network.getSelectedNodes()") == [saudi_id]
    assert run.page.evaluate("() => KG.search('السعوديه')") == saudi_id  # ة typed as ه
    assert run.page.evaluate("() => KG.search('zzzz')") is None
    assert run.page.evaluate("() => KG.network.getSelectedNodes()") == []

    persons = sum(1 for n in view.degree if graph.g.nodes[n]["type"] == "Person")
    filter_ms = _timed(run, "() => document.querySelector('#kg-legend input[data-type=Person]').click()")
    assert run.page.evaluate("() => KG.nodeView.length") == n_nodes - persons > 0
    refilter_ms = _timed(run, "() => document.querySelector('#kg-legend input[data-type=Person]').click()")
    assert run.page.evaluate("() => KG.nodeView.length") == n_nodes
    _timed(run, "() => KG.reset()")
    corner = run.page.locator("#mynetwork canvas").bounding_box()
    run.page.mouse.move(corner["x"] + 2, corner["y"] + 2)  # off every node: vis hides the tooltip
    run.page.locator("div.vis-tooltip").wait_for(state="hidden", timeout=5_000)
    histogram = screenshot_canvas(run, ARTIFACTS / "saudinewsnet-2000.png")
    assert_drawn(histogram, {STYLE[t][0] for t in ("Person", "State", "Meeting")})
    print(f"2,000-article page: {size / 1e6:.2f} MB, {n_nodes} of {len(list(graph.entities()))} entities; "
          f"interactive in {interactive:.2f} s; click highlight {click_ms:.0f} ms; search {search_ms:.0f} ms; "
          f"untick Person {filter_ms:.0f} ms, tick again {refilter_ms:.0f} ms")
    assert_clean(run)
