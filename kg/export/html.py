"""A self-contained interactive page (pyvis / vis-network) that opens with no network access.

pyvis builds the node and edge records and ships vis-network; we do not use its page template
because pyvis 0.3.2 loads bootstrap from cdn.jsdelivr.net in every ``cdn_resources`` mode
(WestHealth/pyvis#228, #229). Our template inlines vis-network's JS and CSS from the pyvis package.

Safety: every article-derived string (names, aliases, ids, roles, sentences) is ``html.escape``d in
Python before it enters the page, and the data block is JSON with ``<``, ``>`` and ``&`` written as
``\\u`` escapes so nothing in it can close the ``<script>``. vis-network 9 shows a string tooltip
as plain text, so the page turns each (escaped) tooltip into an element itself; canvas labels and
search options are decoded back to text through a ``<textarea>``, which never creates markup.

Layout: up to `PHYSICS_LIMIT` nodes the browser stabilises the layout, then turns physics off;
above it the layout is precomputed (a seeded spring layout, `spring_layout`) and physics is skipped.
``<body data-node-count data-edge-count>`` and ``window.KG.counts`` carry the counts for tests.
"""

from __future__ import annotations

import json
import math
import random
from html import escape
from pathlib import Path
from string import Template
from typing import Any

import pyvis
from pyvis.network import Network

from kg.export.jsonl import clean_text, edge_role
from kg.graph import KnowledgeGraph

PHYSICS_LIMIT = 500
MAX_EVIDENCE_SHOWN = 5
MAX_SENTENCE_CHARS = 400

# type -> (colour, vis-network shape)
STYLE: dict[str, tuple[str, str]] = {
    "Person": ("#e15759", "dot"),
    "State": ("#4e79a7", "diamond"),
    "Organization": ("#59a14f", "square"),
    "Meeting": ("#f28e2b", "triangle"),
    "Resolution": ("#b07aa1", "star"),
    "Document": ("#edc948", "triangleDown"),
    "Place": ("#76b7b2", "hexagon"),
}
OTHER_STYLE = ("#9c9c9c", "ellipse")
FONT_FACE = "'Noto Naskh Arabic', 'Noto Sans Arabic', 'Amiri', Tahoma, 'Arial Unicode MS', sans-serif"
_VIS_DIR = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"


def _e(value: Any) -> str:
    return escape(clean_text(str(value)), quote=True)


def _node_title(node: str, data: dict[str, Any]) -> str:
    rows = [f"<b>{_e(data['name'])}</b>", f"النوع / type: {_e(data['type'])}", f"id: {_e(node)}"]
    if data["aliases"]:
        rows.append("أسماء أخرى / aliases: " + "، ".join(_e(a) for a in data["aliases"]))
    if data["wikidata"]:
        rows.append(f"Wikidata: {_e(data['wikidata'])}")
    rows.extend(f"{_e(k)}: {_e(v)}" for k, v in sorted(data["attrs"].items()))
    rows.append(f"articles: {len(data['articles'])}")
    return "<br>".join(rows)


def _edge_title(subject: str, obj: str, key: str, data: dict[str, Any], dates: dict[str, str]) -> str:
    rows = [f"<b>{_e(data['predicate'])}</b>: {_e(subject)} → {_e(obj)}"]
    role = edge_role(key)
    if role:
        rows.append(f"الصفة / role: {_e(role)}")
    for name, values in sorted(data["properties"].items()):
        if name != "role" and values:
            rows.append(f"{_e(name)}: {', '.join(_e(v) for v in values)}")
    evidence = data["evidence"]
    reported = sorted({dates[ev.article] for ev in evidence if dates.get(ev.article)})
    if reported:
        rows.append("dates: " + ", ".join(_e(d) for d in reported))
    for ev in evidence[:MAX_EVIDENCE_SHOWN]:
        sentence = ev.sentence
        if len(sentence) > MAX_SENTENCE_CHARS:
            sentence = sentence[:MAX_SENTENCE_CHARS] + "…"
        rows.append(f"<i>[{_e(ev.article)} {ev.start}-{ev.end}]</i> <span dir=\"rtl\">{_e(sentence)}</span>")
    if len(evidence) > MAX_EVIDENCE_SHOWN:
        rows.append(f"… +{len(evidence) - MAX_EVIDENCE_SHOWN}")
    return "<br>".join(rows)


