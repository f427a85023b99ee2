"""graph.html in a real headless Chromium: offline, complete, drawn, inert to hostile text, usable at 2,000 nodes.

The browser is Debian's chromium (``make test`` installs it with apt when it is missing), driven
by Playwright from the test extra; ``playwright install`` is never run. Every request the page
makes is routed through the test: only the file:// page itself may load, anything else is
recorded and aborted, so a CDN reference or an injected ``<img src=x>`` fails the test.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from kg.export.html import PHYSICS_LIMIT, STYLE, write_html
from kg.graph import KnowledgeGraph
from kg.model import Article, Entity, Evidence, Extraction, Triple
from tests.conftest import ROOT

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
    n_nodes, n_edges = len(list(graph.entities())), len(list(graph.relations()))
    counts = run.page.evaluate("""() => ({
        nodes: KG.nodes.length, edges: KG.edges.length,
        drawn: Object.keys(KG.network.getPositions()).length,
        body: [document.body.dataset.nodeCount, document.body.dataset.edgeCount].map(Number),
        physics: KG.network.physics.options.enabled})""")
    assert counts == {"nodes": n_nodes, "edges": n_edges, "drawn": n_nodes, "body": [n_nodes, n_edges],
                      "physics": False}  # switched off once the layout has settled
    types = {data["type"] for _, data in graph.entities()}
    histogram = screenshot_canvas(run, ARTIFACTS / "seeds.png")
    assert_drawn(histogram, {STYLE[t][0] for t in types if t in STYLE})
    # Filters: unticking a type hides exactly its nodes.
    run.page.locator('#kg-legend input[data-type="Person"]').uncheck()
    hidden = run.page.evaluate("() => KG.nodes.get({filter: n => n.hidden}).map(n => n.kgType)")
    assert hidden and set(hidden) == {"Person"}
    assert len(hidden) == sum(1 for _, d in graph.entities() if d["type"] == "Person")
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


def _hover(run: PageRun, point_js: str) -> str:
    """Move the mouse onto a canvas point (given in network coordinates) and return the tooltip's text."""
    run.page.mouse.move(0, 0)
    run.page.wait_for_timeout(50)
    point = run.page.evaluate(f"() => KG.network.canvasToDOM({point_js})")
    box = run.page.locator("#mynetwork canvas").bounding_box()
    run.page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
    tooltip = run.page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible", timeout=5_000)
    return tooltip.inner_text()


def test_hostile_text_runs_no_script(open_page, tmp_path: Path) -> None:
    path = tmp_path / "hostile.html"
    write_html(hostile_graph(), path, title=IMG_PAYLOAD)
    run = open_page(path)
    ids = run.page.evaluate("() => Object.fromEntries(KG.nodes.get().map(n => [n.label, n.id]))")
    assert SCRIPT_PAYLOAD in ids and IMG_PAYLOAD in ids  # labels show the text as text
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
    write_html(graph, path)
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
    assert_clean(run)
