"""Typed records passed between pipeline stages (load -> extract -> resolve -> graph -> export).

Stages never share mutable state: each takes these records and returns new ones, which keeps
parallel extraction deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.errors import printable

MAX_TITLE_CHARS = 1_000
ENTITY_TYPES = ("Person", "State", "Organization", "Meeting", "Resolution", "Document", "Place")

PREDICATES = (
    "REPRESENTS",
    "PARTICIPATED_IN",
    "HOSTED_BY",
    "CONVENED_BY",
    "CHAIRED_BY",
    "HELD_IN",
    "ADOPTED_BY",
    "ESTABLISHES",
    "ISSUED",
    "DISCUSSED",
    "PRESENTED_BY",
    "MEMBER_OF",
    "PART_OF",
    "NEGOTIATED_BY",
    "OPERATES_IN",
    "LOCATED_IN",
    "CITES",
)


@dataclass(frozen=True)
class Span:
    """A half-open character range [start, end) into an article's original text."""

    start: int
    end: int
    label: str = ""


@dataclass(frozen=True)
class Article:
    """One article as loaded: `text` is exactly what the file held, so offsets stay valid.

    `furniture` marks page furniture (cookie notices, editor credits, placeholder dates):
    the extractor yields nothing from those spans, but they stay in `text` so that every
    offset still points into the original.
    """

    id: str
    text: str
    title: str = ""
    date: str | None = None  # ISO YYYY-MM-DD when known
    url: str | None = None
    source: str | None = None
    path: str = ""
    furniture: tuple[Span, ...] = ()

    def __post_init__(self) -> None:
        # a title is a line a person reads: a .txt file's 16 MiB first line made a Turtle literal that
        # Oxigraph cannot parse, so every loader's title is cut here, at one bound
        if len(self.title) > MAX_TITLE_CHARS:
            object.__setattr__(self, "title", self.title[:MAX_TITLE_CHARS].rstrip() + "…")


@dataclass(frozen=True)
class Skipped:
    """A file (or record inside a file) that could not be loaded, with a one-line reason."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{printable(self.path)}: {printable(self.reason)}"


@dataclass(frozen=True)
class Evidence:
    """Where a fact was read: article, the sentence text, its offsets, the rule and a confidence."""

    article: str
    sentence: str
    start: int
    end: int
    rule: str
    confidence: float


@dataclass
class Entity:
    """A resolved entity. `id` is the Wikidata QID when known, else a deterministic key."""

    id: str
    type: str
    name: str
    aliases: set[str] = field(default_factory=set)
    wikidata: str | None = None
    attrs: dict[str, str] = field(default_factory=dict)  # e.g. number/year for resolutions, date for meetings
    # where the article names it: (start, end, surface) with text[start:end] == surface, in text order
    mentions: tuple[tuple[int, int, str], ...] = ()


@dataclass(frozen=True)
class Triple:
    """One directed fact with its provenance. `properties` holds e.g. the role and date of REPRESENTS."""

    subject: str  # entity id
    predicate: str
    object: str  # entity id
    evidence: Evidence
    properties: tuple[tuple[str, str], ...] = ()


@dataclass
class Extraction:
    """Everything read from one article: its entities (by id) and triples."""

    article: Article
    entities: dict[str, Entity]
    triples: list[Triple]