def _layout(graph: KnowledgeGraph, ids: dict[str, int]) -> dict[str, tuple[int, int]] | None:
    """Fixed positions for big graphs (None below `PHYSICS_LIMIT`: the browser lays those out)."""
    if len(ids) <= PHYSICS_LIMIT:
        return None
    edges = sorted({(ids[s], ids[o]) for s, o, _, _ in graph.relations() if s != o})
    points = spring_layout(len(ids), edges)
    return {node: (round(points[i][0]), round(points[i][1])) for node, i in ids.items()}


def spring_layout(n: int, edges: list[tuple[int, int]], iterations: int = 30,
                  spacing: float = 120.0) -> list[tuple[float, float]]:
    """A deterministic Fruchterman-Reingold layout in pure Python (seeded, no numpy/scipy).

    ``networkx.spring_layout`` would need numpy and, from 500 nodes up, scipy, which the project
    does not depend on. Repulsion only acts within neighbouring grid cells (the usual FR grid
    variant), so each iteration costs about O(nodes + edges); a weak pull to the centre keeps
    disconnected components on screen. `spacing` is the ideal edge length in pixels. About 2 s for
    3,000 sparse nodes, 10 s for 8,000.
    """
    rng = random.Random(0)
    k, side = spacing, spacing * math.sqrt(n)
    xs = [rng.uniform(0, side) for _ in range(n)]
    ys = [rng.uniform(0, side) for _ in range(n)]
    cell, centre, gravity = 1.5 * k, side / 2, k / (5 * side)
    for step in range(iterations):
        heat = side / 10 * (1 - step / iterations) + 1
        dx_all, dy_all = [0.0] * n, [0.0] * n
        grid: dict[tuple[int, int], list[int]] = {}
        for i in range(n):
            grid.setdefault((int(xs[i] // cell), int(ys[i] // cell)), []).append(i)
        for (cx, cy), members in grid.items():
            near = [j for gx in (cx - 1, cx, cx + 1) for gy in (cy - 1, cy, cy + 1)
                    for j in grid.get((gx, gy), ())]
            for i in members:
                xi, yi, fx, fy = xs[i], ys[i], 0.0, 0.0
                for j in near:
                    dx, dy = xi - xs[j], yi - ys[j]
                    d2 = dx * dx + dy * dy
                    if j != i and d2 < cell * cell:
                        if d2 < 1e-6:
                            dx, dy, d2 = (1.0 if i < j else -1.0), 0.0, 1.0
                        force = k * k / d2
                        fx += dx * force
                        fy += dy * force
                dx_all[i], dy_all[i] = fx, fy
        for a, b in edges:
            dx, dy = xs[a] - xs[b], ys[a] - ys[b]
            d = math.hypot(dx, dy) / k
            dx_all[a] -= dx * d
            dy_all[a] -= dy * d
            dx_all[b] += dx * d
            dy_all[b] += dy * d
        for i in range(n):
            fx = dx_all[i] - gravity * (xs[i] - centre)
            fy = dy_all[i] - gravity * (ys[i] - centre)
            length = math.hypot(fx, fy)
            if length > 0:
                move = min(length, heat) / length
                xs[i] += fx * move
                ys[i] += fy * move
    return [(x - centre, y - centre) for x, y in zip(xs, ys, strict=True)]


def _options(physics: bool) -> dict[str, Any]:
    return {
        "physics": {
            "enabled": physics,
            "solver": "forceAtlas2Based",
            "stabilization": {"enabled": physics, "iterations": 400, "fit": True},
        },
        "interaction": {"hover": True, "tooltipDelay": 150},
        "nodes": {"font": {"face": FONT_FACE, "size": 16}},
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "font": {"face": FONT_FACE, "size": 10, "align": "middle"},
            "smooth": {"enabled": physics, "type": "continuous"},
            "color": {"color": "#b0b0b0", "highlight": "#333333"},
        },
    }


def build_network(graph: KnowledgeGraph) -> Network:
    """The pyvis network for the page: entity nodes (articles omitted) and relation edges."""
    entities = list(graph.entities())
    ids = {node: i for i, (node, _) in enumerate(entities)}
    positions = _layout(graph, ids)
    net = Network(directed=True, cdn_resources="in_line")
    for node, data in entities:
        colour, shape = STYLE.get(data["type"], OTHER_STYLE)
        extra: dict[str, Any] = {}
        if positions is not None:
            extra = {"x": positions[node][0], "y": positions[node][1], "physics": False}
        net.add_node(ids[node], label=_e(data["name"]), shape=shape, color=colour,
                     title=_node_title(node, data), kgType=_e(data["type"]),
                     kgNames=[_e(data["name"]), *(_e(a) for a in data["aliases"])], kgFacts=graph.facts(node),
                     **extra)
    dates = {article_id: data["date"] for article_id, data in graph.articles()}
    parallel: dict[tuple[str, str], int] = {}
    for i, (s, o, key, data) in enumerate(graph.relations()):
        nth = parallel[s, o] = parallel.get((s, o), -1) + 1
        extra = {"smooth": {"enabled": True, "type": "curvedCW", "roundness": 0.2 * nth}} if nth else {}
        net.add_edge(ids[s], ids[o], id=i, label=_e(data["predicate"]),
                     title=_edge_title(graph.g.nodes[s]["name"], graph.g.nodes[o]["name"], key, data, dates),
                     **extra)
    net.options = _options(physics=positions is None)
    return net


def _script_json(value: Any) -> str:
    """JSON that is safe inside ``<script>``: no ``<``, ``>`` or ``&`` can end the element."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _legend(types: dict[str, int]) -> str:
    items = []
    for name, count in types.items():
        colour, shape = STYLE.get(name, OTHER_STYLE)
        items.append(
            f'<label class="kg-type"><input type="checkbox" checked data-type="{_e(name)}">'
            f'<span class="kg-swatch kg-{_e(shape)}" style="background:{colour}"></span>'
            f'{_e(name)} <span class="kg-count">({count})</span></label>')
    return "\n".join(items)


def write_html(graph: KnowledgeGraph, path: str | Path, title: str = "شبكة المعرفة") -> None:
    net = build_network(graph)
    nodes, edges, _, _, _, options = net.get_network_data()
    types: dict[str, int] = {}
    for _, data in graph.entities():
        types[data["type"]] = types.get(data["type"], 0) + 1
    physics = net.options["physics"]["enabled"]
    page = _PAGE.substitute(
        title=_e(title),
        font=FONT_FACE,
        vis_css=(_VIS_DIR / "vis-network.css").read_text(encoding="utf-8"),
        vis_js=(_VIS_DIR / "vis-network.min.js").read_text(encoding="utf-8"),
        legend=_legend(dict(sorted(types.items()))),
        node_count=len(nodes),
        edge_count=len(edges),
        data=_script_json({"nodes": nodes, "edges": edges, "options": json.loads(options),
                           "physics": physics, "counts": {"nodes": len(nodes), "edges": len(edges)}}),
    )
    Path(path).write_bytes(clean_text(page).encode("utf-8"))


_PAGE = Template("""<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<style>$vis_css</style>
<style>
  body { margin: 0; font-family: $font; background: #fafafa; }
  header { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; padding: 8px 12px;
           border-bottom: 1px solid #ddd; background: #fff; }
  header h1 { font-size: 18px; margin: 0 8px 0 0; }
  #kg-search { font: inherit; padding: 4px 8px; min-width: 220px; }
  #kg-search-status { color: #a33; font-size: 13px; }
  #kg-legend { display: flex; flex-wrap: wrap; gap: 10px; font-size: 14px; }
  .kg-type { display: inline-flex; align-items: center; gap: 4px; cursor: pointer; }
  .kg-swatch { display: inline-block; width: 12px; height: 12px; }
  .kg-dot, .kg-ellipse { border-radius: 50%; }
  .kg-diamond { transform: rotate(45deg) scale(0.8); }
  .kg-triangle { clip-path: polygon(50% 0, 100% 100%, 0 100%); }
  .kg-triangleDown { clip-path: polygon(0 0, 100% 0, 50% 100%); }
  .kg-star { clip-path: polygon(50% 0, 61% 35%, 98% 35%, 68% 57%, 79% 91%, 50% 70%, 21% 91%, 32% 57%,
                                2% 35%, 39% 35%); }
  .kg-hexagon { clip-path: polygon(25% 0, 75% 0, 100% 50%, 75% 100%, 25% 100%, 0 50%); }
  .kg-count { color: #777; }
  #mynetwork { width: 100%; height: calc(100vh - 60px); background: #fff; }
  div.vis-tooltip { direction: rtl; text-align: right; white-space: normal; max-width: 480px;
                    font-family: $font; font-size: 13px; line-height: 1.6; }
</style>
</head>
<body data-node-count="$node_count" data-edge-count="$edge_count" data-stabilized="false">
<header>
  <h1>$title</h1>
  <input id="kg-search" type="search" list="kg-names" placeholder="ابحث عن اسم…" autocomplete="off">
  <datalist id="kg-names"></datalist>
  <span id="kg-search-status" role="status"></span>
  <div id="kg-legend">
$legend
  </div>
</header>
<div id="mynetwork" dir="rtl"></div>
<script>$vis_js</script>
<script>
(function () {
  "use strict";
  var DATA = $data;
  function decode(s) { var t = document.createElement("textarea"); t.innerHTML = s; return t.value; }
  function tip(html) { var d = document.createElement("div"); d.innerHTML = html; return d; }
  var names = new Map();
  DATA.nodes.forEach(function (n) {
    n.label = decode(n.label);
    n.title = tip(n.title);
    n.kgType = decode(n.kgType);
    n.kgNames = n.kgNames.map(decode);
  });
  DATA.edges.forEach(function (e) { e.label = decode(e.label); e.title = tip(e.title); });
  var nodes = new vis.DataSet(DATA.nodes);
  var edges = new vis.DataSet(DATA.edges);
  var container = document.getElementById("mynetwork");
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, DATA.options);
  function stabilized() { document.body.setAttribute("data-stabilized", "true"); }
  if (DATA.physics) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({physics: false});
      stabilized();
    });
  } else {
    stabilized();
  }

  var list = document.getElementById("kg-names");
  DATA.nodes.forEach(function (n) {
    n.kgNames.forEach(function (name) {
      if (!names.has(name)) {
        names.set(name, n.id);
        var opt = document.createElement("option");
        opt.value = name;
        list.appendChild(opt);
      }
    });
  });

  var boxes = Array.prototype.slice.call(document.querySelectorAll("#kg-legend input[data-type]"));
  var hiddenNow = {};
  function applyFilter() {
    // Only nodes whose visibility changes are updated: each update redraws, and a search re-applies
    // the filter, so touching all 2,000 nodes of a big page every time made it sluggish.
    var shown = {};
    boxes.forEach(function (b) { shown[b.getAttribute("data-type")] = b.checked; });
    var changes = [];
    DATA.nodes.forEach(function (n) {
      var hidden = shown[n.kgType] === false;
      if ((hiddenNow[n.id] === true) !== hidden) {
        hiddenNow[n.id] = hidden;
        changes.push({id: n.id, hidden: hidden});
      }
    });
    if (changes.length) { nodes.update(changes); }
  }
  boxes.forEach(function (b) { b.addEventListener("change", applyFilter); });

  var status = document.getElementById("kg-search-status");
  function find(query) {
    var q = query.trim();
    if (!q) { return null; }
    if (names.has(q)) { return names.get(q); }
    for (var i = 0; i < DATA.nodes.length; i++) {
      var n = DATA.nodes[i];
      if (n.kgNames.some(function (name) { return name.indexOf(q) !== -1; })) { return n.id; }
    }
    return null;
  }
  function search() {
    var id = find(document.getElementById("kg-search").value);
    if (id === null) { status.textContent = "لا نتيجة"; return; }
    status.textContent = "";
    var node = nodes.get(id);
    boxes.forEach(function (b) { if (b.getAttribute("data-type") === node.kgType) { b.checked = true; } });
    applyFilter();
    network.selectNodes([id]);
    network.focus(id, {scale: 1.5, animation: {duration: 500}});
  }
  var input = document.getElementById("kg-search");
  input.addEventListener("change", search);
  input.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { search(); } });

  window.KG = {network: network, nodes: nodes, edges: edges, counts: DATA.counts, search: function (q) {
    input.value = q; search(); return find(q);
  }};
})();
</script>
</body>
</html>
""")
