"""A self-contained interactive page (pyvis / vis-network) that opens with no network access.

pyvis builds the node and edge records and ships vis-network; we do not use its page template
because pyvis 0.3.2 loads bootstrap from cdn.jsdelivr.net in every ``cdn_resources`` mode
(WestHealth/pyvis#228, #229). Our template inlines vis-network's JS and CSS from the pyvis package.

What is drawn: :func:`kg.viz.focus` keeps the entities within the page's :class:`~kg.viz.Limits`
(by default the 400 with most stated facts); the page says what it left out and how to see more.
Nodes are sized by their facts, labels are cut short (the tooltip holds the full name).

Safety: every article-derived string (names, aliases, ids, roles, sentences) is ``html.escape``d in
Python before it enters the page, and the data block is JSON with ``<``, ``>`` and ``&`` written as
``\\u`` escapes so nothing in it can close the ``<script>``. vis-network 9 shows a string tooltip
as plain text, so the page turns each (escaped) tooltip into an element itself; canvas labels and
search options are decoded back to text through a ``<textarea>``, which never creates markup.
Tooltips isolate every name, id and sentence (``<bdi>``) so right-to-left text cannot reorder them.

Interaction: a click fades all but the node's neighbourhood; type and date filters are
``vis.DataView`` filters refreshed once per change (one batch, not a redraw per node); the search
folds Arabic with ``normalize`` in JavaScript, a mirror of :func:`kg.text.normalize` (tested
against it), and finds names, aliases, English names, ids and QIDs.

Layout: up to `PHYSICS_LIMIT` nodes the browser stabilises the layout from a fixed seed, then turns
physics off; above it the layout is precomputed (a seeded spring layout, `spring_layout`) and physics
is skipped. ``<body data-node-count data-edge-count>`` and ``window.KG.counts`` carry the counts for tests.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Iterable, Mapping
from html import escape
from pathlib import Path
from string import Template
from typing import Any

import pyvis
from pyvis.network import Network

from kg.export.jsonl import clean_text, edge_role
from kg.graph import KnowledgeGraph
from kg.viz import Limits, View, focus

PHYSICS_LIMIT = 500
MAX_EVIDENCE_SHOWN = 5
MAX_SENTENCE_CHARS = 400
SHORT_LABEL_CHARS = 24
LAYOUT_SEED = 7
EDGE_COLOUR = "#b0b0b0"

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


def _bdi(value: Any, direction: str = "auto") -> str:
    """An isolated run: a name, id or sentence keeps its own direction inside the right-to-left tooltip,
    so «[000_9b94… 561-999]» stays whole and a Latin id never swaps places with the Arabic around it."""
    return f'<bdi dir="{direction}">{_e(value)}</bdi>'


def _row(label: str, value: str) -> str:
    # dir=auto: «id: Q851» reads left to right, «النوع / type: State» right to left, each as its label starts
    return f'<div dir="auto">{label}: {value}</div>'


def short_label(name: str) -> str:
    """The canvas label: names longer than `SHORT_LABEL_CHARS` are cut at a word and end in «…»
    (the tooltip keeps the full name), so labels do not pile up over their neighbours."""
    if len(name) <= SHORT_LABEL_CHARS:
        return name
    head = name[:SHORT_LABEL_CHARS + 1]  # one more: a space there means the last word fits whole
    cut = head.rsplit(" ", 1)[0] if " " in head else head[:SHORT_LABEL_CHARS]
    return cut.rstrip() + "…"


def _node_title(node: str, data: dict[str, Any], degree: int, english: tuple[str, ...]) -> str:
    rows = [f"<div><b>{_bdi(data['name'])}</b></div>"]
    if english:
        rows.append(_row("English", " / ".join(_bdi(n, "ltr") for n in english)))
    rows += [_row("النوع / type", _bdi(data["type"], "ltr")), _row("id", _bdi(node, "ltr"))]
    if data["aliases"]:
        rows.append(_row("أسماء أخرى / aliases", "، ".join(_bdi(a) for a in data["aliases"])))
    if data["wikidata"]:
        rows.append(_row("Wikidata", _bdi(data["wikidata"], "ltr")))
    rows.extend(_row(_e(k), _bdi(v)) for k, v in sorted(data["attrs"].items()))
    rows.append(_row("facts", _bdi(degree, "ltr")))
    rows.append(_row("articles", _bdi(len(data["articles"]), "ltr")))
    return "".join(rows)


def _edge_title(subject: str, obj: str, key: str, data: dict[str, Any], dates: dict[str, str]) -> str:
    # The fact reads left to right, subject first, so the arrow points from the subject to the object
    # whatever the direction of the names; each name is isolated so it cannot reorder the line.
    rows = [f'<div dir="ltr"><b>{_e(data["predicate"])}</b>: {_bdi(subject)} → {_bdi(obj)}</div>']
    role = edge_role(key)
    if role:
        rows.append(_row("الصفة / role", _bdi(role)))
    for name, values in sorted(data["properties"].items()):
        if name != "role" and values:
            rows.append(_row(_e(name), "، ".join(_bdi(v) for v in values)))
    evidence = data["evidence"]
    reported = sorted({dates[ev.article] for ev in evidence if dates.get(ev.article)})
    if reported:
        rows.append(_row("dates", _bdi(", ".join(reported), "ltr")))
    for ev in evidence[:MAX_EVIDENCE_SHOWN]:
        sentence = ev.sentence
        if len(sentence) > MAX_SENTENCE_CHARS:
            sentence = sentence[:MAX_SENTENCE_CHARS] + "…"
        rows.append(f'<div><i class="kg-ref">{_bdi(f"[{ev.article} {ev.start}-{ev.end}]", "ltr")}</i> '
                    f"{_bdi(sentence)}</div>")
    if len(evidence) > MAX_EVIDENCE_SHOWN:
        rows.append(f"<div>… +{len(evidence) - MAX_EVIDENCE_SHOWN}</div>")
    return "".join(rows)


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
        # the same seed every time: a page laid out in the browser looks the same each time it opens
        "layout": {"randomSeed": LAYOUT_SEED, "improvedLayout": False},
        "physics": {
            "enabled": physics,
            "solver": "forceAtlas2Based",
            "stabilization": {"enabled": physics, "iterations": 400, "fit": True},
        },
        "interaction": {"hover": True, "tooltipDelay": 150},
        "nodes": {
            "font": {"face": FONT_FACE, "size": 16},
            # sized by facts; labels of small nodes vanish when zoomed out instead of piling up
            "scaling": {"min": 8, "max": 40,
                        "label": {"enabled": True, "min": 12, "max": 36, "drawThreshold": 7, "maxVisible": 30}},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "font": {"face": FONT_FACE, "size": 10, "align": "middle"},
            "smooth": {"enabled": physics, "type": "continuous"},
            "color": {"color": EDGE_COLOUR, "highlight": "#333333"},
        },
    }


def build_network(view: View, english: Mapping[str, tuple[str, ...]] | None = None) -> Network:
    """The pyvis network of a view: entity nodes (articles omitted) sized by facts, and relation edges.

    Each node and edge carries the distinct dates of the articles behind it (``kgDates``) for the
    page's date filter; a node also carries every name it is searched by (``kgNames``).
    """
    graph, english = view.graph, english or {}
    entities = list(graph.entities())
    ids = {node: i for i, (node, _) in enumerate(entities)}
    positions = _layout(graph, ids)
    dates = {article_id: data["date"] for article_id, data in graph.articles()}
    net = Network(directed=True, cdn_resources="in_line")
    for node, data in entities:
        colour, shape = STYLE.get(data["type"], OTHER_STYLE)
        extra: dict[str, Any] = {}
        if positions is not None:
            extra = {"x": positions[node][0], "y": positions[node][1], "physics": False}
        en = english.get(node) or english.get(data["wikidata"]) or ()
        names = [data["name"], *data["aliases"], *en, node, *([data["wikidata"]] if data["wikidata"] else [])]
        net.add_node(ids[node], label=_e(short_label(data["name"])), shape=shape, color=colour,
                     value=view.degree[node], title=_node_title(node, data, view.degree[node], en),
                     kgType=_e(data["type"]), kgNames=[_e(n) for n in dict.fromkeys(names)],
                     kgFacts=view.degree[node], kgDates=sorted({dates[a] for a in data["articles"] if dates.get(a)}),
                     **extra)
    parallel: dict[tuple[str, str], int] = {}
    for i, (s, o, key, data) in enumerate(graph.relations()):
        nth = parallel[s, o] = parallel.get((s, o), -1) + 1
        extra = {"smooth": {"enabled": True, "type": "curvedCW", "roundness": 0.2 * nth}} if nth else {}
        net.add_edge(ids[s], ids[o], id=i, label=_e(data["predicate"]),
                     title=_edge_title(graph.g.nodes[s]["name"], graph.g.nodes[o]["name"], key, data, dates),
                     kgDates=sorted({dates[ev.article] for ev in data["evidence"] if dates.get(ev.article)}),
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


def write_html(graph: KnowledgeGraph, path: str | Path, title: str = "شبكة المعرفة", *, limits: Limits | None = None,
               keep: Iterable[str] = (), english: Mapping[str, tuple[str, ...]] | None = None) -> View:
    """Write the page of ``graph`` within ``limits`` (``keep``: entities drawn whatever the limits) and return
    the view drawn, whose ``summary()`` says what was left out; the page says it too.

    ``english`` maps entity ids and QIDs to English names (:func:`kg.gazetteer.english_names`), shown in
    tooltips and found by the search.
    """
    view = focus(graph, limits or Limits(), keep)
    net = build_network(view, english)
    nodes, edges, _, _, _, options = net.get_network_data()
    types: dict[str, int] = {}
    for _, data in view.graph.entities():
        types[data["type"]] = types.get(data["type"], 0) + 1
    dates = sorted({d for n in nodes for d in n["kgDates"]})
    physics = net.options["physics"]["enabled"]
    page = _PAGE.substitute(
        title=_e(title),
        font=FONT_FACE,
        vis_css=(_VIS_DIR / "vis-network.css").read_text(encoding="utf-8"),
        vis_js=(_VIS_DIR / "vis-network.min.js").read_text(encoding="utf-8"),
        legend=_legend(dict(sorted(types.items()))),
        note=_e(view.summary()) if view.left_out else "",
        note_hidden="" if view.left_out else " hidden",
        first_date=_e(dates[0] if dates else ""),
        last_date=_e(dates[-1] if dates else ""),
        dates_disabled="" if dates else " disabled",
        edge_colour=EDGE_COLOUR,
        node_count=len(nodes),
        edge_count=len(edges),
        data=_script_json({"nodes": nodes, "edges": edges, "options": json.loads(options),
                           "physics": physics, "counts": {"nodes": len(nodes), "edges": len(edges)},
                           "total": view.total}),
    )
    Path(path).write_bytes(clean_text(page).encode("utf-8"))
    return view


_PAGE = Template("""<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<style>$vis_css</style>
<style>
  body { margin: 0; font-family: $font; background: #fafafa; }
  header { display: flex; flex-wrap: wrap; gap: 8px 12px; align-items: center; padding: 8px 12px;
           border-bottom: 1px solid #ddd; background: #fff; }
  header h1 { font-size: 18px; margin: 0 8px 0 0; }
  header button, header input { font: inherit; font-size: 14px; }
  #kg-search { padding: 4px 8px; min-width: 220px; }
  #kg-search-status { color: #a33; font-size: 13px; }
  #kg-legend { display: flex; flex-wrap: wrap; gap: 10px; font-size: 14px; }
  #kg-dates { font-size: 14px; }
  #kg-note { margin: 0; padding: 6px 12px; background: #fff8e1; border-bottom: 1px solid #e6d7a3;
             font-size: 13px; }
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
  #mynetwork { width: 100%; height: calc(100vh - 100px); background: #fff; }
  div.vis-tooltip { direction: rtl; text-align: right; white-space: normal; max-width: 480px;
                    font-family: $font; font-size: 13px; line-height: 1.6; }
  .kg-ref { color: #555; }
</style>
</head>
<body data-node-count="$node_count" data-edge-count="$edge_count" data-stabilized="false">
<header>
  <h1>$title</h1>
  <input id="kg-search" type="search" list="kg-names" placeholder="ابحث: اسم، English، id، QID…"
         autocomplete="off">
  <datalist id="kg-names"></datalist>
  <span id="kg-search-status" role="status"></span>
  <button id="kg-fit" type="button" title="fit the graph to the window">ملاءمة / fit</button>
  <button id="kg-reset" type="button" title="all types and dates, no selection, fitted">إعادة / reset</button>
  <span id="kg-dates">التاريخ / dates:
    <input id="kg-from" type="date" min="$first_date" max="$last_date"$dates_disabled> –
    <input id="kg-to" type="date" min="$first_date" max="$last_date"$dates_disabled></span>
  <div id="kg-legend">
$legend
  </div>
</header>
<p id="kg-note" dir="ltr" role="note"$note_hidden>$note</p>
<div id="mynetwork" dir="rtl"></div>
<script>$vis_js</script>
<script>
(function () {
  "use strict";
  var DATA = $data;
  function decode(s) { var t = document.createElement("textarea"); t.innerHTML = s; return t.value; }
  function tip(html) { var d = document.createElement("div"); d.innerHTML = html; return d; }

  // A mirror of kg.text.normalize (camel-tools' folding), so the search folds Arabic as --around does:
  // NFKC (after camel-tools' two ligature fixes), Arabic-Indic digits, Persian letters, no tatweel,
  // no diacritics, alef forms to ا, ى to ي, ة to ه. tests/test_browser.py checks both agree.
  var PERSIAN = {"\\u06cc": "\\u064a", "\\u06a9": "\\u0643", "\\u06c0": "\\u0647"};
  function normalize(text) {
    return text.replace(/\\ufdfc/g, "ريال").replace(/\\ufdfd/g, "بسم الله الرحمن الرحيم")
      .normalize("NFKC")
      .replace(/[\\u0660-\\u0669]/g, function (d) { return String.fromCharCode(d.charCodeAt(0) - 0x0660 + 48); })
      .replace(/[\\u06f0-\\u06f9]/g, function (d) { return String.fromCharCode(d.charCodeAt(0) - 0x06f0 + 48); })
      .replace(/[\\u06cc\\u06a9\\u06c0]/g, function (c) { return PERSIAN[c]; })
      .replace(/\\u0640/g, "")
      .replace(/[\\u064b-\\u0652\\u0670]/g, "")
      .replace(/[\\u0625\\u0623\\u0671\\u0622]/g, "\\u0627")
      .replace(/\\u0649/g, "\\u064a")
      .replace(/\\u0629/g, "\\u0647");
  }
  // search keys: the normalised form, lower-cased so English names and QIDs match in any case
  function fold(text) { return normalize(text.trim()).toLowerCase(); }

  DATA.nodes.forEach(function (n) {
    n.label = decode(n.label);
    n.title = tip(n.title);
    n.kgType = decode(n.kgType);
    n.kgNames = n.kgNames.map(decode);
    n.kgKeys = n.kgNames.map(fold);
    n.kgColour = n.color;
  });
  DATA.edges.forEach(function (e) { e.label = decode(e.label); e.title = tip(e.title); });
  var nodes = new vis.DataSet(DATA.nodes);
  var edges = new vis.DataSet(DATA.edges);

  var boxes = Array.prototype.slice.call(document.querySelectorAll("#kg-legend input[data-type]"));
  var fromBox = document.getElementById("kg-from"), toBox = document.getElementById("kg-to");
  var shownTypes = {}, from = "", to = "";
  function inRange(dates) {
    if (!from && !to) { return true; }
    return dates.some(function (d) { return (!from || d >= from) && (!to || d <= to); });
  }
  // The filters are views over the data: one refresh per change redraws once, whatever the page's size.
  var nodeView = new vis.DataView(nodes, {filter: function (n) {
    return shownTypes[n.kgType] !== false && inRange(n.kgDates);
  }});
  var edgeView = new vis.DataView(edges, {filter: function (e) { return inRange(e.kgDates); }});
  var container = document.getElementById("mynetwork");
  var network = new vis.Network(container, {nodes: nodeView, edges: edgeView}, DATA.options);
  function stabilized() { document.body.setAttribute("data-stabilized", "true"); }
  if (DATA.physics) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({physics: false});
      network.storePositions();  // a node filtered out and back returns to its place
      stabilized();
    });
  } else {
    stabilized();
  }

  function applyFilter() {
    boxes.forEach(function (b) { shownTypes[b.getAttribute("data-type")] = b.checked; });
    from = fromBox.value;
    to = toBox.value;
    nodeView.refresh();
    edgeView.refresh();
  }
  boxes.forEach(function (b) { b.addEventListener("change", applyFilter); });
  [fromBox, toBox].forEach(function (b) { b.addEventListener("change", applyFilter); });

  var FADED = "rgba(200,200,200,0.35)", FADED_TEXT = "rgba(120,120,120,0.35)", TEXT = "#343434";
  var highlighted = null;
  function highlight(id) {
    // one batch update of every node and edge: faded unless it is the node, a neighbour or an edge between them
    var near = {};
    near[id] = true;
    network.getConnectedNodes(id).forEach(function (n) { near[n] = true; });
    nodes.update(DATA.nodes.map(function (n) {
      return near[n.id] ? {id: n.id, color: n.kgColour, font: {color: TEXT}}
                        : {id: n.id, color: FADED, font: {color: FADED_TEXT}};
    }));
    edges.update(DATA.edges.map(function (e) {
      var touching = e.from === id || e.to === id;
      return {id: e.id, color: {color: touching ? "#555555" : FADED, highlight: "#333333"},
              font: {color: touching ? TEXT : FADED_TEXT}};
    }));
    highlighted = id;
  }
  function unhighlight() {
    if (highlighted === null) { return; }
    nodes.update(DATA.nodes.map(function (n) { return {id: n.id, color: n.kgColour, font: {color: TEXT}}; }));
    edges.update(DATA.edges.map(function (e) {
      return {id: e.id, color: {color: "$edge_colour", highlight: "#333333"}, font: {color: TEXT}};
    }));
    highlighted = null;
  }
  network.on("click", function (params) {
    if (params.nodes.length) { highlight(params.nodes[0]); } else { unhighlight(); }
  });

  var list = document.getElementById("kg-names");
  var listed = {};
  DATA.nodes.forEach(function (n) {
    n.kgNames.forEach(function (name) {
      if (!listed[name]) {
        listed[name] = true;
        var opt = document.createElement("option");
        opt.value = name;
        list.appendChild(opt);
      }
    });
  });

  var input = document.getElementById("kg-search");
  var status = document.getElementById("kg-search-status");
  function better(a, b) { return b === null || a.kgFacts > b.kgFacts || (a.kgFacts === b.kgFacts && a.id < b.id); }
  function find(query) {
    // as kg.viz.find_entities: a name, alias, id or QID as written wins, then the normalised forms;
    // then (a page convenience) a normalised part of one. Among several, the most connected.
    var q = query.trim(), key = fold(query);
    if (!key) { return null; }
    var tests = [function (n) { return n.kgNames.indexOf(q) !== -1; },
                 function (n) { return n.kgKeys.indexOf(key) !== -1; },
                 function (n) { return n.kgKeys.some(function (k) { return k.indexOf(key) !== -1; }); }];
    for (var t = 0; t < tests.length; t++) {
      var best = null;
      DATA.nodes.forEach(function (n) { if (tests[t](n) && better(n, best)) { best = n; } });
      if (best) { return best.id; }
    }
    return null;
  }
  function search() {
    var id = find(input.value);
    if (id === null) {
      // a miss clears the previous match, so nothing on screen claims to be the answer
      network.unselectAll();
      unhighlight();
      status.textContent = input.value.trim() ? "لا نتيجة على هذه الصفحة / not on this page" : "";
      return;
    }
    status.textContent = "";
    var node = nodes.get(id);
    if (nodeView.get(id) === null) {  // filtered out: show its type and every date again
      boxes.forEach(function (b) { if (b.getAttribute("data-type") === node.kgType) { b.checked = true; } });
      if (!inRange(node.kgDates)) { fromBox.value = ""; toBox.value = ""; }
      applyFilter();
    }
    network.selectNodes([id]);
    highlight(id);
    network.focus(id, {scale: 1.5, animation: {duration: 500}});
  }
  input.addEventListener("change", search);
  input.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { search(); } });

  function reset() {
    boxes.forEach(function (b) { b.checked = true; });
    fromBox.value = "";
    toBox.value = "";
    input.value = "";
    status.textContent = "";
    applyFilter();
    network.unselectAll();
    unhighlight();
    network.fit();
  }
  document.getElementById("kg-fit").addEventListener("click", function () { network.fit(); });
  document.getElementById("kg-reset").addEventListener("click", reset);

  window.KG = {network: network, nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView,
               counts: DATA.counts, total: DATA.total, normalize: normalize, highlight: highlight, reset: reset,
               highlighted: function () { return highlighted; },
               search: function (q) { input.value = q; search(); return find(q); }};
})();
</script>
</body>
</html>
""")
