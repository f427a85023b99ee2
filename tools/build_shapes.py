"""Regenerate the relation shapes at the end of schema/shapes.ttl from the ontology's domains and ranges.

The ontology (schema/ontology.ttl) is the one place where a relation's subject and object classes
are defined; this script turns each ``rdfs:domain`` / ``rdfs:range`` (a class or an
``owl:unionOf`` list) into a SHACL node shape, so the two files cannot drift apart.
``tests/test_rdf.py`` fails when the committed shapes differ from what this prints.

    python tools/build_shapes.py          # rewrite schema/shapes.ttl in place
    python tools/build_shapes.py --check  # exit 1 if it is out of date
"""

from __future__ import annotations

import sys
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "schema" / "ontology.ttl"
SHAPES = ROOT / "schema" / "shapes.ttl"
MARKER = "# ------------------------------------------------- relations: domain and range (generated)\n"
KG = "https://example.org/kg/vocab#"


def _classes(g: Graph, node: URIRef) -> list[str]:
    union = g.value(node, OWL.unionOf)
    members = list(Collection(g, union)) if union is not None else [node]
    return ["kg:" + str(m).removeprefix(KG) for m in members]


def _constraint(classes: list[str]) -> str:
    if len(classes) == 1:
        return f"sh:class {classes[0]}"
    return "sh:or ( " + " ".join(f"[ sh:class {c} ]" for c in classes) + " )"


def relation_shapes(ontology: Path = ONTOLOGY) -> str:
    g = Graph().parse(ontology)
    blocks = []
    for prop in sorted(g.subjects(RDF.type, OWL.ObjectProperty)):
        name = str(prop).removeprefix(KG)
        domain, range_ = g.value(prop, RDFS.domain), g.value(prop, RDFS.range)
        if not str(prop).startswith(KG) or name == "mentionedIn" or domain is None or range_ is None:
            continue
        subjects, objects = _classes(g, domain), _classes(g, range_)
        blocks.append(
            f"kgsh:{name[0].upper() + name[1:]}Shape a sh:NodeShape ;\n"
            f"    sh:targetSubjectsOf kg:{name} ;\n"
            f"    {_constraint(subjects)} ;\n"
            f'    sh:message "The subject of kg:{name} must be a {" or ".join(subjects)}." ;\n'
            f"    sh:property [\n"
            f"        sh:path kg:{name} ;\n"
            f"        {_constraint(objects)} ;\n"
            f'        sh:message "The object of kg:{name} must be a {" or ".join(objects)}." ] .\n'
        )
    return "\n".join(blocks)


def render(shapes: Path = SHAPES) -> str:
    head = shapes.read_text(encoding="utf-8").split(MARKER)[0]
    return head + MARKER + "\n" + relation_shapes()


if __name__ == "__main__":
    text = render()
    if "--check" in sys.argv[1:]:
        sys.exit(0 if SHAPES.read_text(encoding="utf-8") == text else 1)
    SHAPES.write_text(text, encoding="utf-8")
