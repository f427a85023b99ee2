"""`kg evaluate GOLD TRIPLES`: score extracted triples and entities against a gold file.

The rules are those of the annotation guide (GUIDE.md beside the gold files) as its reference
scorer applies them, so the numbers agree with it exactly:

* names are compared after `normalize_name` (diacritics and tatweel removed, alef forms unified,
  ى→ي, ة→ه, Arabic-Indic digits made ASCII, punctuation dropped, leading honorifics dropped);
* a predicted Person/State/Organization/Place matches the first gold entity of the article (core
  entities first, then optional ones) that shares a normalised name or alias with it, whatever
  the predicted type; a gold Resolution matches on its number alone;
* a predicted Meeting or Document matches by the gold `keys` (every token of one key occurs in a
  normalised form), same type first, then the other of the two; the longest key wins;
* optional entities and triples are neither rewarded nor penalised; unknown predicates are ignored;
* micro precision/recall/F1 overall and per predicate; entities on (entity, type); the merge share
  is the part of the gold entities of two or more articles that come out under exactly one id.

Gold `keys` are compared as written (the gold file stores them normalised already).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import EvaluationError
from kg.model import PREDICATES

KNOWN_PREDICATES = frozenset(PREDICATES)
KEYED_TYPES = ("Meeting", "Document")

# Leading titles dropped from names, in normalised spelling (صاحب السمو is two tokens).
HONORIFICS = frozenset({"الشيخ", "السفير", "المستشار", "سمو", "صاحب", "السمو", "الدكتور", "السيد", "السيده"})
_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ALEFS = re.compile("[أإآٱ]")
_PUNCTUATION = re.compile(r"[\"'«»“”‘’()\[\]{}:؛;,،.!?؟\-–—ـ/\\]")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)
_NUMBER = re.compile(r"\b(\d{3,4})\b")


def normalize_name(text: str | None) -> str:
    """The form names are compared in: see the module docstring."""
    text = _DIACRITICS.sub("", text or "").translate(_DIGITS)
    text = _ALEFS.sub("ا", text).replace("ى", "ي").replace("ة", "ه")
    tokens = _PUNCTUATION.sub(" ", text).split()
    start = 0
    while start < len(tokens) and tokens[start] in HONORIFICS:
        start += 1
    return " ".join(tokens[start:])


def numbers_in(text: str | None) -> set[str]:
    """Three- and four-digit numbers of a name (resolution numbers, years)."""
    return set(_NUMBER.findall(normalize_name(text)))


# --- results ---------------------------------------------------------------------------------------


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


@dataclass(frozen=True)
class Counts:
    """True positives, false positives and false negatives, with micro P/R/F1."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def as_dict(self) -> dict[str, float | int]:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1,
                "tp": self.tp, "fp": self.fp, "fn": self.fn}  # fmt: skip


@dataclass(frozen=True)
class MergeScore:
    """Gold entities found in two or more articles, and how many of them got exactly one predicted id."""

    entities_in_several_articles: int
    under_one_id: int

    @property
    def share(self) -> float:
        n = self.entities_in_several_articles
        return self.under_one_id / n if n else 1.0

    def as_dict(self) -> dict[str, float | int]:
        return {"entities_in_several_articles": self.entities_in_several_articles,
                "under_one_id": self.under_one_id, "share": self.share}  # fmt: skip


@dataclass(frozen=True)
class ScoreError:
    """One miss or false alarm. `item` is (subject, predicate, object) for triples, (entity, type)
    for entities; a matched side is its gold id, an unmatched one the predicted (normalised) name."""

    article: str
    kind: str  # "extra", "missed", "extra entity", "missed entity"
    item: tuple[str | None, ...]

    def __str__(self) -> str:
        return f"{self.article}\t{self.kind}\t{self.item}"


@dataclass
class EvaluationResult:
    triples: Counts
    entities: Counts
    per_predicate: dict[str, Counts]
    merge: MergeScore
    errors: list[ScoreError] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of the reference scorer's `--json` output."""
        return {
            "triples": self.triples.as_dict(),
            "entities": self.entities.as_dict(),
            "per_predicate": {p: c.as_dict() for p, c in self.per_predicate.items()},
            "merge": self.merge.as_dict(),
        }


# --- gold ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoldEntity:
    id: str
    type: str
    name: str
    aliases: tuple[str, ...] = ()
    number: str | None = None
    keys: tuple[tuple[str, ...], ...] = ()
    forms: frozenset[str] = frozenset()  # normalised name and aliases


