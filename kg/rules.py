"""Relation rules as data, and the one matcher that runs them.

A rule (one record of a JSON file under ``kg/data/rules/``, or of a file a user adds with ``--rules``)
names an anchor and two slots:

- the **anchor** is a token of a lexicon role («بمشاركة») or a mention of some entity types;
- each **slot** (``subject``, ``object``) says where its mention lies relative to the anchor, with one
  position operator (``anchor``, ``after``, ``before``, ``list_after``, ``list_before``, ``inside``,
  ``context``; the object also ``after_subject``), and which mentions qualify (``types`` and named filters).

The operators follow spaCy's ``DependencyMatcher`` (``.`` immediately precedes, ``.*`` precedes) and
GATE's JAPE phases (a named rule with a priority, the best match kept): ``after: 0`` is adjacency,
``after: n`` precedes within n tokens. Every rule carries Arabic examples that ``tests/test_rules.py``
runs, so a rule file is its own specification. A file is validated when loaded: an unknown role, entity
type, operator, filter or predicate, or a slot type outside the predicate's domain or range in
``schema/ontology.ttl``, is one :class:`~kg.errors.GazetteerError` naming the file and the rule.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import GazetteerError
from kg.model import ENTITY_TYPES
from kg.predicates import registry

if TYPE_CHECKING:
    from kg.extract import Ctx
    from kg.gazetteer import Gazetteer
    from kg.mentions import Mention

POSITIONS = ("anchor", "after", "before", "list_after", "list_before", "inside", "after_subject", "context")
CONTEXTS = ("speaker", "meeting", "reported_meeting", "home_state")
CLAUSE_BREAKS = {".", ":", "؛", "!", "?", "؟"}
# filters a slot or an anchor may carry, with the JSON type of their value
FILTERS: dict[str, type | tuple[type, ...]] = {
    "types": list, "via": list, "not_via": list, "kind": str, "not_kind": str, "prefix": str,
    "preceded_by": (str, list), "not_preceded_by": (str, list), "followed_by": (str, list), "feminine": bool,
    "locative": bool, "not_in_title_chain": bool,
    "not_between": list, "no_clause_break": bool, "no_mention_between": list, "all": bool,
    "sentence_has": (str, list), "not_qualifying": list, "not_before_number": bool, "not_locative": bool,
    "known_body": bool,
}


@dataclass(frozen=True)
class Slot:
    """Where one end of a fact is found, relative to the anchor, and which mentions qualify."""

    position: str  # one of POSITIONS
    distance: int = 0  # after/before/list_after: how many tokens may lie between anchor and mention
    context: str = ""  # position "context": which piece of discourse state
    filters: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    id: str
    priority: int
    predicate: str
    confidence: float
    anchor: dict[str, Any]
    subject: Slot
    object: Slot
    properties: dict[str, str]
    examples: dict[str, Any]
    source: str  # the file that defines it
    anchor_roles: tuple[str, ...] = ()  # the anchor's lexicon roles, read once: the matcher asks per sentence




@dataclass(frozen=True)
class Match:
    """One firing of a rule: the keys it joined and the words each part matched (for ``kg explain``)."""

    rule: str
    priority: int
    confidence: float
    anchor: str
    subject: str
    object: str


@dataclass(frozen=True)
class PythonRule:
    """A rule that needs discourse state no data rule can express (who speaks, what a title chain ties)."""

    id: str
    priority: int
    run: Callable[[Ctx], None]


PYTHON_RULES: dict[str, PythonRule] = {}


def python_rule(rule_id: str, priority: int) -> Callable[[Callable[[Ctx], None]], Callable[[Ctx], None]]:
    """Register a Python rule under its id; its docstring shows the Arabic it reads."""
    def register(fn: Callable[[Ctx], None]) -> Callable[[Ctx], None]:
        PYTHON_RULES[rule_id] = PythonRule(rule_id, priority, fn)
        return fn
    return register


# -- loading and validation ------------------------------------------------------------------------


def load_rules(gaz: Gazetteer, extra: Iterable[str | Path] = ()) -> tuple[Rule, ...]:
    """The shipped rule files, then the user's (files or folders of ``*.json``), validated against the
    lexicon and the ontology. Rule ids are unique across all files."""
    files: list[tuple[str, str]] = []
    for item in sorted(resources.files("kg.data").joinpath("rules").iterdir(), key=lambda p: p.name):
        if item.name.endswith(".json"):
            files.append((f"kg/data/rules/{item.name}", item.read_text(encoding="utf-8")))
    for path in map(Path, extra):
        for f in sorted(path.glob("*.json")) if path.is_dir() else [path]:
            try:
                files.append((str(f), f.read_text(encoding="utf-8")))
            except (OSError, UnicodeDecodeError) as err:
                raise GazetteerError(f"{f}: cannot read rule file: {err}") from err
    rules: dict[str, Rule] = {}
    for name, text in files:
        for rule in _parse_file(name, text, gaz):
            if rule.id in rules:
                raise GazetteerError(f"{name}: rule {rule.id!r} is already defined in {rules[rule.id].source}")
            rules[rule.id] = rule
    return tuple(sorted(rules.values(), key=lambda r: (-r.priority, r.id)))


def _parse_file(name: str, text: str, gaz: Gazetteer) -> list[Rule]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise GazetteerError(f"{name}: not JSON: {err}") from err
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise GazetteerError(f"{name}: a rule file holds an object with a list under \"rules\"")
    return [_parse_rule(name, item, gaz) for item in data["rules"]]


def _parse_rule(name: str, item: Any, gaz: Gazetteer) -> Rule:
    rid = item.get("id") if isinstance(item, dict) else None
    if not isinstance(rid, str) or not rid:
        raise GazetteerError(f"{name}: every rule needs a string \"id\"")

    def fail(message: str) -> GazetteerError:
        return GazetteerError(f"{name}: rule {rid}: {message}")

    known = {"id", "priority", "predicate", "confidence", "anchor", "subject", "object", "properties", "examples",
             "_doc"}
    if unknown := set(item) - known:
        raise fail(f"unknown keys {sorted(unknown)}")
    pred = registry().get(item.get("predicate", ""))
    if pred is None:
        raise fail(f"unknown predicate {item.get('predicate')!r}")
    priority, confidence = item.get("priority"), item.get("confidence")
    if not isinstance(priority, int) or not isinstance(confidence, (int, float)) or not 0 < confidence <= 1:
        raise fail("needs an integer \"priority\" and a \"confidence\" in (0, 1]")
    anchor = item.get("anchor")
    if not isinstance(anchor, dict) or ("role" in anchor) == ("types" in anchor):
        raise fail("the anchor needs exactly one of \"role\" (a lexicon role) or \"types\" (entity types)")
    role = anchor.get("role", "-")
    if not (isinstance(role, str) or isinstance(role, list) and role and all(isinstance(r, str) for r in role)):
        raise fail("anchor: \"role\" is a lexicon role or a list of them")
    _check_filters(anchor, {"role"}, gaz, fail, "anchor")
    slots = {}
    for part, allowed in (("subject", pred.domain), ("object", pred.range)):
        slots[part] = _parse_slot(item.get(part), anchor, gaz, fail, part)
        types = set(slots[part].filters.get("types", ()))
        if slots[part].position == "anchor":
            types = set(anchor.get("types", ()))
        if slots[part].position != "context" and not types:
            raise fail(f"{part}: needs \"types\"")
        if types - allowed:
            raise fail(f"{part}: {sorted(types - allowed)} outside what {pred.name} allows ({sorted(allowed)})")
    examples = item.get("examples")
    if not isinstance(examples, dict) or not examples.get("positive") or not examples.get("negative"):
        raise fail("needs \"examples\" with at least one \"positive\" and one \"negative\"")
    properties = item.get("properties", {})
    if not isinstance(properties, dict):
        raise fail("\"properties\" is an object of strings")
    return Rule(rid, priority, pred.name, float(confidence), anchor, slots["subject"], slots["object"],
                properties, examples, name, _roles(anchor.get("role", ())))


def _parse_slot(spec: Any, anchor: dict[str, Any], gaz: Gazetteer, fail, part: str) -> Slot:
    if not isinstance(spec, dict):
        raise fail(f"{part}: a slot is an object")
    positions = [p for p in POSITIONS if p in spec]
    if len(positions) != 1:
        raise fail(f"{part}: needs exactly one position among {list(POSITIONS)}")
    position = positions[0]
    value = spec[position]
    if position == "context":
        if value not in CONTEXTS:
            raise fail(f"{part}: unknown context {value!r} (known: {list(CONTEXTS)})")
    elif position in ("anchor", "inside"):
        if value is not True or "types" not in anchor:
            raise fail(f"{part}: {position!r} is true, and needs an anchor of entity types")
    elif position == "after_subject" and part != "object":
        raise fail(f"{part}: 'after_subject' places the object after the subject")
    elif not isinstance(value, int) or value < 0:
        raise fail(f"{part}: {position!r} takes a distance in tokens (an integer ≥ 0)")
    filters = {k: v for k, v in spec.items() if k != position}
    _check_filters(filters, set(), gaz, fail, part)
    return Slot(position, value if isinstance(value, int) and value is not True else 0,
                value if position == "context" else "", filters)


def _check_filters(spec: dict[str, Any], extra: set[str], gaz: Gazetteer, fail, part: str) -> None:
    for key, value in spec.items():
        if key in extra or key == "_doc":
            continue
        if key not in FILTERS:
            raise fail(f"{part}: unknown operator or filter {key!r} (known: {sorted(FILTERS)})")
        if not isinstance(value, FILTERS[key]):
            kinds = FILTERS[key] if isinstance(FILTERS[key], tuple) else (FILTERS[key],)
            raise fail(f"{part}: {key!r} takes a {' or '.join(k.__name__ for k in kinds)}")  # type: ignore[union-attr]
    roles = [r for k in ("role", "preceded_by", "not_preceded_by", "followed_by", "sentence_has") if k in spec
             for r in _roles(spec[k])]
    roles += list(spec.get("not_between", ()))
    for role in roles:
        if not gaz.has_role(role):
            raise fail(f"{part}: unknown lexicon role {role!r}")
    for t in [*spec.get("types", ()), *spec.get("no_mention_between", ()), *spec.get("not_qualifying", ())]:
        if t not in ENTITY_TYPES:
            raise fail(f"{part}: unknown entity type {t!r}")


# -- matching ------------------------------------------------------------------------------------------


def run_rules(rules: Iterable[Rule], ctx: Ctx) -> None:
    """Every data rule on one sentence; each firing goes to ``ctx.add``, which keeps the best per triple.

    A rule anchored on lexicon roles none of the sentence's tokens plays has no anchor there: it is passed over
    with one set test, where its matcher would be started for nothing (most rules, in most sentences)."""
    here = ctx.r.cue_index.keys()
    for rule in rules:
        if rule.anchor_roles and here.isdisjoint(rule.anchor_roles):
            continue
        for a_start, a_end, anchor in _anchors(rule, ctx):
            for subj in _fill(rule.subject, ctx, a_start, a_end, anchor):
                # an object placed after the subject is looked for from the subject's end
                start, end = (subj[2], subj[3]) if rule.object.position == "after_subject" else (a_start, a_end)
                for obj in _fill(rule.object, ctx, start, end, anchor):
                    ctx.add(subj[0], rule.predicate, obj[0], rule.id, rule.confidence,
                            match=Match(rule.id, rule.priority, rule.confidence, ctx.r.surface(a_start, a_end),
                                        subj[1], obj[1]), priority=rule.priority, **rule.properties)


def _anchors(rule: Rule, ctx: Ctx) -> Iterator[tuple[int, int, Mention | None]]:
    if rule.anchor_roles:
        for k in sorted({k for role in rule.anchor_roles for k in ctx.cues(role)}):
            if _token_filters(rule.anchor, ctx, k, k + 1):
                yield k, k + 1, None
        return
    for m in ctx.mentions:
        if _qualifies(rule.anchor, ctx, m):
            yield m.start, m.end, m


def _fill(slot: Slot, ctx: Ctx, a_start: int, a_end: int,
          anchor: Mention | None) -> Iterator[tuple[str, str, int, int]]:
    """The (key, matched words, start, end) of the mentions a slot takes for one anchor."""
    f = slot.filters
    if slot.position == "context":
        key = ctx.context(slot.context, a_start)
        if key:
            yield key, f"<{slot.context}>", a_start, a_end
        return
    if slot.position == "anchor":
        if anchor is not None and anchor.key:
            yield anchor.key, anchor.name, anchor.start, anchor.end
        return
    # the window first, then the filters: a filter may parse a title chain, the window is two comparisons
    others = [m for m in ctx.mentions if m is not anchor]

    def ok(m: Mention) -> bool:
        return _qualifies(f, ctx, m)

    if slot.position == "inside":
        found = [m for m in others if a_start < m.start and m.end <= a_end and ok(m)]
    elif slot.position in ("after", "after_subject"):
        found = sorted((m for m in others if a_end <= m.phrase_start <= a_end + slot.distance and ok(m)),
                       key=lambda m: m.phrase_start)
    elif slot.position == "before":
        found = sorted((m for m in others if m.start < a_start and a_start - m.end <= slot.distance and ok(m)),
                       key=lambda m: (-min(m.end, a_start), -m.start))
    elif slot.position == "list_before":  # «تطهير محافظات الحسكة ودير الزور والرقة من سيطرة داعش»
        found = []
        for m in sorted((m for m in others if m.end <= a_start and ok(m)), key=lambda m: -m.end):
            edge = found[-1].start if found else a_start
            if edge - m.end > (slot.distance if not found else 1):
                break
            found.append(m)
        f = {**f, "all": True}
    else:  # list_after: the coordinated list the anchor opens («بمشاركة X وY وZ»)
        stop = ctx.list_end(a_start)
        found = sorted((m for m in others if a_end <= m.phrase_start < stop and ok(m)), key=lambda m: m.phrase_start)
        if found and found[0].phrase_start - a_end > slot.distance:
            found = []
        f = {**f, "all": True}
    found = [m for m in found if _gap_ok(f, ctx, a_start, a_end, m)]
    for m in found if f.get("all") else found[:1]:
        yield m.key, m.name, m.start, m.end


def _qualifies(f: dict[str, Any], ctx: Ctx, m: Mention) -> bool:
    if not m.key or ("types" in f and m.type not in f["types"]):
        return False
    if ("via" in f and m.via not in f["via"]) or ("not_via" in f and m.via in f["not_via"]):
        return False
    kind = m.entry.kind if m.entry else ""
    if ("kind" in f and kind != f["kind"]) or ("not_kind" in f and kind == f["not_kind"]):
        return False
    if "prefix" in f and not (m.prefix and ctx.r.norms[m.start][:m.prefix].endswith(f["prefix"].strip("*"))):
        return False
    if f.get("feminine") and not ctx.r.norms[m.end - 1].endswith("ه"):  # ة is folded to ه: «التركية»
        return False
    if f.get("not_in_title_chain") and ctx.in_title_chain(m):
        return False
    if f.get("known_body") and m.type == "Organization" and m.entry is None and not m.attrs.get("named") \
            and not any(ctx.r.word(k, "organization_linkers") for k in range(m.start + 1, m.end)):
        return False  # «لجنة الفلاحة»، «مكتب العمل»: a committee read from its head alone is no body of the guide;
        # one «concerned with» a task is a working group («لجنة المتابعة المعنية بتنفيذ …»)
    if f.get("locative") and not _locative(ctx, m) or f.get("not_locative") and _locative(ctx, m):
        return False
    if f.get("not_before_number") and m.end < len(ctx.r.norms) and ctx.r.norms[m.end].isdigit():
        return False  # «منتدى الاستثمار تونس 2020»: a state that names an event, with its year
    if "not_qualifying" in f and any(x.start == m.end and x.type in f["not_qualifying"] for x in ctx.mentions):
        return False  # «نظيره الروسي سيرغي لافروف»: the adjective qualifies the person after it
    return _token_filters(f, ctx, m.phrase_start, m.end)  # «مع وزير الخارجية X»: before the title chain


def _roles(value: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _plays(ctx: Ctx, k: int, roles: str | list[str]) -> bool:
    return any(ctx.r.word(k, role) for role in _roles(roles))


def _token_filters(f: dict[str, Any], ctx: Ctx, start: int, end: int) -> bool:
    if "sentence_has" in f and not any(ctx.cues(role) for role in _roles(f["sentence_has"])):
        return False
    if "preceded_by" in f and not _plays(ctx, start - 1, f["preceded_by"]):
        return False
    if "not_preceded_by" in f and _plays(ctx, start - 1, f["not_preceded_by"]):
        return False
    return not ("followed_by" in f and not _plays(ctx, end, f["followed_by"]))


def _locative(ctx: Ctx, m: Mention) -> bool:
    """A place named as where something is (a body after في is one something is in: «الدول الأعضاء في التحالف»)."""
    return m.type in ("Place", "State") and ctx.r.locative(m.start, m.prefix)


def _gap_ok(f: dict[str, Any], ctx: Ctx, a_start: int, a_end: int, m: Mention) -> bool:
    """The tokens between the anchor and the mention: no word of a forbidden role, no clause break, no mention
    of a forbidden type."""
    if m.start >= a_end:
        lo, hi = a_end, m.phrase_start
    elif m.start > a_start:  # inside the anchor: the words from the anchor's start to the mention
        lo, hi = a_start + 1, m.start
    else:
        lo, hi = m.end, a_start
    r = ctx.r
    for k in range(lo, hi):
        if any(r.word(k, role) for role in f.get("not_between", ())):
            return False
        if f.get("no_clause_break") and (r.norms[k] in CLAUSE_BREAKS or r.speech_verb(k)):
            return False
    between = f.get("no_mention_between")
    return not (between and any(x.type in between and lo <= x.start < hi for x in ctx.mentions if x is not m))