@dataclass(frozen=True)
class GoldArticle:
    id: str
    entities: tuple[str, ...]
    optional_entities: tuple[str, ...]
    triples: frozenset[tuple[str, str, str]]
    optional_triples: frozenset[tuple[str, str, str]]

    @property
    def candidates(self) -> tuple[str, ...]:
        """Gold entities a prediction in this article may stand for, in matching order."""
        return self.entities + self.optional_entities


@dataclass(frozen=True)
class PredictedEntity:
    id: str | None  # None when the prediction gave no (or an empty) id
    type: str | None
    name: str | None
    aliases: tuple[str, ...] = ()

    @property
    def forms(self) -> tuple[str | None, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class PredictedTriple:
    subject: PredictedEntity
    predicate: str | None
    object: PredictedEntity


class _GoldFile:
    """Raw gold JSON with line lookup, so structural errors can name a line too."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.raw = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as err:
            raise EvaluationError(f"{path}: cannot read gold file: {err}".splitlines()[0]) from err
        try:
            self.data = json.loads(self.raw)
        except json.JSONDecodeError as err:
            raise EvaluationError(f"{path}:{err.lineno}: not JSON: {err.msg}") from err

    def fail(self, key: str, message: str) -> EvaluationError:
        pos = self.raw.find(json.dumps(key, ensure_ascii=False) + ":")
        line = self.raw.count("\n", 0, pos) + 1 if pos >= 0 else 1
        return EvaluationError(f"{self.path}:{line}: {message}")


def _str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _gold_entity(src: _GoldFile, gid: str, item: Any) -> GoldEntity:
    if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in ("type", "name")):
        raise src.fail(gid, f"gold entity {gid!r} needs a string 'type' and 'name'")
    aliases = item.get("aliases", []) or []
    keys = item.get("keys", []) or []
    number = item.get("number")
    if not _str_list(aliases):
        raise src.fail(gid, f"gold entity {gid!r}: 'aliases' must be a list of strings")
    if not isinstance(keys, list) or not all(_str_list(k) for k in keys):
        raise src.fail(gid, f"gold entity {gid!r}: 'keys' must be a list of lists of strings")
    if number is not None and not isinstance(number, str):
        raise src.fail(gid, f"gold entity {gid!r}: 'number' must be a string")
    forms = frozenset({normalize_name(item["name"])} | {normalize_name(a) for a in aliases})
    return GoldEntity(gid, item["type"], item["name"], tuple(aliases), number or None,
                      tuple(tuple(k) for k in keys), forms)  # fmt: skip


def _gold_triples(src: _GoldFile, art: str, value: Any, what: str) -> frozenset[tuple[str, str, str]]:
    if not isinstance(value, list) or not all(_str_list(t) and len(t) == 3 for t in value):
        raise src.fail(art, f"article {art!r}: {what} must be [subject, PREDICATE, object] lists of strings")
    return frozenset((t[0], t[1], t[2]) for t in value)


def _gold_article(src: _GoldFile, art: str, item: Any, entities: dict[str, GoldEntity]) -> GoldArticle:
    if not isinstance(item, dict):
        raise src.fail(art, f"article {art!r} must be an object")
    ents, opt = item.get("entities", []), item.get("optional_entities", []) or []
    for what, ids in (("entities", ents), ("optional_entities", opt)):
        if not _str_list(ids):
            raise src.fail(art, f"article {art!r}: {what} must be a list of entity ids")
        unknown = [i for i in ids if i not in entities]
        if unknown:
            raise src.fail(art, f"article {art!r}: unknown entity id {unknown[0]!r} in {what}")
    return GoldArticle(
        art,
        tuple(ents),
        tuple(opt),
        _gold_triples(src, art, item.get("triples", []), "triples"),
        _gold_triples(src, art, item.get("optional_triples", []) or [], "optional_triples"),
    )


class GoldStandard:
    """A gold file: entities by id and the annotation of each article."""

    def __init__(self, entities: dict[str, GoldEntity], articles: dict[str, GoldArticle]) -> None:
        self.entities = entities
        self.articles = articles

    @classmethod
    def load(cls, path: str | Path) -> GoldStandard:
        src = _GoldFile(Path(path))
        data = src.data
        if not isinstance(data, dict) or not isinstance(data.get("entities"), dict):
            raise EvaluationError(f"{path}:1: expected an object with 'entities' and 'articles'")
        if not isinstance(data.get("articles"), dict):
            raise EvaluationError(f"{path}:1: expected an object with 'entities' and 'articles'")
        entities = {gid: _gold_entity(src, gid, e) for gid, e in data["entities"].items()}
        articles = {a: _gold_article(src, a, v, entities) for a, v in data["articles"].items()}
        return cls(entities, articles)

    def match(self, article: str, ent: PredictedEntity) -> str | None:
        """The gold id a predicted entity stands for in `article`, or None."""
        normed = {normalize_name(f) for f in ent.forms if f}
        if ent.type in KEYED_TYPES:
            other = "Document" if ent.type == "Meeting" else "Meeting"
            return self._match_keys(article, normed, ent.type) or self._match_keys(article, normed, other)
        numbers: set[str] | None = None
        for gid in self.articles[article].candidates:
            gold = self.entities[gid]
            if gold.type == "Resolution":
                if gold.number:
                    if numbers is None:
                        numbers = set().union(*(numbers_in(f) for f in ent.forms))
                    if gold.number in numbers:
                        return gid
            elif gold.type not in KEYED_TYPES and normed & gold.forms:
                return gid
        return None

    def _match_keys(self, article: str, normed: set[str], gold_type: str) -> str | None:
        best, best_size = None, 0
        for gid in self.articles[article].candidates:
            gold = self.entities[gid]
            if gold.type != gold_type:
                continue
            for key in gold.keys:
                if all(any(token in form for form in normed) for token in key):
                    size = sum(len(token) for token in key)
                    if size > best_size:
                        best, best_size = gid, size
        return best


# --- predictions -----------------------------------------------------------------------------------


def _entity(value: Any, where: str, what: str) -> PredictedEntity:
    if value is None or value == {}:
        return PredictedEntity(None, None, None)
    if not isinstance(value, dict):
        raise EvaluationError(f"{where}: {what} must be an object")
    name, etype, aliases, eid = value.get("name"), value.get("type"), value.get("aliases"), value.get("id")
    if name is not None and not isinstance(name, str):
        raise EvaluationError(f"{where}: {what} name must be a string")
    if etype is not None and not isinstance(etype, str):
        raise EvaluationError(f"{where}: {what} type must be a string")
    if aliases is not None and not _str_list(aliases):
        raise EvaluationError(f"{where}: {what} aliases must be a list of strings")
    if isinstance(eid, dict | list):
        raise EvaluationError(f"{where}: {what} id must be a string or number")
    return PredictedEntity(str(eid) if eid else None, etype, name, tuple(aliases or ()))


def parse_prediction(rec: Any, where: str) -> tuple[str, PredictedEntity | PredictedTriple] | None:
    """One prediction record as (article, entity or triple); None for records the scorer ignores."""
    if not isinstance(rec, dict):
        raise EvaluationError(f"{where}: expected a JSON object")
    article = str(rec.get("article", ""))
    if "entity" in rec:
        if not isinstance(rec["entity"], dict):
            raise EvaluationError(f"{where}: 'entity' must be an object")
        return article, _entity(rec["entity"], where, "entity")
    if "predicate" in rec:
        predicate = rec["predicate"]
        if predicate is not None and not isinstance(predicate, str):
            raise EvaluationError(f"{where}: predicate must be a string")
        subject = _entity(rec.get("subject"), where, "subject")
        return article, PredictedTriple(subject, predicate, _entity(rec.get("object"), where, "object"))
    return None


def read_predictions(path: str | Path) -> Iterator[tuple[str, PredictedEntity | PredictedTriple]]:
    """Stream the records of a JSON Lines prediction file; EvaluationError names file and line."""
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed by the with below, after the error mapping
    except OSError as err:
        raise EvaluationError(f"{path}: cannot read predictions: {err.strerror or err}") from err
    with fh:
        for lineno, raw in enumerate(fh, 1):
            where = f"{path}:{lineno}"
            try:
                line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8").strip()
            except UnicodeDecodeError as err:
                raise EvaluationError(f"{where}: not UTF-8 (byte {err.start})") from err
            if not line:
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as err:
                raise EvaluationError(f"{where}: not JSON: {err.msg} at column {err.colno}") from err
            parsed = parse_prediction(rec, where)
            if parsed is not None:
                yield parsed


# --- scoring ---------------------------------------------------------------------------------------


@dataclass
class _ArticlePredictions:
    triples: list[PredictedTriple] = field(default_factory=list)
    entities: list[PredictedEntity] = field(default_factory=list)


def score_predictions(
    gold: GoldStandard, predictions: Iterable[tuple[str, PredictedEntity | PredictedTriple]]
) -> EvaluationResult:
    """Score parsed predictions (see `read_predictions`) against `gold`."""
    by_article: dict[str, _ArticlePredictions] = defaultdict(_ArticlePredictions)
    for article, item in predictions:
        if article not in gold.articles:
            continue
        got = by_article[article]
        if isinstance(item, PredictedTriple):
            got.triples.append(item)
            got.entities += [item.subject, item.object]
        else:
            got.entities.append(item)

    per_predicate: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    entity_counts = Counts()
    errors: list[ScoreError] = []
    predicted_ids: dict[str, set[str]] = defaultdict(set)  # gold id -> predicted ids over all articles

    for art, annotation in gold.articles.items():
        got = by_article.get(art, _ArticlePredictions())
        found: set[tuple[str, str, str]] = set()
        wrong: set[tuple[str | None, str, str | None]] = set()
        for triple in got.triples:
            if triple.predicate not in KNOWN_PREDICATES:
                continue
            pred = triple.predicate
            s, o = gold.match(art, triple.subject), gold.match(art, triple.object)
            if s and o and (s, pred, o) in annotation.triples:
                found.add((s, pred, o))
            elif not (s and o and (s, pred, o) in annotation.optional_triples):
                wrong.add((s or triple.subject.name, pred, o or triple.object.name))
        missed = annotation.triples - found
        for _, pred, _ in found:
            per_predicate[pred][0] += 1
        for _, pred, _ in wrong:
            per_predicate[pred][1] += 1
        for _, pred, _ in missed:
            per_predicate[pred][2] += 1
        errors += [ScoreError(art, "extra", t) for t in sorted(wrong, key=str)]
        errors += [ScoreError(art, "missed", t) for t in sorted(missed)]

        core, optional = set(annotation.entities), set(annotation.optional_entities)
        seen: set[str] = set()
        extra: set[tuple[str, str | None]] = set()
        for ent in got.entities:
            if not ent.name:
                continue
            gid = gold.match(art, ent)
            if gid and ent.id:
                predicted_ids[gid].add(ent.id)
            if gid in core and gold.entities[gid].type == ent.type:
                seen.add(gid)
            elif gid not in optional:
                extra.add((gid or normalize_name(ent.name), ent.type))
        entity_counts += Counts(len(seen), len(extra), len(core - seen))
        errors += [ScoreError(art, "extra entity", x) for x in sorted(extra, key=str)]
        errors += [ScoreError(art, "missed entity", (x, gold.entities[x].type)) for x in sorted(core - seen)]

    shared = [gid for gid in gold.entities if sum(gid in a.entities for a in gold.articles.values()) >= 2]
    merged = sum(1 for gid in shared if len(predicted_ids.get(gid, ())) == 1)
    counts = {p: Counts(*c) for p, c in sorted(per_predicate.items())}
    return EvaluationResult(
        triples=sum(counts.values(), Counts()),
        entities=entity_counts,
        per_predicate=counts,
        merge=MergeScore(len(shared), merged),
        errors=errors,
    )


def evaluate(gold_path: str | Path, predictions_path: str | Path) -> EvaluationResult:
    """Score a JSON Lines prediction file against a gold file; EvaluationError for malformed input."""
    gold = GoldStandard.load(gold_path)
    return score_predictions(gold, read_predictions(predictions_path))


def format_report(result: EvaluationResult, show_errors: bool = False) -> str:
    """The plain-text report: optional error list, per-predicate table, entity, merge and triple lines."""
    lines: list[str] = []
    if show_errors:
        lines += [str(e) for e in result.errors] + [""]
    lines.append(f"{'predicate':16} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}")
    for p, c in result.per_predicate.items():
        lines.append(f"{p:16} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f} {c.tp:4} {c.fp:4} {c.fn:4}")
    t, e, m = result.triples, result.entities, result.merge
    lines.append(f"entities: P={e.precision:.3f} R={e.recall:.3f} F1={e.f1:.3f}")
    lines.append(
        f"merge: {m.under_one_id}/{m.entities_in_several_articles} entities of several articles under one id"
    )
    lines.append(f"triples: P={t.precision:.3f} R={t.recall:.3f} F1={t.f1:.3f}")
    return "\n".join(lines)
